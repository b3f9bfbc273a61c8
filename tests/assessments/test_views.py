"""Self-assessment pages (issue #12, item 3): the partner's form, results and call on its page;
staff's results, comments and the distribution; query counts pinned at two sizes of data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from assessments.models import Answer, Assessment, DimensionComment, Questionnaire
from conftest import World
from dialogues.models import AgreedAction
from portal.models import AccessLog
from tests import factories


@pytest.fixture
def questionnaire(world: World) -> Questionnaire:
    return factories.make_questionnaire(dimensions=3, statements=2)


def _answers(questionnaire: Questionnaire, score: int | None = 4) -> dict[str, str]:
    data: dict[str, str] = {}
    for dimension in questionnaire.dimensions.all():
        for statement in dimension.statements.all():
            if score is not None:
                data[f"score_{statement.pk}"] = str(score)
            data[f"example_{statement.pk}"] = ""
    return data


def test_a_partner_starts_saves_a_draft_and_submits(
    world: World, questionnaire: Questionnaire, client_as: Callable[[str], Client]
) -> None:
    client = client_as("partner")
    response = client.post(reverse("assessment-start"))
    assessment = Assessment.objects.get(partner=world.alpha)
    assert response["Location"] == reverse("assessment-edit", args=[assessment.pk])
    assert assessment.period_label == str(timezone.localdate().year)

    page = client.get(response["Location"]).content.decode()
    assert "Dimension 1" in page and "Statement 1.1" in page
    assert "1 – not true for us" in page and "5 – fully true for us" in page

    first = questionnaire.dimensions.first()
    assert first is not None
    statement = first.statements.first()
    assert statement is not None
    draft = {f"score_{statement.pk}": "2", f"example_{statement.pk}": "We held a congress."}
    response = client.post(response["Location"], {**draft, "save": "1"})
    assert response.status_code == 302
    assert Answer.objects.get(assessment=assessment).example == "We held a congress."
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT

    # Submitting with open statements: an error per statement, nothing saved.
    response = client.post(
        reverse("assessment-edit", args=[assessment.pk]), {**draft, "submit": "1"}
    )
    assert response.status_code == 200
    assert "Give a score before you submit." in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT

    response = client.post(
        reverse("assessment-edit", args=[assessment.pk]), {**_answers(questionnaire), "submit": "1"}
    )
    assert response["Location"] == reverse("assessment-results", args=[world.alpha.pk])
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    assert assessment.submitted_by == world.users["partner"]
    # Final for the partner: the form sends it to the read-only page.
    response = client.get(reverse("assessment-edit", args=[assessment.pk]))
    assert response["Location"] == reverse("assessment-detail", args=[assessment.pk])


def test_a_score_outside_1_to_5_is_a_form_error(
    world: World, questionnaire: Questionnaire, client_as: Callable[[str], Client]
) -> None:
    assessment = factories.make_assessment(
        partner=world.alpha,
        questionnaire=questionnaire,
        year=timezone.localdate().year,
        submitted=False,
    )
    data = _answers(questionnaire)
    key = next(iter(data))
    response = client_as("partner").post(
        reverse("assessment-edit", args=[assessment.pk]), {**data, key: "7", "submit": "1"}
    )
    assert response.status_code == 200
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT


def test_the_results_show_scores_over_time_and_the_change(
    world: World, questionnaire: Questionnaire, client_as: Callable[[str], Client]
) -> None:
    factories.make_assessment(
        partner=world.alpha,
        questionnaire=questionnaire,
        year=2024,
        scores={"d1": [2], "d2": [3], "d3": [4]},
    )
    factories.make_assessment(
        partner=world.alpha,
        questionnaire=questionnaire,
        year=2025,
        scores={"d1": [3, 4], "d2": [3], "d3": [2]},
    )
    body = (
        client_as("partner")
        .get(reverse("assessment-results", args=[world.alpha.pk]))
        .content.decode()
    )
    assert "<svg" in body and 'data-testid="assessment-scores"' in body
    assert 'data-direction="up"' in body  # d1: 2 → 3.5
    assert 'data-direction="same"' in body  # d2
    assert 'data-direction="down"' in body  # d3: 4 → 2
    assert "3.5" in body


def test_staff_comment_per_dimension_and_the_partner_reads_it(
    world: World, questionnaire: Questionnaire, client_as: Callable[[str], Client]
) -> None:
    assessment = factories.make_assessment(partner=world.alpha, questionnaire=questionnaire)
    dimension = questionnaire.dimensions.get(key="d2")
    staff = client_as("officer")
    response = staff.post(
        reverse("assessment-comment", args=[assessment.pk]),
        {"dimension": dimension.key, "text": "Strong growth in the youth wing."},
    )
    assert response["Location"] == reverse("assessment-detail", args=[assessment.pk])
    comment = DimensionComment.objects.get()
    assert (comment.dimension, comment.author) == (dimension, world.users["officer"])
    body = client_as("partner").get(response["Location"]).content.decode()
    assert "Strong growth in the youth wing." in body
    # An empty comment is a form error, not a 500.
    response = staff.post(
        reverse("assessment-comment", args=[assessment.pk]),
        {"dimension": dimension.key, "text": " "},
    )
    assert response.status_code == 400
    assert DimensionComment.objects.count() == 1


def test_staff_agree_an_action_on_a_round_and_it_joins_the_partners_actions(
    world: World, questionnaire: Questionnaire, client_as: Callable[[str], Client]
) -> None:
    assessment = factories.make_assessment(partner=world.alpha, questionnaire=questionnaire)
    staff = client_as("staff")
    url = reverse("assessment-action", args=[assessment.pk])
    owner = world.users["officer"]
    response = staff.post(
        url,
        {
            "action-description": "Train the treasurer in budget follow-up",
            "action-due_on": "2030-03-31",
            "action-owner": str(owner.pk),
        },
    )
    assert response["Location"] == reverse("assessment-detail", args=[assessment.pk])
    action = AgreedAction.objects.get()
    assert (action.partner, action.dialogue, action.owner_user) == (world.alpha, None, owner)
    page = client_as("partner").get(reverse("partner-detail", args=[world.alpha.pk]))
    assert "Train the treasurer in budget follow-up" in page.content.decode()
    # Without a due date: the form comes back with its error and what was typed.
    response = staff.post(
        url,
        {"action-description": "Keep this text", "action-due_on": "", "action-owner": "partner"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Keep this text" in body and "data-error-summary" in body
    assert AgreedAction.objects.count() == 1
    # The partner's own users cannot agree actions for staff, nor can anyone on a draft.
    assert client_as("partner").post(url, {}).status_code == 404
    draft = factories.make_assessment(
        partner=world.alpha, questionnaire=questionnaire, year=2026, submitted=False
    )
    assert staff.post(reverse("assessment-action", args=[draft.pk]), {}).status_code == 404


def test_the_partner_page_calls_for_this_periods_assessment(
    world: World, questionnaire: Questionnaire, client_as: Callable[[str], Client]
) -> None:
    url = reverse("partner-detail", args=[world.alpha.pk])
    client = client_as("partner")
    assert 'data-testid="assessment-call"' in client.get(url).content.decode()
    factories.make_assessment(
        partner=world.alpha, questionnaire=questionnaire, year=timezone.localdate().year
    )
    body = client.get(url).content.decode()
    assert 'data-testid="assessment-call"' not in body
    assert 'data-testid="partner-assessment"' in body
    # Staff see the comparison, never the call.
    body = client_as("staff").get(url).content.decode()
    assert 'data-testid="assessment-call"' not in body
    assert 'data-testid="partner-assessment"' in body


@pytest.mark.parametrize(
    ("language", "name"),
    [("sv", "Dimension 1 på svenska"), ("es", "Dimensión 1 en español"), ("en", "Dimension 1")],
)
def test_the_partner_page_names_the_dimensions_in_the_active_language(
    world: World,
    questionnaire: Questionnaire,
    client_as: Callable[[str], Client],
    language: str,
    name: str,
) -> None:
    factories.make_assessment(partner=world.alpha, questionnaire=questionnaire, year=2024)
    factories.make_assessment(partner=world.alpha, questionnaire=questionnaire, year=2025)
    client = client_as("partner")
    client.post(reverse("set_language"), {"language": language})
    body = client.get(reverse("partner-detail", args=[world.alpha.pk])).content.decode()
    assert name in body


def test_a_missing_translation_falls_back_to_english(
    world: World, questionnaire: Questionnaire, client_as: Callable[[str], Client]
) -> None:
    client = client_as("partner")
    client.post(reverse("set_language"), {"language": "sv"})
    assessment = factories.make_assessment(
        partner=world.alpha,
        questionnaire=questionnaire,
        year=timezone.localdate().year,
        submitted=False,
    )
    body = client.get(reverse("assessment-edit", args=[assessment.pk])).content.decode()
    assert "Statement 1.1" in body


def test_cleared_staff_reading_a_confidential_assessment_is_logged(
    world: World, questionnaire: Questionnaire, client_as: Callable[[str], Client]
) -> None:
    assessment = factories.make_assessment(partner=world.hidden, questionnaire=questionnaire)
    assert (
        client_as("staff").get(reverse("assessment-detail", args=[assessment.pk])).status_code
        == 200
    )
    assert AccessLog.objects.filter(
        object_type="assessments.assessment", object_id=str(assessment.pk)
    ).exists()
    assert (
        client_as("officer").get(reverse("assessment-detail", args=[assessment.pk])).status_code
        == 404
    )


def test_the_officers_list_names_no_confidential_partner(
    world: World, questionnaire: Questionnaire, client_as: Callable[[str], Client]
) -> None:
    factories.make_assessment(partner=world.hidden, questionnaire=questionnaire)
    factories.make_assessment(partner=world.alpha, questionnaire=questionnaire)
    officer = client_as("officer")
    for url in (
        reverse("assessment-home"),
        reverse("assessment-distribution"),
        reverse("assessment-distribution") + "?period=2025&region=mena",
    ):
        body = officer.get(url).content.decode()
        assert "Hidden Rainbow Union" not in body
        assert "Izmir" not in body


def test_the_distribution_counts_partners_per_band_and_filters(
    world: World, questionnaire: Questionnaire, client_as: Callable[[str], Client]
) -> None:
    factories.make_assessment(
        partner=world.alpha, questionnaire=questionnaire, scores={"d1": [1, 2]}
    )
    factories.make_assessment(partner=world.beta, questionnaire=questionnaire, scores={"d1": [5]})
    factories.make_assessment(partner=world.hidden, questionnaire=questionnaire, scores={"d1": [5]})
    client = client_as("officer")
    response = client.get(reverse("assessment-distribution"), {"period": "2025"})
    rows = {row.key: row.counts for row in response.context["rows"]}
    assert rows["d1"] == (1, 0, 0, 0, 2)  # the confidential partner counted, never named
    response = client.get(reverse("assessment-distribution"), {"period": "2025", "region": "mena"})
    assert {row.key: row.counts for row in response.context["rows"]}["d1"] == (0, 0, 0, 0, 1)
    response = client.get(reverse("assessment-distribution"), {"period": "1999"})
    assert response.status_code == 400


def _rounds(world: World, questionnaire: Questionnaire, partners: int) -> None:
    for index in range(partners):
        partner = factories.PartnerFactory.create(region="latam")
        factories.ProjectFactory.create(partner=partner, program=world.program)
        for year in (2024, 2025):
            factories.make_assessment(
                partner=partner,
                questionnaire=questionnaire,
                year=year,
                scores={"d1": [1 + index % 5]},
            )
    for year in (2023, 2024, 2025):
        factories.make_assessment(partner=world.alpha, questionnaire=questionnaire, year=year)


@pytest.mark.parametrize("partners", [2, 12])
def test_query_counts_of_the_pages(
    world: World,
    questionnaire: Questionnaire,
    client_as: Callable[[str], Client],
    django_assert_num_queries: DjangoAssertNumQueries,
    partners: int,
) -> None:
    _rounds(world, questionnaire, partners)
    draft = factories.make_assessment(
        partner=world.alpha,
        questionnaire=questionnaire,
        year=timezone.localdate().year,
        submitted=False,
    )
    partner, staff = client_as("partner"), client_as("staff")
    submitted = Assessment.objects.filter(
        partner=world.alpha, period_start=dt.date(2025, 1, 1)
    ).get()
    # Session and user (2), the assessment (1), its dimensions and their statements (2), its
    # answers (1).
    with django_assert_num_queries(6):
        assert partner.get(reverse("assessment-edit", args=[draft.pk])).status_code == 200
    # Session and user (2), the partner (1), its rounds (1), the dimensions' names (1), the
    # means per round and dimension (1).
    with django_assert_num_queries(6):
        assert partner.get(reverse("assessment-results", args=[world.alpha.pk])).status_code == 200
    # Session, user and second factor (3), the assessment (1), dimensions and statements (2),
    # answers (1), the means (1), comments (1), the staff who may own an agreed action (1).
    with django_assert_num_queries(10):
        assert staff.get(reverse("assessment-detail", args=[submitted.pk])).status_code == 200
    # Session, user and second factor (3), periods (1), programmes (1), means (1), names (1).
    with django_assert_num_queries(7):
        assert staff.get(reverse("assessment-distribution")).status_code == 200
    # Session, user and second factor (3), the count (1), the page (1).
    with django_assert_num_queries(5):
        assert staff.get(reverse("assessment-home")).status_code == 200


@pytest.mark.parametrize("rounds", [2, 8])
def test_the_partner_page_section_costs_the_same_for_any_number_of_rounds(
    world: World,
    questionnaire: Questionnaire,
    client_as: Callable[[str], Client],
    django_assert_num_queries: DjangoAssertNumQueries,
    rounds: int,
) -> None:
    for year in range(2025 - rounds, 2025):
        factories.make_assessment(partner=world.alpha, questionnaire=questionnaire, year=year)
    url = reverse("partner-detail", args=[world.alpha.pk])
    staff, partner = client_as("staff"), client_as("partner")
    # Session, user and second factor (3), partner, projects, story counts (3), the last two
    # rounds, their dimensions' names and means (3), latest dialogues and open actions (2),
    # the partner's risks (1), contacts, networks (2), the latest activities (1).
    with django_assert_num_queries(15):
        assert staff.get(url).status_code == 200
    # Session and user (2), partner, story counts, projects (3), the rounds, names and means
    # (3), this period's round (1), the dialogues' section (3), the shared risks (1), contacts
    # (1; a partner user is in no network: no query), the latest activities (1), the results
    # reports owed (1: no framework here, so no span).
    with django_assert_num_queries(16):
        assert partner.get(url).status_code == 200


def test_markup_in_an_example_is_shown_as_text(
    world: World, questionnaire: Questionnaire, client_as: Callable[[str], Client]
) -> None:
    assessment = factories.make_assessment(
        partner=world.alpha,
        questionnaire=questionnaire,
        year=timezone.localdate().year,
        submitted=False,
    )
    data = _answers(questionnaire)
    example = next(key for key in data if key.startswith("example_"))
    client = client_as("partner")
    client.post(
        reverse("assessment-edit", args=[assessment.pk]),
        {**data, example: "<script>alert(1)</script>", "submit": "1"},
    )
    body = client.get(reverse("assessment-detail", args=[assessment.pk])).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body

"""The writes of self-assessments and questionnaires, and who reads which (issue #12, item 3)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from assessments import services
from assessments.models import Answer, Assessment, DimensionComment, Questionnaire, Statement
from assessments.selectors import (
    counted_assessments,
    partner_history,
    score_band,
    visible_assessments,
    visible_comments,
)
from conftest import ROLES, World
from tests import factories

TODAY = dt.date(2026, 5, 4)


@pytest.fixture
def questionnaire(world: World) -> Questionnaire:
    return factories.make_questionnaire(dimensions=2, statements=2)


def _all(questionnaire: Questionnaire, score: int | None = 3) -> dict[int, tuple[int | None, str]]:
    return dict.fromkeys(
        Statement.objects.filter(dimension__questionnaire=questionnaire).values_list(
            "pk", flat=True
        ),
        (score, ""),
    )


def test_it_starts_one_assessment_per_partner_and_period(
    world: World, questionnaire: Questionnaire
) -> None:
    user = world.users["partner"]
    first = services.assessment_start(actor=user, today=TODAY)
    again = services.assessment_start(actor=user, today=TODAY)
    assert first == again
    assert (first.period_label, first.period_start, first.period_end) == (
        "2026",
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
    )
    assert first.questionnaire == questionnaire
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(
            partner=world.alpha,
            questionnaire=questionnaire,
            period_label="again",
            period_start=first.period_start,
            period_end=first.period_end,
        )


def test_only_partner_users_start_one(world: World, questionnaire: Questionnaire) -> None:
    for role in ("staff", "officer", "member"):
        with pytest.raises(PermissionDenied):
            services.assessment_start(actor=world.users[role], today=TODAY)


def test_without_a_published_questionnaire_nothing_starts(world: World) -> None:
    factories.make_questionnaire(published=False)
    with pytest.raises(ValidationError):
        services.assessment_start(actor=world.users["partner"], today=TODAY)


def test_a_draft_keeps_partial_answers_and_the_submit_needs_them_all(
    world: World, questionnaire: Questionnaire
) -> None:
    user = world.users["partner"]
    assessment = services.assessment_start(actor=user, today=TODAY)
    answers = _all(questionnaire)
    first = next(iter(answers))
    services.assessment_save_draft(
        actor=user, assessment=assessment, answers={first: (5, " An example. ")}
    )
    assert Answer.objects.get().example == "An example."
    partial = {**dict.fromkeys(answers, (None, "")), first: (5, "")}
    with pytest.raises(ValidationError) as error:
        services.assessment_submit(actor=user, assessment=assessment, answers=partial)
    assert set(error.value.error_dict) == {f"score_{pk}" for pk in answers if pk != first}
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT
    # Taking a score back in a draft removes the answer.
    services.assessment_save_draft(actor=user, assessment=assessment, answers={first: (None, "")})
    assert not Answer.objects.exists()

    services.assessment_submit(actor=user, assessment=assessment, answers=answers)
    assessment.refresh_from_db()
    assert assessment.is_submitted and assessment.submitted_by == user
    assert Answer.objects.count() == len(answers)
    with pytest.raises(ValidationError):
        services.assessment_save_draft(actor=user, assessment=assessment, answers=answers)


def test_bad_scores_and_foreign_statements_are_refused_whole(
    world: World, questionnaire: Questionnaire
) -> None:
    user = world.users["partner"]
    assessment = services.assessment_start(actor=user, today=TODAY)
    other = factories.make_questionnaire(name="Other")
    foreign_statement = Statement.objects.filter(dimension__questionnaire=other).first()
    assert foreign_statement is not None
    answers = _all(questionnaire)
    for bad in (
        {**answers, next(iter(answers)): (6, "")},
        {**answers, foreign_statement.pk: (3, "")},
        {**answers, next(iter(answers)): (3, "x" * 2001)},
    ):
        with pytest.raises(ValidationError):
            services.assessment_submit(actor=user, assessment=assessment, answers=bad)
        assert not Answer.objects.exists()


def test_no_one_else_fills_a_partners_assessment(
    world: World, questionnaire: Questionnaire
) -> None:
    assessment = services.assessment_start(actor=world.users["partner"], today=TODAY)
    for role in ("partner2", "secret", "staff", "admin", "member"):
        with pytest.raises(PermissionDenied):
            services.assessment_save_draft(
                actor=world.users[role], assessment=assessment, answers={}
            )


def test_staff_comment_on_submitted_assessments_they_may_see(
    world: World, questionnaire: Questionnaire
) -> None:
    dimension = questionnaire.dimensions.first()
    assert dimension is not None
    hidden = factories.make_assessment(partner=world.hidden, questionnaire=questionnaire)
    draft = factories.make_assessment(
        partner=world.alpha, questionnaire=questionnaire, submitted=False
    )
    with pytest.raises(PermissionDenied):
        services.dimension_comment_add(
            actor=world.users["officer"], assessment=hidden, dimension=dimension, text="Hm."
        )
    with pytest.raises(PermissionDenied):
        services.dimension_comment_add(
            actor=world.users["partner"], assessment=draft, dimension=dimension, text="Hm."
        )
    with pytest.raises(ValidationError):
        services.dimension_comment_add(
            actor=world.users["staff"], assessment=draft, dimension=dimension, text="Too early."
        )
    other = factories.make_questionnaire(name="Other").dimensions.first()
    assert other is not None
    with pytest.raises(ValidationError):
        services.dimension_comment_add(
            actor=world.users["staff"], assessment=hidden, dimension=other, text="Wrong one."
        )
    services.dimension_comment_add(
        actor=world.users["staff"], assessment=hidden, dimension=dimension, text="Good."
    )
    assert DimensionComment.objects.count() == 1


def test_a_published_questionnaire_is_fixed_and_a_new_version_is_a_copy(
    world: World, questionnaire: Questionnaire
) -> None:
    staff = world.users["officer"]
    with pytest.raises(ValidationError):
        services.questionnaire_save(actor=staff, questionnaire=questionnaire)
    statement = Statement.objects.filter(dimension__questionnaire=questionnaire).first()
    assert statement is not None
    statement.text_en = "Changed"
    with pytest.raises(ValidationError):
        services.statement_save(actor=staff, statement=statement)
    with pytest.raises(ValidationError):
        services.questionnaire_delete(actor=staff, questionnaire=questionnaire)

    copy = services.questionnaire_new_version(actor=staff, questionnaire=questionnaire)
    assert (copy.name, copy.version, copy.published) == (questionnaire.name, 2, False)
    assert list(copy.dimensions.values_list("key", "name_sv")) == list(
        questionnaire.dimensions.values_list("key", "name_sv")
    )
    assert Statement.objects.filter(dimension__questionnaire=copy).count() == 4
    copied = Statement.objects.filter(dimension__questionnaire=copy).first()
    assert copied is not None
    copied.text_en = "Our board meets as the statutes say."
    services.statement_save(actor=staff, statement=copied)
    copy.published = True
    services.questionnaire_save(actor=staff, questionnaire=copy)
    assert copy.published_at is not None
    with pytest.raises(PermissionDenied):
        services.questionnaire_new_version(actor=world.users["partner"], questionnaire=copy)


def test_an_empty_questionnaire_cannot_be_published(world: World) -> None:
    empty = factories.make_questionnaire(dimensions=1, statements=0, published=False)
    empty.published = True
    with pytest.raises(ValidationError):
        services.questionnaire_save(actor=world.users["staff"], questionnaire=empty)


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
def test_each_role_reads_the_assessments_the_rules_allow(
    world: World, questionnaire: Questionnaire, role: str
) -> None:
    rounds = {
        name: factories.make_assessment(partner=partner, questionnaire=questionnaire)
        for name, partner in (
            ("own", world.alpha),
            ("foreign", world.beta),
            ("hidden", world.hidden),
        )
    }
    for assessment in rounds.values():
        dimension = questionnaire.dimensions.first()
        assert dimension is not None
        DimensionComment.objects.create(assessment=assessment, dimension=dimension, text="C")
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if role == "anonymous" else world.users[role]
    expected = {
        "admin": {"own", "foreign", "hidden"},
        "staff": {"own", "foreign", "hidden"},
        "officer": {"own", "foreign"},
        "partner": {"own"},
        "partner2": {"foreign"},
        "secret": {"hidden"},
        "member": set(),
        "anonymous": set(),
    }[role]
    seen = {
        name for name, a in rounds.items() if visible_assessments(user).filter(pk=a.pk).exists()
    }
    assert seen == expected
    comments = set(visible_comments(user).values_list("assessment_id", flat=True))
    assert comments == {rounds[name].pk for name in expected}
    # Distributions count every submitted round for staff, officers' included; for a network
    # member its networks' partners' that are not confidential; nobody else's.
    counted = set(counted_assessments(user).values_list("pk", flat=True))
    in_network = set(world.network.partners.filter(is_confidential=False))
    expected_counted = {
        "admin": set(rounds.values()),
        "staff": set(rounds.values()),
        "officer": set(rounds.values()),
        "member": {a for a in rounds.values() if a.partner in in_network},
    }.get(role, set())
    assert counted == {a.pk for a in expected_counted}


def test_a_partners_history_across_versions_follows_the_dimension_keys(
    world: World, questionnaire: Questionnaire
) -> None:
    factories.make_assessment(
        partner=world.alpha, questionnaire=questionnaire, year=2024, scores={"d1": [1, 2]}
    )
    copy = services.questionnaire_new_version(
        actor=world.users["staff"], questionnaire=questionnaire
    )
    factories.make_assessment(
        partner=world.alpha, questionnaire=copy, year=2025, scores={"d1": [4]}
    )
    history = partner_history(world.users["partner"], world.alpha)
    assert [r.period_label for r in history.rounds] == ["2024", "2025"]
    change = {c.key: c for c in history.changes()}["d1"]
    assert (change.previous, change.latest, change.direction) == (1.5, 4.0, "up")
    assert partner_history(world.users["partner2"], world.alpha).rounds == []


@pytest.mark.parametrize(
    ("mean", "band"), [(1.0, 1), (1.99, 1), (2.0, 2), (3.5, 3), (4.75, 4), (5.0, 5)]
)
def test_score_bands(mean: float, band: int) -> None:
    assert score_band(mean) == band

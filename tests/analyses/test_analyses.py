"""Regional analyses (issue #12, item 4): staff write them with the stories and figures they
draw on; the partners of the region read the ones shared with them; what draws on a confidential
partner is for cleared staff only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from analyses.models import RegionalAnalysis
from conftest import World
from privacy.documents import user_personal_data
from tests import factories


def _form(world: World, **overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Central America, second half of 2025",
        "region": "latam",
        "period_start": "2025-07-01",
        "period_end": "2025-12-31",
        "written_on": "2026-01-15",
        "context": "Municipal elections and a drought.",
        "patterns": "Women's groups won seats on water committees.",
        "conclusions": "Training in local government pays off.",
        "decisions": "Extend the training to two more districts.",
        "shared_with_partners": "on",
        "story_references": f"{world.alpha_story.reference}, {world.beta_story.reference}",
        "figures": "Stories in Latin America | /reports/?month_from=2025-07&month_to=2025-12",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_staff_write_an_analysis_with_its_stories_and_figures(
    world: World, client_as: Callable[[str], Client]
) -> None:
    client = client_as("officer")
    response = client.post(reverse("analysis-create"), _form(world))
    analysis = RegionalAnalysis.objects.get()
    assert response["Location"] == reverse("analysis-detail", args=[analysis.pk])
    assert set(analysis.stories.all()) == {world.alpha_story, world.beta_story}
    assert analysis.author == world.users["officer"]
    assert not analysis.cleared_only
    body = client.get(response["Location"]).content.decode()
    assert "Training in local government pays off." in body
    assert 'href="/reports/?month_from=2025-07&amp;month_to=2025-12"' in body


def test_an_analysis_drawing_on_a_confidential_partner_is_for_cleared_staff_only(
    world: World, client_as: Callable[[str], Client]
) -> None:
    staff = client_as("staff")
    staff.post(
        reverse("analysis-create"),
        _form(world, region="mena", story_references=world.hidden_story.reference),
    )
    analysis = RegionalAnalysis.objects.get()
    # The box was left empty: linking the confidential partner's story sets it.
    assert analysis.cleared_only
    officer = client_as("officer")
    assert officer.get(reverse("analysis-detail", args=[analysis.pk])).status_code == 404
    assert analysis.title not in officer.get(reverse("analysis-list")).content.decode()
    assert (
        world.hidden_story.title
        in staff.get(reverse("analysis-detail", args=[analysis.pk])).content.decode()
    )


def test_an_officer_cannot_link_a_story_it_may_not_see(
    world: World, client_as: Callable[[str], Client]
) -> None:
    response = client_as("officer").post(
        reverse("analysis-create"), _form(world, story_references=world.hidden_story.reference)
    )
    assert response.status_code == 200
    # The same words as for a reference that does not exist: nothing tells them apart.
    assert "No story you may see has the reference" in response.content.decode()
    assert not RegionalAnalysis.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("figures", "A figure without an address", "Line 1: write what it shows"),
        ("figures", "Elsewhere | https://example.org/reports/", "A figure is a report of"),
        ("figures", "Not a report | /stories/", "A figure is a report of"),
        ("story_references", "S-NOPE", "No story you may see has the reference S-NOPE"),
        ("period_end", "2024-01-01", "period"),
        # Larger than any database key: a form error, not an overflow in the query.
        ("risks", str(2**63), "Select a valid choice"),
    ],
)
def test_bad_input_is_said_and_nothing_is_saved(
    world: World, client_as: Callable[[str], Client], field: str, value: str, message: str
) -> None:
    response = client_as("staff").post(reverse("analysis-create"), _form(world, **{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not RegionalAnalysis.objects.exists()


def test_the_partners_of_the_region_read_what_is_shared_with_them_and_only_their_stories(
    world: World, client_as: Callable[[str], Client]
) -> None:
    shared = factories.AnalysisFactory.create(shared_with_partners=True, region="latam")
    shared.stories.add(world.alpha_story, world.beta_story)
    unshared = factories.AnalysisFactory.create(shared_with_partners=False, region="latam")
    partner = client_as("partner")
    body = partner.get(reverse("analysis-detail", args=[shared.pk])).content.decode()
    assert world.alpha_story.title in body
    assert world.beta_story.title not in body  # another partner's story
    assert partner.get(reverse("analysis-detail", args=[unshared.pk])).status_code == 404
    # A partner of another region, and a network member, read none.
    assert client_as("secret").get(reverse("analysis-detail", args=[shared.pk])).status_code == 404
    assert client_as("member").get(reverse("analysis-list")).status_code == 404
    assert client_as("partner").post(reverse("analysis-create"), _form(world)).status_code == 404


@pytest.mark.parametrize(("name", "queries"), [("analysis-list", 2), ("analysis-detail", 4)])
def test_its_pages_run_a_constant_number_of_queries(
    world: World,
    client_as: Callable[[str], Client],
    django_assert_num_queries: DjangoAssertNumQueries,
    name: str,
    queries: int,
) -> None:
    analysis = factories.AnalysisFactory.create()
    analysis.stories.add(world.alpha_story)
    url = reverse(name, args=[analysis.pk] if name == "analysis-detail" else [])
    client = client_as("staff")
    for grown in (False, True):
        if grown:
            for _ in range(30):
                more = factories.AnalysisFactory.create()
                more.stories.add(world.beta_story)
                analysis.stories.add(factories.StoryFactory.create(partner=world.alpha))
                analysis.figures.create(label="A figure", address="/reports/")
                analysis.risks.add(factories.RiskFactory.create(partner=world.alpha))
        # 3 for cleared staff's session, user and device; then the page's own: the analyses
        # (a count and a page) / the analysis, its stories, its risks, its figures.
        with django_assert_num_queries(3 + queries):
            assert client.get(url).status_code == 200


def test_the_authors_personal_data_export_lists_the_analyses_they_wrote(world: World) -> None:
    mine = factories.AnalysisFactory.create(author=world.users["staff"], title="Mine")
    factories.AnalysisFactory.create(author=world.users["officer"], title="Not mine")
    document = user_personal_data(user=world.users["staff"])
    assert document["regional_analyses_written"] == [
        {"id": mine.pk, "title": "Mine", "written_on": mine.written_on}
    ]


def test_an_analysis_draws_on_risks_the_writer_may_read_and_a_confidential_one_clears_it(
    world: World, client_as: Callable[[str], Client]
) -> None:
    visible = factories.RiskFactory.create(partner=world.alpha, title="Office lease ends")
    hidden = factories.RiskFactory.create(partner=world.hidden, title="Members exposed")
    officer = client_as("officer")
    form_page = officer.get(reverse("analysis-create")).content.decode()
    assert visible.title in form_page and hidden.title not in form_page
    # An officer cannot link what it may not read: an invalid choice, nothing saved.
    response = officer.post(reverse("analysis-create"), _form(world, risks=[hidden.pk]))
    assert response.status_code == 200 and not RegionalAnalysis.objects.exists()
    response = officer.post(reverse("analysis-create"), _form(world, risks=[visible.pk]))
    analysis = RegionalAnalysis.objects.get()
    assert list(analysis.risks.all()) == [visible] and not analysis.cleared_only
    # The partner reads the analysis; among its risks only those shared with it.
    detail = reverse("analysis-detail", args=[analysis.pk])
    assert visible.title not in client_as("partner").get(detail).content.decode()
    visible.shared_with_partner = True
    visible.save()
    assert visible.title in client_as("partner").get(detail).content.decode()
    # Cleared staff link the confidential partner's risk: the analysis is theirs alone now.
    staff = client_as("staff")
    edit = reverse("analysis-edit", args=[analysis.pk])
    staff.post(edit, _form(world, risks=[visible.pk, hidden.pk]))
    analysis.refresh_from_db()
    assert analysis.cleared_only
    assert officer.get(detail).status_code == 404


def test_a_partner_made_confidential_after_an_analysis_cited_it_hides_the_analysis_at_once(
    world: World, client_as: Callable[[str], Client]
) -> None:
    """Not at the next save: the officer who could read it yesterday meets a 404 today."""
    analysis = factories.AnalysisFactory.create(shared_with_partners=True)
    analysis.stories.add(world.alpha_story)
    analysis.risks.add(factories.RiskFactory.create(partner=world.beta))
    detail = reverse("analysis-detail", args=[analysis.pk])
    assert client_as("officer").get(detail).status_code == 200
    for partner in (world.alpha, world.beta):
        partner.is_confidential = True
        partner.save()
        assert client_as("officer").get(detail).status_code == 404
        assert client_as("partner").get(detail).status_code == 404
        assert client_as("staff").get(detail).status_code == 200
        partner.is_confidential = False
        partner.save()
    # The officer's edit form never names a story it may not see.
    edit = client_as("officer").get(reverse("analysis-edit", args=[analysis.pk]))
    assert world.alpha_story.reference in edit.content.decode()
    analysis.stories.add(world.hidden_story)
    assert client_as("officer").get(reverse("analysis-edit", args=[analysis.pk])).status_code == 404

"""The portfolio: every programme's indicators in their latest period with figures, per role,
with the programme page's rules (issue #13, item 4)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from conftest import World
from results import kept
from results.models import Actual, Measure, Outcome
from tests import factories
from tests.results import builders
from tests.results.test_views import _framework

URL = "/programmes/results/"


def _page(client_as: Callable[[str], Client], role: str) -> str:
    response = client_as(role).get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_staff_read_each_indicator_in_its_latest_period_with_figures(
    world: World, client_as: Callable[[str], Client]
) -> None:
    made = builders.world_framework(world)  # 2025: target 100, actuals 10 + 20 + 30
    builders.actual(builders.period(made, 2026), world.alpha_project, 5, status="submitted")
    page = _page(client_as, "staff")
    assert reverse("program-results", args=[world.program.pk]) in page
    assert "People trained" in page
    # 2026 has only a submitted figure, which does not count: 2025 is the latest.
    assert ">2025<" in page and ">60<" in page and ">100<" in page and "60 %" in page
    assert "1 of 1 indicator with figures, 0 at or past its target" in page


def test_a_reached_target_is_marked_and_counted(
    world: World, client_as: Callable[[str], Client]
) -> None:
    made = builders.world_framework(world)
    Actual.objects.filter(period__indicator=made, project=world.alpha_project).update(
        value=Decimal(50)
    )
    kept.recompute([made.pk])  # the update above went past the services and the outbox
    page = _page(client_as, "staff")
    assert ">100<" in page and "100 %" in page  # 50 + 20 + 30 of a target of 100
    assert 'text-bg-success">reached<' in page
    assert "1 of 1 indicator with figures, 1 at or past its target" in page


def test_an_indicator_without_figures_says_so(
    world: World, client_as: Callable[[str], Client]
) -> None:
    builders.indicator(world.program, title="Women elected", projects=[world.alpha_project])
    builders.indicator(
        world.program, title="What members say", measure=Measure.QUALITATIVE, projects=[]
    )
    page = _page(client_as, "staff")
    assert "Women elected" in page and "no figures yet" in page
    assert "What members say" in page and "qualitative" in page


def test_partner_users_see_their_own_figures_without_the_programmes_target(
    world: World, client_as: Callable[[str], Client]
) -> None:
    builders.world_framework(world)
    own = builders.indicator(
        world.program, title="Our own indicator", project=world.alpha_project, years=(2025,)
    )
    builders.target(builders.period(own), 8)
    builders.actual(builders.period(own), world.alpha_project, 4)
    page = _page(client_as, "partner")
    assert ">10<" in page and ">60<" not in page and ">100<" not in page
    assert "Our own indicator" in page and ">8<" in page and "50 %" in page
    assert "Sindicato Beta" not in page and "Hidden" not in page
    other = _page(client_as, "partner2")
    assert "Our own indicator" not in other


def test_officers_and_members_read_totals_and_no_confidential_name(
    world: World, client_as: Callable[[str], Client]
) -> None:
    builders.world_framework(world)
    hidden_own = builders.indicator(
        world.program, title="Hidden's own indicator", project=world.hidden_project
    )
    builders.actual(builders.period(hidden_own), world.hidden_project, 3)
    for role in ("officer", "member"):
        page = _page(client_as, role)
        assert ">60<" in page, role  # the confidential project's 30 counts in the total
        assert "Hidden" not in page, role


def test_programmes_outside_the_viewers_scope_are_not_listed(
    world: World, client_as: Callable[[str], Client]
) -> None:
    elsewhere = factories.ProgramFactory.create(title="Another network's programme")
    builders.indicator(elsewhere, title="Elsewhere trained", projects=[])
    assert "Another network" in _page(client_as, "staff")
    assert "Another network" not in _page(client_as, "member")
    assert "Another network" not in _page(client_as, "partner")


# After the login's queries: the indicators with outcome and programme, their dimensions, the
# periods, the targets' totals (grouped), the actuals' totals (grouped).
PORTFOLIO_QUERIES = {"staff": 3 + 5, "officer": 2 + 5, "partner": 2 + 5, "member": 2 + 5}


@pytest.mark.parametrize("role", sorted(PORTFOLIO_QUERIES))
def test_the_portfolio_runs_a_fixed_number_of_queries(
    world: World,
    client_as: Callable[[str], Client],
    django_assert_num_queries: DjangoAssertNumQueries,
    role: str,
) -> None:
    client = client_as(role)
    _framework(world, indicators=2, periods=2, projects=3)
    with django_assert_num_queries(PORTFOLIO_QUERIES[role]):
        assert client.get(URL).status_code == 200
    Outcome.objects.all().delete()
    _framework(world, indicators=50, periods=10, projects=30)
    for n in range(5):
        other = factories.ProgramFactory.create(title=f"Programme {n}")
        builders.indicator(other, title=f"Indicator of programme {n}", projects=[])
    with django_assert_num_queries(PORTFOLIO_QUERIES[role]):
        assert client.get(URL).status_code == 200

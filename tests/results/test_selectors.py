"""Who sees which indicators and actuals, and which actuals count in whose figures."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import World
from results import checks, kept, selectors
from results.models import TOTAL, Actual, Indicator, Measure, Period, combination_key
from results.rollup import Amount, Cell, disagreements, roll_up
from tests import factories
from tests.results import builders


def _counted(world: World, role: str, indicator: Indicator) -> Decimal | None:
    periods = Period.objects.filter(indicator=indicator)
    sums = selectors.actual_sums(world.users[role], periods)
    amount = sums.get((builders.period(indicator).pk, TOTAL))
    return amount.value if amount else None


def test_it_counts_every_approved_actual_for_staff_and_officers(world: World) -> None:
    indicator = builders.world_framework(world)
    builders.actual(builders.period(indicator, 2026), world.alpha_project, 99, status="submitted")
    for role in ("admin", "staff", "officer"):
        # The confidential partner's 30 counts for officers too (shown by pseudonym only).
        assert _counted(world, role, indicator) == Decimal(60)


def test_partner_users_count_only_their_own(world: World) -> None:
    indicator = builders.world_framework(world)
    assert _counted(world, "partner", indicator) == Decimal(10)
    assert _counted(world, "partner2", indicator) == Decimal(20)
    assert _counted(world, "secret", indicator) == Decimal(30)


def test_members_count_programme_totals_of_approved_actuals(world: World) -> None:
    indicator = builders.world_framework(world)
    builders.actual(builders.period(indicator, 2026), world.beta_project, 5, status="returned")
    assert _counted(world, "member", indicator) == Decimal(60)
    assert not selectors.sees_project_rows(world.users["member"])
    assert not selectors.visible_actuals(world.users["member"]).exists()


def test_a_stranger_counts_nothing(world: World) -> None:
    indicator = builders.world_framework(world)
    outsider = factories.UserFactory.create(username="outsider", is_active=False)
    assert _counted(world, "partner", indicator) == Decimal(10)
    assert not selectors.visible_indicators(outsider).exists()
    assert not selectors.counted_actuals(outsider).exists()


def test_officers_see_no_row_of_a_confidential_project(world: World) -> None:
    indicator = builders.world_framework(world)
    own = builders.indicator(
        world.program, project=world.hidden_project, title="Hidden's own indicator"
    )
    officer = world.users["officer"]
    assert set(selectors.visible_indicators(officer)) == {indicator}
    assert set(selectors.visible_indicators(world.users["staff"])) == {indicator, own}
    rows = selectors.visible_actuals(officer)
    assert not rows.filter(project=world.hidden_project).exists()
    assert rows.count() == 2
    assert selectors.visible_actuals(world.users["staff"]).count() == 3


def test_partner_users_see_the_indicators_of_their_own_projects(world: World) -> None:
    shared = builders.world_framework(world)
    alpha_only = builders.indicator(world.program, projects=[world.alpha_project], title="Alpha's")
    beta_own = builders.indicator(world.program, project=world.beta_project, title="Beta's own")
    assert set(selectors.visible_indicators(world.users["partner"])) == {shared, alpha_only}
    assert set(selectors.visible_indicators(world.users["partner2"])) == {shared, beta_own}
    assert set(selectors.visible_indicators(world.users["member"])) == {shared, alpha_only}
    assert set(
        selectors.visible_actuals(world.users["partner"]).values_list("project", flat=True)
    ) == {world.alpha_project.pk}


def test_members_see_no_project_own_indicator_nor_other_programmes(world: World) -> None:
    builders.indicator(world.program, project=world.alpha_project, title="Alpha's own")
    elsewhere = factories.ProgramFactory.create()
    builders.indicator(elsewhere, title="Elsewhere")
    assert not selectors.visible_indicators(world.users["member"]).exists()


def test_the_mismatch_query_finds_parts_that_miss_their_total(world: World) -> None:
    d = builders.dimensions()
    indicator = builders.world_framework(world)
    indicator.dimensions.set([d.sex])
    first = builders.period(indicator)
    builders.actual(first, world.alpha_project, 4, values=(d.women,))
    builders.actual(first, world.alpha_project, 6, values=(d.men,))  # 10: agrees
    builders.actual(first, world.beta_project, 4, values=(d.women,))  # 4 of 20: disagrees
    found = selectors.total_mismatches(world.users["staff"], Period.objects.all())
    assert [(m.period_id, m.project_id) for m in found] == [(first.pk, world.beta_project.pk)]
    assert found[0].total.value == Decimal(20)
    assert found[0].parts.value == Decimal(4)


FRAMEWORKS = st.lists(
    st.tuples(
        st.integers(0, 1),  # period
        st.integers(0, 2),  # project
        st.integers(0, 4),  # combination: 0 the total, else one of the four cells
        st.integers(0, 500),  # value, or numerator
        st.integers(1, 500),  # denominator (numerator capped to it)
        st.sampled_from(["approved", "approved", "submitted", "returned", "draft"]),
    ),
    max_size=25,
    unique_by=lambda row: row[:3],
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=FRAMEWORKS, measure=st.sampled_from([Measure.COUNT, Measure.PERCENTAGE, Measure.CURRENCY])
)
def test_the_grouped_queries_equal_a_direct_computation(
    world: World, rows: list[tuple[int, int, int, int, int, str]], measure: str
) -> None:
    Indicator.objects.all().delete()
    d = builders.dimensions()
    cells = [
        TOTAL,
        *(
            combination_key(pair)
            for pair in (
                (d.women.pk, d.youth.pk),
                (d.women.pk, d.adults.pk),
                (d.men.pk, d.youth.pk),
                (d.men.pk, d.adults.pk),
            )
        ),
    ]
    projects = [world.alpha_project, world.beta_project, world.hidden_project]
    indicator = builders.indicator(world.program, measure=measure, projects=projects)
    indicator.dimensions.set([d.sex, d.age])
    periods = list(indicator.periods.order_by("start"))
    expected_cells = []
    for period_index, project_index, cell, number, denominator, status in rows:
        percentage = measure == Measure.PERCENTAGE
        numerator = min(number, denominator)
        Actual.objects.create(
            period=periods[period_index],
            project=projects[project_index],
            combination=cells[cell],
            value=None if percentage else Decimal(number),
            numerator=Decimal(numerator) if percentage else None,
            denominator=Decimal(denominator) if percentage else None,
            status=status,
        )
        amount = (
            Amount(numerator=Decimal(numerator), denominator=Decimal(denominator))
            if percentage
            else Amount(value=Decimal(number))
        )
        expected_cells.append(
            (
                status,
                Cell(periods[period_index].pk, projects[project_index].pk, cells[cell], amount),
            )
        )
    queried = Period.objects.filter(indicator=indicator)
    kept.rebuild()  # the rows above were written past the services and the outbox
    for role in ("staff", "officer", "partner"):
        viewer = world.users[role]
        mine = {p.pk for p in projects if role != "partner" or p.pk == world.alpha_project.pk}
        # An officer's totals count the confidential project's figures, its breakdowns not.
        counted = [
            cell
            for status, cell in expected_cells
            if status == "approved"
            and cell.project_id in mine
            and (
                role != "officer"
                or cell.combination == TOTAL
                or cell.project_id != world.hidden_project.pk
            )
        ]
        assert selectors.actual_sums(viewer, queried) == roll_up(measure, counted)
    every = [cell for _status, cell in expected_cells]
    checks.rebuild()  # the rows above were written past the services
    found = selectors.total_mismatches(world.users["staff"], queried)
    assert sorted((m.period_id, m.project_id) for m in found) == [
        (m.period_id, m.project_id) for m in disagreements(measure, every)
    ]


@pytest.mark.parametrize("role", ["staff", "officer", "partner", "member"])
def test_programme_part_sums_equal_the_cells_added_up(world: World, role: str) -> None:
    d = builders.dimensions()
    indicator = builders.world_framework(world)
    indicator.dimensions.set([d.sex])
    first = builders.period(indicator)
    for project in (world.alpha_project, world.hidden_project):
        builders.actual(first, project, 3, values=(d.women,))
    sums = selectors.actual_sums(world.users[role], Period.objects.filter(indicator=indicator))
    women = sums.get((first.pk, str(d.women.pk)))
    # Officers' and members' parts leave the confidential project out (its figures count in
    # their totals only); members' pages show no parts at all (test_views).
    expected = {"staff": 6, "officer": 3, "partner": 3, "member": 3}[role]
    assert women == Amount(value=Decimal(expected))


def test_a_project_lists_each_of_its_indicators_once(world: World) -> None:
    shared = builders.world_framework(world)
    own = builders.indicator(
        world.program, project=world.alpha_project, projects=[world.alpha_project], title="Own"
    )
    listed = list(selectors.project_indicators(world.users["staff"], world.alpha_project))
    assert sorted(i.pk for i in listed) == sorted([shared.pk, own.pk])


def test_the_admins_outcome_page_lists_no_confidential_projects_indicator_to_an_officer(
    world: World, client_as: Callable[[str], Client]
) -> None:
    """The indicators inline reads through the same selector as the indicator list."""
    own = builders.indicator(world.program, project=world.hidden_project, title="Izmir trained")
    url = reverse("admin:results_outcome_change", args=[own.outcome_id])
    assert "Izmir trained" not in client_as("officer").get(url).content.decode()
    assert "Izmir trained" in client_as("admin").get(url).content.decode()

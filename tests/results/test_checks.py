"""The kept checks (``results.checks``): after any sequence of writes through the services, the
kept pairs whose parts do not add up are exactly those a grouped query over every actual finds,
and the programme's page reads them."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import World
from results import checks, services
from results.models import TOTAL, Actual, PartsMismatch
from tests.results import builders

# A write: project 0 or 1, year 0 or 1, which row (the total or one of the two parts), and a
# count, or None to delete the row.
WRITE = st.tuples(
    st.integers(0, 1), st.integers(0, 1), st.integers(0, 2), st.none() | st.integers(0, 9)
)


def _kept() -> set[tuple[int, int, Decimal, Decimal]]:
    return {
        (row.period_id, row.project_id, row.total_value, row.parts_value)
        for row in PartsMismatch.objects.all()
    }


def _direct() -> set[tuple[int, int, Decimal, Decimal]]:
    return {
        (row["period_id"], row["project_id"], row["total_value"], row["parts_value"])
        for row in checks.disagreeing(Actual.objects.all())
    }


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(writes=st.lists(WRITE, min_size=1, max_size=12))
def test_the_kept_checks_equal_a_grouped_query_after_any_writes(
    world: World, writes: list[tuple[int, int, int, int | None]]
) -> None:
    Actual.objects.all().delete()
    PartsMismatch.objects.all().delete()
    d = builders.dimensions()
    staff = world.users["staff"]
    indicator = builders.indicator(
        world.program, projects=[world.alpha_project, world.beta_project]
    )
    indicator.dimensions.set([d.sex])
    projects = [world.alpha_project, world.beta_project]
    combinations = [TOTAL, str(d.women.pk), str(d.men.pk)]
    for project, year, row, value in writes:
        period = builders.period(indicator, 2025 + year)
        found = Actual.objects.filter(
            period=period, project=projects[project], combination=combinations[row]
        ).first()
        if value is None:
            if found is not None:
                services.actual_delete(actor=staff, actual=found)
            continue
        actual = found or Actual(
            period=period, project=projects[project], combination=combinations[row]
        )
        actual.value = Decimal(value)
        services.actual_save(actor=staff, actual=actual)
    assert _kept() == _direct()


def test_moving_an_actual_refreshes_both_its_old_and_its_new_pair(world: World) -> None:
    d = builders.dimensions()
    indicator = builders.world_framework(world)  # totals of 10, 20, 30 in 2025
    indicator.dimensions.set([d.sex])
    part = services.actual_save(
        actor=world.users["staff"],
        actual=Actual(
            period=builders.period(indicator, 2026),
            project=world.alpha_project,
            combination=str(d.women.pk),
            value=Decimal(4),
        ),
    )
    assert _kept() == _direct() and len(_kept()) == 1  # a part without its total
    part.period = builders.period(indicator, 2025)
    services.actual_save(actor=world.users["staff"], actual=part, changed_fields=["period"])
    assert _kept() == _direct() and {row[1] for row in _kept()} == {world.alpha_project.pk}


def test_a_rebuild_finds_what_bulk_writes_left_out(world: World) -> None:
    d = builders.dimensions()
    indicator = builders.world_framework(world)
    indicator.dimensions.set([d.sex])
    Actual.objects.bulk_create(
        [
            Actual(
                period=builders.period(indicator),
                project=world.beta_project,
                combination=str(d.women.pk),
                value=Decimal(3),
                status="approved",
            )
        ]
    )
    assert _kept() == set()
    assert checks.rebuild() == 1
    assert _kept() == _direct()


def test_the_programme_page_lists_the_kept_pairs_for_staff_only(
    world: World, client_as: Callable[[str], Client]
) -> None:
    d = builders.dimensions()
    indicator = builders.world_framework(world)
    indicator.dimensions.set([d.sex])
    services.actual_save(
        actor=world.users["staff"],
        actual=Actual(
            period=builders.period(indicator),
            project=world.hidden_project,
            combination=str(d.women.pk),
            value=Decimal(3),
        ),
    )
    url = reverse("program-results", args=[world.program.pk])
    assert "do not add up" in client_as("staff").get(url).content.decode()
    officer = client_as("officer").get(url).content.decode()
    # The confidential partner's project is not the officer's row to see.
    assert "do not add up" not in officer
    assert "do not add up" not in client_as("partner").get(url).content.decode()

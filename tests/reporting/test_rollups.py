"""The staff's report from the roll-ups: the same figures as from the cells, in tables whose
size does not follow the number of stories."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import World
from programs.models import FocusArea
from progress.models import ChangeStory, ChangeType, TargetGroup
from reporting import aggregates
from reporting.models import GroupRollup, PartnerRollup, StoryAggregate, StoryRollup, TypeRollup
from reporting.reports import build_report
from tests import factories

ROLLUPS = (StoryRollup, TypeRollup, GroupRollup, PartnerRollup)


def _stories(world: World, count: int, *, seed: int = 0) -> None:
    """Verified stories over two programmes, three partners (one confidential), a year and a
    half of months, every type, group, teller and significance."""
    other = factories.ProgramFactory.create(title=f"Youth programme {seed}", focus_area="youth")
    programmes = [world.program, other]
    types = list(ChangeType.objects.order_by("pk"))
    groups = list(TargetGroup.objects.order_by("pk"))
    roles = [ChangeStory.SubmitterRole.PARTNER, ChangeStory.SubmitterRole.STAFF]
    partners = [world.alpha, world.beta, world.hidden]
    for n in range(count):
        story = factories.StoryFactory.create(
            partner=partners[n % 3],
            program=programmes[n % 2],
            event_date=dt.date(2025 + n % 18 // 12, 1 + n % 18 % 12, 1 + n % 27),
            significance=1 + n % 5,
            submitter_role=roles[n % 2],
            status=ChangeStory.Status.SELECTED if n % 7 == 0 else ChangeStory.Status.VERIFIED,
        )
        story.change_types.set(types[n % len(types) : n % len(types) + 1 + n % 2])
        story.target_groups.set(groups[n % len(groups) : n % len(groups) + n % 2])


def _shape(report: Any) -> tuple[Any, ...]:
    """What a reader sees, rows in a fixed order (ties may come in either order)."""
    sections = [
        (
            section.key,
            section.columns,
            sorted(
                (
                    row.label,
                    [figure.value for figure in row.figures],
                    row.total.value if row.total else None,
                )
                for row in section.rows
            ),
        )
        for section in report.sections
    ]
    return [(label, figure.value) for label, figure in report.headline], sections


FILTERS: list[dict[str, Any]] = [
    {},
    {"program": "world"},
    {"program": "other"},
    {"focus_area": FocusArea.DEMOCRACY.value},
    {"month_from": dt.date(2025, 4, 1), "month_to": dt.date(2025, 9, 1)},
    {"program": "world", "month_from": dt.date(2026, 2, 1)},
]


@pytest.mark.parametrize("login", ["admin", "staff", "officer"])
def test_the_rollups_give_the_figures_the_cells_give(world: World, login: str) -> None:
    _stories(world, 90)
    aggregates.rebuild_all()
    other = world.program.__class__.objects.exclude(pk=world.program.pk).get()
    user = world.users[login]
    for filters in FILTERS:
        programme = {"world": world.program, "other": other}.get(filters.get("program", ""))
        if programme is not None:
            filters = {**filters, "program": programme}
        rolled = build_report(user, filters)
        assert _shape(rolled) == _shape(build_report(user, filters, rollups=False)), filters
        assert rolled.headline[0][1].value > 0, filters


def test_the_report_reads_rollups_whose_size_does_not_follow_the_stories(
    world: World, client_as: Callable[[str], Client]
) -> None:
    """Each roll-up has at most one row per combination of its keys (months, programmes and
    its section's own), however many stories there are: at thirty times the stories no page
    reads more rows, and no query of the page reads a cell."""
    months, programmes = 18, 2
    bounds: dict[type[Any], int] = {
        StoryRollup: months * programmes * 3 * 2,  # three partners' places, two tellers
        TypeRollup: months * programmes * ChangeType.objects.count() * 5,
        GroupRollup: months * programmes * TargetGroup.objects.count(),
        PartnerRollup: months * programmes * 3,
    }
    _stories(world, 30)
    aggregates.rebuild_all()
    small = StoryAggregate.objects.count()
    _stories(world, 870, seed=1)
    ChangeStory.objects.filter(program__title="Youth programme 1").update(
        program=world.program.__class__.objects.get(title="Youth programme 0")
    )
    aggregates.rebuild_all()
    assert StoryAggregate.objects.count() > 2 * small
    sizes: dict[type[Any], int] = {model: model.objects.count() for model in ROLLUPS}
    assert all(sizes[model] <= bound for model, bound in bounds.items()), (sizes, bounds)
    client = client_as("officer")
    for query in ("", f"?program={world.program.pk}", "?month_from=2025-03&month_to=2025-08"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("report") + query).status_code == 200
        sql = " ".join(q["sql"] for q in queries)
        assert StoryAggregate._meta.db_table not in sql, query
    print(
        f"roll-ups at 900 stories: {sum(sizes.values())} rows in all, at most "
        f"{sum(bounds.values())} for any number of stories; cells {StoryAggregate.objects.count()}"
    )

"""The pages of `make bench` read no more rows at thirty times the stories.

Each page is requested as an officer with 60 stories and again with 1,800. Every SELECT the page
ran is explained by PostgreSQL (``EXPLAIN (ANALYZE, FORMAT JSON)``, run again afterwards on the
same data) and the rows its scans read are added up: the rows a scan returned and those its
filter threw away, for every loop. A page whose reads followed the stories (a count, a sum over
the cells, an offset) would read thirty times as many rows.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import World
from portal.pagination import row_key
from progress.models import ChangeStory
from progress.selectors import visible_stories
from reporting import aggregates
from tests.reporting.test_rollups import _stories

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="reads PostgreSQL's plans (EXPLAIN ANALYZE)"
)

SCANS = {
    "Seq Scan",
    "Index Scan",
    "Index Only Scan",
    "Bitmap Heap Scan",
    "Tid Scan",
    "Tid Range Scan",
}


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", ()):
        yield from _nodes(child)


def _rows_read(sql: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
        (plan,) = cursor.fetchone()
    if isinstance(plan, str):
        plan = json.loads(plan)
    return sum(
        (
            node.get("Actual Rows", 0)
            + node.get("Rows Removed by Filter", 0)
            + node.get("Rows Removed by Index Recheck", 0)
        )
        * node.get("Actual Loops", 1)
        for node in _nodes(plan[0]["Plan"])
        if node["Node Type"] in SCANS
    )


def _pages(world: World) -> dict[str, str]:
    officer = world.users["officer"]
    story = visible_stories(officer).filter(partner=world.alpha).order_by("-pk").first()
    assert story is not None
    edge = visible_stories(officer).order_by("-created_at", "-id")[24]
    deep = urllib.parse.urlencode({"page": 2, "after": row_key(edge)})
    return {
        "dashboard": reverse("dashboard"),
        "story list": reverse("story-list"),
        "story list, page 2": f"{reverse('story-list')}?{deep}",
        "story detail": reverse("story-detail", args=[story.pk]),
        "report": reverse("report"),
        "report, one programme": f"{reverse('report')}?program={world.program.pk}",
    }


def _reads(client: Client, pages: dict[str, str]) -> dict[str, int]:
    # Statistics, as a database in use has them (autovacuum); without them the planner guesses
    # and may read a whole small table where an index serves.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    reads = {}
    for label, path in pages.items():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200, label
        selects = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]
        reads[label] = sum(_rows_read(sql) for sql in selects)
    return reads


def test_no_page_reads_more_rows_at_thirty_times_the_stories(
    world: World, client_as: Callable[[str], Client]
) -> None:
    client = client_as("officer")
    _stories(world, 60)
    aggregates.rebuild_all()
    small = _reads(client, _pages(world))
    _stories(world, 1740, seed=1)
    aggregates.rebuild_all()
    assert ChangeStory.objects.count() > 1800
    large = _reads(client, _pages(world))
    for label in small:
        # Rows that follow the stories would be thirty times as many. The report's roll-ups
        # grow towards their bound (tests/reporting/test_rollups.py) as more combinations of
        # month, programme and section keys occur, and a small table may be read whole at one
        # size and through an index at the other: less than twice as many, plus a hundred.
        assert large[label] < 2 * small[label] + 100, (label, small[label], large[label])
    print(f"rows read per page at 60 and 1,800 stories: {small} / {large}")

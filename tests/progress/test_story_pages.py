"""The story list's pages: linked by the key of the row at their edge, counted from the kept
figures where those answer the filters."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import World
from progress.models import ChangeStory
from progress.views import STORY_PAGE_SIZE
from reporting import aggregates
from tests import factories

NEXT = re.compile(r'rel="next" href="([^"]+)"')
PREVIOUS = re.compile(r'rel="prev" href="([^"]+)"')
COUNT = re.compile(r'data-testid="result-count">\s*([0-9,\xa0 ]+) stor')


def _pages(client: Client, url: str, pattern: re.Pattern[str]) -> list[list[int]]:
    """Every page from ``url`` on, following the link ``pattern`` finds, as lists of ids."""
    pages = []
    while True:
        response = client.get(url)
        assert response.status_code == 200
        pages.append([story.pk for story in response.context["page"]])
        found = pattern.search(response.content.decode())
        if found is None:
            return pages
        url = reverse("story-list") + found.group(1).replace("&amp;", "&")


@pytest.fixture
def many(world: World) -> list[int]:
    """Enough stories for three pages, some created in the same instant (ties on the key)."""
    first = factories.StoryFactory.create(partner=world.beta)
    for _ in range(2 * STORY_PAGE_SIZE + 5):
        story = factories.StoryFactory.create(partner=world.beta)
        if story.pk % 3 == 0:
            ChangeStory.objects.filter(pk=story.pk).update(created_at=first.created_at)
    aggregates.rebuild_all()
    return list(
        ChangeStory.objects.filter(partner__is_confidential=False)
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)
    )


def test_next_links_walk_every_story_once_in_order_and_back(
    many: list[int], client_as: Callable[[str], Client]
) -> None:
    client = client_as("officer")
    forward = _pages(client, reverse("story-list"), NEXT)
    assert [pk for page in forward for pk in page] == many
    assert [len(page) for page in forward[:-1]] == [STORY_PAGE_SIZE] * (len(forward) - 1)
    # From the last page back by the previous links: the same pages.
    last = client.get(reverse("story-list"), {"page": len(forward)})
    url = reverse("story-list") + PREVIOUS.findall(last.content.decode())[0].replace("&amp;", "&")
    backward = _pages(client, url, PREVIOUS)
    assert backward == forward[-2::-1]


def _story_queries(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries if '"progress_changestory"' in query["sql"]]


def test_deep_pages_are_fetched_by_key_not_by_offset(
    many: list[int], client_as: Callable[[str], Client]
) -> None:
    client = client_as("officer")
    first = client.get(reverse("story-list"))
    link = NEXT.search(first.content.decode())
    assert link is not None and "after=" in link.group(1)
    sql = _story_queries(client, reverse("story-list") + link.group(1).replace("&amp;", "&"))
    assert sql and not any("OFFSET" in query for query in sql)


def test_the_list_counts_from_the_kept_figures_where_they_answer_the_filters(
    many: list[int], client_as: Callable[[str], Client]
) -> None:
    client = client_as("officer")
    for query in ("", "?status=verified", "?counted=1"):
        sql = _story_queries(client, reverse("story-list") + query)
        assert not any("COUNT(" in statement for statement in sql), query
    # A filter they do not hold: the list counts its rows, up to the cap.
    sql = _story_queries(client, reverse("story-list") + "?country=CO")
    assert any("COUNT(" in statement for statement in sql)


@pytest.mark.parametrize("key", ["nonsense", "2026-13-01T00:00:00+00:00~5", "~", "x~y"])
def test_a_key_that_does_not_parse_gives_the_numbered_page(
    many: list[int], client_as: Callable[[str], Client], key: str
) -> None:
    response = client_as("officer").get(reverse("story-list"), {"page": "2", "after": key})
    assert response.status_code == 200
    assert [story.pk for story in response.context["page"]] == many[
        STORY_PAGE_SIZE : 2 * STORY_PAGE_SIZE
    ]


@pytest.mark.parametrize("login", ["staff", "officer", "partner", "member"])
def test_the_kept_count_equals_the_rows_of_the_list(
    many: list[int], world: World, client_as: Callable[[str], Client], login: str
) -> None:
    client = client_as(login)
    choices: list[dict[str, str]] = [{}, {"status": "verified"}, {"status": "draft"}]
    choices += [{"counted": "1"}]
    if login != "partner":  # a partner user's list has no partner filter
        choices.append({"partner": str(world.beta.pk)})
    for filters in choices:
        response = client.get(reverse("story-list"), filters)
        assert response.status_code == 200
        paginator = response.context["page"].paginator
        rows = response.context["filter"].qs.count()
        shown = COUNT.search(response.content.decode())
        assert shown is not None
        assert int(re.sub(r"\D", "", shown.group(1))) == rows == paginator.count, filters

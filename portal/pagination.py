from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZE = 25
# Counting every row of a table of a million stories costs more than showing a page of them.
# Lists count up to this many and then say "more than"; the filters narrow what is beyond.
COUNT_CAP = 10_000
# A full-text match is computed row by row when the planner walks the list's order, so
# searches count a smaller window.
SEARCH_COUNT_CAP = 1_000


class CappedPaginator(Paginator):
    """A paginator whose count stops at ``COUNT_CAP``: its cost no longer grows with the table."""

    def __init__(self, *args: Any, cap: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cap = COUNT_CAP if cap is None else cap

    @cached_property
    def count(self) -> int:
        # A sliced queryset counts at most cap + 1 rows: COUNT over a LIMIT subquery.
        window: Any = self.object_list[: self.cap + 1]
        return min(window.count(), self.cap + 1)

    @property
    def capped(self) -> bool:
        return self.count > self.cap


def paginate(
    request: HttpRequest, queryset: Any, *, per_page: int = PAGE_SIZE, cap: int | None = None
) -> Page[Any]:
    """The requested page; a malformed or out-of-range number gives the nearest real page."""
    return CappedPaginator(queryset, per_page, cap=cap).get_page(request.GET.get("page"))

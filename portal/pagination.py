from __future__ import annotations

from datetime import datetime
from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.http import HttpRequest, QueryDict

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


# --- Keyset pages --------------------------------------------------------------------------------
# A deep page by offset makes the database walk every row before it. A list ordered newest first
# by (created_at, id) links its next and previous pages by the key of the row at the edge
# instead: each page is then one index range scan, however deep. The page number travels with
# the key only as the label ("Page 41 of 400"); a key that does not parse is ignored and the
# number is used as an offset, as before.


def row_key(row: Any) -> str:
    return f"{row.created_at.isoformat()}~{row.pk}"


def parse_key(value: str | None) -> tuple[datetime, int] | None:
    if not value or "~" not in value:
        return None
    moment, _, pk = value.rpartition("~")
    try:
        parsed = datetime.fromisoformat(moment)
        number = int(pk)
    except ValueError:
        return None
    if parsed.tzinfo is None or number < 0:
        return None
    return parsed, number


class KeysetPage(Page):  # type: ignore[type-arg]
    """A page of a newest-first list, with links that carry the key of the row at its edge."""

    def __init__(
        self,
        object_list: list[Any],
        number: int,
        paginator: Paginator,
        *,
        more: bool,
        query: QueryDict,
    ) -> None:
        super().__init__(object_list, number, paginator)
        self.more = more
        self.query = query

    def has_next(self) -> bool:
        return self.more and bool(self.object_list)

    def has_previous(self) -> bool:
        return self.number > 1

    def _link(self, **changes: object) -> str:
        query = self.query.copy()
        for key, value in changes.items():
            query.pop(key, None)
            if value is not None:
                query[key] = str(value)
        return f"?{query.urlencode()}"

    @property
    def next_link(self) -> str:
        return self._link(page=self.number + 1, after=row_key(self.object_list[-1]), before=None)

    @property
    def previous_link(self) -> str:
        if self.number <= 2 or not self.object_list:
            return self._link(page=None, after=None, before=None)
        return self._link(page=self.number - 1, before=row_key(self.object_list[0]), after=None)


def _beyond(queryset: Any, operator: str, moment: datetime, pk: int) -> RawSQL:
    """``(created_at, id) < (moment, pk)``: a row comparison, which the database answers as one
    range of the index on the list's order. Spelt out as two conditions (earlier, or as early
    with a smaller id), PostgreSQL walks every row created at the same moment (thousands in a
    bulk-loaded table) before the page starts."""
    quote = connection.ops.quote_name
    table = quote(queryset.model._meta.db_table)
    columns = f"{table}.{quote('created_at')}, {table}.{quote('id')}"
    # Only names from the model and one of two operators are spliced in; values are parameters.
    # The value as the database stores it (SQLite keeps text, and compares it as text).
    value = queryset.model._meta.get_field("created_at").get_db_prep_value(moment, connection)
    return RawSQL(f"({columns}) {operator} (%s, %s)", [value, pk], output_field=BooleanField())  # noqa: S611


def keyset_paginate(
    request: HttpRequest,
    queryset: Any,
    *,
    per_page: int = PAGE_SIZE,
    cap: int | None = None,
    count: int | None = None,
) -> KeysetPage:
    """The requested page of ``queryset`` (ordered by ``-created_at, -id``), by key where the
    request carries one. ``count``, where the caller knows it (from kept figures), replaces the
    capped count."""
    paginator = CappedPaginator(queryset, per_page, cap=cap)
    if count is not None:
        paginator.count = count  # type: ignore[misc]
        paginator.cap = max(paginator.cap, count)  # exact: never "more than"
    try:
        number = max(1, int(request.GET.get("page", 1)))
    except (TypeError, ValueError):
        number = 1
    after, before = parse_key(request.GET.get("after")), parse_key(request.GET.get("before"))
    if after is not None:
        moment, pk = after
        rows = list(queryset.filter(_beyond(queryset, "<", moment, pk))[: per_page + 1])
        more = len(rows) > per_page
        return KeysetPage(rows[:per_page], number, paginator, more=more, query=request.GET)
    if before is not None and number > 1:
        moment, pk = before
        rows = list(queryset.filter(_beyond(queryset, ">", moment, pk)).reverse()[:per_page])[::-1]
        return KeysetPage(rows, number, paginator, more=True, query=request.GET)
    page = paginator.get_page(number)
    rows = list(page.object_list)
    return KeysetPage(rows, page.number, paginator, more=page.has_next(), query=request.GET)

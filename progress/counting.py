"""How many stories a filtered list holds, from counts kept above this app.

Counting the rows behind a list of a million stories costs more than showing a page of them.
``reporting`` keeps every partner's story counts by project, status and consent to quote, and
registers here a counter that answers from them for the filters they hold; this app asks
without importing the app above it. A filter they cannot answer gets ``None``: the list then
counts its rows, up to a cap (``portal.pagination``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

# (viewer, the list's filters that hold a value) → the number of stories, or None
Counter = Callable[[Any, Mapping[str, Any]], int | None]

_counters: list[Counter] = []


def register(counter: Counter) -> None:
    if counter not in _counters:
        _counters.append(counter)


def kept_count(user: Any, filters: Mapping[str, Any]) -> int | None:
    for counter in _counters:
        found = counter(user, filters)
        if found is not None:
            return found
    return None


def active_filters(cleaned: Mapping[str, Any]) -> dict[str, Any]:
    """The filters of a valid filter form that narrow the list."""
    active = {}
    for name, value in cleaned.items():
        if isinstance(value, slice):
            value = value.start or value.stop
        if value not in (None, "", False) and value != []:
            active[name] = value
    return active

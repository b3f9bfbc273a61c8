"""Pages owned by a lower app that higher apps add to.

A partner's page belongs to ``partners``, but its projects are ``programs``', its stories and
their figures ``reporting``'s; a lower app may not import a higher one (docs/architecture.md).
So the page names its slots, and each higher app registers, in its ``ready()``, a section: a
provider that reads what it needs through its own selectors, and the template to render per
slot. A provider that has nothing to show returns None.

Pages and their slots: ``partner-detail`` (``lead`` above everything, ``main`` the left column),
``program-detail`` (``facts``), ``project-detail`` (``facts``), ``network-detail`` (``columns``),
``staff-dashboard`` (``work``: what waits for the person, above the figures; the object is the
user), ``dialogue-brief`` (``main``: what staff read before the next dialogue with the partner,
below the dialogues' own parts; owned by ``dialogues``, the object is the partner),
``dialogue-detail`` (``side``: beside the participants and stories; the object is the dialogue).

Each provider runs once per page, so a page's queries are the sum of its sections' and stay
pinned by the query-count tests.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

Provider = Callable[[HttpRequest, Any], dict[str, Any] | None]


@dataclass(frozen=True)
class Section:
    provider: Provider
    # slot name → template rendered there with the provider's context as ``section``
    templates: dict[str, str] = field(default_factory=dict)
    order: int = 100


_SECTIONS: dict[str, list[Section]] = defaultdict(list)


def register_section(page: str, section: Section) -> None:
    _SECTIONS[page].append(section)
    _SECTIONS[page].sort(key=lambda registered: registered.order)


def sections_for(page: str, request: HttpRequest, obj: Any) -> dict[str, list[tuple[str, Any]]]:
    """What each slot of ``page`` shows for ``obj``: (template, context) pairs, in order."""
    slots: dict[str, list[tuple[str, Any]]] = defaultdict(list)
    for section in _SECTIONS[page]:
        context = section.provider(request, obj)
        if context is None:
            continue
        for slot, template in section.templates.items():
            slots[slot].append((template, context))
    return dict(slots)

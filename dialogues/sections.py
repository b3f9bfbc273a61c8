"""What dialogues adds to the pages of lower apps (``portal.sections``): the partner's page
shows its latest dialogues and open actions (and, to the partner's users, the actions they owe
first of all); the staff dashboard the actions a member of staff owes soon."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from dialogues import selectors
from partners.models import Partner
from portal.sections import Section, register_section

LATEST_DIALOGUES = 3
MAX_LISTED_ACTIONS = 10


def _with_flags(actions: Any) -> list[tuple[Any, selectors.Flags]]:
    today = timezone.localdate()
    return [(action, selectors.flags(action, today)) for action in actions]


def partner_dialogues(request: HttpRequest, partner: Partner) -> dict[str, Any] | None:
    """The latest dialogues and the open actions, overdue first: staff who may hold the
    partner's dialogues, and the partner's own users."""
    user = request.user
    manages = selectors.may_manage(user, partner)
    if not (manages or selectors.is_own_partner(user, partner.pk)):
        return None
    dialogues = (
        selectors.visible_dialogues(user)
        .filter(partner=partner)
        .order_by("-held_on", "-pk")[:LATEST_DIALOGUES]
    )
    # Ordered by due date, the overdue ones come first.
    actions = selectors.open_actions(user).filter(partner=partner)[:MAX_LISTED_ACTIONS]
    return {
        "partner": partner,
        "manages": manages,
        "dialogues": dialogues,
        "actions": _with_flags(actions),
        "max_actions": MAX_LISTED_ACTIONS,
    }


def partner_actions_due(request: HttpRequest, partner: Partner) -> dict[str, Any] | None:
    """To the partner's own users, above everything: what their organisation owes, due soon or
    overdue."""
    user = request.user
    if not selectors.is_own_partner(user, partner.pk):
        return None
    actions = list(
        selectors.due_or_overdue(selectors.open_actions_for_owner(user))[:MAX_LISTED_ACTIONS]
    )
    if not actions:
        return None
    return {"actions": _with_flags(actions)}


def staff_actions_due(request: HttpRequest, user: Any) -> dict[str, Any] | None:
    """On the staff dashboard: the actions this person owns, overdue or due within two weeks."""
    actions = list(
        selectors.due_or_overdue(selectors.open_actions_for_owner(user))[:MAX_LISTED_ACTIONS]
    )
    return {"actions": _with_flags(actions), "max_actions": MAX_LISTED_ACTIONS}


def register() -> None:
    register_section(
        "partner-detail",
        Section(partner_actions_due, {"lead": "dialogues/_partner_actions_due.html"}, order=30),
    )
    register_section(
        "partner-detail",
        Section(partner_dialogues, {"main": "dialogues/_partner_dialogues.html"}, order=15),
    )
    register_section(
        "staff-dashboard",
        Section(staff_actions_due, {"work": "dialogues/_staff_actions_due.html"}, order=20),
    )

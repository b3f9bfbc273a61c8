"""Who may read which dialogues, comments and agreed actions (the rules: ``portal.access``).

Cleared staff read every partner's; officers every non-confidential partner's and nothing at all
of a confidential partner's (not even under its pseudonym: what was said in a meeting is text,
and text of a confidential partner is for cleared eyes only). A partner's users read their own
organisation's. Network members and anyone else read none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from dialogues.models import AgreedAction, Dialogue, DialogueComment
from partners.models import Partner
from portal.access import as_user, get_or_404, log_confidential_read, own_partner_id

if TYPE_CHECKING:
    from portal.access import AnyUser

# An open action due within this many days is "due soon".
DUE_SOON_DAYS = 14


def _partner_scope(user: AnyUser, field: str = "partner") -> Q | None:
    """Which rows a viewer may see, as a filter on the partner they belong to; None: none."""
    viewer = as_user(user)
    if viewer is None:
        return None
    if viewer.sees_confidential:
        return Q()
    if viewer.is_portal_staff:
        return Q(**{f"{field}__is_confidential": False})
    if viewer.is_partner_user:
        return Q(**{f"{field}_id": own_partner_id(viewer)})
    return None


def visible_dialogues(user: AnyUser) -> QuerySet[Dialogue]:
    scope = _partner_scope(user)
    dialogues = Dialogue.objects.all()
    return dialogues.none() if scope is None else dialogues.filter(scope)


def visible_actions(user: AnyUser) -> QuerySet[AgreedAction]:
    scope = _partner_scope(user)
    actions = AgreedAction.objects.all()
    return actions.none() if scope is None else actions.filter(scope)


def visible_comments(user: AnyUser) -> QuerySet[DialogueComment]:
    scope = _partner_scope(user, "dialogue__partner")
    comments = DialogueComment.objects.all()
    return comments.none() if scope is None else comments.filter(scope)


def get_dialogue_for_user(
    user: AnyUser, pk: object, *, request: HttpRequest | None = None
) -> Dialogue:
    dialogue = get_or_404(
        visible_dialogues(user).select_related(
            "partner", "project", "created_by", "notes_confirmed_by"
        ),
        pk,
    )
    if dialogue.partner.is_confidential:
        log_confidential_read(user, dialogue, request=request)
    return dialogue


def get_action_for_user(user: AnyUser, pk: object) -> AgreedAction:
    return get_or_404(visible_actions(user).select_related("partner", "dialogue"), pk)


def may_manage(user: AnyUser, partner: Partner) -> bool:
    """Staff who may see the partner hold its dialogues and agree its actions."""
    viewer = as_user(user)
    if viewer is None or not viewer.is_portal_staff:
        return False
    return viewer.sees_confidential or not partner.is_confidential


def is_own_partner(user: AnyUser, partner_id: int) -> bool:
    viewer = as_user(user)
    return viewer is not None and viewer.is_partner_user and viewer.partner_id == partner_id


def may_close(user: AnyUser, action: AgreedAction) -> bool:
    """Staff change any status of what they may see; the partner's users mark their own
    organisation's actions done (not drop them: dropping is agreed with staff)."""
    return may_manage(user, action.partner) or is_own_partner(user, action.partner_id)


@dataclass(frozen=True)
class Flags:
    overdue: bool
    due_soon: bool


def flags(action: AgreedAction, today: dt.date | None = None) -> Flags:
    today = today or timezone.localdate()
    if action.status != AgreedAction.Status.OPEN:
        return Flags(False, False)
    return Flags(
        overdue=action.due_on < today,
        due_soon=today <= action.due_on <= today + dt.timedelta(days=DUE_SOON_DAYS),
    )


def open_actions(user: AnyUser) -> QuerySet[AgreedAction]:
    """Open actions the viewer may see, overdue first (the earliest due first)."""
    return (
        visible_actions(user)
        .filter(status=AgreedAction.Status.OPEN)
        .select_related("owner_user", "partner")
        .order_by("due_on", "pk")
    )


def open_actions_for_owner(user: AnyUser) -> QuerySet[AgreedAction]:
    """Staff: the open actions they own. A partner's user: the open actions its organisation
    owns. Anyone else: none."""
    viewer = as_user(user)
    actions = open_actions(user)
    if viewer is None:
        return actions.none()
    if viewer.is_partner_user:
        return actions.filter(owner_is_partner=True)
    if viewer.is_portal_staff:
        return actions.filter(owner_user=viewer)
    return actions.none()


def due_or_overdue(actions: QuerySet[AgreedAction]) -> QuerySet[AgreedAction]:
    """Of these actions, those overdue or due within ``DUE_SOON_DAYS``."""
    horizon = timezone.localdate() + dt.timedelta(days=DUE_SOON_DAYS)
    return actions.filter(due_on__lte=horizon)


def last_dialogue(user: AnyUser, partner_id: int) -> Dialogue | None:
    return (
        visible_dialogues(user)
        .filter(partner_id=partner_id)
        .select_related("project")
        .order_by("-held_on", "-pk")
        .first()
    )

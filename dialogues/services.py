"""Writing dialogues, their comments and the actions agreed in them.

Staff who may see a partner do everything for its dialogues; the partner's own users comment,
confirm the notes and mark their organisation's actions done. Every write is atomic, checks the
actor first (a refusal is ``PermissionDenied``, which the pages answer as 404) and logs ids only:
what was said in a meeting never reaches a log line.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogues.models import AgreedAction, Dialogue, DialogueComment
from dialogues.selectors import is_own_partner, may_manage
from partners.models import Partner
from portal.access import as_user
from portal.models import User
from progress.models import ChangeStory
from progress.selectors import visible_stories

logger = logging.getLogger(__name__)

MAX_ACTIONS = 20
MAX_STORIES = 50


@dataclass(frozen=True)
class ActionDraft:
    """An action agreed in the dialogue being held: owner None means the partner owns it."""

    description: str
    due_on: dt.date
    owner_user: User | None = None


def _require_manager(actor: Any, partner: Partner) -> User:
    viewer = as_user(actor)
    if viewer is None or not may_manage(viewer, partner):
        raise PermissionDenied
    return viewer


def _require_own_partner(actor: Any, partner_id: int) -> User:
    viewer = as_user(actor)
    if viewer is None or not is_own_partner(viewer, partner_id):
        raise PermissionDenied
    return viewer


def _check_staff_owner(partner: Partner, user: User | None, field: str) -> None:
    """An owner or participant on staff's side must be staff who may see the partner: an officer
    would not see a confidential partner's action on their own dashboard."""
    if user is not None and not (user.is_portal_staff and may_manage(user, partner)):
        raise ValidationError(
            {field: _("%(name)s is not staff who may see this partner.") % {"name": user}}
        )


def _check_participants(
    dialogue: Dialogue, staff: Iterable[User], partner_people: Iterable[User]
) -> None:
    """Newly named participants only: one who took part stays, even once their account is
    closed or erased."""
    staff_before: set[int] = set()
    partner_before: set[int] = set()
    if dialogue.pk is not None:
        staff_before = set(dialogue.staff_participants.values_list("pk", flat=True))
        partner_before = set(dialogue.partner_participants.values_list("pk", flat=True))
    for person in staff:
        if person.pk not in staff_before:
            _check_staff_owner(dialogue.partner, person, "staff_participants")
    for person in partner_people:
        if person.pk in partner_before:
            continue
        if not (person.is_partner_user and person.partner_id == dialogue.partner_id):
            raise ValidationError(
                {
                    "partner_participants": _("%(name)s is not one of the partner's users.")
                    % {"name": person}
                }
            )


def _check_stories(actor: User, dialogue: Dialogue, stories: Sequence[ChangeStory]) -> None:
    if len(stories) > MAX_STORIES:
        raise ValidationError({"stories": _("At most %(count)d stories.") % {"count": MAX_STORIES}})
    ids = {story.pk for story in stories}
    allowed = set(
        visible_stories(actor)
        .filter(pk__in=ids, partner_id=dialogue.partner_id)
        .values_list("pk", flat=True)
    )
    if ids - allowed:
        raise ValidationError({"stories": _("Link only this partner's stories.")})


def _check_project(dialogue: Dialogue) -> None:
    if dialogue.project_id is not None and dialogue.project.partner_id != dialogue.partner_id:  # type: ignore[union-attr]
        raise ValidationError({"project": _("Choose one of this partner's projects.")})


@transaction.atomic
def dialogue_save(
    *,
    actor: Any,
    dialogue: Dialogue,
    staff_participants: Sequence[User] = (),
    partner_participants: Sequence[User] = (),
    stories: Sequence[ChangeStory] = (),
    actions: Sequence[ActionDraft] = (),
) -> Dialogue:
    """Hold a new dialogue (with the actions agreed in it) or save an edited one.

    Notes edited after the partner confirmed them are no longer confirmed: the partner
    confirmed other words.
    """
    staff = _require_manager(actor, dialogue.partner)
    if dialogue.pk is not None:
        before = Dialogue.objects.select_for_update().filter(pk=dialogue.pk).first()
        if before is None or before.partner_id != dialogue.partner_id:
            raise PermissionDenied
        if before.notes != dialogue.notes:
            dialogue.notes_confirmed_by = None
            dialogue.notes_confirmed_at = None
    else:
        dialogue.created_by = staff
    if len(actions) > MAX_ACTIONS:
        raise ValidationError(_("At most %(count)d actions at once.") % {"count": MAX_ACTIONS})
    _check_project(dialogue)
    _check_participants(dialogue, staff_participants, partner_participants)
    _check_stories(staff, dialogue, stories)
    dialogue.full_clean()
    dialogue.save()
    dialogue.staff_participants.set(staff_participants)
    dialogue.partner_participants.set(partner_participants)
    dialogue.stories.set(stories)
    for draft in actions:
        agree_action(
            staff,
            partner=dialogue.partner,
            description=draft.description,
            due_on=draft.due_on,
            owner_user=draft.owner_user,
            dialogue=dialogue,
        )
    logger.info(
        "dialogue.saved dialogue_id=%s partner_id=%s actor_id=%s actions=%s",
        dialogue.pk,
        dialogue.partner_id,
        staff.pk,
        len(actions),
    )
    return dialogue


@transaction.atomic
def dialogue_admin_save(
    *, actor: Any, dialogue: Dialogue, changed_fields: Iterable[str]
) -> Dialogue:
    """A dialogue saved in the admin; its participants and stories are chosen on its page."""
    staff = _require_manager(actor, dialogue.partner)
    if dialogue.pk is None:
        dialogue.created_by = staff
    elif "notes" in changed_fields:
        dialogue.notes_confirmed_by = None
        dialogue.notes_confirmed_at = None
    _check_project(dialogue)
    dialogue.full_clean()
    dialogue.save()
    logger.info("dialogue.saved dialogue_id=%s actor_id=%s", dialogue.pk, staff.pk)
    return dialogue


@transaction.atomic
def dialogue_delete(*, actor: Any, dialogue: Dialogue) -> None:
    staff = _require_manager(actor, dialogue.partner)
    dialogue_id = dialogue.pk
    dialogue.delete()
    logger.info("dialogue.deleted dialogue_id=%s actor_id=%s", dialogue_id, staff.pk)


@transaction.atomic
def notes_confirm(*, actor: Any, dialogue: Dialogue) -> Dialogue:
    """The partner's user confirms that the notes say what was agreed."""
    user = _require_own_partner(actor, dialogue.partner_id)
    dialogue = Dialogue.objects.select_for_update().get(pk=dialogue.pk)
    if not dialogue.notes:
        raise ValidationError(_("There are no notes to confirm yet."))
    if dialogue.notes_confirmed_at is None:
        dialogue.notes_confirmed_by = user
        dialogue.notes_confirmed_at = timezone.now()
        dialogue.save(update_fields=["notes_confirmed_by", "notes_confirmed_at", "updated_at"])
        logger.info("dialogue.confirmed dialogue_id=%s actor_id=%s", dialogue.pk, user.pk)
    return dialogue


@transaction.atomic
def dialogue_comment(*, actor: Any, dialogue: Dialogue, text: str) -> DialogueComment:
    """The partner's users comment on their dialogues; staff who may see the partner reply."""
    viewer = as_user(actor)
    if viewer is None or not (
        is_own_partner(viewer, dialogue.partner_id) or may_manage(viewer, dialogue.partner)
    ):
        raise PermissionDenied
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write a comment.")})
    comment = DialogueComment(dialogue=dialogue, author=viewer, text=text)
    comment.full_clean()
    comment.save()
    logger.info(
        "dialogue.commented dialogue_id=%s comment_id=%s actor_id=%s",
        dialogue.pk,
        comment.pk,
        viewer.pk,
    )
    return comment


@transaction.atomic
def comment_admin_save(
    *, actor: Any, comment: DialogueComment, changed_fields: Iterable[str]
) -> DialogueComment:
    _require_manager(actor, comment.dialogue.partner)
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def comment_delete(*, actor: Any, comment: DialogueComment) -> None:
    staff = _require_manager(actor, comment.dialogue.partner)
    comment_id = comment.pk
    comment.delete()
    logger.info("dialogue.comment_deleted comment_id=%s actor_id=%s", comment_id, staff.pk)


@transaction.atomic
def agree_action(
    actor: Any,
    *,
    partner: Partner,
    description: str,
    due_on: dt.date,
    owner_user: User | None = None,
    dialogue: Dialogue | None = None,
) -> AgreedAction:
    """Agree an action with a partner, in a dialogue or elsewhere (the self-assessment).

    ``owner_user`` is the member of staff who owns it; without one, the partner owns it.
    """
    staff = _require_manager(actor, partner)
    if dialogue is not None and dialogue.partner_id != partner.pk:
        raise ValidationError(_("The dialogue is another partner's."))
    _check_staff_owner(partner, owner_user, "owner_user")
    description = description.strip()
    if not description:
        raise ValidationError({"description": _("Say what was agreed.")})
    action = AgreedAction(
        partner=partner,
        dialogue=dialogue,
        description=description,
        due_on=due_on,
        owner_user=owner_user,
        owner_is_partner=owner_user is None,
    )
    action.full_clean()
    action.save()
    logger.info(
        "action.agreed action_id=%s partner_id=%s actor_id=%s", action.pk, partner.pk, staff.pk
    )
    return action


@transaction.atomic
def action_set_status(
    *, actor: Any, action: AgreedAction, status: str, reason: str = ""
) -> AgreedAction:
    """Mark an action done, drop it (with a reason) or open it again.

    The partner's users may only mark their own organisation's actions done.
    """
    viewer = as_user(actor)
    action = AgreedAction.objects.select_for_update().select_related("partner").get(pk=action.pk)
    if viewer is None:
        raise PermissionDenied
    partner_marks_done = (
        is_own_partner(viewer, action.partner_id) and status == AgreedAction.Status.DONE
    )
    if not (may_manage(viewer, action.partner) or partner_marks_done):
        raise PermissionDenied
    if status not in AgreedAction.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    reason = reason.strip()
    if status == AgreedAction.Status.DROPPED and not reason:
        raise ValidationError({"reason": _("Say why the action is dropped.")})
    action.status = status
    action.drop_reason = reason if status == AgreedAction.Status.DROPPED else ""
    if status == AgreedAction.Status.OPEN:
        action.closed_at = None
        action.closed_by = None
    else:
        action.closed_at = timezone.now()
        action.closed_by = viewer
    action.full_clean()
    action.save()
    logger.info("action.status action_id=%s status=%s actor_id=%s", action.pk, status, viewer.pk)
    return action


@transaction.atomic
def action_admin_save(
    *, actor: Any, action: AgreedAction, changed_fields: Iterable[str]
) -> AgreedAction:
    staff = _require_manager(actor, action.partner)
    if action.dialogue_id is not None and action.dialogue.partner_id != action.partner_id:  # type: ignore[union-attr]
        raise ValidationError({"dialogue": _("The dialogue is another partner's.")})
    _check_staff_owner(action.partner, action.owner_user, "owner_user")
    action.owner_is_partner = action.owner_user_id is None
    if "status" in changed_fields:
        if action.status == AgreedAction.Status.OPEN:
            action.closed_at, action.closed_by = None, None
        else:
            action.closed_at, action.closed_by = timezone.now(), staff
    if action.status != AgreedAction.Status.DROPPED:
        action.drop_reason = ""
    action.full_clean()
    action.save()
    logger.info("action.saved action_id=%s actor_id=%s", action.pk, staff.pk)
    return action


@transaction.atomic
def action_delete(*, actor: Any, action: AgreedAction) -> None:
    staff = _require_manager(actor, action.partner)
    action_id = action.pk
    action.delete()
    logger.info("action.deleted action_id=%s actor_id=%s", action_id, staff.pk)

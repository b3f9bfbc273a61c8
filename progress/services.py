"""Writes to change stories. Each is atomic and records its step in the story's history."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from partners.selectors import visible_partners
from portal import outbox
from portal.models import User
from progress import notices
from progress.attachments import MAX_ATTACHMENTS_PER_STORY, ProcessedAttachment
from progress.models import (
    COUNTED_STATUSES,
    ChangeStory,
    ChangeType,
    StoryAttachment,
    StoryEvent,
    StoryNotice,
    Storyteller,
    TargetGroup,
)
from progress.selectors import can_edit_story, can_review_story, can_withdraw_consent

logger = logging.getLogger(__name__)

Status = ChangeStory.Status
Action = StoryEvent.Action

# (action, statuses it starts from, status it leads to, who may take it)
REVIEW_TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    Action.RETURNED: ((Status.SUBMITTED, Status.VERIFIED), Status.RETURNED),
    Action.VERIFIED: ((Status.SUBMITTED,), Status.VERIFIED),
    Action.SELECTED: ((Status.VERIFIED,), Status.SELECTED),
    Action.ARCHIVED: ((Status.SUBMITTED, Status.VERIFIED, Status.SELECTED), Status.ARCHIVED),
}
# Review actions that make no sense without words: a question, or the reasons for selecting.
COMMENT_REQUIRED = {Action.RETURNED, Action.SELECTED}


def _queue_aggregate_refresh(
    partner_id: int, event_date: date | None, *, cells: bool = True
) -> None:
    """Record, in the caller's transaction, that a story of this partner changed: the report
    cells of its event's month are stale, and the partner's counts by status.

    A story without an event date (a draft) is in no report cell; its row names this month,
    which recounts the partner's status counts and leaves the cells as they are. Without
    ``cells`` (a change no report cell sees) only the counts are stale.
    """
    if not cells:
        outbox.mark_stale(subject=outbox.STORY_COUNTS, keys=[partner_id])
        return
    outbox.mark_stale(
        subject=outbox.STORIES,
        keys=[partner_id],
        months=[event_date or timezone.localdate()],
    )


def _queue_moved(story: ChangeStory, before: tuple[int, date | None] | None) -> None:
    """A story's partner or event date changed: the cells it left are stale too."""
    if before is not None and before != (story.partner_id, story.event_date):
        _queue_aggregate_refresh(*before)


def _record(
    story: ChangeStory,
    *,
    actor: User | None,
    action: str,
    from_status: str = "",
    comment: str = "",
) -> StoryEvent:
    if action != Action.COMMENTED:
        # The report cells count only verified and selected stories: a step that neither
        # leaves nor reaches one of those (submitting, returning) changes the counts alone.
        counted = story.status in COUNTED_STATUSES or from_status in COUNTED_STATUSES
        _queue_aggregate_refresh(story.partner_id, story.event_date, cells=counted)
    return StoryEvent.objects.create(
        story=story,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=story.status,
        comment=comment,
    )


def _require_complete(story: ChangeStory, change_types: Iterable[ChangeType]) -> None:
    errors: dict[str, str] = {}
    if not list(change_types):
        errors["change_types"] = _("Choose at least one type of change.")
    if not story.consent_store:
        errors["consent_store"] = _("The story can only be kept with the storyteller's consent.")
    for field in ("event_date", "who_changed", "significance", "contribution"):
        if getattr(story, field) in (None, ""):
            errors[field] = _("This field is required.")
    if errors:
        raise ValidationError(errors)


def _set_storyteller(story: ChangeStory, name: str, contact: str) -> None:
    if name or contact:
        Storyteller.objects.update_or_create(
            story=story, defaults={"name": name[:200], "contact": contact[:200]}
        )
    else:
        Storyteller.objects.filter(story=story).delete()


def attachment_add(*, story: ChangeStory, item: ProcessedAttachment) -> StoryAttachment:
    """One checked file on the story, stored under a random name (``attachment_path``)."""
    attachment = StoryAttachment(
        story=story,
        kind=item.kind,
        content_type=item.content_type,
        size=len(item.content),
        original_name=item.original_name,
    )
    # The name given here is ignored: ``attachment_path`` draws a random one.
    attachment.file.save("upload", ContentFile(item.content), save=False)
    try:
        attachment.save()
    except BaseException:
        attachment.file.delete(save=False)
        raise
    return attachment


def _attach(story: ChangeStory, attachments: list[ProcessedAttachment]) -> None:
    """Store checked files on the story, each under a random name (``attachment_path``).

    Files are written inside the story's transaction rather than after it commits: a committed
    row whose file was never written (a worker killed, a full disk) would be a broken story,
    while a written file with no row is unreachable, since files are served only by row. If
    anything fails here, the files written so far are deleted before the transaction rolls
    back. What remains possible is a rollback after this returns (the commit itself failing, or
    an enclosing transaction rolling back): those files are orphans that no URL leads to, and
    a sweep that compares storage with the table can clear them.
    """
    if not attachments:
        return
    existing = story.attachments.count()
    if existing + len(attachments) > MAX_ATTACHMENTS_PER_STORY:
        raise ValidationError(
            {
                "attachments": _("A story can have at most %(limit)d photos and documents.")
                % {"limit": MAX_ATTACHMENTS_PER_STORY}
            }
        )
    written: list[StoryAttachment] = []
    try:
        for item in attachments:
            written.append(attachment_add(story=story, item=item))
    except BaseException:
        for attachment in written:
            attachment.file.delete(save=False)
        raise


@transaction.atomic
def story_save(
    *,
    actor: User | None,
    story: ChangeStory,
    change_types: Iterable[ChangeType],
    target_groups: Iterable[TargetGroup],
    storyteller_name: str = "",
    storyteller_contact: str = "",
    submit: bool,
    form_token: uuid.UUID | None = None,
    attachments: Iterable[ProcessedAttachment] = (),
) -> ChangeStory:
    """Create or update a story from a form, as a draft or submitted for review.

    ``form_token`` makes creation idempotent: a second submit of the same form returns the
    story the first one created (with the attachments that one stored). ``attachments`` are
    files already checked by ``progress.attachments.process_upload``; they are added to the
    story's own.
    """
    change_types, target_groups = list(change_types), list(target_groups)
    attachments = list(attachments)
    creating = story.pk is None
    if creating and form_token is not None:
        existing = ChangeStory.objects.filter(form_token=form_token).first()
        if existing is not None:
            return existing
        story.form_token = form_token
    if creating:
        # Stories through a submission link have no actor; the link fixed their partner.
        if actor is not None and not visible_partners(actor).filter(pk=story.partner_id).exists():
            raise PermissionDenied
    elif actor is None or not can_edit_story(actor, story):
        raise PermissionDenied
    before = (
        None
        if creating
        else ChangeStory.objects.values_list("status", "partner_id", "event_date").get(pk=story.pk)
    )
    from_status = "" if before is None else before[0]
    if submit:
        _require_complete(story, change_types)
        story.status = Status.SUBMITTED
        story.submitted_at = timezone.now()
    elif creating:
        story.status = Status.DRAFT
    if creating and story.submitted_by_id is None and actor is not None:
        story.submitted_by = actor
    story.full_clean(exclude=["change_types", "target_groups"])
    story.save()
    story.change_types.set(change_types)
    story.target_groups.set(target_groups)
    _set_storyteller(story, storyteller_name, storyteller_contact)
    _queue_moved(story, None if before is None else (before[1], before[2]))
    if creating:
        _record(story, actor=actor, action=Action.CREATED)
    if submit:
        action = Action.RESUBMITTED if from_status == Status.RETURNED else Action.SUBMITTED
        _record(story, actor=actor, action=action, from_status=from_status or Status.DRAFT)
    elif not creating:
        _record(story, actor=actor, action=Action.EDITED, from_status=from_status)
    # Last, so that nothing that can fail after the files are written is left in this function.
    _attach(story, attachments)
    logger.info(
        "story.saved story_id=%s status=%s attachments_added=%d",
        story.pk,
        story.status,
        len(attachments),
    )
    return story


@transaction.atomic
def story_review(*, actor: User, story: ChangeStory, action: str, comment: str = "") -> ChangeStory:
    """Return, verify, select or archive a story, with the reviewer's words where needed."""
    story = ChangeStory.objects.select_for_update().get(pk=story.pk)
    if not can_review_story(actor, story):
        raise PermissionDenied
    if action not in REVIEW_TRANSITIONS:
        raise ValidationError(_("Unknown review action."))
    allowed_from, to_status = REVIEW_TRANSITIONS[action]
    if story.status not in allowed_from:
        raise ValidationError(
            _("A story that is “%(status)s” cannot be changed that way.")
            % {"status": story.get_status_display()}
        )
    comment = comment.strip()
    if action in COMMENT_REQUIRED and not comment:
        raise ValidationError(
            {"comment": _("Write the question for the storyteller.")}
            if action == Action.RETURNED
            else {"comment": _("Write down why this story is the most significant.")}
        )
    from_status = story.status
    story.status = to_status
    story.save(update_fields=["status", "updated_at"])
    _record(story, actor=actor, action=action, from_status=from_status, comment=comment)
    if action in StoryNotice.Kind.values:
        notices.notice_queue(story=story, kind=action)
    logger.info("story.reviewed story_id=%s action=%s", story.pk, action)
    return story


def _admin_action(from_status: str, to_status: str) -> str:
    """The history's name for a status set in the admin: the review action that leads there
    from where the story was, if there is one; else an edit."""
    for action, (allowed_from, leads_to) in REVIEW_TRANSITIONS.items():
        if to_status == leads_to and from_status in allowed_from:
            return action
    if to_status == Status.SUBMITTED and from_status in (Status.DRAFT, Status.RETURNED):
        return Action.SUBMITTED if from_status == Status.DRAFT else Action.RESUBMITTED
    return Action.EDITED


@transaction.atomic
def story_admin_save(
    *, actor: User, story: ChangeStory, changed_fields: Iterable[str]
) -> ChangeStory:
    """A story saved in the Django admin: written to the history like any other step, and its
    partner's figures marked stale (status, classification and partner all count in them)."""
    before = (
        ChangeStory.objects.filter(pk=story.pk)
        .values_list("status", "partner_id", "event_date")
        .first()
    )
    story.save()
    if before is None:
        _record(story, actor=actor, action=Action.CREATED)
        return story
    from_status, from_partner, from_date = before
    _queue_moved(story, (from_partner, from_date))
    if story.status != from_status:
        _record(
            story,
            actor=actor,
            action=_admin_action(from_status, story.status),
            from_status=from_status,
        )
    elif set(changed_fields):
        _record(story, actor=actor, action=Action.EDITED, from_status=from_status)
    return story


@transaction.atomic
def story_delete(*, actor: User, story: ChangeStory) -> None:
    """A story deleted in the admin: its attachments' files go after commit (progress.signals),
    its partner's figures are recounted without it."""
    story_id = story.pk
    _queue_aggregate_refresh(story.partner_id, story.event_date)
    story.delete()
    logger.info("story.deleted story_id=%s actor_id=%s", story_id, getattr(actor, "pk", None))


@transaction.atomic
def story_comment(*, actor: User, story: ChangeStory, comment: str) -> StoryEvent:
    if not (can_review_story(actor, story) or can_edit_story(actor, story)):
        raise PermissionDenied
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("Write a comment first.")})
    return _record(
        story, actor=actor, action=Action.COMMENTED, from_status=story.status, comment=comment
    )


@transaction.atomic
def story_withdraw_consent(*, actor: User, story: ChangeStory) -> ChangeStory | None:
    """Erase what the storyteller told: the narrative and who they are.

    Where they had agreed to their story being kept, the classification stays as an anonymous
    count; otherwise the whole story goes. Returns the remaining story, or None.
    """
    story = ChangeStory.objects.select_for_update().get(pk=story.pk)
    if not can_withdraw_consent(actor, story):
        raise PermissionDenied
    # Their files go after commit (progress.signals).
    story.attachments.all().delete()
    Storyteller.objects.filter(story=story).delete()
    if not story.consent_store or story.status in (Status.DRAFT, Status.RETURNED):
        story_id = story.pk
        _queue_aggregate_refresh(story.partner_id, story.event_date)
        story.delete()
        logger.info("story.erased story_id=%s", story_id)
        return None
    story.title = _("Withdrawn story")
    story.narrative = ""
    story.translation = ""
    story.locality = ""
    story.significance_reason = ""
    story.contribution_text = ""
    story.consent_quote_internal = False
    story.consent_publish = False
    story.consent_withdrawn_at = timezone.now()
    story.save()
    # Earlier comments may quote the story; they go with it.
    story.events.exclude(comment="").update(comment="")
    _record(story, actor=actor, action=Action.CONSENT_WITHDRAWN, from_status=story.status)
    logger.info("story.consent_withdrawn story_id=%s", story.pk)
    return story


def story_defaults_for(user: User, **initial: Any) -> dict[str, Any]:
    """Sensible defaults for a new story's form: told today, in the language the person is
    using the portal in (a partner in Guatemala writes in Spanish, not in English)."""
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    if language not in {code for code, _name in settings.LANGUAGES}:
        language = settings.LANGUAGE_CODE
    defaults: dict[str, Any] = {"event_date": date.today(), "language": language}
    if user.is_partner_user and user.partner is not None:
        defaults.update(
            partner=user.partner,
            country=user.partner.country,
            submitter_role=ChangeStory.SubmitterRole.PARTNER,
            collection_mode=ChangeStory.CollectionMode.SELF_ENTERED,
        )
    elif user.is_portal_staff:
        defaults.update(
            submitter_role=ChangeStory.SubmitterRole.STAFF,
            collection_mode=ChangeStory.CollectionMode.STAFF,
        )
    defaults.update(initial)
    return defaults


# Drafts deleted per transaction by the retention purge: bounded locks, bounded memory.
DRAFT_PURGE_BATCH = 500


def story_drafts_purge(*, updated_before: datetime, dry_run: bool = False) -> int:
    """Delete the drafts nobody has touched since ``updated_before``; returns how many.

    The retention rule of ``privacy.retention``. Drafts are not counted in the report figures,
    but each batch still marks its partners' cells stale in its own transaction, so that the
    figures never depend on that. Storytellers, history and attachments go with each draft
    (cascade), the attachments' files once the deletion has committed (``progress.signals``).
    """
    stale = ChangeStory.objects.filter(status=Status.DRAFT, updated_at__lt=updated_before)
    if dry_run:
        return stale.count()
    purged = 0
    while True:
        with transaction.atomic():
            batch = list(
                stale.select_for_update()
                .order_by("pk")
                .values_list("pk", "partner_id")[:DRAFT_PURGE_BATCH]
            )
            if not batch:
                break
            for partner_id in sorted({partner_id for _pk, partner_id in batch}):
                _queue_aggregate_refresh(partner_id, None)
            _total, per_model = stale.filter(pk__in=[pk for pk, _partner in batch]).delete()
        deleted = per_model.get(ChangeStory._meta.label, 0)
        purged += deleted
        if deleted < len(batch):
            # Locked rows cannot have changed; stop rather than loop if the database disagrees.
            break
    logger.info("story.drafts_purged count=%d", purged)
    return purged

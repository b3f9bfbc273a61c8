"""Keeps the files of attachments in step with their rows."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from partners.models import Partner
from portal import outbox
from programs.models import Activity, ActivityPlan, PlannedActivity, Program, Project
from progress.models import ChangeStory, StoryAttachment


@receiver(post_delete, sender=StoryAttachment)
def delete_attachment_file(
    sender: type[StoryAttachment], instance: StoryAttachment, **kwargs: Any
) -> None:
    """Remove the file once the row's deletion has committed, however the row went.

    A story deleted in the admin cascades to its attachments without calling any service; a
    photo of a person must not outlive its story on disk. After commit, so that a rolled-back
    deletion keeps its file.
    """
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# The report cells copy a few fields from the records around stories and activities (a
# partner's country and region, a programme's focus area, which programme and partner an
# activity belongs to). Those records are edited in the admin, which calls no service; these
# receivers mark the cells stale in the same transaction, however the record was saved.
# ``None`` marks every partner's cells: programmes and plans change rarely, and finding the
# partners they touch would cost more than recomputing.


@receiver(post_save, sender=Partner)
def partner_changed(sender: type[Partner], instance: Partner, **kwargs: Any) -> None:
    # A new partner has no cells yet; a deleted one's cells go with it (cascade).
    if kwargs["created"] or kwargs["raw"]:
        return
    for subject in outbox.SUBJECTS:
        outbox.mark_stale(subject=subject, keys=[instance.pk])


@receiver(post_save, sender=Program)
@receiver(post_delete, sender=Program)
def program_changed(sender: type[Program], instance: Program, **kwargs: Any) -> None:
    if kwargs.get("created") or kwargs.get("raw"):
        return
    for subject in outbox.SUBJECTS:
        outbox.mark_stale(subject=subject, keys=[None])


@receiver(post_save, sender=Project)
@receiver(post_delete, sender=Project)
def project_changed(sender: type[Project], instance: Project, **kwargs: Any) -> None:
    """Story counts are kept per project, activity cells per programme through the project."""
    if kwargs.get("created") or kwargs.get("raw"):
        return
    outbox.mark_stale(subject=outbox.STORIES, keys=[instance.partner_id])
    outbox.mark_stale(subject=outbox.ACTIVITIES, keys=[None])


@receiver(post_save, sender=ActivityPlan)
@receiver(post_save, sender=PlannedActivity)
@receiver(post_delete, sender=ActivityPlan)
@receiver(post_delete, sender=PlannedActivity)
def activity_context_changed(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if kwargs.get("created") or kwargs.get("raw"):
        return
    outbox.mark_stale(subject=outbox.ACTIVITIES, keys=[None])


def _activity_partner(activity_id: int | None) -> int | None:
    if activity_id is None:
        return None
    row = (
        Activity.objects.filter(pk=activity_id)
        .values_list("partner_id", "project__partner_id")
        .first()
    )
    return None if row is None else (row[0] or row[1])


@receiver(pre_save, sender=Activity)
def activity_before_save(sender: type[Activity], instance: Activity, **kwargs: Any) -> None:
    # The partner it belonged to before this save: its cells lose the activity.
    instance._partner_before = _activity_partner(instance.pk)  # type: ignore[attr-defined]


@receiver(post_save, sender=Activity)
@receiver(post_delete, sender=Activity)
def activity_changed(sender: type[Activity], instance: Activity, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    project = instance.project if instance.project_id else None
    partner = instance.partner_id or (project.partner_id if project else None)
    before = getattr(instance, "_partner_before", None)
    ids = {partner_id for partner_id in (partner, before) if partner_id is not None}
    # Activities without a partner are few: their change recomputes every activity cell.
    outbox.mark_stale(subject=outbox.ACTIVITIES, keys=ids or [None])


@receiver(post_delete, sender=ChangeStory)
def story_deleted(sender: type[ChangeStory], instance: ChangeStory, **kwargs: Any) -> None:
    """A story deleted in the admin (no service runs there) leaves its partner's counts stale."""
    outbox.mark_stale(subject=outbox.STORIES, keys=[instance.partner_id])

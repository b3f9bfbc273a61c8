"""Every write of programmes, projects, plans and activities that something else depends on.

The report figures copy a programme's focus area, and which programme, plan and partner an
activity belongs to; each write here marks the figures it makes stale, in its own transaction
(``portal.outbox``). ``None`` as a key marks every partner's figures: programmes and plans
change rarely, and finding the partners they touch would cost more than recomputing. The admin
saves through here (``portal.admin_scoping.register_writes``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Model

from portal import outbox
from programs.models import Activity, Program, Project


def _everyone_stale(*subjects: str) -> None:
    for subject in subjects:
        outbox.mark_stale(subject=subject, keys=[None])


@transaction.atomic
def program_save(*, actor: Any, program: Program, changed_fields: Iterable[str]) -> Program:
    new = program.pk is None
    program.save()
    if not new and "focus_area" in set(changed_fields):
        _everyone_stale(*outbox.SUBJECTS)
    return program


@transaction.atomic
def program_delete(*, actor: Any, program: Program) -> None:
    program.delete()
    # Stories keep their place without it: their figures are recounted without a programme.
    _everyone_stale(*outbox.SUBJECTS)


@transaction.atomic
def project_save(*, actor: Any, project: Project, changed_fields: Iterable[str]) -> Project:
    """Story counts are kept per project; activity figures follow the project's programme."""
    before = (
        Project.objects.filter(pk=project.pk).values_list("partner_id", flat=True).first()
        if project.pk
        else None
    )
    project.save()
    if before is not None:
        outbox.mark_stale(subject=outbox.STORIES, keys={before, project.partner_id})
        _everyone_stale(outbox.ACTIVITIES)
        if before != project.partner_id:
            # The results' kept sums hold a confidential partner's figures apart.
            _everyone_stale(outbox.RESULTS)
    return project


@transaction.atomic
def project_delete(*, actor: Any, project: Project) -> None:
    project.delete()
    # Its figures go with it by cascade; the results' kept sums counted them.
    _everyone_stale(outbox.ACTIVITIES, outbox.RESULTS)


@transaction.atomic
def plan_save(*, actor: Any, plan: Model, changed_fields: Iterable[str]) -> Model:
    """An activity plan or one of its planned items: which plan an activity counts toward."""
    new = plan.pk is None
    plan.save()
    if not new:
        _everyone_stale(outbox.ACTIVITIES)
    return plan


@transaction.atomic
def plan_delete(*, actor: Any, plan: Model) -> None:
    plan.delete()
    _everyone_stale(outbox.ACTIVITIES)


def _activity_partner(activity_id: int | None) -> int | None:
    """Whose figures an activity counts in: its own partner, else its project's."""
    if activity_id is None:
        return None
    row = (
        Activity.objects.filter(pk=activity_id)
        .values_list("partner_id", "project__partner_id")
        .first()
    )
    return None if row is None else (row[0] or row[1])


def _activity_stale(*partner_ids: int | None) -> None:
    ids = {partner_id for partner_id in partner_ids if partner_id is not None}
    # Activities without a partner are few: their change recomputes every activity cell.
    outbox.mark_stale(subject=outbox.ACTIVITIES, keys=ids or [None])


@transaction.atomic
def activity_save(*, actor: Any, activity: Activity, changed_fields: Iterable[str]) -> Activity:
    before = _activity_partner(activity.pk)
    activity.save()
    _activity_stale(before, _activity_partner(activity.pk))
    return activity


@transaction.atomic
def activity_delete(*, actor: Any, activity: Activity) -> None:
    partner_id = _activity_partner(activity.pk)
    activity.delete()
    _activity_stale(partner_id)

"""Every write of programmes, projects, plans and activities that something else depends on.

The report figures copy a programme's focus area, and which programme, plan and partner an
activity belongs to; each write here marks the figures it makes stale, in its own transaction
(``portal.outbox``). ``None`` as a key marks every partner's figures: programmes and plans
change rarely, and finding the partners they touch would cost more than recomputing. The admin
saves through here (``portal.admin_scoping.register_writes``).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from portal import outbox
from programs import selectors
from programs.models import (
    Activity,
    ActivityPlan,
    CalendarFeed,
    Grant,
    PlannedActivity,
    Program,
    Project,
)


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
def grant_save(*, actor: Any, grant: Grant, changed_fields: Iterable[str] = ()) -> Grant:
    """Record what a funder gives a programme; the funder is then among the programme's."""
    grant.full_clean()
    grant.save()
    grant.program.funders.add(grant.funder_id)
    return grant


@transaction.atomic
def grant_delete(*, actor: Any, grant: Grant) -> None:
    grant.delete()


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


# --- Plans kept by their units in the portal (docs/plans.md) ---------------------------------


def _refuse_unless_keeper(actor: Any, plan: ActivityPlan) -> None:
    """The actor must be allowed to keep the plan as stored and as it is about to be saved."""
    if plan.pk is not None:
        stored = ActivityPlan.objects.get(pk=plan.pk)
        if not selectors.may_keep_plan(actor, stored):
            raise PermissionDenied
    if not selectors.may_keep_plan(actor, plan):
        raise PermissionDenied


def _validate_parent(plan: ActivityPlan) -> None:
    parent = plan.parent
    if parent is None:
        return
    unit = plan.member_organisation
    if parent.year != plan.year or unit is None or parent.member_organisation_id != unit.parent_id:
        raise ValidationError(
            {"parent": _("A plan files under the plan of its own district, for the same year.")}
        )


@transaction.atomic
def keep_plan(*, actor: Any, plan: ActivityPlan) -> ActivityPlan:
    """A plan created or changed in the portal by its unit's users or staff."""
    _refuse_unless_keeper(actor, plan)
    plan.full_clean()
    _validate_parent(plan)
    duplicate = ActivityPlan.objects.filter(
        year=plan.year,
        title=plan.title,
        member_organisation=plan.member_organisation,
        partner=plan.partner,
    ).exclude(pk=plan.pk)
    if duplicate.exists():
        raise ValidationError({"title": _("The unit already has a plan of that title that year.")})
    return plan_save(actor=actor, plan=plan, changed_fields=())  # type: ignore[return-value]


@transaction.atomic
def keep_planned_item(*, actor: Any, item: PlannedActivity) -> PlannedActivity:
    """A planned item added to or changed in a plan its actor may keep."""
    _refuse_unless_keeper(actor, item.plan)
    if item.pk is not None and PlannedActivity.objects.get(pk=item.pk).plan_id != item.plan_id:
        raise PermissionDenied
    item.full_clean()
    return plan_save(actor=actor, plan=item, changed_fields=())  # type: ignore[return-value]


@transaction.atomic
def record_held(*, actor: Any, plan: ActivityPlan, activity: Activity) -> Activity:
    """An activity held by the plan's unit, against one of the plan's items or unplanned: it
    belongs to the plan's unit (a partner's through the item's project where it has one)."""
    _refuse_unless_keeper(actor, plan)
    item = activity.planned
    if item is not None and item.plan_id != plan.pk:
        raise PermissionDenied
    if activity.date is not None and activity.date.year != plan.year:
        raise ValidationError({"date": _("The date lies outside the plan's year.")})
    activity.member_organisation = plan.member_organisation
    activity.partner = plan.partner
    activity.project = item.project if item is not None else None
    activity.full_clean()
    return activity_save(actor=actor, activity=activity, changed_fields=())


# --- Calendar subscriptions --------------------------------------------------------------------


@transaction.atomic
def calendar_feed_renew(*, actor: Any) -> CalendarFeed:
    """A new secret address for the person's calendar feed; the old address stops working."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    feed, _created = CalendarFeed.objects.update_or_create(
        user=actor, defaults={"token": secrets.token_urlsafe(32)}
    )
    return feed


@transaction.atomic
def calendar_feed_revoke(*, actor: Any) -> None:
    """No feed address at all: the calendar services that fetched it get nothing more."""
    CalendarFeed.objects.filter(user=actor).delete()

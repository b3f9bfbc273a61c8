"""Every write to the contributions ledger: staff keep it, members report their collections and
study circles, staff confirm or decline what members report (docs/contributions.md)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.selectors import member_unit_ids, visible_partners
from programs import services as program_services
from programs.models import ActivityPlan, PlannedActivity
from solidarity.models import (
    REPORTABLE_KINDS,
    Contribution,
    ExpertiseMatch,
    ExpertiseNeed,
    ExpertiseOffer,
)


@transaction.atomic
def contribution_save(
    *, actor: Any, contribution: Contribution, changed_fields: Iterable[str] = ()
) -> Contribution:
    """Staff record or correct a row of the ledger (the admin saves through here too)."""
    if not getattr(actor, "is_portal_staff", False):
        raise PermissionDenied
    contribution.take_from_pledge()
    contribution.full_clean()
    contribution.save()
    return contribution


@transaction.atomic
def contribution_delete(*, actor: Any, contribution: Contribution) -> None:
    if not getattr(actor, "is_portal_staff", False):
        raise PermissionDenied
    if contribution.payments.exists():
        raise ValidationError(_("Payments have been recorded against this pledge: end it instead."))
    contribution.delete()


@transaction.atomic
def contribution_report(*, actor: Any, contribution: Contribution) -> Contribution:
    """A member organisation's user reports a workplace collection or a study circle of their
    organisation or one of its branches; it counts once staff confirm it."""
    if not getattr(actor, "is_network_member", False):
        raise PermissionDenied
    if contribution.kind not in REPORTABLE_KINDS:
        raise ValidationError(_("Members report workplace collections and study circles."))
    if contribution.member_organisation_id not in member_unit_ids(actor):
        raise PermissionDenied
    contribution.donor_name = ""
    contribution.status = Contribution.Status.REPORTED
    contribution.reported_by = actor
    contribution.full_clean()
    contribution.save()
    return contribution


@transaction.atomic
def contribution_decide(*, actor: Any, contribution: Contribution, confirm: bool) -> Contribution:
    """Staff confirm a member's report (it counts from now on) or decline it (it stays, for the
    member to see, and counts nowhere)."""
    if not getattr(actor, "is_portal_staff", False):
        raise PermissionDenied
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    if contribution.status != Contribution.Status.REPORTED:
        raise ValidationError(_("This report has been confirmed or declined already."))
    contribution.status = Contribution.Status.CONFIRMED if confirm else Contribution.Status.DECLINED
    contribution.decided_by = actor
    contribution.decided_at = timezone.now()
    contribution.save(update_fields=["status", "decided_by", "decided_at"])
    return contribution


@transaction.atomic
def contributions_import(*, actor: Any, rows: Iterable[Contribution]) -> int:
    """Save the rows of an import that was checked row by row (``solidarity.imports``), all or
    none: a row the database still refuses undoes the whole file."""
    if not getattr(actor, "is_portal_staff", False):
        raise PermissionDenied
    saved = 0
    for contribution in rows:
        contribution.take_from_pledge()
        contribution.save()
        saved += 1
    return saved


# --- Expertise: needs, offers, matches ------------------------------------------------------


@transaction.atomic
def need_save(
    *, actor: Any, need: ExpertiseNeed, changed_fields: Iterable[str] = ()
) -> ExpertiseNeed:
    """A partner's users state their organisation's need; staff may state one for a partner
    they see."""
    if getattr(actor, "is_partner_user", False):
        need.partner_id = actor.partner_id
    elif not (
        getattr(actor, "is_portal_staff", False)
        and visible_partners(actor).filter(pk=need.partner_id).exists()
    ):
        raise PermissionDenied
    if need.created_by_id is None:
        need.created_by = actor
    need.full_clean()
    need.save()
    return need


@transaction.atomic
def offer_save(
    *, actor: Any, offer: ExpertiseOffer, changed_fields: Iterable[str] = ()
) -> ExpertiseOffer:
    """A member organisation's users offer expertise of their organisation or a branch; staff
    may record one for any member organisation."""
    if getattr(actor, "is_network_member", False):
        if offer.member_organisation_id not in member_unit_ids(actor):
            raise PermissionDenied
    elif not getattr(actor, "is_portal_staff", False):
        raise PermissionDenied
    if offer.created_by_id is None:
        offer.created_by = actor
    offer.full_clean()
    offer.save()
    return offer


@transaction.atomic
def need_delete(*, actor: Any, need: ExpertiseNeed) -> None:
    if not getattr(actor, "is_portal_staff", False):
        raise PermissionDenied
    need.delete()


@transaction.atomic
def offer_delete(*, actor: Any, offer: ExpertiseOffer) -> None:
    if not getattr(actor, "is_portal_staff", False):
        raise PermissionDenied
    offer.delete()


def _plan_of(actor: Any, year: int, **unit: Any) -> ActivityPlan:
    """The unit's plan of the year (its first by title), or a new one."""
    plan = ActivityPlan.objects.filter(year=year, **unit).order_by("title", "pk").first()
    if plan is None:
        plan = program_services.keep_plan(
            actor=actor,
            plan=ActivityPlan(title=_("Plan %(year)s") % {"year": year}, year=year, **unit),
        )
    return plan


@transaction.atomic
def match_make(
    *,
    actor: Any,
    need: ExpertiseNeed,
    offer: ExpertiseOffer,
    kind: str,
    activity_format: str,
    quarter: int | None,
) -> ExpertiseMatch:
    """Staff put a partner's need and a member organisation's offer together: the same item
    goes into this year's plan of both units (created if they have none), and the need is
    matched."""
    if not getattr(actor, "is_portal_staff", False):
        raise PermissionDenied
    need = ExpertiseNeed.objects.select_for_update().select_related("partner").get(pk=need.pk)
    if need.status != ExpertiseNeed.Status.OPEN:
        raise ValidationError(_("This need has been matched or closed already."))
    if offer.status != ExpertiseOffer.Status.OPEN:
        raise ValidationError(_("This offer has been withdrawn."))
    if need.partner.is_confidential:
        # A member organisation's plan would tell its users whom they support.
        raise ValidationError(
            _(
                "A confidential partner's need is matched outside the portal: no member "
                "organisation may learn from its plan whom it supports."
            )
        )
    year = timezone.localdate().year
    items = []
    for unit, title in (
        ({"partner": need.partner}, need.title),
        (
            {"member_organisation": offer.member_organisation},
            f"{need.title} – {need.partner.name}",
        ),
    ):
        plan = _plan_of(actor, year, **unit)
        items.append(
            program_services.keep_planned_item(
                actor=actor,
                item=PlannedActivity(
                    plan=plan,
                    kind=kind,
                    title=title[:200],
                    target_count=1,
                    format=activity_format,
                    quarter=quarter,
                    responsible=str(offer.member_organisation)[:200],
                    network=need.network,
                ),
            )
        )
    need.status = ExpertiseNeed.Status.MATCHED
    need.save(update_fields=["status"])
    return ExpertiseMatch.objects.create(
        need=need,
        offer=offer,
        partner_item=items[0],
        member_item=items[1],
        matched_by=actor,
    )

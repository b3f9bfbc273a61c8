"""Every write to the contributions ledger: staff keep it, members report their collections and
study circles, staff confirm or decline what members report (docs/contributions.md)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.selectors import member_unit_ids
from solidarity.models import REPORTABLE_KINDS, Contribution


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

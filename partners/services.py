"""Every write of the partners' side that something else depends on.

The report figures copy a partner's country and region into their cells; a change to either
marks that partner's figures stale in the same transaction (``portal.outbox``), whoever makes it:
the admin saves through here (``portal.admin_scoping.register_writes``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import (
    MembershipRequest,
    NetworkMembership,
    Partner,
    SolidarityNetwork,
)
from portal import outbox, queue

DECISION_TASK = "mailings.tell_request_decisions"
# What the figures copy from a partner.
COPIED_BY_FIGURES = frozenset({"country", "region"})


@transaction.atomic
def partner_save(*, actor: Any, partner: Partner, changed_fields: Iterable[str]) -> Partner:
    """Save a partner; a new one has no figures yet, an existing one's go stale if what they
    copy changed."""
    new = partner.pk is None
    partner.save()
    if not new and COPIED_BY_FIGURES & set(changed_fields):
        for subject in outbox.SUBJECTS:
            outbox.mark_stale(subject=subject, keys=[partner.pk])
    if not new and "is_confidential" in set(changed_fields):
        # The results' kept sums hold a confidential partner's figures apart (``results.kept``).
        outbox.mark_stale(subject=outbox.RESULTS, keys=[None])
    return partner


@transaction.atomic
def partner_delete(*, actor: Any, partner: Partner) -> None:
    # Its figures go with it (their rows cascade); its stories and projects protect it.
    partner.delete()


# --- Joining and leaving networks (docs/plans.md, "Networks") --------------------------------


def _is_member(member_organisation_id: int, network: SolidarityNetwork) -> bool:
    return NetworkMembership.objects.filter(
        network=network, member_organisation_id=member_organisation_id, left_on__isnull=True
    ).exists()


@transaction.atomic
def membership_ask(
    *, actor: Any, network: SolidarityNetwork, kind: str, note: str = ""
) -> MembershipRequest:
    """A member organisation's user asks for its organisation to join or leave a network."""
    if not getattr(actor, "is_network_member", False):
        raise PermissionDenied
    organisation = actor.member_organisation_id
    if kind not in MembershipRequest.Kind.values:
        raise ValidationError(_("Ask to join or to leave."))
    member = _is_member(organisation, network)
    if kind == MembershipRequest.Kind.JOIN and member:
        raise ValidationError(_("Your organisation is already in this network."))
    if kind == MembershipRequest.Kind.LEAVE and not member:
        raise ValidationError(_("Your organisation is not in this network."))
    waiting = ValidationError(_("A request about this network already waits for staff."))
    if MembershipRequest.objects.filter(
        network=network, member_organisation_id=organisation, status="pending"
    ).exists():
        raise waiting
    try:
        # Two asks at once both pass the check above: the constraint stops the second.
        with transaction.atomic():
            return MembershipRequest.objects.create(
                network=network,
                member_organisation_id=organisation,
                kind=kind,
                note=note.strip()[:2000],
                requested_by=actor,
            )
    except IntegrityError:
        raise waiting from None


@transaction.atomic
def membership_decide(*, actor: Any, request: MembershipRequest, approve: bool) -> None:
    """Staff approve a waiting request (the membership opens or closes today) or decline it."""
    if not getattr(actor, "is_portal_staff", False):
        raise PermissionDenied
    request = MembershipRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != MembershipRequest.Status.PENDING:
        raise ValidationError(_("This request has been decided already."))
    today = timezone.localdate()
    if approve:
        membership = NetworkMembership.objects.filter(
            network_id=request.network_id, member_organisation_id=request.member_organisation_id
        ).first()
        if request.kind == MembershipRequest.Kind.JOIN:
            if membership is None:
                NetworkMembership.objects.create(
                    network_id=request.network_id,
                    member_organisation_id=request.member_organisation_id,
                    joined_on=today,
                )
            elif membership.left_on is not None:  # back after leaving: a new start
                membership.joined_on, membership.left_on = today, None
                membership.save(update_fields=["joined_on", "left_on"])
        elif membership is not None and membership.left_on is None:
            membership.left_on = max(today, membership.joined_on)
            membership.save(update_fields=["left_on"])
    request.status = (
        MembershipRequest.Status.APPROVED if approve else MembershipRequest.Status.DECLINED
    )
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    # The one who asked is told by mail, after commit; the minute sweep tells whoever a broker
    # outage left waiting (``mailings.notices``, asked for by name: it sits above this app).
    transaction.on_commit(lambda: queue.enqueue_by_name(DECISION_TASK))

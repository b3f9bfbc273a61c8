"""Who may see which contributions (the rules: ``portal.access``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet, Sum

from partners.selectors import member_unit_ids, visible_partners
from portal.access import as_user, get_or_404, own_partner_id
from solidarity.models import Contribution, ExpertiseMatch, ExpertiseNeed, ExpertiseOffer

if TYPE_CHECKING:
    from portal.access import AnyUser


def visible_contributions(user: AnyUser) -> QuerySet[Contribution]:
    """Staff see the whole ledger; a member organisation's users their own organisation's and
    its branches' (never an individual donor's); nobody else any."""
    contributions = Contribution.objects.all()
    viewer = as_user(user)
    if viewer is None:
        return contributions.none()
    if viewer.is_portal_staff:
        return contributions
    if viewer.is_network_member:
        return contributions.filter(member_organisation_id__in=member_unit_ids(viewer))
    return contributions.none()


def get_contribution_for_user(user: AnyUser, pk: object) -> Contribution:
    return get_or_404(visible_contributions(user), pk)


def filtered_contributions(user: AnyUser, data: dict[str, Any]) -> QuerySet[Contribution]:
    """The viewer's contributions under a ledger form's heads (``LedgerFilterForm``)."""
    rows = visible_contributions(user)
    for name in ("network", "program", "member_organisation"):
        if data.get(name) is not None:
            rows = rows.filter(**{name: data[name]})
    for name in ("kind", "status"):
        if data.get(name):
            rows = rows.filter(**{name: data[name]})
    return rows


def waiting_reports(user: AnyUser) -> QuerySet[Contribution]:
    """Members' reports that wait for staff: all of them for staff, a member's own."""
    return (
        visible_contributions(user)
        .filter(status=Contribution.Status.REPORTED)
        .select_related("member_organisation", "network", "program", "reported_by")
        .order_by("date", "pk")
    )


def given_contributions(user: AnyUser) -> QuerySet[Contribution]:
    """What the viewer's contributions actually gave: confirmed rows, pledges' payments but not
    the pledges themselves (a promise is not money)."""
    return (
        visible_contributions(user)
        .filter(status=Contribution.Status.CONFIRMED)
        .exclude(kind=Contribution.Kind.MONTHLY_PLEDGE)
    )


def network_pooled(network_id: int, start: dt.date, end: dt.date) -> dict[str, Any]:
    """What everyone gave the network between ``start`` and ``end``, pooled: money, hours, how
    many gave, and what the pledges running on the last day promise a month. Totals only, for
    everyone who may open the network's page; who gave what is the ledger's, for staff."""
    rows = Contribution.objects.filter(network_id=network_id, status=Contribution.Status.CONFIRMED)
    given = rows.filter(date__range=(start, end)).exclude(kind=Contribution.Kind.MONTHLY_PLEDGE)
    totals = given.aggregate(
        amount=Sum("amount_sek"),
        hours=Sum("hours"),
        organisations=Count("member_organisation", distinct=True),
        donors=Count("donor_name", filter=~Q(donor_name=""), distinct=True),
    )
    pledged = rows.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=end.replace(day=1)),
        kind=Contribution.Kind.MONTHLY_PLEDGE,
        date__lte=end,
    ).aggregate(a_month=Sum("amount_sek"))
    return {
        "amount_sek": totals["amount"] or Decimal(0),
        "hours": totals["hours"] or Decimal(0),
        "organisations": totals["organisations"],
        "donors": totals["donors"],
        "pledged_a_month": pledged["a_month"] or Decimal(0),
    }


# --- Expertise: needs, offers, matches (docs/contributions.md, "Expertise") ----------------


def visible_needs(user: AnyUser) -> QuerySet[ExpertiseNeed]:
    """Staff see the needs of the partners they see; a partner's users their own; a member
    organisation's users the open needs of their networks' partners (never a confidential
    partner's)."""
    needs = ExpertiseNeed.objects.all()
    viewer = as_user(user)
    if viewer is None:
        return needs.none()
    if viewer.sees_confidential:
        return needs
    if viewer.is_portal_staff:
        return needs.filter(partner__is_confidential=False)
    if viewer.is_partner_user:
        return needs.filter(partner_id=own_partner_id(viewer))
    if viewer.is_network_member:
        return needs.filter(
            status=ExpertiseNeed.Status.OPEN,
            partner__is_confidential=False,
            partner__in=visible_partners(viewer).values("pk"),
        )
    return needs.none()


def visible_offers(user: AnyUser) -> QuerySet[ExpertiseOffer]:
    """Staff see every offer; a member organisation's users their own units'; partners none
    (they see what a match puts in their plan)."""
    offers = ExpertiseOffer.objects.all()
    viewer = as_user(user)
    if viewer is None:
        return offers.none()
    if viewer.is_portal_staff:
        return offers
    if viewer.is_network_member:
        return offers.filter(member_organisation_id__in=member_unit_ids(viewer))
    return offers.none()


def visible_matches(user: AnyUser) -> QuerySet[ExpertiseMatch]:
    return ExpertiseMatch.objects.filter(
        need__in=visible_needs(user).values("pk")
    ) | ExpertiseMatch.objects.filter(offer__in=visible_offers(user).values("pk"))


def get_need_for_user(user: AnyUser, pk: object) -> ExpertiseNeed:
    return get_or_404(visible_needs(user).select_related("partner", "network"), pk)

"""Who may see what of the partners' side: partners, contacts, networks, member organisations
(the rules: ``portal.access``), and how a partner is named to a viewer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import HttpRequest

from partners.models import (
    MemberOrganisation,
    MembershipRequest,
    Partner,
    PartnerContact,
    SolidarityNetwork,
)
from portal.access import (
    as_user,
    get_or_404,
    log_confidential_read,
    own_member_organisation_id,
    own_partner_id,
)

if TYPE_CHECKING:
    from portal.access import AnyUser
    from portal.models import User


def member_network_ids(user: User) -> QuerySet[SolidarityNetwork, Any]:
    """The networks a member organisation's user currently belongs to."""
    return SolidarityNetwork.objects.filter(
        memberships__member_organisation_id=own_member_organisation_id(user),
        memberships__left_on__isnull=True,
    ).values("pk")


def visible_partners(user: AnyUser) -> QuerySet[Partner]:
    partners = Partner.objects.all()
    viewer = as_user(user)
    if viewer is None:
        return partners.none()
    if viewer.sees_confidential:
        return partners
    if viewer.is_portal_staff:
        return partners.filter(is_confidential=False)
    if viewer.is_partner_user:
        return partners.filter(pk=own_partner_id(viewer))
    if viewer.is_network_member:
        return partners.filter(
            is_confidential=False, networks__in=member_network_ids(viewer)
        ).distinct()
    return partners.none()


def visible_contacts(user: AnyUser) -> QuerySet[PartnerContact]:
    contacts = PartnerContact.objects.all()
    viewer = as_user(user)
    if viewer is None:
        return contacts.none()
    if viewer.sees_confidential:
        return contacts
    if viewer.is_portal_staff:
        return contacts.filter(partner__is_confidential=False)
    if viewer.is_partner_user:
        return contacts.filter(partner_id=own_partner_id(viewer))
    # Network members never see partners' contact people: personal data they do not need.
    return contacts.none()


def visible_networks(user: AnyUser) -> QuerySet[SolidarityNetwork]:
    networks = SolidarityNetwork.objects.all()
    viewer = as_user(user)
    if viewer is None:
        return networks.none()
    if viewer.is_portal_staff:
        return networks
    if viewer.is_network_member:
        return networks.filter(pk__in=member_network_ids(viewer))
    return networks.none()


# Districts hold branches, branches hold workplace clubs: a few levels at most.
UNIT_DEPTH = 4


def units_below(organisation_id: int | None) -> list[int]:
    """The branches of a member organisation and theirs, down the tree (one query per level),
    without the organisation itself."""
    ids: list[int] = []
    level: list[int | None] = [organisation_id]
    for _depth in range(UNIT_DEPTH):
        level = [
            pk
            for pk in MemberOrganisation.objects.filter(parent_id__in=level)
            .order_by()
            .values_list("pk", flat=True)
            if pk != organisation_id and pk not in ids
        ]
        if not level:
            break
        ids.extend(pk for pk in level if pk is not None)
    return ids


def member_unit_ids(user: User) -> list[int]:
    """A member organisation's user's own organisation and its branches, down the tree (once
    per request: kept on the user object, which lives as long as the request): the units whose
    plans and activities the user keeps."""
    cached: list[int] | None = getattr(user, "_member_unit_ids", None)
    if cached is not None:
        return cached
    own = own_member_organisation_id(user)
    ids = [own, *units_below(own)]
    user._member_unit_ids = ids  # type: ignore[attr-defined]
    return ids


def visible_member_organisations(user: AnyUser) -> QuerySet[MemberOrganisation]:
    organisations = MemberOrganisation.objects.all()
    viewer = as_user(user)
    if viewer is None:
        return organisations.none()
    if viewer.is_portal_staff:
        return organisations
    if viewer.is_network_member:
        return organisations.filter(pk=own_member_organisation_id(viewer))
    return organisations.none()


def get_partner_for_user(
    user: AnyUser, pk: object, *, request: HttpRequest | None = None
) -> Partner:
    partner = get_or_404(visible_partners(user), pk)
    if partner.is_confidential:
        log_confidential_read(user, partner, request=request)
    return partner


def get_network_for_user(user: AnyUser, pk: object) -> SolidarityNetwork:
    return get_or_404(visible_networks(user), pk)


def may_identify(partner: Partner, user: AnyUser) -> bool:
    """Whether the viewer may know who this partner really is (name, country, locality)."""
    if not partner.is_confidential:
        return True
    viewer = as_user(user)
    if viewer is None:
        return False
    return viewer.sees_confidential or (viewer.is_partner_user and viewer.partner_id == partner.pk)


def unnamed_network_partners(user: AnyUser, network: SolidarityNetwork) -> list[str]:
    """The regions of the network's confidential partners the viewer may not see: shown as "a
    partner in <region>", never by name, pseudonym or country."""
    hidden = network.partners.filter(is_confidential=True).exclude(
        pk__in=visible_partners(user).values("pk")
    )
    labels = dict(Partner._meta.get_field("region").choices or [])
    return sorted(
        str(labels.get(region, region)) for region in hidden.values_list("region", flat=True)
    )


def partner_label(partner: Partner, user: AnyUser) -> str:
    """The name to show in anything aggregated: the pseudonym unless the viewer may identify."""
    return partner.name if may_identify(partner, user) else partner.pseudonym


def partner_country_label(partner: Partner, user: AnyUser) -> str:
    """The country, or only the region when the viewer may not identify the partner."""
    if may_identify(partner, user):
        return str(partner.country.name)  # type: ignore[attr-defined]
    return str(partner.get_region_display())


def report_identifies(user: AnyUser, *, partner_id: int | None, is_confidential: bool) -> bool:
    """Whether a report row may carry the partner's name and country rather than its pseudonym
    and region (the same rule as ``may_identify``, from the values a grouped query returns)."""
    if not is_confidential:
        return True
    viewer = as_user(user)
    if viewer is None:
        return False
    return viewer.sees_confidential or (viewer.is_partner_user and viewer.partner_id == partner_id)


def report_identifies_every_cell(user: AnyUser) -> bool:
    """Whether every cell the viewer's report reads may name its partner.

    False only for officers: their cells include confidential partners', which they see under a
    pseudonym and region. A partner user reads only its own organisation's cells, a network
    member none of a confidential partner's.
    """
    viewer = as_user(user)
    return viewer is not None and (viewer.sees_confidential or not viewer.is_portal_staff)


def visible_membership_requests(user: AnyUser) -> QuerySet[MembershipRequest]:
    """Staff see every request; a member organisation's users their organisation's."""
    requests = MembershipRequest.objects.all()
    viewer = as_user(user)
    if viewer is None:
        return requests.none()
    if viewer.is_portal_staff:
        return requests
    if viewer.is_network_member:
        return requests.filter(member_organisation_id=own_member_organisation_id(viewer))
    return requests.none()


def requestable_networks(user: AnyUser) -> QuerySet[SolidarityNetwork]:
    """The networks a member organisation's users may ask about, to join or to leave: any."""
    viewer = as_user(user)
    if viewer is None or not viewer.is_network_member:
        return SolidarityNetwork.objects.none()
    return SolidarityNetwork.objects.all()


def joinable_networks(user: AnyUser) -> QuerySet[SolidarityNetwork]:
    """For a member organisation's users, the networks their organisation is not in: their
    names and themes only (a network's partners are for its members)."""
    viewer = as_user(user)
    if viewer is None or not viewer.is_network_member:
        return SolidarityNetwork.objects.none()
    return requestable_networks(viewer).exclude(pk__in=member_network_ids(viewer))

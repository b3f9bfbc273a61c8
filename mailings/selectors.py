"""Who receives what, who may write to whom, and which newsletters a person may read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from mailings.models import Delivery, MailPreference, Newsletter
from partners.models import MemberOrganisation, SolidarityNetwork
from partners.selectors import units_below, visible_networks
from portal.access import as_user, get_or_404, own_member_organisation_id
from portal.models import User

if TYPE_CHECKING:
    from portal.access import AnyUser


def preference_of(user: User) -> MailPreference:
    """The person's choices; nothing chosen yet is nothing received (not saved until changed)."""
    try:
        return user.mail_preference  # type: ignore[attr-defined,no-any-return]
    except MailPreference.DoesNotExist:
        return MailPreference(user=user)


def audience(newsletter: Newsletter) -> QuerySet[User]:
    """Everyone the newsletter is for: the active users of its member organisations who can
    be written to, whatever they chose (``recipients`` honours the choice)."""
    users = User.objects.filter(
        is_active=True, role=User.Role.MEMBER, member_organisation__isnull=False
    ).exclude(email="")
    if newsletter.audience == Newsletter.Audience.NETWORK:
        return users.filter(
            member_organisation__memberships__network_id=newsletter.network_id,
            member_organisation__memberships__left_on__isnull=True,
        ).distinct()
    assert newsletter.district_id is not None
    return users.filter(member_organisation_id__in=units_below(newsletter.district_id))


def recipients(newsletter: Newsletter) -> QuerySet[User]:
    """Those of the audience who chose to receive newsletters."""
    return audience(newsletter).filter(mail_preference__newsletters=True).order_by("pk")


def writable_networks(user: AnyUser) -> QuerySet[SolidarityNetwork]:
    """Staff write to any network's members; nobody else to a network."""
    viewer = as_user(user)
    if viewer is None or not viewer.is_portal_staff:
        return SolidarityNetwork.objects.none()
    return visible_networks(viewer)


def writable_districts(user: AnyUser) -> QuerySet[MemberOrganisation]:
    """The districts (organisations with branches) whose branches the viewer may write to:
    staff any, a member organisation's users their own."""
    viewer = as_user(user)
    with_branches = MemberOrganisation.objects.filter(branches__isnull=False).distinct()
    if viewer is None:
        return with_branches.none()
    if viewer.is_portal_staff:
        return with_branches
    if viewer.is_network_member:
        return with_branches.filter(pk=own_member_organisation_id(viewer))
    return with_branches.none()


def may_write(user: AnyUser) -> bool:
    viewer = as_user(user)
    return viewer is not None and (viewer.is_portal_staff or writable_districts(viewer).exists())


def visible_newsletters(user: AnyUser) -> QuerySet[Newsletter]:
    """Staff read every newsletter; a member organisation's users those written for their own
    organisation's branches and those sent to themselves."""
    newsletters = Newsletter.objects.all()
    viewer = as_user(user)
    if viewer is None:
        return newsletters.none()
    if viewer.is_portal_staff:
        return newsletters
    if viewer.is_network_member:
        return newsletters.filter(
            Q(district_id=own_member_organisation_id(viewer))
            | Q(pk__in=Delivery.objects.filter(user=viewer).values("newsletter_id"))
        )
    return newsletters.none()


def get_newsletter_for_user(user: AnyUser, pk: object) -> Newsletter:
    return get_or_404(visible_newsletters(user).select_related("network", "district", "author"), pk)


def sent_log(newsletters: QuerySet[Newsletter]) -> QuerySet[Newsletter]:
    """The newsletters with their deliveries counted by outcome (one query), newest first."""
    return (
        newsletters.select_related("network", "district", "author")
        .annotate(
            delivered=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.SENT)),
            waiting=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.WAITING)),
            failed=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.FAILED)),
        )
        .order_by("-created_at", "-pk")
    )

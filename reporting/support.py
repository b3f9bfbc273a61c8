""" "What your support made possible" (issue #14, item 6): for a member organisation, what it
gave in the last twelve months, to which networks and programmes, and the verified stories it
may quote from there. One page, printable for the union meeting.

Everything comes through the member's own selectors: its organisation's and branches' gifts
(``solidarity.selectors.given_contributions``), the stories a member may read and quote
(verified, consent to quote, partners of its networks, never a confidential partner's:
``progress.selectors.visible_stories``) and the programmes it may open. A gift tied to a
network the organisation has since left, or a programme outside its networks, is still counted
and named, but not linked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Q, Sum
from django.utils import timezone

from partners.models import MemberOrganisation
from partners.selectors import visible_networks
from portal.access import as_user
from programs.models import Program
from programs.selectors import visible_programs
from progress.models import ChangeStory
from progress.selectors import visible_stories
from solidarity.models import Contribution
from solidarity.selectors import given_contributions

if TYPE_CHECKING:
    from portal.access import AnyUser

STORIES_SHOWN = 6
ZERO = Decimal(0)


@dataclass(frozen=True)
class GivenTo:
    label: str
    url_name: str  # "network-detail" or "program-detail"; empty: not the member's to open
    pk: int | None
    amount_sek: Decimal
    hours: Decimal
    gifts: int


@dataclass(frozen=True)
class GivenAs:
    label: str
    amount_sek: Decimal
    hours: Decimal
    gifts: int


@dataclass
class SupportPage:
    organisation: MemberOrganisation
    start: dt.date
    end: dt.date
    amount_sek: Decimal
    hours: Decimal
    to: list[GivenTo]
    kinds: list[GivenAs]
    stories: list[ChangeStory]
    programs: list[Program]


def support_page(user: AnyUser, today: dt.date | None = None) -> SupportPage | None:
    """None for anyone but a member organisation's users."""
    viewer = as_user(user)
    if viewer is None or not viewer.is_network_member or viewer.member_organisation is None:
        return None
    end = today or timezone.localdate()
    start = end - dt.timedelta(days=365)
    given = given_contributions(viewer).filter(date__range=(start, end))
    totals = given.aggregate(sek=Sum("amount_sek"), hours=Sum("hours"))
    kinds = [
        GivenAs(
            str(Contribution.Kind(row["kind"]).label),
            row["sek"] or ZERO,
            row["h"] or ZERO,
            row["n"],
        )
        for row in given.values("kind")
        .annotate(sek=Sum("amount_sek"), h=Sum("hours"), n=Count("pk"))
        .order_by("kind")
    ]
    networks = set(visible_networks(viewer).values_list("pk", flat=True))
    programs = set(visible_programs(viewer).values_list("pk", flat=True))
    to = []
    for row in (
        given.values("network_id", "network__name", "program_id", "program__title")
        .annotate(sek=Sum("amount_sek"), h=Sum("hours"), n=Count("pk"))
        .order_by("network__name", "program__title")
    ):
        if row["network_id"] is not None:
            linked = row["network_id"] in networks
            label, url, pk = row["network__name"], "network-detail", row["network_id"]
        elif row["program_id"] is not None:
            linked = row["program_id"] in programs
            label, url, pk = row["program__title"], "program-detail", row["program_id"]
        else:
            linked, label, url, pk = False, "", "", None
        to.append(
            GivenTo(
                label, url if linked else "", pk, row["sek"] or ZERO, row["h"] or ZERO, row["n"]
            )
        )
    network_ids = {row.pk for row in to if row.url_name == "network-detail" and row.pk}
    program_ids = {row.pk for row in to if row.url_name == "program-detail" and row.pk}
    reached = visible_programs(viewer).filter(Q(pk__in=program_ids) | Q(networks__in=network_ids))
    stories = (
        visible_stories(viewer)
        .filter(Q(partner__networks__in=network_ids) | Q(project__program__in=program_ids))
        .select_related("partner")
        .distinct()
        .order_by("-event_date", "-pk")[:STORIES_SHOWN]
    )
    return SupportPage(
        organisation=viewer.member_organisation,
        start=start,
        end=end,
        amount_sek=totals["sek"] or ZERO,
        hours=totals["hours"] or ZERO,
        to=to,
        kinds=kinds,
        stories=list(stories),
        programs=list(reached.distinct().order_by("title")),
    )

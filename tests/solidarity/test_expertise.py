"""Expertise (issue #14, item 4): partners state needs, member organisations offer expertise
roles, staff match them and the match becomes a planned item of both; members see the open
needs of their networks' partners, never a confidential partner's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.test import Client

from conftest import World
from programs.models import ActivityPlan, PlannedActivity
from solidarity.models import ExpertiseMatch, ExpertiseNeed, ExpertiseOffer
from tests import factories


def test_a_need_an_offer_and_a_match_that_lands_in_both_plans(
    world: World, client_as: Callable[[str], Client]
) -> None:
    partner, member, staff = client_as("partner"), client_as("member"), client_as("staff")
    response = partner.post(
        "/expertise/needs/new/",
        {"title": "A trainer in budget work", "description": "For the women's wing."},
    )
    assert response.status_code == 302
    need = ExpertiseNeed.objects.get()
    assert need.partner == world.alpha and need.created_by == world.users["partner"]
    ours = world.users["member"].member_organisation
    assert ours is not None
    response = member.post(
        "/expertise/offers/new/",
        {"member_organisation": ours.pk, "title": "Budget trainer", "hours": "40"},
    )
    assert response.status_code == 302
    offer = ExpertiseOffer.objects.get()
    # The member sees the partner's open need (a partner of its network) and its own offer.
    page = member.get("/expertise/").content.decode()
    assert "A trainer in budget work" in page and "Budget trainer" in page
    # The partner sees its need, not the offers.
    assert "Budget trainer" not in partner.get("/expertise/").content.decode()

    response = staff.post(
        f"/expertise/needs/{need.pk}/match/",
        {"offer": offer.pk, "kind": "training", "activity_format": "in_person", "quarter": "3"},
    )
    assert response.status_code == 302
    match = ExpertiseMatch.objects.get()
    year = dt.date.today().year
    partner_plan = ActivityPlan.objects.get(partner=world.alpha, year=year)
    member_plan = ActivityPlan.objects.get(member_organisation=ours, year=year)
    assert match.partner_item is not None and match.partner_item.plan == partner_plan
    assert match.member_item is not None and match.member_item.plan == member_plan
    assert match.member_item.title == f"A trainer in budget work – {world.alpha.name}"
    assert PlannedActivity.objects.filter(quarter=3, target_count=1).count() == 2
    need.refresh_from_db()
    assert need.status == ExpertiseNeed.Status.MATCHED
    # Matched is matched.
    again = staff.post(
        f"/expertise/needs/{need.pk}/match/",
        {"offer": offer.pk, "kind": "training", "activity_format": "in_person"},
    )
    assert again.status_code == 400 and ExpertiseMatch.objects.count() == 1
    # The member no longer sees it among the open needs.
    assert (
        "A trainer in budget work"
        not in member.get("/expertise/")
        .content.decode()
        .split('data-testid="needs"')[1]
        .split("</ul>")[0]
    )


def test_a_confidential_partners_need_stays_with_cleared_staff(
    world: World, client_as: Callable[[str], Client]
) -> None:
    secret = client_as("secret")
    assert secret.post("/expertise/needs/new/", {"title": "Digital security"}).status_code == 302
    need = ExpertiseNeed.objects.get()
    assert need.partner == world.hidden
    for role in ("member", "officer", "partner"):
        assert "Digital security" not in client_as(role).get("/expertise/").content.decode()
    staff = client_as("staff")
    assert "Digital security" in staff.get("/expertise/").content.decode()
    assert client_as("officer").get(f"/expertise/needs/{need.pk}/match/").status_code == 404
    offer = factories.MemberOrganisationFactory.create()
    made = ExpertiseOffer.objects.create(member_organisation=offer, title="Security trainer")
    response = staff.post(
        f"/expertise/needs/{need.pk}/match/",
        {"offer": made.pk, "kind": "training", "activity_format": "digital"},
    )
    assert response.status_code == 400
    assert "matched outside the portal" in response.content.decode()
    assert not ExpertiseMatch.objects.exists() and not PlannedActivity.objects.exists()


def test_who_may_state_offer_and_match(world: World, client_as: Callable[[str], Client]) -> None:
    other = factories.MemberOrganisationFactory.create()
    response = client_as("member").post(
        "/expertise/offers/new/", {"member_organisation": other.pk, "title": "Not ours"}
    )
    assert response.status_code == 400 and not ExpertiseOffer.objects.exists()
    assert client_as("member").get("/expertise/needs/new/").status_code == 404
    assert client_as("partner").get("/expertise/offers/new/").status_code == 404
    # A partner cannot state a need for another partner: its own is taken.
    client_as("partner").post("/expertise/needs/new/", {"title": "Ours", "partner": world.beta.pk})
    assert ExpertiseNeed.objects.get().partner == world.alpha


EXPERTISE_QUERIES = 6


def test_the_expertise_page_reads_a_fixed_number_of_queries(
    world: World, client_as: Callable[[str], Client], django_assert_num_queries: Any
) -> None:
    staff = client_as("staff")
    with django_assert_num_queries(EXPERTISE_QUERIES):
        staff.get("/expertise/")
    for number in range(5):
        need = ExpertiseNeed.objects.create(partner=world.beta, title=f"Need {number}")
        offer = ExpertiseOffer.objects.create(
            member_organisation=factories.MemberOrganisationFactory.create(),
            title=f"Offer {number}",
        )
        ExpertiseMatch.objects.create(need=need, offer=offer)
    with django_assert_num_queries(EXPERTISE_QUERIES):
        staff.get("/expertise/")

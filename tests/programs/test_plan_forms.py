"""Keeping a plan in the portal (issue #14, items 1 and 2): a unit's users create their plan,
add planned items, record what was held; bad input is a form error and saves nothing; nobody
keeps another unit's plan."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import World
from partners.models import MemberOrganisation
from programs.models import Activity, ActivityPlan, PlannedActivity
from tests import factories

YEAR = timezone.localdate().year


def _branch(world: World) -> MemberOrganisation:
    district = world.users["member"].member_organisation
    return MemberOrganisation.objects.create(
        name="Falun local branch", kind="local_branch", parent=district
    )


def test_a_member_plans_a_training_records_it_held_and_sees_it_done(
    world: World, client_as: Callable[[str], Client]
) -> None:
    branch = _branch(world)
    client = client_as("member")
    response = client.post(
        reverse("plan-create"),
        {"title": "Branch plan", "year": YEAR, "member_organisation": branch.pk},
    )
    plan = ActivityPlan.objects.get(title="Branch plan")
    assert response.status_code == 302 and plan.member_organisation == branch
    client.post(
        reverse("plan-item-create", args=[plan.pk]),
        {
            "kind": "training",
            "title": "Internal feminism training",
            "target_count": 1,
            "format": "in_person",
            "responsible": "Branch chair",
        },
    )
    item = PlannedActivity.objects.get(plan=plan)
    before = client.get(reverse("plan-detail", args=[plan.pk])).content.decode()
    assert f'data-item="{item.pk}"' in before and 'data-status="done"' not in before
    # The item's "record held" fills in what is known of it.
    form = client.get(reverse("plan-held", args=[plan.pk]) + f"?item={item.pk}")
    assert 'value="Internal feminism training"' in form.content.decode()
    response = client.post(
        reverse("plan-held", args=[plan.pk]),
        {
            "planned": item.pk,
            "title": "Internal feminism training",
            "kind": "training",
            "date": timezone.localdate().isoformat(),
            "place": "Falun",
            "format": "in_person",
            "participants_women": 9,
            "participants_men": 5,
            "participants_other": 0,
            "participants_youth": 4,
            "notes": "Two new members came.",
        },
    )
    assert response.status_code == 302
    held = Activity.objects.get(planned=item)
    assert (held.member_organisation, held.partner, held.participants_total) == (branch, None, 14)
    page = client.get(reverse("plan-detail", args=[plan.pk])).content.decode()
    assert 'data-status="done"' in page


def test_an_unplanned_activity_is_recorded_apart(
    world: World, client_as: Callable[[str], Client]
) -> None:
    district = world.users["member"].member_organisation
    plan = factories.ActivityPlanFactory.create(member_organisation=district, year=YEAR)
    factories.PlannedActivityFactory.create(plan=plan)
    client_as("member").post(
        reverse("plan-held", args=[plan.pk]),
        {
            "planned": "",
            "title": "Leafleting at the station",
            "kind": "campaign",
            "date": f"{YEAR}-03-08",
            "format": "in_person",
            "participants_women": 3,
            "participants_men": 2,
            "participants_other": 0,
            "participants_youth": 0,
        },
    )
    page = client_as("member").get(reverse("plan-detail", args=[plan.pk])).content.decode()
    assert "Leafleting at the station" in page.split('data-testid="unplanned"')[1]


def test_a_partner_users_plan_is_its_own_organisations(
    world: World, client_as: Callable[[str], Client]
) -> None:
    response = client_as("partner").post(
        reverse("plan-create"), {"title": "Our plan", "year": YEAR}
    )
    assert response.status_code == 302
    assert ActivityPlan.objects.get(title="Our plan").partner == world.alpha


@pytest.mark.parametrize(
    ("url_name", "data", "message"),
    [
        (
            "plan-held",
            {"participants_women": 2, "participants_men": 1, "participants_youth": 5},
            "There cannot be more young people than participants.",
        ),
        ("plan-held", {"date": "1999-01-01"}, "The date lies outside the plan"),
        ("plan-held", {"date": "not a date"}, "Enter a valid date."),
        ("plan-item-create", {"quarter": 1, "date": f"{YEAR}-05-04"}, "quarter 2"),
        ("plan-item-create", {"target_count": 0}, "greater than or equal to 1"),
    ],
)
def test_bad_input_is_a_form_error_and_saves_nothing(
    world: World,
    client_as: Callable[[str], Client],
    url_name: str,
    data: dict[str, object],
    message: str,
) -> None:
    district = world.users["member"].member_organisation
    plan = factories.ActivityPlanFactory.create(member_organisation=district, year=YEAR)
    base = {
        "plan-held": {
            "title": "Training",
            "kind": "training",
            "date": f"{YEAR}-02-01",
            "format": "in_person",
            "participants_women": 1,
            "participants_men": 1,
            "participants_other": 0,
            "participants_youth": 0,
        },
        "plan-item-create": {
            "kind": "training",
            "title": "Budget training",
            "target_count": 1,
            "format": "in_person",
        },
    }[url_name]
    response = client_as("member").post(reverse(url_name, args=[plan.pk]), {**base, **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Activity.objects.exists() and not PlannedActivity.objects.exists()


def test_nobody_keeps_another_units_plan(world: World, client_as: Callable[[str], Client]) -> None:
    stranger = factories.MemberOrganisationFactory.create()
    theirs = factories.ActivityPlanFactory.create(member_organisation=stranger, year=YEAR)
    hidden = factories.ActivityPlanFactory.create(partner=world.hidden, year=YEAR)
    alphas = factories.ActivityPlanFactory.create(partner=world.alpha, year=YEAR)
    for role, plan in (
        ("member", theirs),
        ("member", alphas),
        ("partner", theirs),
        ("partner2", alphas),
        ("officer", hidden),
    ):
        for name in ("plan-edit", "plan-item-create", "plan-held"):
            url = reverse(name, args=[plan.pk])
            assert client_as(role).get(url).status_code == 404, (role, name)
    # A member cannot choose a unit that is not its own, nor a partner's plan be moved to one.
    response = client_as("member").post(
        reverse("plan-create"),
        {"title": "Hijack", "year": YEAR, "member_organisation": stranger.pk},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ActivityPlan.objects.filter(title="Hijack").exists()
    assert client_as("staff").get(reverse("plan-edit", args=[hidden.pk])).status_code == 200


def test_a_branch_plan_files_only_under_its_own_districts_plan_of_the_year(
    world: World, client_as: Callable[[str], Client]
) -> None:
    branch = _branch(world)
    district = branch.parent
    district_plan = factories.ActivityPlanFactory.create(member_organisation=district, year=YEAR)
    last_year = factories.ActivityPlanFactory.create(member_organisation=district, year=YEAR - 1)
    client = client_as("member")
    for parent, saved in ((last_year, False), (district_plan, True)):
        response = client.post(
            reverse("plan-create"),
            {
                "title": f"Branch plan {parent.year}",
                "year": YEAR,
                "member_organisation": branch.pk,
                "parent": parent.pk,
            },
        )
        assert (response.status_code == 302) is saved
    assert ActivityPlan.objects.get(member_organisation=branch).parent == district_plan

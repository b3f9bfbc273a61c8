"""Plans owned by units, followed up item by item (issue #14, items 1 and 2): the status rule
against hand-computed cases, unplanned activities apart, who sees which plan, and the pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from conftest import World
from partners.models import MemberOrganisation
from programs import followup, plans
from programs.followup import Status
from programs.models import ActivityPlan, PlannedActivity
from programs.selectors import visible_activity_plans
from tests import factories

D = dt.date


# --- The rule, by hand ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("held", "target", "quarter", "today", "expected"),
    [
        # One training in Q2, 1 April to 30 June 2026 (91 days).
        (0, 1, 2, D(2026, 3, 31), Status.ON_TRACK),  # not begun
        (0, 1, 2, D(2026, 5, 15), Status.ON_TRACK),  # 45 of 91 days: floor(0.49) = 0 expected
        (0, 1, 2, D(2026, 6, 30), Status.BEHIND),  # the last day: the one is expected
        (0, 1, 2, D(2026, 7, 1), Status.MISSED),  # the quarter is over
        (1, 1, 2, D(2026, 5, 1), Status.DONE),
        (2, 1, 2, D(2026, 7, 1), Status.DONE),  # more than planned is still done
    ],
)
def test_the_status_of_one_item(
    held: int, target: int, quarter: int | None, today: dt.date, expected: Status
) -> None:
    start, end = followup.window(2026, quarter)
    assert followup.status(held=held, target=target, start=start, end=end, today=today) == expected


def test_the_share_of_the_window_passed_is_rounded_down() -> None:
    year = followup.window(2026, None)
    # 1 January to 2 July 2026 is 183 of 365 days: 4 x 183 / 365 = 2.005, two expected.
    assert followup.expected_by(*year, 4, D(2026, 7, 2)) == 2
    # 1 January to 1 July is 182 days: 1.994, one expected.
    assert followup.expected_by(*year, 4, D(2026, 7, 1)) == 1
    assert followup.status(held=1, target=4, start=year[0], end=year[1], today=D(2026, 7, 1)) == (
        Status.ON_TRACK
    )
    assert followup.status(held=1, target=4, start=year[0], end=year[1], today=D(2026, 7, 2)) == (
        Status.BEHIND
    )
    # On the year's last day all four are expected; only the next day makes it missed.
    assert followup.status(held=3, target=4, start=year[0], end=year[1], today=D(2026, 12, 31)) == (
        Status.BEHIND
    )
    assert followup.status(held=3, target=4, start=year[0], end=year[1], today=D(2027, 1, 1)) == (
        Status.MISSED
    )
    assert followup.window(2026, 1) == (D(2026, 1, 1), D(2026, 3, 31))
    assert followup.window(2026, 4) == (D(2026, 10, 1), D(2026, 12, 31))


# --- Plans in the database ---------------------------------------------------------------------


def _district_plan(world: World) -> tuple[ActivityPlan, PlannedActivity, PlannedActivity]:
    """The member's organisation as a district with a plan for 2026: two trainings in internal
    feminism in Q1 (one held) and four study circles over the year (two held), an unplanned
    campaign, and a branch with a plan of its own."""
    district = world.users["member"].member_organisation
    assert district is not None
    plan = factories.ActivityPlanFactory.create(
        title="District plan", year=2026, member_organisation=district
    )
    feminism = factories.PlannedActivityFactory.create(
        plan=plan, title="Internal feminism training", target_count=2, quarter=1
    )
    circles = factories.PlannedActivityFactory.create(
        plan=plan, title="Study circle", kind="study_circle", target_count=4, quarter=None
    )
    for planned, dates in ((feminism, [D(2026, 2, 3)]), (circles, [D(2026, 2, 1), D(2026, 5, 2)])):
        for day in dates:
            factories.ActivityFactory.create(
                planned=planned,
                project=None,
                partner=None,
                member_organisation=district,
                date=day,
                kind=planned.kind,
            )
    factories.ActivityFactory.create(
        project=None,
        partner=None,
        member_organisation=district,
        date=D(2026, 3, 8),
        kind="campaign",
        title="Women's day campaign",
    )
    branch = MemberOrganisation.objects.create(
        name="Falun local branch", kind="local_branch", parent=district
    )
    factories.ActivityPlanFactory.create(
        title="Branch plan", year=2026, member_organisation=branch, parent=plan
    )
    return plan, feminism, circles


def test_each_item_is_followed_up_on_its_own_and_unplanned_ones_apart(world: World) -> None:
    plan, feminism, circles = _district_plan(world)
    page = plans.plan_page(world.users["member"], plan, today=D(2026, 7, 2))
    rows = {row.item.pk: row.follow_up for row in page.items}
    # One of two trainings and the quarter is over: missed, whatever the study circles did.
    assert (rows[feminism.pk].held, rows[feminism.pk].status) == (1, Status.MISSED)
    # Two of four circles by 2 July: floor(4 x 183/365) = 2 expected, on track.
    assert (rows[circles.pk].held, rows[circles.pk].status) == (2, Status.ON_TRACK)
    assert [a.title for a in page.unplanned] == ["Women's day campaign"]
    assert page.counts == {"done": 0, "on_track": 1, "behind": 0, "missed": 1}
    assert [summary.plan.title for summary in page.branch_plans] == ["Branch plan"]


def test_the_plan_wide_totals_no_longer_hide_a_missed_item(world: World) -> None:
    """Three held against five planned in total, plus an unplanned campaign, would have read as
    "four of five held"; item by item, one is missed."""
    plan, _feminism, _circles = _district_plan(world)
    (summary,) = plans.summaries(world.users["staff"], [plan], today=D(2026, 7, 2))
    assert summary.counts["missed"] == 1 and summary.items == 2


def test_who_sees_which_plan(world: World) -> None:
    plan, _feminism, _circles = _district_plan(world)
    branch_plan = ActivityPlan.objects.get(title="Branch plan")
    partner_plan = factories.ActivityPlanFactory.create(partner=world.alpha, year=2026)
    hidden_plan = factories.ActivityPlanFactory.create(partner=world.hidden, year=2026)
    staff_plan = factories.ActivityPlanFactory.create(year=2026)
    other_member = factories.MemberOrganisationFactory.create()
    stranger_plan = factories.ActivityPlanFactory.create(member_organisation=other_member)
    every = {plan, branch_plan, partner_plan, hidden_plan, staff_plan, stranger_plan}
    expected = {
        "admin": every,
        "staff": every,
        "officer": every - {hidden_plan},
        "partner": {partner_plan},
        "partner2": set(),
        "secret": {hidden_plan},
        "member": {plan, branch_plan},  # its own and its branch's
    }
    for role, plans_seen in expected.items():
        assert set(visible_activity_plans(world.users[role])) == plans_seen, role


def test_a_plan_has_one_unit_and_a_dated_item_its_quarter(world: World) -> None:
    plan = factories.ActivityPlanFactory.create(partner=world.alpha, year=2026)
    plan.member_organisation = world.users["member"].member_organisation
    with pytest.raises(ValidationError):
        plan.full_clean()
    item = PlannedActivity(plan=plan, kind="training", title="Budget training", date=D(2026, 5, 4))
    item.clean()
    assert item.quarter == 2
    item.quarter = 1
    with pytest.raises(ValidationError) as error:
        item.clean()
    assert "quarter" in error.value.message_dict
    item = PlannedActivity(plan=plan, kind="training", title="Too late", date=D(2027, 1, 4))
    with pytest.raises(ValidationError) as error:
        item.clean()
    assert "date" in error.value.message_dict


def test_a_branch_cannot_belong_to_itself_below_it(world: World) -> None:
    district = world.users["member"].member_organisation
    assert district is not None
    branch = MemberOrganisation.objects.create(name="Club", kind="union_club", parent=district)
    district.parent = branch
    with pytest.raises(ValidationError) as error:
        district.full_clean()
    assert "parent" in error.value.message_dict


# --- Pages ----------------------------------------------------------------------------------


def test_the_member_reads_its_plans_and_follows_one_up(
    world: World, client_as: Callable[[str], Client]
) -> None:
    plan, _feminism, _circles = _district_plan(world)
    client = client_as("member")
    listing = client.get(reverse("plan-list")).content.decode()
    assert reverse("plan-detail", args=[plan.pk]) in listing
    assert "Branch plan" in listing
    response = client.get(reverse("plan-detail", args=[plan.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Internal feminism training" in page
    assert "day campaign" in page.split('data-testid="unplanned"')[1]
    assert "data-print hidden" in page
    assert client_as("partner").get(reverse("plan-detail", args=[plan.pk])).status_code == 404


def test_an_officer_meets_no_confidential_partners_plan(
    world: World, client_as: Callable[[str], Client]
) -> None:
    hidden_plan = factories.ActivityPlanFactory.create(
        partner=world.hidden, year=2026, title="Hidden plan"
    )
    officer = client_as("officer")
    assert "Hidden plan" not in officer.get(reverse("plan-list")).content.decode()
    assert officer.get(reverse("plan-detail", args=[hidden_plan.pk])).status_code == 404
    assert client_as("staff").get(reverse("plan-detail", args=[hidden_plan.pk])).status_code == 200


def test_the_plan_page_runs_a_fixed_number_of_queries(
    world: World,
    client_as: Callable[[str], Client],
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    plan, _feminism, _circles = _district_plan(world)
    client = client_as("member")
    url = reverse("plan-detail", args=[plan.pk])
    client.get(url)
    with django_assert_num_queries(PLAN_QUERIES) as small:
        client.get(url)
    for number in range(20):
        item = factories.PlannedActivityFactory.create(plan=plan, title=f"Item {number}")
        factories.ActivityFactory.create(
            planned=item, project=None, partner=None, date=D(2026, 2, 1)
        )
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)
    list_url = reverse("plan-list")
    client.get(list_url)
    with django_assert_num_queries(PLAN_LIST_QUERIES):
        client.get(list_url)


# After the login's two: the member's units (its organisation's branches, theirs), the plan,
# the items, the held activities (counted per item from the list), the unplanned ones, the
# branch plans with their units, their items, their held counts.
PLAN_QUERIES = 2 + 2 + 1 + 1 + 1 + 1 + 1 + 1 + 1
# The units (two levels), the count, the page's plans with their units, their items, the held
# counts.
PLAN_LIST_QUERIES = 2 + 2 + 1 + 1 + 1 + 1

"""Figures for the dashboards, each read through the access module."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.urls import reverse

from partners.models import Partner
from partners.selectors import visible_networks, visible_partners
from portal import outbox
from portal.charts import Figure
from programs.models import FocusArea, Project
from programs.selectors import (
    visible_activities,
    visible_planned_activities,
    visible_programs,
    visible_projects,
)
from progress.models import ChangeStory
from reporting import disclosure, reports
from reporting.models import ReportState, StoryTypeTotal
from reporting.selectors import visible_story_counts
from solidarity.selectors import given_contributions


@dataclass(frozen=True)
class FocusAreaFigures:
    focus_area: str
    label: str
    programs: int
    budget_sek: Decimal


@dataclass(frozen=True)
class StaffDashboard:
    partners_active: int
    partners_total: int
    countries: int
    projects_active: int
    focus_areas: list[FocusAreaFigures]
    stories_by_status: list[tuple[str, str, int]]
    stories_awaiting_review: int
    activities_planned: int
    activities_held: int  # against the plans' items, each up to its target
    activities_unplanned: int
    participants_women: int
    participants_total: int
    year: int
    verified_by_change_type: list[tuple[str, int, float]]
    figures_as_of: datetime | None
    refresh_pending: bool


def _verified_by_change_type() -> list[tuple[str, int, float]]:
    """From the kept totals per type (one row each), not the cells or the stories."""
    return [
        (total.change_type.name, total.story_count, total.significance_sum / total.story_count)
        for total in StoryTypeTotal.objects.filter(story_count__gt=0)
        .select_related("change_type")
        .order_by("change_type__ordering", "change_type__code")
    ]


def staff_dashboard(user: Any, *, today: date | None = None) -> StaffDashboard:
    year = (today or date.today()).year
    partners = visible_partners(user).aggregate(
        total=Count("pk"),
        active=Count("pk", filter=Q(status=Partner.Status.ACTIVE)),
        countries=Count("country", distinct=True),
    )
    projects_active = visible_projects(user).filter(status=Project.Status.ACTIVE).count()
    by_area: dict[str, Any] = {
        row["focus_area"]: row
        for row in visible_programs(user)
        .values("focus_area")
        .annotate(programs=Count("pk"), budget=Sum("budget_sek"))
    }
    focus_areas = [
        FocusAreaFigures(
            focus_area=area.value,
            label=str(area.label),
            programs=by_area.get(area.value, {}).get("programs", 0),
            budget_sek=by_area.get(area.value, {}).get("budget") or Decimal(0),
        )
        for area in FocusArea
    ]
    # Kept counts (reporting.aggregates), not a COUNT over the stories: the cost stays flat.
    counts = dict(
        visible_story_counts(user)
        .values("status")
        .annotate(n=Sum("story_count"))
        .values_list("status", "n")
        .order_by()
    )
    stories_by_status = [
        (status.value, str(status.label), counts.get(status.value, 0))
        for status in ChangeStory.Status
    ]
    # Held against the plans, item by item: an item counts as often as it was held, up to its
    # target (extra sessions of one item do not make up for another item missed), and what no
    # item asked for is counted apart (programs.followup).
    items = visible_planned_activities(user).filter(plan__year=year)
    targets = dict(items.values_list("pk", "target_count"))
    held_per_item = dict(
        visible_activities(user)
        .filter(planned__in=items.values("pk"))
        .values("planned_id")
        .annotate(n=Count("pk"))
        .values_list("planned_id", "n")
        .order_by()
    )
    held = (
        visible_activities(user)
        .filter(date__year=year)
        .aggregate(
            unplanned=Count("pk", filter=Q(planned__isnull=True)),
            women=Sum("participants_women"),
            men=Sum("participants_men"),
            other=Sum("participants_other"),
        )
    )
    women = held["women"] or 0
    return StaffDashboard(
        partners_active=partners["active"],
        partners_total=partners["total"],
        countries=partners["countries"],
        projects_active=projects_active,
        focus_areas=focus_areas,
        stories_by_status=stories_by_status,
        stories_awaiting_review=counts.get(ChangeStory.Status.SUBMITTED, 0),
        activities_planned=sum(targets.values()),
        activities_held=sum(min(held_per_item.get(pk, 0), n) for pk, n in targets.items()),
        activities_unplanned=held["unplanned"],
        participants_women=women,
        participants_total=women + (held["men"] or 0) + (held["other"] or 0),
        year=year,
        verified_by_change_type=_verified_by_change_type(),
        figures_as_of=ReportState.objects.values_list("refreshed_at", flat=True).first(),
        refresh_pending=outbox.refresh_pending(),
    )


@dataclass(frozen=True)
class MemberDashboard:
    networks: list[Any]
    contributed_sek: Decimal
    contributed_hours: Decimal
    partners: int
    # The same figure as the report's headline for all time: rounded, or hidden, alike.
    stories: Figure
    year: int


def _member_story_figure(user: Any) -> Figure:
    """The report's all-time headline, as the member's report publishes it."""
    publication = reports.member_publication(user)
    return publication.figure(
        disclosure.story_key("stories", publication.period("all")), reverse("report")
    )


def member_dashboard(user: Any, *, today: date | None = None) -> MemberDashboard:
    year = (today or date.today()).year
    networks = list(
        visible_networks(user).annotate(
            partner_count=Count(
                "partners", filter=Q(partners__is_confidential=False), distinct=True
            ),
            member_count=Count("memberships", distinct=True),
        )
    )
    given = (
        given_contributions(user)
        .filter(date__year=year)
        .aggregate(sek=Sum("amount_sek"), hours=Sum("hours"))
    )
    return MemberDashboard(
        networks=networks,
        contributed_sek=given["sek"] or Decimal(0),
        contributed_hours=given["hours"] or Decimal(0),
        partners=visible_partners(user).count(),
        stories=_member_story_figure(user),
        year=year,
    )

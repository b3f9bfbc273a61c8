"""Who may see what of programmes, projects, plans and activities (the rules: ``portal.access``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet, Sum
from django.http import HttpRequest
from django_countries import countries

from partners.models import MemberOrganisation, Partner, SolidarityNetwork
from partners.selectors import member_network_ids, member_unit_ids, visible_partners
from portal.access import (
    as_user,
    get_or_404,
    log_confidential_read,
    own_partner_id,
)
from programs.models import (
    Activity,
    ActivityPlan,
    CalendarFeed,
    Grant,
    PlannedActivity,
    Program,
    Project,
)

if TYPE_CHECKING:
    from portal.access import AnyUser


def visible_programs(user: AnyUser) -> QuerySet[Program]:
    programs = Program.objects.all()
    viewer = as_user(user)
    if viewer is None:
        return programs.none()
    if viewer.is_portal_staff:
        # Programmes themselves are never confidential; what they show of their projects and
        # partners goes through the selectors below.
        return programs
    if viewer.is_partner_user:
        return programs.filter(
            pk__in=Project.objects.filter(partner_id=own_partner_id(viewer)).values("program_id")
        )
    if viewer.is_network_member:
        return programs.filter(networks__in=member_network_ids(viewer)).distinct()
    return programs.none()


def visible_grants(user: AnyUser) -> QuerySet[Grant]:
    """Grants of the programmes the viewer sees (the amounts are staff's business: the admin
    and the funder dependence page are theirs)."""
    return Grant.objects.filter(program__in=visible_programs(user).values("pk"))


def visible_projects(user: AnyUser) -> QuerySet[Project]:
    projects = Project.objects.all()
    viewer = as_user(user)
    if viewer is None:
        return projects.none()
    if viewer.sees_confidential:
        return projects
    if viewer.is_portal_staff:
        return projects.filter(partner__is_confidential=False)
    if viewer.is_partner_user:
        return projects.filter(partner_id=own_partner_id(viewer))
    if viewer.is_network_member:
        return projects.filter(partner__in=visible_partners(viewer).values("pk"))
    return projects.none()


def confidential_activity() -> Q:
    """An activity of a confidential partner, its own or its project's."""
    return Q(partner__is_confidential=True) | Q(project__partner__is_confidential=True)


def visible_activities(user: AnyUser) -> QuerySet[Activity]:
    activities = Activity.objects.all()
    viewer = as_user(user)
    if viewer is None:
        return activities.none()
    if viewer.sees_confidential:
        return activities
    if viewer.is_portal_staff:
        return activities.exclude(confidential_activity())
    if viewer.is_partner_user:
        return activities.filter(
            Q(partner_id=own_partner_id(viewer)) | Q(project__partner_id=own_partner_id(viewer))
        )
    return activities.none()


def visible_activity_plans(user: AnyUser) -> QuerySet[ActivityPlan]:
    """Staff see every plan (officers none of a confidential partner's); a partner's users
    their organisation's; a member organisation's users their own and their branches'."""
    plans = ActivityPlan.objects.all()
    viewer = as_user(user)
    if viewer is None:
        return plans.none()
    if viewer.sees_confidential:
        return plans
    if viewer.is_portal_staff:
        return plans.exclude(partner__is_confidential=True)
    if viewer.is_partner_user:
        return plans.filter(partner_id=own_partner_id(viewer))
    if viewer.is_network_member:
        return plans.filter(member_organisation_id__in=member_unit_ids(viewer))
    return plans.none()


def visible_planned_activities(user: AnyUser) -> QuerySet[PlannedActivity]:
    """The items of the plans the viewer sees; for officers none tied to a confidential
    partner's project."""
    planned = PlannedActivity.objects.filter(plan__in=visible_activity_plans(user).values("pk"))
    viewer = as_user(user)
    if viewer is not None and not viewer.sees_confidential:
        planned = planned.exclude(project__partner__is_confidential=True)
    return planned


def plan_member_units(user: AnyUser) -> QuerySet[MemberOrganisation]:
    """The member organisations and branches whose plans the viewer may keep: a member
    organisation's users their own and its branches'; staff every one."""
    viewer = as_user(user)
    if viewer is None:
        return MemberOrganisation.objects.none()
    if viewer.is_portal_staff:
        return MemberOrganisation.objects.all()
    if viewer.is_network_member:
        return MemberOrganisation.objects.filter(pk__in=member_unit_ids(viewer))
    return MemberOrganisation.objects.none()


def may_keep_plan(user: AnyUser, plan: ActivityPlan) -> bool:
    """Whether the viewer may write this plan (new or stored), its items and the activities
    held of it: its unit's own users, and the staff who see it (a partner's plan: the staff who
    see the partner)."""
    viewer = as_user(user)
    if viewer is None:
        return False
    if viewer.is_portal_staff:
        if plan.partner_id is not None:
            return visible_partners(viewer).filter(pk=plan.partner_id).exists()
        return True
    if viewer.is_partner_user:
        return plan.member_organisation_id is None and plan.partner_id == own_partner_id(viewer)
    if viewer.is_network_member:
        return plan.partner_id is None and plan.member_organisation_id in member_unit_ids(viewer)
    return False


def get_plan_for_user(
    user: AnyUser, pk: object, *, request: HttpRequest | None = None
) -> ActivityPlan:
    plan = get_or_404(
        visible_activity_plans(user).select_related(
            "member_organisation", "partner", "program", "parent"
        ),
        pk,
    )
    if plan.partner is not None and plan.partner.is_confidential:
        log_confidential_read(user, plan.partner, request=request)
    return plan


def calendar_activities(user: AnyUser) -> QuerySet[Activity]:
    """The held activities on the viewer's calendar: staff and partner users those they see;
    a member organisation's users their own units' (and those held of their units' plans)."""
    viewer = as_user(user)
    if viewer is None:
        return Activity.objects.none()
    if viewer.is_portal_staff or viewer.is_partner_user:
        return visible_activities(viewer)
    if viewer.is_network_member:
        units = member_unit_ids(viewer)
        return Activity.objects.filter(
            Q(member_organisation_id__in=units) | Q(planned__plan__member_organisation_id__in=units)
        )
    return Activity.objects.none()


def calendar_feed_of(user: AnyUser) -> CalendarFeed | None:
    """The viewer's own calendar feed, if it made one."""
    viewer = as_user(user)
    return None if viewer is None else CalendarFeed.objects.filter(user=viewer).first()


def calendar_feed_by_secret(token: str) -> CalendarFeed | None:
    """The feed behind a secret address, of a person who may still log in."""
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )


def unplanned_activities(plan: ActivityPlan) -> QuerySet[Activity]:
    """What the plan's unit held in the plan's year that no planned item asked for: shown
    beside the follow-up, never counted as held against it. The secretariat's own plans share
    the activities that belong to no partner and no member organisation."""
    activities = Activity.objects.filter(planned__isnull=True, date__year=plan.year)
    if plan.member_organisation_id is not None:
        return activities.filter(member_organisation_id=plan.member_organisation_id)
    if plan.partner_id is not None:
        return activities.filter(
            Q(partner_id=plan.partner_id) | Q(project__partner_id=plan.partner_id)
        )
    return activities.filter(
        partner__isnull=True, project__isnull=True, member_organisation__isnull=True
    )


def get_program_for_user(user: AnyUser, pk: object) -> Program:
    return get_or_404(visible_programs(user), pk)


def get_project_for_user(
    user: AnyUser, pk: object, *, request: HttpRequest | None = None
) -> Project:
    project = get_or_404(visible_projects(user).select_related("partner", "program"), pk)
    if project.partner.is_confidential:
        log_confidential_read(user, project, request=request)
    return project


@dataclass(frozen=True)
class ChoiceLists:
    """The partner, programme and country choices of a filter, from the viewer's scope: a choice
    list must not name what the viewer may not see, nor where such a partner works."""

    partners: QuerySet[Partner]
    programs: QuerySet[Program]
    countries: list[tuple[str, str]]


def choice_lists(user: AnyUser) -> ChoiceLists:
    # Only what the choice lists show: thousands of full partner rows cost real time.
    partners = visible_partners(user).order_by("name").only("pk", "name")
    codes = set(partners.order_by().values_list("country", flat=True).distinct())
    return ChoiceLists(
        partners=partners,
        programs=visible_programs(user).order_by("title").only("pk", "title"),
        countries=[(code, str(name)) for code, name in countries if code in codes],
    )


def network_activity_figures(
    network: SolidarityNetwork, start: dt.date, end: dt.date
) -> dict[str, int]:
    """How many activities the network's planned items brought between ``start`` and ``end``
    and how many took part: figures only, without a confidential partner's activities, for
    everyone who may open the network's page (members read figures, not activity rows)."""
    figures = (
        Activity.objects.filter(planned__network=network, date__range=(start, end))
        .exclude(confidential_activity())
        .aggregate(
            held=Count("pk"),
            women=Sum("participants_women"),
            men=Sum("participants_men"),
            other=Sum("participants_other"),
            youth=Sum("participants_youth"),
        )
    )
    return {key: value or 0 for key, value in figures.items()}

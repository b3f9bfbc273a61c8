from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from partners.selectors import visible_networks
from portal import exports
from portal.access import denied_as_not_found, get_or_404, own_partner_id
from portal.forms import add_validation_error
from portal.pagination import paginate
from portal.sections import sections_for
from programs import calendar as plan_calendar
from programs import dependence as funder_dependence_figures
from programs import exports as activity_exports
from programs import plans as plan_pages
from programs import services
from programs.filters import ActivityFilter, ProjectFilter
from programs.forms import (
    CalendarFilter,
    FunderChoice,
    HeldActivityForm,
    PlanForm,
    PlannedItemForm,
)
from programs.models import Activity, ActivityPlan, FocusArea, PlannedActivity
from programs.selectors import (
    calendar_feed_by_secret,
    calendar_feed_of,
    get_plan_for_user,
    get_program_for_user,
    get_project_for_user,
    may_keep_plan,
    visible_activities,
    visible_activity_plans,
    visible_planned_activities,
    visible_programs,
    visible_projects,
)


@require_GET
def program_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    focus_area = request.GET.get("focus_area", "")
    if focus_area not in FocusArea.values:
        focus_area = ""
    # Project counts come from the viewer's own scope, so that a confidential partner's
    # project never shows up even as a number.
    project_count = (
        visible_projects(user)
        .filter(program=OuterRef("pk"))
        .order_by()
        .values("program")
        .annotate(n=Count("pk"))
        .values("n")
    )
    programs = visible_programs(user).annotate(
        project_count=Coalesce(Subquery(project_count, output_field=IntegerField()), 0)
    )
    if focus_area:
        programs = programs.filter(focus_area=focus_area)
    grouped = [
        (area, [program for program in programs if program.focus_area == area.value])
        for area in FocusArea
        if not focus_area or area.value == focus_area
    ]
    return render(
        request,
        "programs/program_list.html",
        {"grouped": grouped, "focus_area": focus_area, "focus_areas": FocusArea.choices},
    )


@require_GET
def program_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    program = get_program_for_user(user, pk)
    projects = list(
        visible_projects(user).filter(program=program).select_related("partner").order_by("title")
    )
    partners = sorted({project.partner for project in projects}, key=lambda p: p.name)
    return render(
        request,
        "programs/program_detail.html",
        {
            "program": program,
            "projects": projects,
            "partners": partners,
            "funders": program.funders.all(),
            "networks": visible_networks(user).filter(programs=program),
            "sections": sections_for("program-detail", request, program),
        },
    )


@require_GET
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    project = get_project_for_user(user, pk, request=request)
    # A network member may see a partner's project in a programme outside its networks: the
    # programme's title is on the page, but a link to it would answer 404.
    program_visible = getattr(user, "is_portal_staff", False) or (
        visible_programs(user).filter(pk=project.program_id).exists()
    )
    return render(
        request,
        "programs/project_detail.html",
        {
            "project": project,
            "program_visible": program_visible,
            "activities": visible_activities(user).filter(project=project)[:50],
            "sections": sections_for("project-detail", request, project),
        },
    )


@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    """Projects in the viewer's scope, filtered: what the dashboard's "active projects" opens."""
    user = request.user
    projects = visible_projects(user).select_related("partner", "program").order_by("title", "pk")
    filterset = ProjectFilter(request.GET, queryset=projects, user=user)
    return render(
        request,
        "programs/project_list.html",
        {"filter": filterset, "page": paginate(request, filterset.qs)},
    )


@require_GET
def activity_list(request: HttpRequest) -> HttpResponse:
    """Held activities with their participants: the list behind the report's figures."""
    user = request.user
    if not (getattr(user, "is_portal_staff", False) or getattr(user, "is_partner_user", False)):
        raise Http404
    activities = (
        visible_activities(user)
        .select_related("partner", "project__partner", "planned__plan")
        .order_by("-date", "-id")
    )
    filterset = ActivityFilter(request.GET, queryset=activities, user=user)
    return render(
        request,
        "programs/activity_list.html",
        {"filter": filterset, "page": paginate(request, filterset.qs)},
    )


@require_GET
def activity_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The activity list as it is filtered, as CSV or XLSX."""
    activities = visible_activities(request.user).order_by("-date", "-id")
    return exports.list_download(
        request,
        fmt,
        filterset=ActivityFilter(request.GET, queryset=activities, user=request.user),
        filename="activities",
        title=_("Activities"),
        header=activity_exports.activity_header(),
        rows=activity_exports.activity_rows,
    )


@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    """The activity plans the viewer keeps or follows, newest year first, each with how many
    of its items are done, on track, behind and missed."""
    plans = (
        visible_activity_plans(request.user)
        .select_related(*plan_pages.UNITS)
        .order_by("-year", "title", "pk")
    )
    page = paginate(request, plans)
    return render(
        request,
        "programs/plan_list.html",
        {"page": page, "plans": plan_pages.summaries(request.user, list(page.object_list))},
    )


@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One plan followed up item by item; printable for the annual meeting."""
    plan = get_plan_for_user(request.user, pk, request=request)
    return render(
        request,
        "programs/plan_detail.html",
        {
            "page": plan_pages.plan_page(request.user, plan),
            "keeps": may_keep_plan(request.user, plan),
        },
    )


def _form_page(
    request: HttpRequest, form: Any, *, heading: str, cancel: str, plan: ActivityPlan | None
) -> HttpResponse:
    return render(
        request,
        "programs/plan_form.html",
        {"form": form, "heading": heading, "cancel": cancel, "plan": plan},
    )


def _kept_plan(request: HttpRequest, pk: int) -> ActivityPlan:
    """A stored plan the viewer may see and keep; 404 otherwise (a 403 would confirm it)."""
    plan = get_plan_for_user(request.user, pk, request=request)
    if not may_keep_plan(request.user, plan):
        raise PermissionDenied
    return plan


@require_http_methods(["GET", "POST"])
@denied_as_not_found
def plan_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """A new plan of one of the viewer's units, or a plan's title, year, unit and programme."""
    user = request.user
    if pk is not None:
        plan = _kept_plan(request, pk)
    else:
        plan = ActivityPlan(year=timezone.localdate().year)
        if getattr(user, "is_partner_user", False):
            plan.partner_id = own_partner_id(user)  # type: ignore[arg-type]
        elif not (
            getattr(user, "is_portal_staff", False) or getattr(user, "is_network_member", False)
        ):
            raise PermissionDenied
    form = PlanForm(request.POST or None, instance=plan, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.keep_plan(actor=user, plan=form.instance)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The plan is saved."))
            return redirect("plan-detail", pk=form.instance.pk)
    return _form_page(
        request,
        form,
        heading=_("Edit the plan") if pk is not None else _("A new activity plan"),
        cancel=reverse("plan-detail", args=[pk]) if pk is not None else reverse("plan-list"),
        plan=plan if pk is not None else None,
    )


@require_http_methods(["GET", "POST"])
@denied_as_not_found
def plan_item_edit(request: HttpRequest, pk: int, item: int | None = None) -> HttpResponse:
    """A planned activity added to the plan, or changed."""
    plan = _kept_plan(request, pk)
    planned = (
        get_or_404(visible_planned_activities(request.user).filter(plan=plan), item)
        if item is not None
        else PlannedActivity(plan=plan)
    )
    form = PlannedItemForm(request.POST or None, instance=planned, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.keep_planned_item(actor=request.user, item=form.instance)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The planned activity is saved."))
            return redirect("plan-detail", pk=plan.pk)
    return _form_page(
        request,
        form,
        heading=_("Edit the planned activity") if item is not None else _("Add a planned activity"),
        cancel=reverse("plan-detail", args=[plan.pk]),
        plan=plan,
    )


@require_http_methods(["GET", "POST"])
@denied_as_not_found
def plan_held(request: HttpRequest, pk: int) -> HttpResponse:
    """An activity the plan's unit held, against one of its items or without a plan."""
    plan = _kept_plan(request, pk)
    initial: dict[str, Any] = {}
    chosen = request.GET.get("item", "")
    item = (
        visible_planned_activities(request.user).filter(plan=plan, pk=int(chosen)).first()
        if chosen.isdigit()
        else None
    )
    if item is not None:
        # From the item's "record held": what is known of it already filled in.
        initial.update(
            planned=item.pk, title=item.title, kind=item.kind, format=item.format, date=item.date
        )
    form = HeldActivityForm(
        request.POST or None, instance=Activity(), plan=plan, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_held(actor=request.user, plan=plan, activity=form.instance)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The activity is recorded."))
            return redirect("plan-detail", pk=plan.pk)
    return _form_page(
        request,
        form,
        heading=_("Record an activity held"),
        cancel=reverse("plan-detail", args=[plan.pk]),
        plan=plan,
    )


@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    """Coming and past activities of the viewer's units and networks, by day."""
    form = CalendarFilter(request.GET or None, user=request.user)
    network = unit = None
    if form.is_valid():
        network = form.cleaned_data["network"].pk if form.cleaned_data["network"] else None
        unit = form.cleaned_data["unit"].pk if form.cleaned_data.get("unit") else None
    start, end = plan_calendar.page_window()
    feed = calendar_feed_of(request.user)
    return render(
        request,
        "programs/calendar.html",
        {
            "form": form,
            "entries": plan_calendar.entries(
                request.user, start=start, end=end, network=network, unit=unit
            ),
            "today": timezone.localdate(),
            "start": start,
            "end": end,
            "feed_url": request.build_absolute_uri(reverse("calendar-feed", args=[feed.token]))
            if feed
            else "",
        },
    )


@require_http_methods(["POST"])
def calendar_subscription(request: HttpRequest) -> HttpResponse:
    """A new secret feed address (the old one stops working), or none."""
    if request.POST.get("action") == "revoke":
        services.calendar_feed_revoke(actor=request.user)
        messages.success(request, _("The calendar address no longer works."))
    else:
        services.calendar_feed_renew(actor=request.user)
        messages.success(
            request, _("A new calendar address is ready; the old one no longer works.")
        )
    return redirect("calendar")


@login_not_required
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed behind a person's secret address, for calendar programs that cannot
    log in: what that person sees, never a confidential partner's activity."""
    feed = calendar_feed_by_secret(token)
    if feed is None:
        raise Http404
    body = plan_calendar.feed_bytes(
        feed.user, name=_("Solidarity portal"), host=request.get_host().split(":")[0]
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def funder_dependence(request: HttpRequest) -> HttpResponse:
    """For staff: each funder's share of the programmes' grants, and with one funder chosen,
    the programmes and partners its money carries, most dependent first."""
    if not getattr(request.user, "is_portal_staff", False):
        raise Http404
    form = FunderChoice(request.GET or None)
    chosen = form.cleaned_data.get("funder") if form.is_bound and form.is_valid() else None
    figures = funder_dependence_figures.dependence(
        request.user, chosen.pk if chosen is not None else None
    )
    return render(
        request,
        "programs/funder_dependence.html",
        {"form": form, "figures": figures},
        status=400 if form.errors else 200,
    )

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models

from portal.admin_scoping import AccessScopedAdminMixin, ScopedModelAdmin
from programs.models import (
    Activity,
    ActivityPlan,
    Funder,
    Grant,
    PlannedActivity,
    Program,
    Project,
)


@admin.register(Funder)
class FunderAdmin(ScopedModelAdmin):
    list_display = ("name", "kind", "iati_ref")
    list_filter = ("kind",)
    search_fields = ("name", "iati_ref")


# Stacked, not tabular: a tabular inline's inputs have no label of their own (axe: label).
class ProjectInline(AccessScopedAdminMixin, admin.StackedInline):
    model = Project
    extra = 0
    fields = ("title", "partner", "status", "start_date", "end_date", "budget_sek")
    autocomplete_fields = ("partner",)
    show_change_link = True


class GrantInline(AccessScopedAdminMixin, admin.StackedInline):
    """What each funder gives the programme: the amounts behind funder dependence."""

    model = Grant
    extra = 0
    fields = ("funder", "amount_sek", "note")


@admin.register(Program)
class ProgramAdmin(ScopedModelAdmin):
    list_display = (
        "title",
        "focus_area",
        "start_date",
        "end_date",
        "budget_sek",
        "responsible_staff",
    )
    list_filter = ("focus_area", "funders")
    search_fields = ("title", "iati_identifier")
    # Checkboxes: filter_horizontal's script adds an aria-label to a bare span (axe).
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    autocomplete_fields = ("responsible_staff",)
    list_select_related = ("responsible_staff",)
    inlines = [GrantInline, ProjectInline]


@admin.register(Project)
class ProjectAdmin(ScopedModelAdmin):
    list_display = ("title", "program", "partner", "status", "start_date", "end_date", "budget_sek")
    list_filter = ("status", "program__focus_area", "program")
    search_fields = ("title", "partner__name", "program__title")
    autocomplete_fields = ("program", "partner")
    list_select_related = ("program", "partner")


class PlannedActivityInline(AccessScopedAdminMixin, admin.StackedInline):
    model = PlannedActivity
    extra = 0
    autocomplete_fields = ("project", "network")


@admin.register(ActivityPlan)
class ActivityPlanAdmin(ScopedModelAdmin):
    list_display = ("title", "year", "member_organisation", "partner", "program")
    list_filter = ("year",)
    search_fields = ("title", "member_organisation__name", "partner__name")
    autocomplete_fields = ("program", "member_organisation", "partner", "parent")
    inlines = [PlannedActivityInline]


@admin.register(PlannedActivity)
class PlannedActivityAdmin(ScopedModelAdmin):
    list_display = ("title", "plan", "kind", "target_count", "format", "quarter")
    list_filter = ("kind", "format", "quarter", "plan__year")
    search_fields = ("title", "plan__title")
    autocomplete_fields = ("plan", "project", "network")
    list_select_related = ("plan",)


@admin.register(Activity)
class ActivityAdmin(ScopedModelAdmin):
    list_display = (
        "title",
        "kind",
        "date",
        "place",
        "participants_women",
        "participants_men",
        "participants_youth",
    )
    list_filter = ("kind", "format")
    search_fields = ("title", "place")
    date_hierarchy = "date"
    autocomplete_fields = ("planned", "project", "partner", "member_organisation")

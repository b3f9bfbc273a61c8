from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country

from partners.models import (
    MemberOrganisation,
    NetworkMembership,
    Partner,
    PartnerContact,
    SolidarityNetwork,
)
from partners.regions import region_for_country
from portal.admin_scoping import AccessScopedAdminMixin, ScopedModelAdmin


# Stacked, not tabular: a tabular inline's inputs have no label of their own (axe: label).
class PartnerContactInline(AccessScopedAdminMixin, admin.StackedInline):
    model = PartnerContact
    extra = 0


class PartnerAdminForm(forms.ModelForm):
    """The region follows from the country unless chosen; a country no region is known for
    asks for one in words, not with a bare "This field is required"."""

    class Meta:
        model = Partner
        fields = (
            "name",
            "kind",
            "status",
            "is_confidential",
            "country",
            "region",
            "website",
            "description",
            "partnership_start",
            "partnership_end",
        )
        help_texts = {"region": _("Leave it empty to use the country's region.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].required = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        country = cleaned.get("country")
        if not cleaned.get("region") and country:
            region = region_for_country(str(country))
            if region:
                cleaned["region"] = region
            else:
                self.add_error(
                    "region",
                    _("No region is known for %(country)s: choose the region.")
                    % {"country": Country(str(country)).name},
                )
        return cleaned


@admin.register(Partner)
class PartnerAdmin(ScopedModelAdmin):
    # The admin history names partners and their contact rows by id, never a contact's name.
    form = PartnerAdminForm
    list_display = ("name", "kind", "country", "region", "status", "is_confidential", "pseudonym")
    list_filter = ("kind", "status", "region", "is_confidential")
    search_fields = ("name", "pseudonym")
    readonly_fields = ("pseudonym", "created_at", "updated_at")
    inlines = [PartnerContactInline]
    fieldsets = (
        (None, {"fields": ("name", "kind", "status", "is_confidential", "pseudonym")}),
        (None, {"fields": ("country", "region", "website", "description")}),
        (None, {"fields": ("partnership_start", "partnership_end", "created_at", "updated_at")}),
    )
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_fieldsets(self, request: HttpRequest, obj: Model | None = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            return fieldsets
        # The pseudonym is drawn when the partner is saved: one shown on the empty form would
        # not be the one kept.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "pseudonym"]})
            for name, options in fieldsets
        ]


@admin.register(MemberOrganisation)
class MemberOrganisationAdmin(ScopedModelAdmin):
    list_display = ("name", "kind", "org_number", "municipality")
    list_filter = ("kind",)
    search_fields = ("name", "org_number", "municipality")


class NetworkMembershipInline(AccessScopedAdminMixin, admin.StackedInline):
    model = NetworkMembership
    extra = 0
    autocomplete_fields = ("member_organisation",)


@admin.register(SolidarityNetwork)
class SolidarityNetworkAdmin(ScopedModelAdmin):
    list_display = ("name", "theme")
    search_fields = ("name", "theme")
    autocomplete_fields = ("partners", "programs")
    inlines = [NetworkMembershipInline]

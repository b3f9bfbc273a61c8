from __future__ import annotations

from django.contrib import admin

from partners.models import (
    Contribution,
    MemberOrganisation,
    NetworkMembership,
    Partner,
    PartnerContact,
    SolidarityNetwork,
)
from portal.admin_privacy import NeutralAdminHistoryMixin
from portal.admin_scoping import AccessScopedAdminMixin


# Stacked, not tabular: a tabular inline's inputs have no label of their own (axe: label).
class PartnerContactInline(AccessScopedAdminMixin, admin.StackedInline):
    model = PartnerContact
    extra = 0


@admin.register(Partner)
class PartnerAdmin(NeutralAdminHistoryMixin, AccessScopedAdminMixin, admin.ModelAdmin):
    # The admin history names partners and their contact rows by id, never a contact's name.
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


@admin.register(MemberOrganisation)
class MemberOrganisationAdmin(AccessScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "org_number", "municipality")
    list_filter = ("kind",)
    search_fields = ("name", "org_number", "municipality")


class NetworkMembershipInline(admin.StackedInline):
    model = NetworkMembership
    extra = 0
    autocomplete_fields = ("member_organisation",)


@admin.register(SolidarityNetwork)
class SolidarityNetworkAdmin(AccessScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "theme")
    search_fields = ("name", "theme")
    autocomplete_fields = ("partners", "programs")
    inlines = [NetworkMembershipInline]


@admin.register(Contribution)
class ContributionAdmin(AccessScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "date",
        "kind",
        "member_organisation",
        "donor_name",
        "amount_sek",
        "hours",
        "network",
        "program",
    )
    list_filter = ("kind", "network")
    search_fields = ("member_organisation__name", "donor_name", "note")
    date_hierarchy = "date"
    autocomplete_fields = ("member_organisation", "network", "program")
    list_select_related = ("member_organisation", "network", "program")

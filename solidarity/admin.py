from django.contrib import admin

from portal.admin_scoping import ScopedModelAdmin
from solidarity.models import Contribution, ExpertiseNeed, ExpertiseOffer


@admin.register(Contribution)
class ContributionAdmin(ScopedModelAdmin):
    list_display = (
        "date",
        "kind",
        "member_organisation",
        "donor_name",
        "amount_sek",
        "hours",
        "network",
        "program",
        "status",
    )
    list_filter = ("kind", "status", "network")
    search_fields = ("member_organisation__name", "donor_name", "note")
    date_hierarchy = "date"
    autocomplete_fields = ("member_organisation", "network", "program")
    raw_id_fields = ("pledge",)
    readonly_fields = ("reported_by", "decided_by", "decided_at")
    list_select_related = ("member_organisation", "network", "program")


@admin.register(ExpertiseNeed)
class ExpertiseNeedAdmin(ScopedModelAdmin):
    list_display = ("title", "partner", "network", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("title",)
    autocomplete_fields = ("partner", "network")


@admin.register(ExpertiseOffer)
class ExpertiseOfferAdmin(ScopedModelAdmin):
    list_display = ("title", "member_organisation", "hours", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("title", "member_organisation__name")
    autocomplete_fields = ("member_organisation",)

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from portal.admin_scoping import ScopedModelAdmin
from risks.models import Risk, RiskComment, RiskReassessment


class ReadOnlyRowsMixin:
    """History rows and comments are written by the services on the pages, never edited."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Risk)
class RiskAdmin(ScopedModelAdmin):
    list_display = ("title", "category", "likelihood", "impact", "status", "next_review", "owner")
    list_filter = ("category", "status", "shared_with_partner")
    search_fields = ("title",)
    date_hierarchy = "next_review"
    readonly_fields = ("created_by", "created_at", "updated_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Once recorded, likelihood and impact change through a reassessment (its history row);
        # the partner stays, or the history would follow the risk to another partner.
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += ("partner", "likelihood", "impact")
        return fields


@admin.register(RiskReassessment)
class RiskReassessmentAdmin(ReadOnlyRowsMixin, ScopedModelAdmin):
    list_display = (
        "risk_id",
        "assessed_at",
        "assessed_by",
        "old_likelihood",
        "old_impact",
        "new_likelihood",
        "new_impact",
    )
    date_hierarchy = "assessed_at"


@admin.register(RiskComment)
class RiskCommentAdmin(ReadOnlyRowsMixin, ScopedModelAdmin):
    list_display = ("risk_id", "author", "created_at")
    date_hierarchy = "created_at"

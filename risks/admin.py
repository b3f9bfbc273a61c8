from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from portal.admin_scoping import ScopedModelAdmin
from risks import services
from risks.models import Risk, RiskComment, RiskReassessment


class ReadOnlyRowsMixin:
    """History rows and comments are written by the services on the pages, never edited."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RiskAdminForm(forms.ModelForm):
    """Refuses on the form what the service would refuse on saving (another partner's project,
    an owner who may not read the risk), so that the admin shows an error rather than failing."""

    actor: Any = None

    class Meta:
        model = Risk
        fields = [
            "partner",
            "project",
            "title",
            "description",
            "category",
            "likelihood",
            "impact",
            "mitigation",
            "owner",
            "next_review",
            "status",
            "shared_with_partner",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.actor is None or self.errors:
            return data
        # The values as they will be saved: the form's, or the risk's for fields not on it.
        draft = Risk(
            partner=data.get("partner") or getattr(self.instance, "partner", None),
            project=data.get("project", self.instance.project),
            owner=data.get("owner", self.instance.owner),
        )
        for field, message in services.risk_choice_errors(self.actor, draft).items():
            self.add_error(field if field in self.fields else None, message)
        return data


@admin.register(Risk)
class RiskAdmin(ScopedModelAdmin):
    form = RiskAdminForm
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

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user  # type: ignore[attr-defined]
        return form


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

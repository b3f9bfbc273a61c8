"""Questionnaires are edited here by staff until published (then a new version is a copy);
assessments, answers and comments are shown read-only: partners fill them on their pages and
staff comment on the assessment's page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from assessments import services
from assessments.models import (
    Answer,
    Assessment,
    Dimension,
    DimensionComment,
    Questionnaire,
    Statement,
)
from portal.admin_scoping import AccessScopedAdminMixin, ScopedModelAdmin


def _published(obj: Any) -> bool:
    if isinstance(obj, Questionnaire):
        return obj.published
    if isinstance(obj, Dimension):
        return obj.questionnaire.published
    return False


class DimensionInline(AccessScopedAdminMixin, admin.TabularInline):
    model = Dimension
    extra = 0
    fields = ("ordering", "key", "name_en", "name_sv", "name_es")
    show_change_link = True

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _published(obj) and super().has_change_permission(request, obj)

    has_add_permission = has_change_permission  # type: ignore[assignment]
    has_delete_permission = has_change_permission


class StatementInline(AccessScopedAdminMixin, admin.StackedInline):
    model = Statement
    extra = 0
    fields = ("ordering", "text_en", "text_sv", "text_es")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _published(obj) and super().has_change_permission(request, obj)

    has_add_permission = has_change_permission  # type: ignore[assignment]
    has_delete_permission = has_change_permission


class QuestionnaireForm(forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = ["name", "version", "published"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        instance = self.instance
        if cleaned.get("published") and (
            instance.pk is None
            or not Statement.objects.filter(dimension__questionnaire=instance).exists()
            or Dimension.objects.filter(questionnaire=instance, statements=None).exists()
        ):
            # Said here rather than by the service, whose refusal the admin cannot show.
            self.add_error(
                "published", _("Publish once every dimension has at least one statement.")
            )
        return cleaned


@admin.register(Questionnaire)
class QuestionnaireAdmin(ScopedModelAdmin):
    form = QuestionnaireForm
    list_display = ("name", "version", "published", "published_at")
    list_filter = ("published",)
    readonly_fields = ("published_at", "created_at")
    inlines = [DimensionInline]
    actions = ["new_version"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _published(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _published(obj) and super().has_delete_permission(request, obj)

    @admin.action(description=_("Make a new version to edit (a copy)"))
    def new_version(self, request: HttpRequest, queryset: QuerySet[Questionnaire]) -> None:
        for questionnaire in queryset:
            copy = services.questionnaire_new_version(
                actor=request.user, questionnaire=questionnaire
            )
            self.message_user(
                request,
                _("Version %(version)d is made.") % {"version": copy.version},
                messages.SUCCESS,
            )


@admin.register(Dimension)
class DimensionAdmin(ScopedModelAdmin):
    list_display = ("name_en", "questionnaire", "ordering")
    list_filter = ("questionnaire",)
    inlines = [StatementInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _published(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _published(obj) and super().has_delete_permission(request, obj)


class ReadOnlyAdmin(ScopedModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AnswerInline(AccessScopedAdminMixin, admin.TabularInline):
    model = Answer
    extra = 0
    fields = ("statement", "score", "example")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ("period_label", "partner", "status", "submitted_at")
    list_filter = ("status", "period_label")
    inlines = [AnswerInline]


@admin.register(DimensionComment)
class DimensionCommentAdmin(ReadOnlyAdmin):
    list_display = ("assessment", "dimension", "created_at")

from __future__ import annotations

from django.contrib import admin

from portal.admin_scoping import AccessScopedAdminMixin
from progress.models import ChangeStory, ChangeType, Storyteller, TargetGroup


@admin.register(ChangeType)
class ChangeTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "name_sv", "name_es", "ordering", "is_active")
    list_editable = ("ordering", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name_en", "name_sv", "name_es")

    # Retire a change type instead: stories keep their classification.
    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(TargetGroup)
class TargetGroupAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "name_sv", "name_es", "ordering")
    search_fields = ("code", "name_en", "name_sv", "name_es")


class StorytellerInline(admin.StackedInline):
    model = Storyteller
    extra = 0


@admin.register(ChangeStory)
class ChangeStoryAdmin(AccessScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "reference",
        "title",
        "partner",
        "country",
        "status",
        "significance",
        "event_date",
    )
    list_filter = (
        "status",
        "submitter_role",
        "direction",
        "significance",
        "change_types",
        "target_groups",
    )
    search_fields = ("reference", "title")
    date_hierarchy = "event_date"
    autocomplete_fields = ("partner", "project", "program", "submitted_by")
    filter_horizontal = ("change_types", "target_groups")
    list_select_related = ("partner",)
    readonly_fields = ("reference", "created_at", "updated_at", "submitted_at")
    inlines = [StorytellerInline]

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from portal.models import AccessLog, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "email", "role", "is_cleared", "partner", "is_active", "last_login")
    list_filter = ("role", "is_cleared", "is_active", "is_superuser")
    autocomplete_fields = ("partner", "member_organisation")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (
            _("Role in the portal"),
            {"fields": ("role", "is_cleared", "partner", "member_organisation")},
        ),
    )
    add_fieldsets = (
        *(DjangoUserAdmin.add_fieldsets or ()),
        (
            _("Role in the portal"),
            {"fields": ("role", "is_cleared", "partner", "member_organisation")},
        ),
    )


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "action", "object_type", "object_id", "path")
    list_filter = ("action", "object_type")
    search_fields = ("user__username", "object_id")
    date_hierarchy = "at"
    list_select_related = ("user",)

    # The log is evidence: nobody edits or deletes it through the admin.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

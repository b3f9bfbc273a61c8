from __future__ import annotations

from typing import cast

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from portal import privacy
from portal.admin_privacy import (
    ERASE_DESCRIPTION,
    EXPORT_DESCRIPTION,
    PrivacyActionsMixin,
    erase_after_confirmation,
    json_download,
    subjects_of,
)
from portal.models import AccessLog, User


@admin.register(User)
class UserAdmin(PrivacyActionsMixin, DjangoUserAdmin):
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
    actions = ["export_personal_data", "erase_personal_data"]

    @admin.action(description=EXPORT_DESCRIPTION, permissions=["privacy"])
    def export_personal_data(self, request: HttpRequest, queryset: QuerySet[User]) -> HttpResponse:
        actor = cast(User, request.user)
        document = privacy.user_personal_data_export(actor=actor, users=subjects_of(queryset))
        return json_download(document, kind="users")

    @admin.action(description=ERASE_DESCRIPTION, permissions=["privacy"])
    def erase_personal_data(
        self, request: HttpRequest, queryset: QuerySet[User]
    ) -> HttpResponse | None:
        actor = cast(User, request.user)
        return erase_after_confirmation(
            self,
            request,
            subjects_of(queryset),
            erase=lambda user: privacy.user_erase(actor=actor, user=user),
            describe=lambda user: f"{user.username} (#{user.pk})",
            explanation=str(
                _(
                    "These accounts will be anonymised: name, e-mail and username replaced, "
                    "password and second factor removed, privileges taken away, deactivated. "
                    "Their sessions end at once. The stories, history and links they made stay, "
                    "without their name."
                )
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

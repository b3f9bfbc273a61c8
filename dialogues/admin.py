from __future__ import annotations

from django.contrib import admin

from dialogues.models import AgreedAction, Dialogue, DialogueComment
from portal.admin_scoping import ScopedModelAdmin


@admin.register(Dialogue)
class DialogueAdmin(ScopedModelAdmin):
    # No partner name in the list: the scoping keeps confidential rows from officers, and a
    # dialogue's label is its format and date.
    list_display = ("__str__", "held_on", "format", "notes_confirmed_at")
    list_filter = ("format",)
    date_hierarchy = "held_on"
    # Participants and stories are chosen on the dialogue's page, through the viewer's selectors
    # and the service's checks.
    exclude = ("staff_participants", "partner_participants", "stories")
    readonly_fields = (
        "created_by",
        "notes_confirmed_by",
        "notes_confirmed_at",
        "created_at",
        "updated_at",
    )


@admin.register(AgreedAction)
class AgreedActionAdmin(ScopedModelAdmin):
    list_display = ("__str__", "due_on", "status", "owner_is_partner")
    list_filter = ("status", "owner_is_partner")
    date_hierarchy = "due_on"
    readonly_fields = ("owner_is_partner", "closed_at", "closed_by", "created_at", "updated_at")


@admin.register(DialogueComment)
class DialogueCommentAdmin(ScopedModelAdmin):
    list_display = ("__str__", "dialogue", "created_at")
    readonly_fields = ("dialogue", "author", "created_at")

    def has_add_permission(self, request: object) -> bool:
        # Comments are written on the dialogue's page, by the partner and staff.
        return False

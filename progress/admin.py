from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from portal.admin_scoping import AccessScopedAdminMixin, ScopedModelAdmin
from progress import links
from progress.models import (
    ChangeStory,
    ChangeType,
    StoryAttachment,
    Storyteller,
    SubmissionLink,
    TargetGroup,
)


@admin.register(ChangeType)
class ChangeTypeAdmin(ScopedModelAdmin):
    list_display = ("code", "name_en", "name_sv", "name_es", "ordering", "is_active")
    list_editable = ("ordering", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name_en", "name_sv", "name_es")

    # Retire a change type instead: stories keep their classification.
    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(TargetGroup)
class TargetGroupAdmin(ScopedModelAdmin):
    list_display = ("code", "name_en", "name_sv", "name_es", "ordering")
    search_fields = ("code", "name_en", "name_sv", "name_es")


class StorytellerInline(AccessScopedAdminMixin, admin.StackedInline):
    model = Storyteller
    extra = 0


class StoryAttachmentInline(AccessScopedAdminMixin, admin.StackedInline):
    """What is attached, read-only: files come in only through the story form's checks.

    An upload here would skip the content check and the removal of location data; a deletion
    here would drop the row and leave the file behind (withdrawing consent erases both).
    """

    model = StoryAttachment
    extra = 0
    can_delete = False
    fields = ("kind", "original_name", "content_type", "size", "uploaded_at", "open_link")
    readonly_fields = fields

    @admin.display(description=_("file"))
    def open_link(self, obj: StoryAttachment) -> SafeString:
        # Through the access-checked view; there is no media URL.
        return format_html(
            '<a href="{}">{}</a>', reverse("story-attachment", args=[obj.pk]), _("Open")
        )

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ChangeStory)
class ChangeStoryAdmin(ScopedModelAdmin):
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
    # A few checkboxes each: filter_horizontal's script adds an aria-label to a bare span
    # (axe: aria-prohibited-attr), and six choices need no filtering.
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    list_select_related = ("partner",)
    # Consent is withdrawn through the story's page, whose service erases the words with it;
    # a date typed here would claim a withdrawal that erased nothing.
    readonly_fields = (
        "reference",
        "created_at",
        "updated_at",
        "submitted_at",
        "consent_withdrawn_at",
    )
    inlines = [StorytellerInline, StoryAttachmentInline]


@admin.register(SubmissionLink)
class SubmissionLinkAdmin(ScopedModelAdmin):
    list_display = ("label", "partner", "state", "uses", "max_uses", "expires_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("label",)
    list_select_related = ("partner",)
    # Links are made on the links page, where their rules (days, cap, scope) apply; here they can
    # be relabelled or revoked. Where a link points and what it counted stays as it was.
    readonly_fields = (
        "token",
        "partner",
        "project",
        "created_by",
        "created_at",
        "expires_at",
        "max_uses",
        "uses",
    )
    fields = (
        "label",
        "token",
        "partner",
        "project",
        "created_by",
        "created_at",
        "expires_at",
        "max_uses",
        "uses",
        "revoked_at",
    )

    @admin.display(description=_("state"))
    def state(self, obj: SubmissionLink) -> str:
        return str(links.STATE_LABELS[links.link_state(obj)])

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

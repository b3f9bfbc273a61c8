from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from portal import access, privacy
from portal.admin_privacy import (
    ERASE_DESCRIPTION,
    EXPORT_DESCRIPTION,
    NeutralAdminHistoryMixin,
    PrivacyActionsMixin,
    erase_after_confirmation,
    json_download,
    subjects_of,
)
from portal.admin_scoping import AccessScopedAdminMixin
from portal.models import User
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


@admin.register(Storyteller)
class StorytellerAdmin(NeutralAdminHistoryMixin, PrivacyActionsMixin, admin.ModelAdmin):
    """Where an administrator answers a storyteller's request: find their records by name or
    contact, export them, or erase them with their words.

    Read-only: storytellers are recorded and corrected on their story. No deletion here either:
    a deleted record would leave the story's words behind; the erasure action removes both.
    """

    list_display = ("name", "contact", "story_reference", "story_status")
    search_fields = ("name", "contact", "story__reference")
    list_select_related = ("story",)
    fields = ("name", "contact", "story")
    readonly_fields = fields
    actions = ["export_personal_data", "erase_personal_data"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Storyteller]:
        # Scoped like the stories they told: nobody meets a storyteller of a story they may not see.
        return (
            super()
            .get_queryset(request)
            .filter(story__in=access.visible_stories(request.user).values("pk"))
        )

    @admin.display(description=_("story"), ordering="story__reference")
    def story_reference(self, obj: Storyteller) -> str:
        return obj.story.reference

    @admin.display(description=_("status"), ordering="story__status")
    def story_status(self, obj: Storyteller) -> str:
        return str(obj.story.get_status_display())

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Never from this admin's own pages; a story deleted in its admin still takes its
        # storyteller along (Django asks this admin about every row the deletion cascades to).
        match = request.resolver_match
        if match is None or (match.url_name or "").startswith("progress_storyteller_"):
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description=EXPORT_DESCRIPTION, permissions=["privacy"])
    def export_personal_data(
        self, request: HttpRequest, queryset: QuerySet[Storyteller]
    ) -> HttpResponse:
        document = privacy.storyteller_personal_data_export(
            actor=cast(User, request.user), storytellers=subjects_of(queryset)
        )
        return json_download(document, kind="storytellers")

    @admin.action(description=ERASE_DESCRIPTION, permissions=["privacy"])
    def erase_personal_data(
        self, request: HttpRequest, queryset: QuerySet[Storyteller]
    ) -> HttpResponse | None:
        actor = cast(User, request.user)
        return erase_after_confirmation(
            self,
            request,
            subjects_of(queryset).select_related("story"),
            erase=lambda storyteller: privacy.storyteller_erase(
                actor=actor, storyteller=storyteller
            ),
            describe=lambda storyteller: f"{storyteller} ({storyteller.story.reference})",
            explanation=str(
                _(
                    "The storytellers' names and contacts will be erased, and their stories' "
                    "words, places and attachments with them, as when consent is withdrawn. "
                    "Where they had agreed to their story being kept, its classification stays "
                    "as an anonymous count; otherwise the story is deleted."
                )
            ),
        )


class StoryAttachmentInline(admin.StackedInline):
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
class ChangeStoryAdmin(NeutralAdminHistoryMixin, AccessScopedAdminMixin, admin.ModelAdmin):
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
class SubmissionLinkAdmin(AccessScopedAdminMixin, admin.ModelAdmin):
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

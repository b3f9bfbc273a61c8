"""The data-subject actions in the Django admin: export and erasure of users and storytellers.

Exporting and erasing a person's data is the administrator's alone (``has_privacy_permission``).
The work is done by ``privacy.services``; here are the download, the confirmation page before
an erasure, the users' admin with its two actions, and the storytellers' admin, which exists
for these requests: find a storyteller's records by name or contact, export them, erase them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.admin import UserAdmin
from portal.admin_history import NeutralAdminHistoryMixin
from portal.admin_scoping import RefuseConfidentialLookupsMixin
from portal.models import User
from privacy import services as privacy
from privacy.documents import export_json
from progress.models import Storyteller
from progress.selectors import visible_stories

M = TypeVar("M", bound=Model)

EXPORT_DESCRIPTION = gettext_lazy("Export personal data (JSON)")
ERASE_DESCRIPTION = gettext_lazy("Erase personal data")


class PrivacyActionsMixin:
    """Makes ``permissions=["privacy"]`` on an admin action mean: administrators only."""

    def has_privacy_permission(self, request: HttpRequest) -> bool:
        user: Any = request.user
        return bool(getattr(user, "is_admin", False))


def json_download(document: dict[str, Any], *, kind: str) -> HttpResponse:
    """The export as a file; no name of the subject in the file name, only the time."""
    response = HttpResponse(export_json(document), content_type="application/json; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="personal-data-{kind}-{stamp}.json"'
    return response


def erase_after_confirmation(
    model_admin: admin.ModelAdmin[M],
    request: HttpRequest,
    queryset: QuerySet[M],
    *,
    erase: Callable[[M], object],
    describe: Callable[[M], str],
    explanation: str,
) -> HttpResponse | None:
    """First a page that lists whom the erasure will touch; then, once confirmed, one erasure
    (one transaction) per subject, and a message saying how many went and which were refused."""
    if not request.POST.get("post"):
        opts = model_admin.model._meta
        context = {
            **model_admin.admin_site.each_context(request),
            "title": _("Erase personal data"),
            "subtitle": None,
            "opts": opts,
            "subjects": [describe(obj) for obj in queryset],
            "queryset": queryset,
            "explanation": explanation,
            "action_name": request.POST.get("action", ""),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "changelist_url": request.get_full_path(),
        }
        request.current_app = model_admin.admin_site.name
        return TemplateResponse(request, "admin/privacy_erase_confirmation.html", context)
    erased, refused = 0, []
    for obj in queryset:
        try:
            erase(obj)
        except (ValidationError, PermissionDenied, ObjectDoesNotExist):
            refused.append(describe(obj))
        else:
            erased += 1
    if erased:
        model_admin.message_user(
            request,
            _("Erased the personal data of %(count)d records.") % {"count": erased},
            messages.SUCCESS,
        )
    if refused:
        model_admin.message_user(
            request,
            _("Not erased: %(subjects)s.") % {"subjects": ", ".join(refused)},
            messages.ERROR,
        )
    return None


def subjects_of(queryset: QuerySet[M]) -> QuerySet[M]:
    """The selected subjects in a stable order: the export lists them, the erasure goes by."""
    return queryset.order_by("pk")


# Registered by portal with the account fields; registered again here with the privacy actions.
admin.site.unregister(User)


@admin.register(User)
class PrivacyUserAdmin(PrivacyActionsMixin, UserAdmin):
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


@admin.register(Storyteller)
class StorytellerAdmin(
    NeutralAdminHistoryMixin, RefuseConfidentialLookupsMixin, PrivacyActionsMixin, admin.ModelAdmin
):
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
            .filter(story__in=visible_stories(request.user).values("pk"))
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

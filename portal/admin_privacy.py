"""Privacy in the Django admin: the data-subject actions, and an admin history without words.

Staff reach parts of the admin to manage partners, programmes and stories; exporting and erasing
a person's data is the administrator's alone (``has_privacy_permission``). The work is done by
``portal.privacy``; here are the download and the confirmation page before an erasure.

Django's own admin history (``django_admin_log``, the "Recent actions" and each object's
"History") names every object by ``str(obj)``, which is a story's title, and every inline row it
touched, which is a storyteller's or a contact's name. ``NeutralAdminHistoryMixin`` writes those
entries with the model and id instead, and ``[redacted]`` for the inline rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar, cast

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.models import ADDITION, CHANGE, DELETION
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import privacy
from portal.audit import neutral_object_repr

M = TypeVar("M", bound=Model)

EXPORT_DESCRIPTION = gettext_lazy("Export personal data (JSON)")
ERASE_DESCRIPTION = gettext_lazy("Erase personal data")


def _admin_history(
    request: HttpRequest, objects: Iterable[Model], action_flag: int, message: object = ""
) -> list[AdminLogEntry]:
    entries = [
        AdminLogEntry(
            user_id=cast(int, request.user.pk),
            content_type_id=ContentType.objects.get_for_model(obj, for_concrete_model=False).pk,
            object_id=str(obj.pk),
            object_repr=neutral_object_repr(obj._meta.model_name or "", obj.pk),
            action_flag=action_flag,
            change_message=privacy.redacted_change_message(message),
        )
        for obj in objects
    ]
    return AdminLogEntry.objects.bulk_create(entries)


class NeutralAdminHistoryMixin:
    """For the admins of records whose ``str()`` or inline rows are personal data or story text."""

    def log_addition(self, request: HttpRequest, obj: Model, message: object) -> AdminLogEntry:
        return _admin_history(request, [obj], ADDITION, message)[0]

    def log_change(self, request: HttpRequest, obj: Model, message: object) -> AdminLogEntry:
        return _admin_history(request, [obj], CHANGE, message)[0]

    def log_deletions(self, request: HttpRequest, queryset: Iterable[Model]) -> list[AdminLogEntry]:
        return _admin_history(request, queryset, DELETION)


class PrivacyActionsMixin:
    """Makes ``permissions=["privacy"]`` on an admin action mean: administrators only."""

    def has_privacy_permission(self, request: HttpRequest) -> bool:
        user: Any = request.user
        return bool(getattr(user, "is_admin", False))


def json_download(document: dict[str, Any], *, kind: str) -> HttpResponse:
    """The export as a file; no name of the subject in the file name, only the time."""
    response = HttpResponse(
        privacy.export_json(document), content_type="application/json; charset=utf-8"
    )
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

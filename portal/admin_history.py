"""An admin history without words: Django's own history names objects by model and id.

Django's admin history (``django_admin_log``, the "Recent actions" and each object's "History")
names every object by ``str(obj)``, which is a story's title or a confidential project's, and
every inline row it touched, which is a storyteller's or a contact's name.
``NeutralAdminHistoryMixin`` writes those entries with the model and id instead, and
``[redacted]`` for the inline rows; ``scrub_admin_history`` rewrites the entries of one record
so (the privacy app's erasure uses it).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import cast

from django.contrib.admin.models import ADDITION, CHANGE, DELETION
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.http import HttpRequest

from portal.audit import REDACTED, neutral_object_repr


def redacted_change_message(message: object) -> str:
    """An admin change message without the names of the inline rows it mentions.

    Django stores ``[{"changed": {"fields": [...]}}, {"added": {"name": "storyteller",
    "object": "<str(row)>"}}, ...]``; the field labels stay, each row's ``str()`` is replaced.
    A message that is not such a list (a free-text one) is replaced whole.
    """
    if isinstance(message, str):
        if not message:
            return ""
        try:
            message = json.loads(message)
        except ValueError:
            return REDACTED
    if not isinstance(message, list):
        return REDACTED
    for part in message:
        for change in part.values() if isinstance(part, dict) else ():
            if isinstance(change, dict) and "object" in change:
                change["object"] = REDACTED
    return json.dumps(message)


def scrub_admin_history(model: type[Model], object_id: int) -> None:
    """Rewrite the admin history of one record as ``NeutralAdminHistoryMixin`` writes it now."""
    content_type = ContentType.objects.get_for_model(model)
    entries = AdminLogEntry.objects.filter(content_type=content_type, object_id=str(object_id))
    for entry in entries:
        entry.object_repr = neutral_object_repr(content_type.model, object_id)
        entry.change_message = redacted_change_message(entry.change_message)
        entry.save(update_fields=["object_repr", "change_message"])


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
            change_message=redacted_change_message(message),
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

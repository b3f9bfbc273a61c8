"""Keeps the files of report evidence in step with their rows."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from results.models import ReportAttachment


@receiver(post_delete, sender=ReportAttachment)
def delete_evidence_file(
    sender: type[ReportAttachment], instance: ReportAttachment, **kwargs: Any
) -> None:
    """Remove the file once the row's deletion has committed, however the row went (removed on
    the report page, or with its project in the admin); a rolled-back deletion keeps it."""
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))

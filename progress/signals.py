"""Keeps the files of attachments in step with their rows."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from progress.models import StoryAttachment


@receiver(post_delete, sender=StoryAttachment)
def delete_attachment_file(
    sender: type[StoryAttachment], instance: StoryAttachment, **kwargs: Any
) -> None:
    """Remove the file once the row's deletion has committed, however the row went.

    A story deleted in the admin cascades to its attachments without calling any service; a
    photo of a person must not outlive its story on disk. After commit, so that a rolled-back
    deletion keeps its file.
    """
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))

"""What the privacy tests share: a storyteller with recognisable words, and admin action posts."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from auditlog.models import LogEntry
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from partners.models import Partner
from progress.models import ChangeStory, ChangeType, Storyteller
from tests import factories

if TYPE_CHECKING:
    # What the test client returns: a response with the template context attached.
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

# Words that must reach an export of their own subject and never an audit entry or a log line.
NARRATIVE = "At night the dockers' union of Izmir elected Ayşe Demir as its secretary."
TITLE = "The dockers elect a secretary"
LOCALITY = "Alsancak harbour"
REASON = "The first woman to lead the dockers."
CONTRIBUTION = "The organising course in Ankara."
NAME = "Ayşe Demir"
CONTACT = "ayse.demir@example.org"
SECRETS = (NARRATIVE, TITLE, LOCALITY, REASON, CONTRIBUTION, NAME, CONTACT)


def told_story(partner: Partner, *, status: str = ChangeStory.Status.VERIFIED) -> Storyteller:
    """A story in the storyteller's words (the SECRETS), classified, with its storyteller."""
    story = factories.StoryFactory.create(
        partner=partner,
        title=TITLE,
        narrative=NARRATIVE,
        locality=LOCALITY,
        significance_reason=REASON,
        contribution_text=CONTRIBUTION,
        status=status,
    )
    story.change_types.add(ChangeType.objects.get(code="other"))
    return Storyteller.objects.create(story=story, name=NAME, contact=CONTACT)


def changelist(model: type[Model]) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def run_action(
    client: Client, model: type[Model], action: str, objects: Iterable[Model], *, confirm: bool
) -> TestResponse:
    data: dict[str, object] = {
        "action": action,
        ACTION_CHECKBOX_NAME: [obj.pk for obj in objects],
    }
    if confirm:
        data["post"] = "yes"
    return client.post(changelist(model), data)


def privacy_entries(duty: str) -> list[LogEntry]:
    return list(
        LogEntry.objects.filter(additional_data__privacy_duty=duty)
        .select_related("content_type")
        .order_by("pk")
    )


def audit_dump(entries: Iterable[LogEntry]) -> str:
    """Every column of the entries that could hold content, as one searchable text."""
    return "\n".join(
        json.dumps(
            [
                entry.object_repr,
                entry.changes,
                entry.changes_text,
                entry.serialized_data,
                entry.additional_data,
                entry.actor_email,
            ],
            default=str,
            ensure_ascii=False,
        )
        for entry in entries
    )

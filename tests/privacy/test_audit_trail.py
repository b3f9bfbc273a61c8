"""The audit trail records changes to partners, projects and stories, and never a story's words,
a storyteller's name, or a description that could name people and places."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib import admin
from django.contrib.admin.models import CHANGE
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.test import Client, RequestFactory
from django.urls import reverse

from conftest import World
from partners.models import Partner
from portal import audit
from privacy import services as privacy
from programs.models import Project
from progress import audit as story_audit
from progress.models import ChangeStory, Storyteller
from tests.form_data import story_form_data
from tests.privacy.common import (
    CONTACT,
    CONTRIBUTION,
    LOCALITY,
    NAME,
    NARRATIVE,
    REASON,
    SECRETS,
    TITLE,
    audit_dump,
    run_action,
    told_story,
)

EDITED_NARRATIVE = NARRATIVE + " The harbour master refused to meet her."
PARTNER_DESCRIPTION = "Meets in the back room of the Konak tea house."
PROJECT_DESCRIPTION = "Organising course for the women of the Alsancak docks."


def _story_data(world: World, **overrides: object) -> dict[str, object]:
    words = {
        "title": TITLE,
        "narrative": NARRATIVE,
        "locality": LOCALITY,
        "significance_reason": REASON,
        "contribution_text": CONTRIBUTION,
        "storyteller_name": NAME,
        "storyteller_contact": CONTACT,
    }
    return story_form_data(world, **{**words, **overrides})


def test_it_records_a_story_s_life_without_its_words(
    world: World, client_as: Callable[[str], Client], capsys: pytest.CaptureFixture[str]
) -> None:
    partner, staff = client_as("partner"), client_as("staff")
    assert partner.post(reverse("story-create"), _story_data(world)).status_code == 302
    story = ChangeStory.objects.get(title=TITLE)
    review = reverse("story-review", args=[story.pk])
    staff.post(review, {"action": "returned", "comment": "Does she agree to be named?"})
    answer = _story_data(world, narrative=EDITED_NARRATIVE, title=TITLE + " again")
    answer.pop("form_token")
    assert partner.post(reverse("story-edit", args=[story.pk]), answer).status_code == 302
    staff.post(review, {"action": "verified"})
    partner.post(reverse("story-withdraw-consent", args=[story.pk]))
    story.refresh_from_db()
    assert story.consent_withdrawn_at is not None

    story_entries = LogEntry.objects.get_for_object(story).order_by("pk")
    actions = [entry.action for entry in story_entries]
    assert actions[0] == LogEntry.Action.CREATE
    assert actions.count(LogEntry.Action.UPDATE) >= 4  # change types, submit, return, edit…
    actors = {entry.actor for entry in story_entries}
    assert actors == {world.users["partner"], world.users["staff"]}
    statuses = [entry.changes["status"] for entry in story_entries if "status" in entry.changes]
    assert ["submitted", "returned"] in statuses and ["submitted", "verified"] in statuses
    assert any("consent_withdrawn_at" in entry.changes for entry in story_entries)
    assert any(entry.changes.get("change_types") for entry in story_entries)
    # The edit and the erasure are on record: which words changed, by whom and when; not what
    # they say, only whether there were any.
    narrative_changes = [
        entry.changes["narrative"] for entry in story_entries if "narrative" in entry.changes
    ]
    assert narrative_changes == [
        ["", audit.REDACTED],  # written
        [audit.REDACTED, audit.REDACTED],  # edited
        [audit.REDACTED, ""],  # erased with the consent
    ]
    storyteller_type = ContentType.objects.get_for_model(Storyteller)
    storyteller_actions = list(
        LogEntry.objects.filter(content_type=storyteller_type)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert storyteller_actions == [LogEntry.Action.CREATE, LogEntry.Action.DELETE]

    rows = LogEntry.objects.all()
    dump = audit_dump(rows)
    secrets = (*SECRETS, EDITED_NARRATIVE, TITLE + " again", "Does she agree")
    leaks = [secret for secret in secrets if secret in dump]
    assert not leaks, f"in the audit trail: {leaks}"
    assert {entry.object_repr for entry in story_entries} == {f"changestory #{story.pk}"}
    with capsys.disabled():
        print(
            f"\naudit trail: {rows.count()} rows ({story_entries.count()} of the story) "
            f"searched for {len(secrets)} pieces of its text"
        )


def test_it_records_partners_and_projects_without_their_descriptions(world: World) -> None:
    partner = Partner.objects.get(pk=world.hidden.pk)
    partner.description = PARTNER_DESCRIPTION
    partner.status = Partner.Status.PAUSED
    partner.save()
    project = Project.objects.get(pk=world.hidden_project.pk)
    project.description = PROJECT_DESCRIPTION
    project.save()

    (partner_change,) = LogEntry.objects.get_for_object(partner).filter(
        action=LogEntry.Action.UPDATE
    )
    assert partner_change.changes == {
        "status": ["active", "paused"],
        "description": [audit.REDACTED, audit.REDACTED],
    }
    (project_change,) = LogEntry.objects.get_for_object(project).filter(
        action=LogEntry.Action.UPDATE
    )
    assert project_change.changes == {"description": ["", audit.REDACTED]}
    dump = audit_dump(LogEntry.objects.all())
    assert PARTNER_DESCRIPTION not in dump and PROJECT_DESCRIPTION not in dump
    assert "Works in Izmir." not in dump  # the world's description of Hidden, at creation
    # The name is recorded as a change (admins only read the trail), never as the entry's label.
    assert partner_change.object_repr == f"partner #{partner.pk}"


def test_it_puts_every_story_field_on_one_side_or_the_other() -> None:
    """A new field of the story must be placed in progress/audit.py: recorded, or never."""
    fields = {field.name for field in ChangeStory._meta.concrete_fields}
    audited = set(story_audit.STORY_AUDITED_FIELDS)
    redacted = set(story_audit.STORY_REDACTED_FIELDS)
    unaudited = set(story_audit.STORY_UNAUDITED_FIELDS)
    placed = audited | redacted | unaudited
    assert len(placed) == len(audited) + len(redacted) + len(unaudited), "placed twice"
    assert fields == placed, (
        f"unplaced: {sorted(fields - placed)}; no longer on the model: {sorted(placed - fields)}"
    )
    relations = {field.name for field in ChangeStory._meta.many_to_many}
    assert relations == set(story_audit.STORY_AUDITED_RELATIONS)
    text_fields = {
        field.name
        for field in ChangeStory._meta.concrete_fields
        if isinstance(field, models.TextField)
    }
    assert text_fields <= redacted | unaudited
    registered = auditlog.get_model_fields(ChangeStory)
    assert set(registered["include_fields"]) == audited | redacted
    assert registered["mask_fields"] == list(story_audit.STORY_REDACTED_FIELDS)
    storyteller = auditlog.get_model_fields(Storyteller)
    assert set(storyteller["include_fields"]) == {"id", "story", "name", "contact"}
    assert storyteller["mask_fields"] == ["name", "contact"]
    for model in (ChangeStory, Storyteller, Partner, Project):
        assert auditlog.get_model_fields(model)["mask_callable"] == audit.REDACT_CALLABLE
        assert auditlog.get_serialize_options(model)["serialize_data"] is False
    assert audit.redact(NARRATIVE) == audit.REDACTED and audit.redact("None") == ""


def test_it_keeps_titles_and_names_out_of_the_admin_history(
    world: World, client_as: Callable[[str], Client], capsys: pytest.CaptureFixture[str]
) -> None:
    admin_user = world.users["admin"]
    storyteller, other = told_story(world.alpha), told_story(world.beta)
    inline_change = [{"changed": {"name": "storyteller", "object": NAME, "fields": ["Name"]}}]
    # An entry as Django writes it by default: the story's title, the storyteller's name.
    AdminLogEntry.objects.log_actions(
        user_id=admin_user.pk,
        queryset=[storyteller.story],
        action_flag=CHANGE,
        change_message=inline_change,
    )
    assert TITLE in AdminLogEntry.objects.get().object_repr

    # What the story admin writes: a change, and a deletion through its action.
    request = RequestFactory().post("/")
    request.user = admin_user
    admin.site._registry[ChangeStory].log_change(request, storyteller.story, inline_change)
    response = run_action(
        client_as("admin"), ChangeStory, "delete_selected", [other.story], confirm=True
    )
    assert response.status_code == 302
    assert not ChangeStory.objects.filter(pk=other.story_id).exists()
    new_entries = AdminLogEntry.objects.order_by("pk")[1:]
    assert [entry.object_repr for entry in new_entries] == [
        f"changestory #{storyteller.story_id}",
        f"changestory #{other.story_id}",
    ]
    assert "Name" in new_entries[0].get_change_message()  # which fields changed stays

    # Erasing the storyteller rewrites the old entry too.
    privacy.storyteller_erase(actor=admin_user, storyteller=storyteller)
    rows = AdminLogEntry.objects.all()
    dump = "\n".join(f"{row.object_repr} {row.change_message}" for row in rows)
    assert TITLE not in dump and NAME not in dump
    with capsys.disabled():
        print(f"\nadmin history: {rows.count()} rows free of the title and the name")

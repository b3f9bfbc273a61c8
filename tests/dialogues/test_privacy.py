"""The data subject's rights over dialogues: the export lists what a user took part in, wrote
and owns; an erased user's dialogues, comments and actions stay but no longer name them."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from conftest import World
from dialogues import services
from dialogues.models import Dialogue
from privacy import services as privacy
from privacy.documents import export_json
from tests import factories

TODAY = dt.date.today()


def _dialogue(world: World) -> Dialogue:
    staff, partner = world.users["staff"], world.users["partner"]
    dialogue = services.dialogue_save(
        actor=staff,
        dialogue=Dialogue(
            partner=world.alpha, held_on=TODAY, format="visit", notes="NOTES-MARK words"
        ),
        staff_participants=[staff],
        partner_participants=[partner],
        actions=[
            services.ActionDraft("ACTION-MARK for staff", TODAY, staff),
            services.ActionDraft("ACTION-MARK for the partner", TODAY),
        ],
    )
    services.dialogue_comment(actor=partner, dialogue=dialogue, text="COMMENT-MARK of mine")
    services.notes_confirm(actor=partner, dialogue=dialogue)
    return dialogue


def test_the_export_lists_dialogues_comments_and_actions_without_others_words(
    world: World,
) -> None:
    dialogue = _dialogue(world)
    other = factories.DialogueFactory.create(partner=world.beta)
    document = privacy.user_personal_data_export(
        actor=world.users["admin"], users=[world.users["partner"], world.users["staff"]]
    )
    text = export_json(document)
    partner_subject, staff_subject = json.loads(text)["subjects"]
    mine = partner_subject["partner_dialogues"]
    assert [row["id"] for row in mine["dialogues"]] == [dialogue.pk]
    assert mine["dialogues"][0]["took_part"] and mine["dialogues"][0]["confirmed_the_notes_at"]
    assert [row["text"] for row in mine["dialogue_comments"]] == ["COMMENT-MARK of mine"]
    assert mine["agreed_actions"] == []  # the partner's actions belong to the organisation
    staffs = staff_subject["partner_dialogues"]
    assert staffs["dialogues"][0]["wrote_it"]
    assert [row["owns_it"] for row in staffs["agreed_actions"]] == [True]
    assert other.pk not in [row["id"] for row in staffs["dialogues"]]
    assert "NOTES-MARK" not in text and "ACTION-MARK" not in text


def test_an_erased_user_is_no_longer_named_by_the_dialogues_they_took_part_in(
    world: World, client_as: Callable[[str], Client]
) -> None:
    partner = world.users["partner"]
    partner.first_name, partner.last_name = "Rosa", "Quispe"
    partner.save()
    dialogue = _dialogue(world)
    staff = client_as("staff")
    page = reverse("dialogue-detail", args=[dialogue.pk])
    assert "Rosa Quispe" in staff.get(page).content.decode()
    privacy.user_erase(actor=world.users["admin"], user=partner)
    body = staff.get(page).content.decode()
    assert "Rosa" not in body and ">partner<" not in body
    assert f"erased-{partner.pk}" in body
    # The records stay: the comment, the confirmation, the participation.
    dialogue.refresh_from_db()
    assert dialogue.notes_confirmed_by_id == partner.pk
    assert dialogue.comments.get().author_id == partner.pk
    assert list(dialogue.partner_participants.all()) == [partner]
    # Saving the dialogue again keeps the erased participant.
    edit = reverse("dialogue-edit", args=[dialogue.pk])
    form = staff.get(edit).context["form"]
    data = {
        "held_on": TODAY.isoformat(),
        "format": "visit",
        "notes": dialogue.notes,
        "staff_participants": [p.pk for p in form.initial["staff_participants"]],
        "partner_participants": [p.pk for p in form.initial["partner_participants"]],
        "actions-TOTAL_FORMS": "0",
        "actions-INITIAL_FORMS": "0",
    }
    assert staff.post(edit, data).status_code == 302
    assert list(dialogue.partner_participants.all()) == [partner]

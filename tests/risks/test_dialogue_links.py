"""A risk noted as discussed in a dialogue (issue #12: "stories and risks can be linked to the
dialogue where they were discussed"): staff note it on the dialogue's page, each reader sees the
risks it may read there."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from conftest import World
from risks.models import Risk
from tests import factories


def test_staff_note_a_risk_discussed_and_each_reader_sees_what_it_may(
    world: World, client_as: Callable[[str], Client]
) -> None:
    dialogue = factories.DialogueFactory.create(partner=world.alpha)
    shared = factories.RiskFactory.create(
        partner=world.alpha, title="Election violence", shared_with_partner=True
    )
    unshared = factories.RiskFactory.create(partner=world.alpha, title="Treasurer leaves")
    factories.RiskFactory.create(partner=world.beta, title="Another partner's risk")
    page = reverse("dialogue-detail", args=[dialogue.pk])
    staff = client_as("officer")
    body = staff.get(page).content.decode()
    # The choice offers the partner's open risks only.
    assert "Election violence" in body and "Another partner&#x27;s risk" not in body
    link = reverse("dialogue-risk-link", args=[dialogue.pk])
    for risk in (shared, unshared):
        assert staff.post(link, {"risk": risk.pk})["Location"] == page
    assert set(Risk.objects.filter(dialogues=dialogue)) == {shared, unshared}
    assert "Treasurer leaves" in staff.get(page).content.decode()
    partner_body = client_as("partner").get(page).content.decode()
    assert "Election violence" in partner_body and "Treasurer leaves" not in partner_body
    # Another partner's risk, or no such risk: a 400 with its reason; the partner may not note.
    other = Risk.objects.get(partner=world.beta)
    assert staff.post(link, {"risk": other.pk}).status_code == 400
    assert staff.post(link, {"risk": "x"}).status_code == 400
    assert client_as("partner").post(link, {"risk": shared.pk}).status_code == 404


def test_an_officer_meets_no_confidential_partners_dialogue_to_note_a_risk_in(
    world: World, client_as: Callable[[str], Client]
) -> None:
    dialogue = factories.DialogueFactory.create(partner=world.hidden)
    risk = factories.RiskFactory.create(partner=world.hidden)
    link = reverse("dialogue-risk-link", args=[dialogue.pk])
    assert client_as("officer").post(link, {"risk": risk.pk}).status_code == 404
    assert not risk.dialogues.exists()
    assert client_as("staff").post(link, {"risk": risk.pk}).status_code == 302
    assert list(risk.dialogues.all()) == [dialogue]

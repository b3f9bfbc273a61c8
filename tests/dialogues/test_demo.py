"""The demo's dialogues: what the brief of issue #12 asks the demo to show."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from conftest import login
from demo.dialogues import seed_dialogues
from dialogues.models import AgreedAction, Dialogue
from portal.models import User


@pytest.fixture
def demo(db: None, settings: object) -> None:
    settings.DEBUG = True  # type: ignore[attr-defined]
    call_command("seed_demo", stories=40, verbosity=0)


def test_the_demo_holds_dialogues_with_every_kind_of_action(demo: None) -> None:
    partner_user = User.objects.get(username="partner")
    today = dt.date.today()
    assert Dialogue.objects.values("partner").distinct().count() >= 3
    own = Dialogue.objects.filter(partner=partner_user.partner)
    assert own.count() >= 2
    actions = AgreedAction.objects.all()
    assert set(actions.values_list("status", flat=True)) == set(AgreedAction.Status.values)
    assert actions.filter(status="open", due_on__lt=today).exists()
    assert actions.filter(owner_is_partner=True).exists()
    assert actions.filter(owner_user__username="staff").exists()
    assert own.filter(notes_confirmed_at__isnull=True).exclude(notes="").exists()
    assert own.filter(comments__isnull=False).exists()
    assert Dialogue.objects.filter(stories__isnull=False).exists()
    assert seed_dialogues() == 0  # a second run holds nothing new


def test_the_officer_meets_no_dialogue_of_a_confidential_partner(demo: None) -> None:
    officer = login(Client(), User.objects.get(username="officer"))
    hidden = Dialogue.objects.filter(partner__is_confidential=True)
    assert hidden.exists()
    body = officer.get(reverse("dialogue-list")).content.decode()
    for dialogue in hidden:
        assert reverse("dialogue-detail", args=[dialogue.pk]) not in body
        assert dialogue.partner.name not in body
        detail = officer.get(reverse("dialogue-detail", args=[dialogue.pk]))
        assert detail.status_code == 404
    dashboard = officer.get(reverse("dashboard")).content.decode()
    assert not any(dialogue.partner.name in dashboard for dialogue in hidden)

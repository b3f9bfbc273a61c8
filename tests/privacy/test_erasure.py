"""Erasure: a user anonymised and shut out, a storyteller erased with their words, the report
figures still equal to a full rebuild, and an audit entry for each."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django import DjangoCaptureOnCommitCallbacks

from conftest import World
from portal.models import User
from privacy import services as privacy
from progress.models import ChangeStory, Storyteller
from reporting import aggregates
from reporting.models import StoryAggregate
from tests import factories
from tests.form_data import story_form_data
from tests.privacy.common import (
    CONTACT,
    NAME,
    SECRETS,
    audit_dump,
    privacy_entries,
    run_action,
    told_story,
)

COUNTS = ("story_count", "significance_sum")


def _aggregate_table(*, leave_out: tuple[str, ...] = ()) -> list[tuple[object, ...]]:
    """Every report cell, whatever columns the table has; cells that differ only in a column
    left out are added up."""
    columns = [
        field.attname
        for field in StoryAggregate._meta.concrete_fields
        if not field.primary_key and field.attname not in (*leave_out, *COUNTS)
    ]
    cells = (
        StoryAggregate.objects.values(*columns)
        .annotate(**{f"total_{count}": Sum(count) for count in COUNTS})
        .order_by()
    )
    return sorted((tuple(cell.values()) for cell in cells), key=repr)


def test_it_anonymises_a_user_and_ends_their_session(
    world: World, client_as: Callable[[str], Client], capsys: pytest.CaptureFixture[str]
) -> None:
    partner = world.users["partner"]
    partner.first_name, partner.last_name = "Lucía", "Gómez"
    partner.save()
    email = partner.email
    factories.add_totp_device(partner)
    AccessAttempt.objects.create(
        username="partner", ip_address="192.0.2.7", user_agent="Firefox", failures_since_start=1
    )
    partner_client = client_as("partner")
    # The partner works in the portal: the audit trail records them as the actor.
    assert partner_client.post(reverse("story-create"), story_form_data(world)).status_code == 302
    story = ChangeStory.objects.get(submitted_by=partner)
    assert LogEntry.objects.filter(actor=partner, actor_email=email).exists()
    assert partner_client.get(reverse("dashboard")).status_code == 302

    admin = client_as("admin")
    confirmation = run_action(admin, User, "erase_personal_data", [partner], confirm=False)
    assert confirmation.status_code == 200
    assert "This cannot be undone" in confirmation.content.decode()
    partner.refresh_from_db()
    assert partner.is_active, "nothing is erased before the confirmation"

    response = run_action(admin, User, "erase_personal_data", [partner], confirm=True)
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.username == f"erased-{partner.pk}"
    assert (partner.first_name, partner.last_name, partner.email) == ("", "", "")
    assert not partner.has_usable_password()
    assert not (partner.is_active or partner.is_staff or partner.is_superuser)
    assert not TOTPDevice.objects.filter(user=partner).exists()
    assert not AccessAttempt.objects.filter(username="partner").exists()
    # What they did stays, without their name.
    assert ChangeStory.objects.get(pk=story.pk).submitted_by == partner
    assert not LogEntry.objects.filter(actor_email=email).exists()

    # Their open session ends at its next request, and they cannot log in again.
    response = partner_client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not partner.check_password(factories.PASSWORD)
    login_form = {"username": "partner", "password": factories.PASSWORD}
    assert Client().post(reverse("login"), login_form).status_code == 200  # refused, form again

    (entry,) = privacy_entries(privacy.DUTY_ERASURE)
    assert (entry.actor, entry.content_type.model, entry.object_pk) == (
        world.users["admin"],
        "user",
        str(partner.pk),
    )
    assert entry.action == LogEntry.Action.DELETE
    dump = audit_dump(LogEntry.objects.all())
    for word in ("Lucía", "Gómez", email):
        assert word not in dump
    with capsys.disabled():
        print(f"\nuser erasure: {LogEntry.objects.count()} audit rows searched for 3 words")


def test_it_refuses_to_let_administrators_erase_themselves(
    world: World, client_as: Callable[[str], Client]
) -> None:
    admin = world.users["admin"]
    with pytest.raises(ValidationError):
        privacy.user_erase(actor=admin, user=admin)
    response = run_action(client_as("admin"), User, "erase_personal_data", [admin], confirm=True)
    assert response.status_code == 302
    admin.refresh_from_db()
    assert admin.is_active and admin.username == "admin"
    assert not privacy_entries(privacy.DUTY_ERASURE)


def test_it_erases_storytellers_with_their_words_and_keeps_the_figures(
    world: World,
    client_as: Callable[[str], Client],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    capsys: pytest.CaptureFixture[str],
) -> None:
    counted = told_story(world.alpha)  # verified: stays as an anonymous count
    returned = told_story(world.beta, status=ChangeStory.Status.RETURNED)  # never counted: goes
    bystander = Storyteller.objects.create(
        story=world.hidden_story, name="Not Erased", contact="keep@example.org"
    )
    aggregates.rebuild_all()
    # An erased story has no words left to quote: it still counts, but no longer for network
    # members, whose figures count only the stories they may read (docs/reports.md).
    before = _aggregate_table(leave_out=("quotable",))
    assert before, "no report cells: the comparison would prove nothing"
    assert StoryAggregate.objects.filter(partner=world.alpha, quotable=True).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(
            client_as("admin"),
            Storyteller,
            "erase_personal_data",
            [counted, returned],
            confirm=True,
        )
    assert response.status_code == 302
    aggregates.drain_outbox()  # whatever the immediate refresh left (idempotent)
    after = _aggregate_table()
    aggregates.rebuild_all()
    assert after == _aggregate_table(), "the refreshed figures differ from a full rebuild"
    after = _aggregate_table(leave_out=("quotable",))
    assert after == before, "an anonymised story still counts; a returned one never did"
    assert StoryAggregate.objects.filter(partner=world.alpha, quotable=False).exists()

    story = ChangeStory.objects.get(pk=counted.story_id)
    assert story.narrative == story.locality == story.significance_reason == ""
    assert story.consent_withdrawn_at is not None
    assert not ChangeStory.objects.filter(pk=returned.story_id).exists()
    assert list(Storyteller.objects.values_list("pk", flat=True)) == [bystander.pk]

    entries = privacy_entries(privacy.DUTY_ERASURE)
    assert {entry.object_pk: entry.additional_data for entry in entries} == {
        str(counted.pk): {
            "privacy_duty": "erasure",
            "story_id": counted.story_id,
            "story_kept": True,
        },
        str(returned.pk): {
            "privacy_duty": "erasure",
            "story_id": returned.story_id,
            "story_kept": False,
        },
    }
    rows = LogEntry.objects.all()
    dump = audit_dump(rows)
    assert not [secret for secret in (*SECRETS, NAME, CONTACT) if secret in dump]
    with capsys.disabled():
        print(
            f"\nstoryteller erasure: {len(after)} report cells equal to a rebuild, "
            f"{rows.count()} audit rows free of {len(SECRETS)} secrets"
        )

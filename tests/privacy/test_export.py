"""Data-subject export: everything stored about one person, and nothing about anyone else."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from conftest import World
from portal.models import AccessLog, User
from privacy import services as privacy
from privacy.documents import export_json
from progress.models import ChangeStory, StoryEvent, Storyteller, SubmissionLink
from tests import factories
from tests.privacy.common import (
    CONTACT,
    NAME,
    NARRATIVE,
    SECRETS,
    privacy_entries,
    run_action,
    told_story,
)


def _footprint(user: User, marker: str) -> dict[str, Any]:
    """What a user leaves in the portal, each piece carrying ``marker`` where it has text."""
    assert user.partner is not None
    user.first_name, user.last_name = f"First {marker}", f"Last {marker}"
    user.save()
    story = factories.StoryFactory.create(
        partner=user.partner, submitted_by=user, title=f"Story by {marker}"
    )
    event = StoryEvent.objects.create(
        story=story, actor=user, action=StoryEvent.Action.COMMENTED, comment=f"Comment {marker}"
    )
    read = AccessLog.objects.create(
        user=user, object_type="partners.partner", object_id="99", path=f"/partners/99/?{marker}"
    )
    link = SubmissionLink.objects.create(
        label=f"Workshop {marker}",
        partner=user.partner,
        created_by=user,
        expires_at=timezone.now() + dt.timedelta(days=14),
        max_uses=20,
    )
    return {"story": story, "event": event, "read": read, "link": link}


def test_it_exports_everything_about_a_user_and_nothing_about_others(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    partner, other = world.users["partner"], world.users["partner2"]
    mine = _footprint(partner, "ALPHA-MARK")
    theirs = _footprint(other, "BETA-MARK")
    # The story the partner user submitted carries a storyteller's words: not the user's data.
    Storyteller.objects.create(story=mine["story"], name=NAME, contact=CONTACT)
    ChangeStory.objects.filter(pk=mine["story"].pk).update(narrative=NARRATIVE)

    document = privacy.user_personal_data_export(actor=world.users["admin"], users=[partner])
    text = export_json(document)
    (subject,) = json.loads(text)["subjects"]

    assert subject["subject"] == {"kind": "user", "id": partner.pk}
    account = subject["account"]
    assert account["username"] == "partner" and account["email"] == partner.email
    assert account["first_name"] == "First ALPHA-MARK"
    assert account["role"] == "partner"
    assert account["partner"] == {"id": world.alpha.pk, "name": world.alpha.name}
    assert [row["reference"] for row in subject["stories_submitted"]] == [mine["story"].reference]
    assert [row["comment"] for row in subject["story_history"]] == ["Comment ALPHA-MARK"]
    assert [row["path"] for row in subject["confidential_records_opened"]] == [
        "/partners/99/?ALPHA-MARK"
    ]
    assert [row["label"] for row in subject["submission_links_created"]] == ["Workshop ALPHA-MARK"]

    # Nothing of the other user, of the storyteller, or of the account's secrets.
    forbidden = (
        "partner2",
        other.email,
        "BETA-MARK",
        theirs["story"].reference,
        mine["link"].token,
        partner.password,
        "pbkdf2",
        factories.DEMO_TOTP_KEY_HEX,
        *SECRETS,
    )
    leaks = [word for word in forbidden if word in text]
    assert not leaks, f"in the export of {partner.username}: {leaks}"
    with capsys.disabled():
        sections = {key: len(value) for key, value in subject.items() if isinstance(value, list)}
        print(f"\nuser export: {len(text)} characters, {sections}, {len(forbidden)} words absent")


def test_it_exports_a_storyteller_with_their_story_and_nothing_else(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    storyteller = told_story(world.hidden)
    factories.ContactFactory.create(partner=world.hidden, name="Contact kept out")
    other = Storyteller.objects.create(
        story=world.beta_story, name="Somebody Else", contact="else@example.org"
    )
    StoryEvent.objects.create(
        story=storyteller.story,
        actor=world.users["staff"],
        action=StoryEvent.Action.COMMENTED,
        comment="Is it safe to name her?",
    )

    document = privacy.storyteller_personal_data_export(
        actor=world.users["admin"], storytellers=[storyteller]
    )
    text = export_json(document)
    (subject,) = json.loads(text)["subjects"]

    assert subject["name"] == NAME and subject["contact"] == CONTACT
    story = subject["story"]
    assert story["narrative"] == NARRATIVE
    assert story["reference"] == storyteller.story.reference
    assert story["change_types"] == ["other"]
    assert story["consent"]["store"] is True
    assert [row["comment"] for row in story["history"]] == ["Is it safe to name her?"]
    assert all(secret in text for secret in SECRETS)
    forbidden = (
        other.name,
        other.contact,
        world.beta_story.title,
        world.alpha_story.title,
        "Contact kept out",
        "staff",  # who reviewed is the reviewers' data, not the storyteller's
    )
    leaks = [word for word in forbidden if word in text]
    assert not leaks, f"in the storyteller's export: {leaks}"
    with capsys.disabled():
        print(f"\nstoryteller export: {len(story)} story fields, {len(forbidden)} words absent")


def test_it_records_who_exported_whose_data_without_the_data(world: World) -> None:
    admin, partner = world.users["admin"], world.users["partner"]
    storyteller = told_story(world.alpha)
    privacy.user_personal_data_export(actor=admin, users=[partner])
    privacy.storyteller_personal_data_export(actor=admin, storytellers=[storyteller])

    entries = privacy_entries(privacy.DUTY_EXPORT)
    assert [(entry.content_type.model, entry.object_pk) for entry in entries] == [
        ("user", str(partner.pk)),
        ("storyteller", str(storyteller.pk)),
    ]
    for entry in entries:
        assert entry.actor == admin
        assert entry.action == LogEntry.Action.ACCESS
        assert entry.changes is None
        assert entry.object_repr == f"{entry.content_type.model} #{entry.object_pk}"
    dump = json.dumps(
        [[entry.object_repr, entry.additional_data, entry.actor_email] for entry in entries]
    )
    for word in ("partner", partner.email, *SECRETS):
        assert word not in dump


@pytest.mark.parametrize("role", ["staff", "officer", "partner"])
def test_it_exports_for_administrators_only(world: World, role: str) -> None:
    with pytest.raises(PermissionDenied):
        privacy.user_personal_data_export(actor=world.users[role], users=[world.users["member"]])
    storyteller = told_story(world.alpha)
    with pytest.raises(PermissionDenied):
        privacy.storyteller_personal_data_export(
            actor=world.users[role], storytellers=[storyteller]
        )
    assert not privacy_entries(privacy.DUTY_EXPORT)


def test_it_downloads_the_export_from_the_admin(
    world: World, client_as: Callable[[str], Client]
) -> None:
    admin = client_as("admin")
    partner = world.users["partner"]
    response = run_action(admin, User, "export_personal_data", [partner], confirm=False)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="personal-data-users-')
    assert "partner" not in response["Content-Disposition"].split("users-")[1]
    assert "no-store" in response["Cache-Control"]
    assert json.loads(response.content)["subjects"][0]["account"]["username"] == "partner"

    storyteller = told_story(world.hidden)
    response = run_action(admin, Storyteller, "export_personal_data", [storyteller], confirm=False)
    assert response.status_code == 200
    (subject,) = json.loads(response.content)["subjects"]
    assert subject["story"]["narrative"] == NARRATIVE
    assert len(privacy_entries(privacy.DUTY_EXPORT)) == 2


def test_it_exports_a_members_mail_choices_deliveries_and_what_they_reported(
    world: World,
) -> None:
    from decimal import Decimal

    from mailings.models import Delivery, MailPreference, Newsletter
    from partners.models import MembershipRequest
    from solidarity.models import Contribution, ExpertiseOffer

    member = world.users["member"]
    organisation = member.member_organisation
    assert organisation is not None
    MailPreference.objects.create(user=member, newsletters=True)
    letter = Newsletter.objects.create(
        subject="Autumn news", body="Hello", audience="network", network=world.network
    )
    Delivery.objects.create(newsletter=letter, user=member, status="sent")
    factories.ContributionFactory.create(
        member_organisation=organisation,
        reported_by=member,
        status=Contribution.Status.REPORTED,
        amount_sek=Decimal(2450),
    )
    ExpertiseOffer.objects.create(
        member_organisation=organisation, title="Budget trainers", created_by=member
    )
    MembershipRequest.objects.create(
        network=factories.NetworkFactory.create(),
        member_organisation=organisation,
        kind="join",
        note="We would like to join.",
        requested_by=member,
    )
    document = privacy.user_personal_data_export(actor=world.users["admin"], users=[member])
    (subject,) = document["subjects"]
    assert subject["mail_choices"]["newsletters"] is True
    assert subject["newsletters_received"][0]["subject"] == "Autumn news"
    assert subject["contributions_reported"][0]["amount_sek"] == Decimal(2450)
    assert subject["expertise_offers_made"][0]["title"] == "Budget trainers"
    assert subject["network_requests_made"][0]["note"] == "We would like to join."

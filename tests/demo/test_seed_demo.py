"""The demo data: the logins of the README, idempotent, and no leak of its confidential
partners. Every test here reads the demo seeded once for the module (runs that seed from
scratch are in ``test_seed_runs``)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import login
from partners.models import Partner, PartnerContact
from portal.models import Outbox, User
from progress.models import ChangeStory, StoryNotice
from tests.demo.seeding import demo_rows

DEMO_LOGINS = {"admin", "staff", "officer", "partner", "partner2", "secret", "member"}


@pytest.fixture
def demo(demo_once: None, db: None, settings: object) -> None:
    """The demo, seeded once for this module (``demo_once``); DEBUG on for a test that seeds
    again."""
    settings.DEBUG = True  # type: ignore[attr-defined]


def test_it_creates_the_demo_logins_with_their_roles(demo: None) -> None:
    users = {user.username: user for user in User.objects.filter(username__in=DEMO_LOGINS)}
    assert set(users) == DEMO_LOGINS
    assert all(user.check_password("demo-pass-2026") for user in users.values())
    assert users["admin"].is_superuser and users["admin"].requires_second_factor
    assert users["staff"].sees_confidential and not users["officer"].sees_confidential
    assert users["partner"].partner_id != users["partner2"].partner_id
    assert not users["partner"].partner.is_confidential  # type: ignore[union-attr]
    assert users["secret"].partner.is_confidential  # type: ignore[union-attr]
    assert users["member"].member_organisation.networks.exists()  # type: ignore[union-attr]
    with_device = set(TOTPDevice.objects.values_list("user__username", flat=True))
    assert with_device & DEMO_LOGINS == {
        "admin",
        "staff",
    }


def test_it_covers_every_focus_area_and_the_whole_workflow(demo: None) -> None:
    confidential = Partner.objects.filter(is_confidential=True)
    assert confidential.exists()
    assert ChangeStory.objects.filter(partner__in=confidential).exists()
    assert confidential.filter(projects__isnull=False).exists()
    assert set(ChangeStory.objects.values_list("status", flat=True)) == set(
        ChangeStory.Status.values
    )
    assert Partner.objects.values("country").distinct().count() >= 8


def test_it_is_idempotent(demo: None) -> None:
    counts = (Partner.objects.count(), ChangeStory.objects.count(), User.objects.count())
    rows = demo_rows()
    call_command("seed_demo", stories=80, verbosity=0)
    assert (Partner.objects.count(), ChangeStory.objects.count(), User.objects.count()) == counts
    assert demo_rows() == rows


def test_the_demo_history_sends_no_mail_and_leaves_no_work_behind(
    demo: None, mailoutbox: list[mail.EmailMessage]
) -> None:
    # The services queued notices for the returned and selected stories: the seed removes them
    # before they are sent, since the demo's history is not news and its addresses invented.
    assert ChangeStory.objects.filter(status=ChangeStory.Status.RETURNED).exists()
    assert ChangeStory.objects.filter(status=ChangeStory.Status.SELECTED).exists()
    assert not StoryNotice.objects.exists()
    assert mailoutbox == []
    # The report figures were rebuilt from the stories, and nothing waits in their outbox.
    assert not Outbox.objects.exists()


@pytest.mark.parametrize("username", ["officer", "partner", "partner2", "member"])
def test_it_never_shows_the_demo_confidential_partners_to_the_uncleared(
    demo: None, username: str
) -> None:
    secrets = set()
    for partner in Partner.objects.filter(is_confidential=True):
        secrets.add(partner.name)
        secrets.update(
            PartnerContact.objects.filter(partner=partner).values_list("name", flat=True)
        )
        secrets.update(
            locality
            for locality in ChangeStory.objects.filter(partner=partner).values_list(
                "locality", flat=True
            )
            if locality
        )
    client = login(Client(), User.objects.get(username=username))
    # Crawl every page reachable from the dashboard by following links inside the portal.
    seen: set[str] = set()
    queue = [reverse("dashboard"), reverse("partner-list"), reverse("program-list")]
    while queue and len(seen) < 200:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        if response.streaming:  # a download (a CSV is read; an XLSX is zipped, see test_leak_crawl)
            body = b"".join(response.streaming_content).decode(errors="replace")  # type: ignore[attr-defined]
            for secret in secrets:
                assert secret not in body, f"{secret!r} shown to {username} in {url}"
            continue
        body = response.content.decode()
        for secret in secrets:
            assert secret not in body, f"{secret!r} shown to {username} on {url}"
        for link in re.findall(r'href="(/(?:partners|programmes|projects|networks)/[^"]*)"', body):
            queue.append(link.replace("&amp;", "&"))
    assert len(seen) > 3

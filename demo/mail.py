"""The demo's mail from ``demo/data/mail.toml``: people's choices and newsletters, one sent
(its deliveries recorded as sent to those who had chosen newsletters) and one a draft. Nothing
is sent while seeding; a later run puts the words back and leaves the log as it is."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from demo.data_files import DemoDataError, _entries, _read, _record
from mailings import selectors
from mailings.models import Delivery, MailPreference, Newsletter
from partners.models import MemberOrganisation, SolidarityNetwork
from portal.models import User

DATA_FILE = "mail.toml"


@dataclass(frozen=True)
class PreferenceSeed:
    username: str
    newsletters: bool = False
    weekly_digest: bool = False


@dataclass(frozen=True)
class NewsletterSeed:
    subject: str
    body: str
    author: str
    network: str | None = None
    district: str | None = None
    days_ago: int | None = None


def mail_data() -> tuple[tuple[PreferenceSeed, ...], tuple[NewsletterSeed, ...]]:
    table = _read(DATA_FILE)
    preferences = tuple(
        _record(PreferenceSeed, entry, f"{DATA_FILE}, preference {number}")
        for number, entry in enumerate(_entries(table, "preference"), start=1)
    )
    newsletters = tuple(
        _record(NewsletterSeed, entry, f"{DATA_FILE}, newsletter {number}")
        for number, entry in enumerate(_entries(table, "newsletter"), start=1)
    )
    for seed in newsletters:
        if (seed.network is None) == (seed.district is None):
            raise DemoDataError(f"{DATA_FILE}, {seed.subject!r}: give a network or a district.")
    return preferences, newsletters


def seed_mail() -> None:
    preferences, newsletters = mail_data()
    users = {user.username: user for user in User.objects.all()}
    for choice in preferences:
        MailPreference.objects.update_or_create(
            user=users[choice.username],
            defaults={"newsletters": choice.newsletters, "weekly_digest": choice.weekly_digest},
        )
    for seed in newsletters:
        audience = Newsletter.Audience.NETWORK if seed.network else Newsletter.Audience.BRANCHES
        newsletter, created = Newsletter.objects.update_or_create(
            subject=seed.subject,
            defaults={
                "body": seed.body,
                "author": users[seed.author],
                "audience": audience,
                "network": SolidarityNetwork.objects.get(name=seed.network)
                if seed.network
                else None,
                "district": MemberOrganisation.objects.get(name=seed.district)
                if seed.district
                else None,
            },
        )
        if seed.days_ago is None or not created:
            continue
        sent_at = timezone.now() - dt.timedelta(days=seed.days_ago)
        Delivery.objects.bulk_create(
            Delivery(newsletter=newsletter, user=user, status=Delivery.Status.SENT, sent_at=sent_at)
            for user in selectors.recipients(newsletter)
        )
        newsletter.status = Newsletter.Status.SENT
        newsletter.sent_at = sent_at
        newsletter.save(update_fields=["status", "sent_at"])

"""Seeding for the demo's tests: the command's steps with a chosen split between the services
and bulk, the demo's rows by their natural keys to compare two runs, and a way to remove them.

Primary keys differ between databases and runs, so every row is described by what names it
(partner name, username, story reference) and every foreign key by the natural key of the row
it points to. Columns that carry the time of the run by design (``updated_at``, ``created_at``
of everything but stories) and the password hashes (salted) are left out.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import models, transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.risks import seed_risks
from demo.stories import seed_stories
from demo.world import seed_world
from mailings.models import Delivery, MailPreference, Newsletter
from partners.models import (
    MemberOrganisation,
    NetworkMembership,
    Partner,
    PartnerContact,
    SolidarityNetwork,
)
from portal.models import Outbox, User
from programs.models import Activity, ActivityPlan, Funder, PlannedActivity, Program, Project
from progress.models import (
    ChangeStory,
    ChangeType,
    StoryEvent,
    StoryNotice,
    Storyteller,
    TargetGroup,
)
from reporting import aggregates
from reporting.models import ActivityAggregate, StoryAggregate, StoryStatusCount
from risks.models import Risk, RiskComment, RiskReassessment
from solidarity.models import Contribution, ExpertiseMatch, ExpertiseNeed, ExpertiseOffer

# In an order that deletes what points at a row before the row.
DEMO_MODELS: tuple[type[models.Model], ...] = (
    ExpertiseMatch,
    ExpertiseNeed,
    ExpertiseOffer,
    Delivery,
    Newsletter,
    MailPreference,
    RiskComment,
    RiskReassessment,
    Risk,
    ChangeStory,
    Storyteller,
    StoryEvent,
    Activity,
    PlannedActivity,
    ActivityPlan,
    Contribution,
    NetworkMembership,
    SolidarityNetwork,
    Project,
    Program,
    Funder,
    TOTPDevice,
    User,
    PartnerContact,
    Partner,
    MemberOrganisation,
)
RUN_TIME_COLUMNS = {"id", "updated_at", "created_at", "password", "last_login", "date_joined"}
# Generated fresh on each run and meaningless outside it.
TOTP_STATE_COLUMNS = {"throttling_failure_timestamp", "last_used_at", "created_at"}


def natural_key(row: models.Model) -> str:
    match row:
        case Partner() | MemberOrganisation() | SolidarityNetwork() | Funder():
            return row.name
        case Program():
            return row.title
        case Project():
            return f"{row.partner.name} / {row.title}"
        case User():
            return row.username
        case ChangeStory():
            return row.reference
        case ChangeType() | TargetGroup():
            return row.code
        case ActivityPlan():
            return f"{row.year} / {row.unit or 'staff'} / {row.title}"
        case Newsletter():
            return row.subject
        case Contribution():
            return f"{row.kind} / {row.date} / {row.contributor}"
        case PlannedActivity():
            return f"{natural_key(row.plan)} / {row.title}"
        case Risk():
            return f"{row.partner.name} / {row.title}"
        case RiskReassessment() | RiskComment():
            # In a risk, in the order they were written (their own rows carry no name).
            siblings = type(row)._default_manager.filter(risk=row.risk).order_by("pk")
            position = list(siblings.values_list("pk", flat=True)).index(row.pk)
            return f"{natural_key(row.risk)} / {type(row).__name__} {position}"
    raise TypeError(f"no natural key for {type(row).__name__}")


def describe(row: models.Model) -> dict[str, Any]:
    skipped = RUN_TIME_COLUMNS | TOTP_STATE_COLUMNS
    if isinstance(row, ChangeStory):
        skipped = skipped - {"created_at"}  # a story's creation is part of the demo's history
    values: dict[str, Any] = {}
    for field in row._meta.concrete_fields:
        if field.name in skipped or field.name == "form_token":
            continue
        if field.is_relation:
            related = getattr(row, field.name)
            values[field.name] = None if related is None else natural_key(related)
        else:
            values[field.name] = str(getattr(row, field.attname))
    for field in row._meta.many_to_many:
        if field.related_model not in (ChangeType, TargetGroup, Funder, Partner, Program):
            continue  # a user's groups and permissions: the demo sets none
        values[field.name] = sorted(natural_key(item) for item in getattr(row, field.name).all())
    return values


def demo_rows() -> dict[str, list[dict[str, Any]]]:
    """Every demo row, described by natural keys, in an order that does not depend on ids."""
    rows = {}
    for model in DEMO_MODELS:
        described = [describe(row) for row in model._default_manager.all()]
        rows[model.__name__] = sorted(described, key=lambda values: json.dumps(values))
    rows["pending notices"] = [{"count": StoryNotice.objects.count()}]
    return rows


def remove_demo_data() -> None:
    """Empty every table the demo fills, as on a fresh database (the taxonomy stays)."""
    derived: tuple[type[models.Model], ...] = (
        StoryAggregate,
        StoryStatusCount,
        ActivityAggregate,
        Outbox,
    )
    for model in (*derived, *DEMO_MODELS):
        if model is MemberOrganisation:
            # Branches protect their district: the leaves first.
            while MemberOrganisation.objects.exists():
                MemberOrganisation.objects.filter(branches__isnull=True).delete()
            continue
        if model is Contribution:
            # Payments protect their pledge: the payments first.
            Contribution.objects.filter(pledge__isnull=False).delete()
        model._default_manager.all().delete()


def seed(*, seed: int, stories: int, through_services: int) -> None:
    """What the command does, with the number of stories told through the services chosen:
    a few, so that the stories inserted in bulk are covered too without seeding 300 first."""
    with transaction.atomic():
        world = seed_world(seed)
    seed_stories(
        world,
        seed=seed,
        total=stories,
        progress=lambda done, created: None,
        through_services=through_services,
    )
    with transaction.atomic():
        seed_risks(world)
    aggregates.rebuild_all()

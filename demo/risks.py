"""The demo's risk register, from ``demo/data/risks.toml``, written through the risk services.

A risk is found by its partner and title. The first run records it, reassesses it as the file
says (each reassessment leaving its history row, dated so many days back) and writes its
comments; a later run puts back its words, owner, review date, status and sharing, and leaves
its scores and history as they are: those change only through reassessments.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from demo.data_files import (
    DemoDataError,
    _entries,
    _read,
    _record,
    _require,
    _without,
    demo_data,
)
from demo.records import choice_of
from demo.world import DemoWorld
from portal.models import User
from risks import services
from risks.models import SCALE_MAX, SCALE_MIN, Category, Risk, RiskReassessment

DATA_FILE = "risks.toml"


@dataclass(frozen=True)
class ReassessmentSeed:
    by: str
    days_ago: int
    likelihood: int
    impact: int
    note: str = ""


@dataclass(frozen=True)
class CommentSeed:
    by: str
    text: str


@dataclass(frozen=True)
class RiskSeed:
    partner: str
    title: str
    likelihood: int
    impact: int
    description: str
    mitigation: str
    owner: str
    review_in_days: int
    category: str = choice_of(Category)
    project: str | None = None
    status: str = choice_of(Risk.Status, default=Risk.Status.OPEN)
    shared_with_partner: bool = False
    reassessments: tuple[ReassessmentSeed, ...] = ()
    comments: tuple[CommentSeed, ...] = ()


def risk_data() -> tuple[RiskSeed, ...]:
    """The file's risks, checked against the rest of the demo's data before anything is
    written."""
    data = demo_data()
    table = _read(DATA_FILE)
    partners = {partner.name: partner for partner in data.partners}
    usernames = {user.username for user in data.logins.users}
    risks = []
    for number, entry in enumerate(_entries(table, "risk"), start=1):
        where = f"demo/data/{DATA_FILE}, risk {number}"
        seed = _record(
            RiskSeed,
            _without(entry, "reassessment", "comment"),
            where,
            reassessments=tuple(
                _record(ReassessmentSeed, item, f"{where}, reassessment")
                for item in _entries(entry, "reassessment")
            ),
            comments=tuple(
                _record(CommentSeed, item, f"{where}, comment")
                for item in _entries(entry, "comment")
            ),
        )
        _require([seed.partner], partners, "partner", where)
        _require(
            [seed.owner, *(r.by for r in seed.reassessments), *(c.by for c in seed.comments)],
            usernames,
            "login",
            where,
        )
        keys = {project.key for project in partners[seed.partner].projects}
        _require([seed.project], keys, f"project of {seed.partner}", where)
        values = [
            seed.likelihood,
            seed.impact,
            *(v for r in seed.reassessments for v in (r.likelihood, r.impact)),
        ]
        if any(not SCALE_MIN <= value <= SCALE_MAX for value in values):
            raise DemoDataError(f"{where}: likelihood and impact are from 1 to 5.")
        risks.append(seed)
    return tuple(risks)


def seed_risks(world: DemoWorld, *, today: dt.date | None = None) -> int:
    """Record the register's risks that are not there yet; returns how many were new."""
    today = today or timezone.localdate()
    created = 0
    for seed in risk_data():
        partner = world.partners[seed.partner]
        risk = Risk.objects.filter(partner=partner, title=seed.title).first()
        is_new = risk is None
        if risk is None:
            risk = Risk(
                partner=partner, title=seed.title, likelihood=seed.likelihood, impact=seed.impact
            )
        fields: dict[str, Any] = {
            "project": world.projects[seed.project] if seed.project else None,
            "category": seed.category,
            "description": seed.description,
            "mitigation": seed.mitigation,
            "owner": world.users[seed.owner],
            "next_review": today + dt.timedelta(days=seed.review_in_days),
            "status": seed.status,
            "shared_with_partner": seed.shared_with_partner,
        }
        for name, value in fields.items():
            setattr(risk, name, value)
        # Recorded by the owner; a confidential partner's risk by cleared staff (its owner).
        services.risk_save(actor=world.users[seed.owner], risk=risk)
        if not is_new:
            continue
        created += 1
        for step in seed.reassessments:
            row = services.risk_reassess(
                actor=world.users[step.by],
                risk=risk,
                likelihood=step.likelihood,
                impact=step.impact,
                note=step.note,
            )
            RiskReassessment.objects.filter(pk=row.pk).update(
                assessed_at=_days_ago(today, step.days_ago)
            )
        for comment in seed.comments:
            services.risk_comment(actor=_user(world, comment.by), risk=risk, text=comment.text)
    return created


def _days_ago(today: dt.date, days: int) -> dt.datetime:
    moment = dt.datetime.combine(today - dt.timedelta(days=days), dt.time(10, 0))
    return timezone.make_aware(moment)


def _user(world: DemoWorld, username: str) -> User:
    return world.users[username]

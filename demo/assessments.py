"""The demo's self-assessments (``demo/data/assessments.toml``): the published questionnaire, two
submitted rounds for most partners (the two years before this one, moving as the file's trend
says), this year's draft for the ``partner`` login's organisation, and a few staff comments.

Periods are calendar years counted from today, not from the demo's anchor: the pages ask for
this year's round by the real date, and the draft must stay this year's. Rows are found by
natural keys (the questionnaire by name and version, a round by partner and period), so a
re-run adds nothing; scores come from a generator seeded per partner.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from assessments.models import (
    Answer,
    Assessment,
    Dimension,
    DimensionComment,
    Questionnaire,
    Statement,
)
from assessments.selectors import current_period
from demo.data_files import DemoDataError, _read
from partners.models import Partner
from portal.models import User

TRENDS = ("improving", "declining", "mixed", "steady")
WHERE = "demo/data/assessments.toml"


def load() -> dict[str, Any]:
    """The file, checked: known trends, partners, logins and dimension keys."""
    data = _read("assessments.toml")
    keys = {dimension["key"] for dimension in data["dimension"]}
    for dimension in data["dimension"]:
        if not dimension.get("statement"):
            raise DemoDataError(f"{WHERE}: dimension {dimension['key']!r} has no statement")
    for entry in data.get("round", []):
        if entry["trend"] not in TRENDS:
            raise DemoDataError(f"{WHERE}: unknown trend {entry['trend']!r}")
    for entry in data.get("comment", []):
        if entry["dimension"] not in keys:
            raise DemoDataError(f"{WHERE}: unknown dimension {entry['dimension']!r}")
    return data


def seed_questionnaire(data: dict[str, Any]) -> Questionnaire:
    spec = data["questionnaire"]
    questionnaire, created = Questionnaire.objects.get_or_create(
        name=spec["name"], version=spec["version"]
    )
    if not created:
        return questionnaire
    for order, entry in enumerate(data["dimension"], start=1):
        dimension = Dimension.objects.create(
            questionnaire=questionnaire,
            key=entry["key"],
            ordering=order,
            name_en=entry["en"],
            name_sv=entry["sv"],
            name_es=entry["es"],
        )
        Statement.objects.bulk_create(
            Statement(
                dimension=dimension,
                ordering=number,
                text_en=statement["en"],
                text_sv=statement["sv"],
                text_es=statement["es"],
            )
            for number, statement in enumerate(entry["statement"], start=1)
        )
    questionnaire.published = True
    questionnaire.published_at = timezone.now()
    questionnaire.save(update_fields=["published", "published_at"])
    return questionnaire


def _scores(
    generator: random.Random, dimensions: list[Dimension], trend: str
) -> tuple[dict[int, int], dict[int, int]]:
    """Statement scores of the earlier and the later round."""
    earlier, later = {}, {}
    for index, dimension in enumerate(dimensions):
        base = generator.randint(2, 4)
        step = {
            "improving": 1,
            "declining": -1,
            "steady": 0,
            "mixed": 1 if index % 2 == 0 else -1,
        }[trend]
        for statement in dimension.statements.all():
            first = min(5, max(1, base + generator.choice((-1, 0, 0, 1))))
            earlier[statement.pk] = first
            later[statement.pk] = min(5, max(1, first + step * generator.choice((0, 1, 1))))
    return earlier, later


def _round(
    partner: Partner,
    questionnaire: Questionnaire,
    year: int,
    scores: dict[int, int],
    *,
    submitted: bool,
) -> Assessment | None:
    start = dt.date(year, 1, 1)
    if Assessment.objects.filter(partner=partner, period_start=start).exists():
        return None
    assessment = Assessment.objects.create(
        partner=partner,
        questionnaire=questionnaire,
        period_label=str(year),
        period_start=start,
        period_end=dt.date(year, 12, 31),
        status=Assessment.Status.SUBMITTED if submitted else Assessment.Status.DRAFT,
        submitted_at=(timezone.make_aware(dt.datetime(year, 11, 15, 10)) if submitted else None),
    )
    Answer.objects.bulk_create(
        Answer(assessment=assessment, statement_id=statement_id, score=score)
        for statement_id, score in scores.items()
    )
    return assessment


def seed_assessments(seed: int, today: dt.date | None = None) -> None:
    data = load()
    questionnaire = seed_questionnaire(data)
    dimensions = list(questionnaire.dimensions.prefetch_related("statements"))
    partners = {partner.name: partner for partner in Partner.objects.all()}
    logins = {user.username: user for user in User.objects.filter(partner__isnull=False)}
    _label, start, _end = current_period(today or timezone.localdate())
    this_year = start.year
    for entry in data.get("round", []):
        partner = partners.get(entry["partner"])
        if partner is None:
            raise DemoDataError(f"{WHERE}: unknown partner {entry['partner']!r}")
        generator = random.Random(f"{seed}-assessments-{partner.name}")
        earlier, later = _scores(generator, dimensions, entry["trend"])
        for year, scores in ((this_year - 2, earlier), (this_year - 1, later)):
            assessment = _round(partner, questionnaire, year, scores, submitted=True)
            user = next((u for u in logins.values() if u.partner_id == partner.pk), None)
            if assessment is not None and user is not None:
                Assessment.objects.filter(pk=assessment.pk).update(submitted_by=user)
    draft = data.get("draft")
    if draft:
        partner = partners[draft["partner"]]
        generator = random.Random(f"{seed}-assessments-draft")
        _earlier, scores = _scores(generator, dimensions[: draft["answered"]], "steady")
        _round(partner, questionnaire, this_year, scores, submitted=False)
    authors = {user.username: user for user in User.objects.filter(role=User.Role.STAFF)}
    for entry in data.get("comment", []):
        latest = (
            Assessment.objects.filter(
                partner=partners[entry["partner"]], status=Assessment.Status.SUBMITTED
            )
            .order_by("-period_start")
            .first()
        )
        if latest is None:
            continue
        dimension = latest.questionnaire.dimensions.get(key=entry["dimension"])
        DimensionComment.objects.get_or_create(
            assessment=latest,
            dimension=dimension,
            text=entry["text"],
            defaults={"author": authors.get(entry["author"])},
        )

"""Who may read which self-assessments (the rules: ``portal.access``), and the figures drawn
from them.

- Administrators and cleared staff read every assessment; opening a confidential partner's
  writes a row to the access log.
- Officers read the assessments of the partners they may see. A confidential partner's count in
  the distributions (``counted_assessments``): numbers per score band, never a row of their own.
- A partner user reads and fills its own organisation's assessments, and reads staff's comments
  on them.
- Network members read nothing individual. The assessments of their networks' partners that
  are not confidential count in one table only: the distribution the ``reporting`` app publishes
  to them with its disclosure control (rounded, small counts suppressed, ties broken).
- Anonymous visitors read nothing.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Avg, QuerySet
from django.http import HttpRequest

from assessments.models import Answer, Assessment, Dimension, DimensionComment, Questionnaire
from partners.models import Partner
from partners.selectors import visible_partners
from portal.access import as_user, get_or_404, log_confidential_read, own_partner_id

if TYPE_CHECKING:
    from portal.access import AnyUser

Status = Assessment.Status

# Score bands of a dimension's mean: 1 to 1.9, 2 to 2.9, 3 to 3.9, 4 to 4.9, and 5.
BANDS = (1, 2, 3, 4, 5)
BAND_LABELS = ("1–1.9", "2–2.9", "3–3.9", "4–4.9", "5")


def visible_assessments(user: AnyUser) -> QuerySet[Assessment]:
    assessments = Assessment.objects.all()
    viewer = as_user(user)
    if viewer is None:
        return assessments.none()
    if viewer.sees_confidential:
        return assessments
    if viewer.is_portal_staff:
        return assessments.filter(partner__is_confidential=False)
    if viewer.is_partner_user:
        return assessments.filter(partner_id=own_partner_id(viewer))
    return assessments.none()


def counted_assessments(user: AnyUser) -> QuerySet[Assessment]:
    """The submitted assessments a viewer's distributions count: all of them for staff
    (officers' included confidential partners', which they only ever see as a number); for a
    network member, those of its networks' partners that are not confidential."""
    viewer = as_user(user)
    submitted = Assessment.objects.filter(status=Status.SUBMITTED)
    if viewer is None:
        return submitted.none()
    if viewer.is_portal_staff:
        return submitted
    if viewer.is_network_member:
        return submitted.filter(partner__in=visible_partners(viewer).values("pk"))
    return submitted.none()


def visible_questionnaires(user: AnyUser) -> QuerySet[Questionnaire]:
    questionnaires = Questionnaire.objects.all()
    viewer = as_user(user)
    if viewer is None:
        return questionnaires.none()
    if viewer.is_portal_staff:
        return questionnaires
    if viewer.is_partner_user:
        return questionnaires.filter(published=True)
    return questionnaires.none()


def visible_dimensions(user: AnyUser) -> QuerySet[Dimension]:
    return Dimension.objects.filter(questionnaire__in=visible_questionnaires(user))


def visible_answers(user: AnyUser) -> QuerySet[Answer]:
    return Answer.objects.filter(assessment__in=visible_assessments(user))


def visible_comments(user: AnyUser) -> QuerySet[DimensionComment]:
    return DimensionComment.objects.filter(assessment__in=visible_assessments(user))


def get_assessment_for_user(
    user: AnyUser, pk: object, *, request: HttpRequest | None = None
) -> Assessment:
    assessment = get_or_404(
        visible_assessments(user).select_related("partner", "questionnaire"), pk
    )
    if assessment.partner.is_confidential:
        log_confidential_read(user, assessment, request=request)
    return assessment


def current_period(today: dt.date) -> tuple[str, dt.date, dt.date]:
    """The period partners assess now: the calendar year (label, first day, last day)."""
    return str(today.year), dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)


def latest_questionnaire() -> Questionnaire | None:
    """The version partners fill when they start a new assessment."""
    return (
        Questionnaire.objects.filter(published=True)
        .order_by("-published_at", "-version", "-pk")
        .first()
    )


def dimensions_of(questionnaire: Questionnaire) -> list[Dimension]:
    """The questionnaire's dimensions with their statements, in order (two queries)."""
    return list(questionnaire.dimensions.order_by("ordering", "pk").prefetch_related("statements"))


def score_band(mean: float) -> int:
    """The band of a dimension's mean score: its whole part (5 only for a full 5)."""
    return min(5, max(1, math.floor(mean + 1e-9)))


def dimension_scores(assessment_ids: list[int]) -> dict[int, dict[str, float]]:
    """Per assessment, the score of each dimension (by key): the mean of its statements' scores.
    One query, however many assessments."""
    scores: dict[int, dict[str, float]] = defaultdict(dict)
    rows = (
        Answer.objects.filter(assessment_id__in=assessment_ids)
        .values("assessment_id", "statement__dimension__key")
        .annotate(mean=Avg("score"))
        .order_by()
    )
    for row in rows:
        scores[row["assessment_id"]][row["statement__dimension__key"]] = float(row["mean"])
    return dict(scores)


@dataclass(frozen=True)
class Change:
    """A dimension's score in the latest round beside the round before."""

    key: str
    name: str
    latest: float | None
    previous: float | None

    @property
    def difference(self) -> float | None:
        if self.latest is None or self.previous is None:
            return None
        return round(self.latest - self.previous, 2)

    @property
    def direction(self) -> str:
        """up, down, same, or "" where one of the rounds lacks the dimension."""
        difference = self.difference
        if difference is None:
            return ""
        if difference > 0:
            return "up"
        if difference < 0:
            return "down"
        return "same"


@dataclass(frozen=True)
class History:
    """A partner's submitted rounds, oldest first, with their scores per dimension."""

    rounds: list[Assessment]
    dimensions: list[tuple[str, str]]  # (key, name) in the order of the latest round's version
    scores: dict[int, dict[str, float]]

    @property
    def latest(self) -> Assessment | None:
        return self.rounds[-1] if self.rounds else None

    @property
    def previous(self) -> Assessment | None:
        return self.rounds[-2] if len(self.rounds) > 1 else None

    def changes(self) -> list[Change]:
        latest, previous = self.latest, self.previous
        return [
            Change(
                key,
                name,
                self.scores.get(latest.pk, {}).get(key) if latest else None,
                self.scores.get(previous.pk, {}).get(key) if previous else None,
            )
            for key, name in self.dimensions
        ]

    def table(self) -> list[tuple[str, list[float | None]]]:
        """Per dimension, its score in each round (None where not answered)."""
        return [
            (name, [self.scores.get(round_.pk, {}).get(key) for round_ in self.rounds])
            for key, name in self.dimensions
        ]


def _dimension_names(questionnaire_ids: Any) -> list[tuple[str, str]]:
    """Dimension keys and names, newest version's first, in its order (one query)."""
    names: dict[str, str] = {}
    dimensions = (
        Dimension.objects.filter(questionnaire_id__in=questionnaire_ids)
        .select_related("questionnaire")
        .order_by("-questionnaire__published_at", "-questionnaire__version", "ordering", "pk")
    )
    for dimension in dimensions:
        names.setdefault(dimension.key, dimension.name)
    return list(names.items())


def partner_history(user: AnyUser, partner: Partner, *, limit: int = 12) -> History:
    """The partner's submitted rounds the viewer may read (the last ``limit``): three queries."""
    rounds = list(
        visible_assessments(user)
        .filter(partner=partner, status=Status.SUBMITTED)
        .order_by("-period_start")[:limit]
    )
    rounds.reverse()
    if not rounds:
        return History([], [], {})
    questionnaire_ids = sorted({round_.questionnaire_id for round_ in rounds})
    return History(
        rounds,
        _dimension_names(questionnaire_ids),
        dimension_scores([round_.pk for round_ in rounds]),
    )


def draft_for(user: AnyUser, partner: Partner, period_start: dt.date) -> Assessment | None:
    return (
        visible_assessments(user)
        .filter(partner=partner, period_start=period_start, status=Status.DRAFT)
        .first()
    )


# --- Distributions across partners ---------------------------------------------------------


@dataclass(frozen=True)
class DistributionRow:
    key: str
    name: str
    counts: tuple[int, ...]  # partners per band, in the order of BANDS

    @property
    def total(self) -> int:
        return sum(self.counts)


def distribution_periods(user: AnyUser) -> list[str]:
    """The periods with submitted assessments the viewer counts, newest first."""
    rows = (
        counted_assessments(user)
        .values_list("period_label", "period_start")
        .distinct()
        .order_by("-period_start", "period_label")
    )
    labels: list[str] = []
    for label, _start in rows:
        if label not in labels:
            labels.append(label)
    return labels


def distribution(
    user: AnyUser,
    *,
    period_label: str,
    region: str = "",
    program_id: int | None = None,
) -> list[DistributionRow]:
    """Per dimension, how many partners' scores fall in each band, over the submitted
    assessments of one period the viewer counts, narrowed by region and programme.

    A partner has one assessment per period, so the count of assessments is the count of
    partners. Two queries: the dimensions' names and the means per assessment and dimension.
    """
    assessments = counted_assessments(user).filter(period_label=period_label)
    if region:
        assessments = assessments.filter(partner__region=region)
    if program_id is not None:
        assessments = assessments.filter(
            partner_id__in=Partner.objects.filter(projects__program_id=program_id).values("pk")
        )
    counts = band_counts(assessments)
    names = dimension_names(
        counted_assessments(user).filter(period_label=period_label), extra=counts
    )
    return [
        DistributionRow(key, name, tuple(counts.get((period_label, key), [0] * len(BANDS))))
        for key, name in names
    ]


def band_counts(assessments: QuerySet[Assessment]) -> dict[tuple[str, str], list[int]]:
    """Per (period label, dimension key), how many of these assessments' dimension means fall in
    each band, in the order of BANDS. One query, grouped per assessment and dimension: its size
    is the number of partners times the dimensions, never the number of answers."""
    means = (
        Answer.objects.filter(assessment__in=assessments.values("pk"))
        .values("assessment_id", "assessment__period_label", "statement__dimension__key")
        .annotate(mean=Avg("score"))
        .order_by()
    )
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * len(BANDS))
    for row in means:
        key = (row["assessment__period_label"], row["statement__dimension__key"])
        counts[key][score_band(float(row["mean"])) - 1] += 1
    return dict(counts)


def dimension_names(
    assessments: QuerySet[Assessment], *, extra: Mapping[tuple[str, str], Any] = {}
) -> list[tuple[str, str]]:
    """The dimensions of these assessments' questionnaires, newest version's names and order
    first (one query), then any dimension key ``extra`` counts that no questionnaire names."""
    names = _dimension_names(assessments.values("questionnaire_id"))
    known = {key for key, _name in names}
    names += [(key, key) for key in sorted({key for _period, key in extra} - known)]
    return names

"""A network member's table of the partners' self-assessments, under the disclosure rule.

Staff read the distribution of the self-assessments with filters (``assessments.views``). A
network member reads one fixed table per period and nothing else: how many of its networks'
partners (never a confidential one) assessed themselves, and per dimension how many of them
scored in each band. A dimension's bands say something about each partner that is in them, so
the counts follow the member's rule for stories (``reporting.disclosure``): 0 as 0, 1 to 4 as
"<5", the rest rounded to the nearest five, and where the ties pin a count, a figure hidden.

The ties a member can use:
- per dimension, its bands add up to the partners that assessed themselves (or to at most
  that, where a questionnaire version lacked the dimension);
- the partners that assessed themselves are at most the partners of the member's networks,
  a number its dashboard states exactly. That bound is an exact figure to the arithmetic
  (``suppression.protect(exact=...)``): with four partners in the networks, "<5" assessed and a
  dimension whose other bands are 0 would otherwise pin the fourth.

A period with fewer than five partners assessed shows that count ("<5") and no bands: in so
small a group the bands would be each partner's scores, whatever is hidden.

Periods are not tied to each other (a partner is in every year it assessed itself), so each
period is protected on its own but computed with the others, in five queries whatever the data.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from assessments.selectors import (
    BANDS,
    band_counts,
    counted_assessments,
    dimension_names,
    distribution_periods,
)
from partners.selectors import visible_partners
from reporting.disclosure import Period, Publication
from reporting.suppression import BASE, Key, Relation, protect

NETWORK_PARTNERS: Key = ("partners",)


def assessed_key(period: str) -> Key:
    return ("assessed", period)


def band_key(period: str, dimension: str, band: int) -> Key:
    return ("band", period, dimension, band)


def member_assessment_publication(user: Any) -> tuple[Publication, list[tuple[str, str]]]:
    """Every figure of the member's self-assessment tables, with the dimensions (key, name) in
    the newest questionnaire's order. ``Publication.rows["dimensions"]`` lists, per period, the
    dimensions with figures: ``(period, key)``."""
    assessments = counted_assessments(user)
    labels = distribution_periods(user)
    counts = band_counts(assessments)
    assessed = dict(
        assessments.values("period_label")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("period_label", "n")
    )
    dimensions = dimension_names(assessments, extra=counts)
    values: dict[Key, int] = {NETWORK_PARTNERS: visible_partners(user).count()}
    relations: list[Relation] = []
    rows: list[tuple[str, str]] = []
    for period in labels:
        total = assessed_key(period)
        values[total] = assessed.get(period, 0)
        relations.append(Relation(NETWORK_PARTNERS, (total,), "share", 1))
        if values[total] < BASE:
            # Four partners' bands would be four partners' scores, near enough: a member
            # knows who is in its networks. Only the count is published then.
            continue
        for key, _name in dimensions:
            bands = counts.get((period, key))
            if bands is None:
                continue
            rows.append((period, key))
            parts = tuple(band_key(period, key, band) for band in BANDS)
            values.update(zip(parts, bands, strict=True))
            # Every partner that answered the dimension is in one band; one that assessed
            # itself with a version lacking it is in none.
            kind = "sum" if sum(bands) == values[total] else "share"
            relations.append(Relation(total, parts, kind, 1))
    return (
        Publication(
            periods=[Period(label, label, ()) for label in labels],
            values=values,
            hidden=protect(values, relations, frozenset({NETWORK_PARTNERS})),
            rows={"dimensions": rows},
        ),
        dimensions,
    )

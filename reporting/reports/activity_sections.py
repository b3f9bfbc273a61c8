"""The report's sections about activities, and planned against held per plan."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _

from portal.charts import bars, paired_bars, stacked_columns
from programs.models import ActivityKind
from programs.selectors import visible_planned_activities
from reporting.models import ActivityAggregate
from reporting.reports.scope import Figures, Links, quarter_end, quarter_label
from reporting.reports.shapes import Row, Section


def _participants(cells: QuerySet[ActivityAggregate], dimension: str) -> QuerySet[Any]:
    return cells.values(dimension).annotate(
        n=Sum("activity_count"),
        women=Sum("participants_women"),
        men=Sum("participants_men"),
        other=Sum("participants_other"),
        youth=Sum("participants_youth"),
    )


def held_activity_sections(
    user: Any,
    cells: QuerySet[ActivityAggregate],
    filters: Mapping[str, Any],
    make: Figures,
    links: Links,
) -> list[Section]:
    kinds = dict(ActivityKind.choices)
    kind_rows = []
    for row in _participants(cells, "kind").order_by("-n"):
        figures = [
            make(row["n"], links.activities(kind=row["kind"])),
            make(row["women"]),
            make(row["men"]),
            make(row["other"]),
            make(row["youth"]),
        ]
        kind_rows.append(Row(str(kinds.get(row["kind"], row["kind"])), figures))
    columns = [_("Held"), _("Women"), _("Men"), _("Other or not stated"), _("Young people")]
    sections = [
        Section(
            "activity-kinds",
            _("Activities held and their participants"),
            columns,
            kind_rows,
            bars(_("Activities held"), [(row.label, row.figures[0]) for row in kind_rows])
            if kind_rows
            else None,
            row_header=_("Kind of activity"),
            note=_("Young people are counted among the women, men and others as well.")
            + (
                " "
                + _(
                    "Activities are counted by whole quarters, from the quarter of the first "
                    "month chosen to the quarter of the last."
                )
                if filters.get("month_from") or filters.get("month_to")
                else ""
            ),
        )
    ]
    quarter_rows = []
    for row in _participants(cells, "quarter").order_by("quarter"):
        quarter = row["quarter"]
        quarter_rows.append(
            Row(
                quarter_label(quarter),
                [
                    make(
                        row["n"],
                        links.activities(date_after=quarter, date_before=quarter_end(quarter)),
                    ),
                    make(row["women"]),
                    make(row["men"]),
                    make(row["other"]),
                    make(row["youth"]),
                ],
            )
        )
    participant_names = [_("Women"), _("Men"), _("Other or not stated")]
    title = _("Participants by gender, per quarter")
    sections.append(
        Section(
            "participants",
            title,
            [_("Activities held"), *participant_names, _("Young people")],
            # The chart runs from the oldest quarter; the table starts with the newest.
            quarter_rows[::-1],
            stacked_columns(
                title,
                [row.label for row in quarter_rows],
                [
                    (name, [row.figures[i] for row in quarter_rows])
                    for i, name in enumerate(participant_names, start=1)
                ],
            )
            if quarter_rows
            else None,
            row_header=_("Quarter"),
            note=_("Newest first."),
        )
    )
    if getattr(user, "is_portal_staff", False):  # plans are the Swedish side's own
        sections.append(_plans(user, cells, filters, make, links))
    return sections


def _plans(
    user: Any,
    cells: QuerySet[ActivityAggregate],
    filters: Mapping[str, Any],
    make: Figures,
    links: Links,
) -> Section:
    planned = visible_planned_activities(user)
    if program := filters.get("program"):
        planned = planned.filter(plan__program=program)
    if focus_area := filters.get("focus_area"):
        planned = planned.filter(plan__program__focus_area=focus_area)
    if start := filters.get("month_from"):
        planned = planned.filter(plan__year__gte=start.year)
    if end := filters.get("month_to"):
        planned = planned.filter(plan__year__lte=end.year)
    targets = list(
        planned.values(
            "plan",
            "plan__title",
            "plan__year",
            "plan__member_organisation__name",
            "plan__partner__name",
        )
        .annotate(target=Sum("target_count"))
        .order_by("-plan__year", "plan__title")
    )
    held = dict(
        cells.filter(plan__in=[row["plan"] for row in targets])
        .values("plan")
        .annotate(n=Sum("activity_count"))
        .values_list("plan", "n")
        .order_by()
    )
    rows = []
    for row in targets:
        unit = row["plan__member_organisation__name"] or row["plan__partner__name"]
        label = f"{row['plan__title']}, {unit}" if unit else row["plan__title"]
        rows.append(
            Row(
                label,
                [
                    make(row["target"]),
                    make(held.get(row["plan"], 0), links.activities(plan=row["plan"])),
                ],
            )
        )
    names = (_("Planned (at least)"), _("Held"))
    title = _("Planned and held activities per plan")
    return Section(
        "plans",
        title,
        list(names),
        rows,
        paired_bars(title, [(row.label, row.figures[0], row.figures[1]) for row in rows], names)
        if rows
        else None,
        row_header=_("Activity plan"),
        note=_(
            "Held activities count toward a plan when they are linked to one of its planned items."
        ),
    )

"""The report's sections about stories, each one grouped query over the story cells."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _
from django_countries import countries

from partners.regions import Region
from partners.selectors import (
    report_identifies,
)
from portal.charts import Figure, bars, shares, stacked_columns
from programs.models import FocusArea
from progress.models import ChangeStory, ChangeType, TargetGroup
from reporting.models import StoryAggregate
from reporting.reports.scope import Figures, Links, quarter_label, quarter_start
from reporting.reports.shapes import SIGNIFICANCE_LEVELS, TOP_PARTNERS, Row, Section

# --- Sections ---------------------------------------------------------------------------------


def _periods(months: list[dt.date]) -> tuple[str, list[tuple[str, dt.date, dt.date]]]:
    """Month columns for up to two years, quarters up to ten, years beyond."""
    if not months:
        return "month", []
    first, last = min(months), max(months)
    span = (last.year - first.year) * 12 + last.month - first.month + 1
    unit = "month" if span <= 24 else "quarter" if span <= 120 else "year"
    periods: list[tuple[str, dt.date, dt.date]] = []
    start = {"month": first, "quarter": quarter_start(first), "year": first.replace(month=1)}[unit]
    step = {"month": 1, "quarter": 3, "year": 12}[unit]
    while start <= last:
        month_index = start.month - 1 + step
        following = dt.date(start.year + month_index // 12, month_index % 12 + 1, 1)
        label = {
            "month": f"{start:%Y-%m}",
            "quarter": quarter_label(start),
            "year": str(start.year),
        }[unit]
        periods.append((label, start, following - dt.timedelta(days=1)))
        start = following
    return unit, periods


def _period_of(month: dt.date, periods: list[tuple[str, dt.date, dt.date]]) -> int:
    for index, (_label, start, end) in enumerate(periods):
        if start <= month <= end:
            return index
    raise ValueError(month)


def types_over_time(typed: QuerySet[Any], make: Figures, links: Links) -> Section:
    types = {change_type.pk: change_type for change_type in ChangeType.objects.all()}
    rows = list(typed.values("month", "change_type").annotate(n=Sum("story_count")).order_by())
    unit, periods = _periods([row["month"] for row in rows])
    counts: dict[int, list[int]] = defaultdict(lambda: [0] * len(periods))
    for row in rows:
        counts[row["change_type"]][_period_of(row["month"], periods)] += row["n"]
    ordered = sorted(counts, key=lambda pk: (types[pk].ordering, types[pk].code))
    table_rows = []
    series = []
    for pk in ordered:
        figures = [
            make(
                value, links.stories(change_type=pk, event_date_after=start, event_date_before=end)
            )
            for value, (_label, start, end) in zip(counts[pk], periods, strict=True)
        ]
        name = str(types[pk].name)
        series.append((name, figures))
        table_rows.append(Row(name, figures, make.total(figures, links.stories(change_type=pk))))
    labels = [label for label, _start, _end in periods]
    return Section(
        "types-over-time",
        _("Stories by type of change over time"),
        labels,
        table_rows,
        stacked_columns(_("Stories by type of change over time"), labels, series)
        if series
        else None,
        note={
            "month": _("Per month."),
            "quarter": _("Per quarter."),
            "year": _("Per year."),
        }[unit]
        + " "
        + _("A story counts once under each type of change its teller chose.")
        + " "
        + _("The table starts with the total and the newest period."),
        row_header=_("Type of change"),
        over_time=True,
    )


def single_column(
    key: str, title: str, header: str, rows: list[tuple[str, Figure]], note: str = ""
) -> Section:
    return Section(
        key,
        title,
        [_("Stories")],
        [Row(label, [figure]) for label, figure in rows],
        bars(title, rows) if rows else None,
        note=note,
        row_header=header,
    )


def by_country(
    user: Any, stories: QuerySet[Any], make: Figures, links: Links
) -> tuple[Section, Section]:
    by_country: dict[str, int] = defaultdict(int)
    hidden_by_region: dict[str, int] = defaultdict(int)
    by_region: dict[str, int] = defaultdict(int)
    # Cells name their partner; the staff's roll-up keeps only whether it is confidential,
    # which is all the rule needs for staff (``report_identifies``).
    per_partner = stories.model is StoryAggregate
    partner = ("partner_id", "partner__is_confidential") if per_partner else ("confidential",)
    for row in (
        stories.values("country", "region", *partner).annotate(n=Sum("story_count")).order_by()
    ):
        by_region[row["region"]] += row["n"]
        confidential = row["partner__is_confidential" if per_partner else "confidential"]
        if report_identifies(user, partner_id=row.get("partner_id"), is_confidential=confidential):
            by_country[row["country"]] += row["n"]
        else:
            hidden_by_region[row["region"]] += row["n"]
    regions = dict(Region.choices)
    country_rows = [
        (str(countries.name(code)) or code, make(n, links.stories(country=code)))
        for code, n in sorted(by_country.items(), key=lambda item: -item[1])
    ]
    country_rows += [
        (
            _("%(region)s (country not shown)") % {"region": regions.get(region, region)},
            make(n),
        )
        for region, n in sorted(hidden_by_region.items(), key=lambda item: -item[1])
    ]
    region_rows = [
        (str(regions.get(region, region)), make(n, links.stories(region=region)))
        for region, n in sorted(by_region.items(), key=lambda item: -item[1])
    ]
    note = (
        _("Partners whose support is confidential are counted under their region only.")
        if hidden_by_region
        else ""
    )
    return (
        single_column("countries", _("Stories by country"), _("Country"), country_rows, note),
        single_column("regions", _("Stories by region"), _("Region"), region_rows),
    )


def by_programme(stories: QuerySet[Any], make: Figures, links: Links) -> tuple[Section, Section]:
    areas = dict(FocusArea.choices)
    area_totals: dict[str, int] = defaultdict(int)
    programme_rows = []
    for row in (
        stories.values("program", "program__title", "focus_area")
        .annotate(n=Sum("story_count"))
        .order_by("-n")
    ):
        area_totals[row["focus_area"]] += row["n"]
        if row["program"] is None:
            programme_rows.append((_("No programme"), make(row["n"])))
        else:
            programme_rows.append(
                (row["program__title"], make(row["n"], links.stories(program=row["program"])))
            )
    area_rows = [
        (
            str(areas.get(area, _("No programme"))),
            make(area_totals.get(area, 0), links.stories(focus_area=area) if area else ""),
        )
        for area in [*areas, ""]
        if area in area_totals
    ]
    return (
        single_column("focus-areas", _("Stories by focus area"), _("Focus area"), area_rows),
        single_column("programmes", _("Stories by programme"), _("Programme"), programme_rows),
    )


def by_target_group(grouped: QuerySet[Any], make: Figures, links: Links) -> Section:
    totals = dict(
        grouped.values("target_group")
        .annotate(n=Sum("story_count"))
        .values_list("target_group", "n")
        .order_by()
    )
    rows = [
        (str(group.name), make(totals[group.pk], links.stories(target_group=group.pk)))
        for group in TargetGroup.objects.order_by("ordering", "code")
        if group.pk in totals
    ]
    return single_column(
        "target-groups",
        _("Stories by target group"),
        _("Target group"),
        rows,
        _("A story counts once under each group it names; stories naming none are not here."),
    )


def by_teller(stories: QuerySet[Any], make: Figures, links: Links) -> Section:
    totals = dict(
        stories.values("submitter_role")
        .annotate(n=Sum("story_count"))
        .values_list("submitter_role", "n")
        .order_by()
    )
    rows = [
        (str(label), make(totals[role], links.stories(submitter_role=role)))
        for role, label in ChangeStory.SubmitterRole.choices
        if role in totals
    ]
    return single_column("tellers", _("Stories by who told them"), _("Told by"), rows)


def significance(typed: QuerySet[Any], make: Figures, links: Links) -> Section:
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    for row in (
        typed.values("change_type", "significance").annotate(n=Sum("story_count")).order_by()
    ):
        counts[row["change_type"]][row["significance"]] = row["n"]
    rows = []
    for change_type in ChangeType.objects.order_by("ordering", "code"):
        if change_type.pk not in counts:
            continue
        figures = [
            make(
                counts[change_type.pk].get(level, 0),
                links.stories(change_type=change_type.pk, significance=level),
            )
            for level in SIGNIFICANCE_LEVELS
        ]
        rows.append(Row(str(change_type.name), figures, make.total(figures)))
    names = [str(level) for level in SIGNIFICANCE_LEVELS]
    title = _("How significant the tellers found each type of change")
    return Section(
        "significance",
        title,
        names,
        rows,
        shares(title, [(row.label, row.figures) for row in rows], names) if rows else None,
        note=_("Significance from 1 (a little) to 5 (very): each bar shows the shares."),
        row_header=_("Type of change"),
    )


def by_partner(user: Any, partnered: QuerySet[Any], make: Figures, links: Links) -> Section:
    rows = []
    regions = dict(Region.choices)
    for row in (
        partnered.values(
            "partner_id",
            "partner__name",
            "partner__pseudonym",
            "partner__is_confidential",
            "partner__country",
            "partner__region",
        )
        .annotate(n=Sum("story_count"))
        .order_by("-n", "partner_id")[:TOP_PARTNERS]
    ):
        if report_identifies(
            user, partner_id=row["partner_id"], is_confidential=row["partner__is_confidential"]
        ):
            label = f"{row['partner__name']} ({countries.name(row['partner__country'])})"
            figure = make(row["n"], links.stories(partner=row["partner_id"]))
        else:
            label = f"{row['partner__pseudonym']} ({regions.get(row['partner__region'], '')})"
            figure = make(row["n"])
        rows.append((label, figure))
    return single_column(
        "partners",
        _("Partners with the most stories"),
        _("Partner"),
        rows,
        _("The %(count)s partners with the most verified stories in this selection.")
        % {"count": TOP_PARTNERS},
    )

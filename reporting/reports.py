"""The report: figures read from the aggregates through the viewer's scope (DESIGN §4).

Every section is one grouped query over the aggregate tables (or, for planned activities, over
the plans, which do not grow with the stories), so the page's cost does not depend on how many
stories there are. The rules of who sees what come from ``portal.access``: which cells a viewer
reads, whether a row may name its partner, and whether small cells are hidden.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import QuerySet, Sum
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from partners.regions import Region
from partners.selectors import (
    report_identifies,
    report_identifies_every_cell,
    visible_partners,
)
from portal import exports, outbox
from portal.charts import Chart, Figure, bars, paired_bars, shares, stacked_columns
from portal.widgets import LongSelect
from programs.models import ActivityKind, FocusArea, Program
from programs.selectors import visible_planned_activities, visible_programs
from progress.models import ChangeStory, ChangeType, TargetGroup
from reporting import disclosure
from reporting.models import ActivityAggregate, ReportState, StoryAggregate
from reporting.selectors import report_suppresses_small_cells, visible_report_cells

SIGNIFICANCE_LEVELS = (1, 2, 3, 4, 5)
TOP_PARTNERS = 20


class MonthField(forms.DateField):
    """A month as ``YYYY-MM`` (the format of ``<input type="month">``), read as its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m"]


class ReportFilterForm(forms.Form):
    month_from = MonthField(label=gettext_lazy("From month"), required=False)
    month_to = MonthField(label=gettext_lazy("To month"), required=False)
    program: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=gettext_lazy("Programme"), queryset=None, required=False, widget=LongSelect
    )
    focus_area = forms.ChoiceField(
        label=gettext_lazy("Focus area"),
        choices=[("", "---------"), *FocusArea.choices],
        required=False,
    )
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False, widget=LongSelect)
    partner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=gettext_lazy("Partner"), queryset=None, required=False, widget=LongSelect
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Choice lists from the viewer's scope: they must not name what it may not see.
        partners = visible_partners(user).order_by("name").only("pk", "name")
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]
        self.fields["program"].queryset = (  # type: ignore[attr-defined]
            visible_programs(user).order_by("title").only("pk", "title")
        )
        codes = set(partners.order_by().values_list("country", flat=True).distinct())
        self.fields["country"].choices = [  # type: ignore[attr-defined]
            ("", "---------"),
            *((code, name) for code, name in countries if code in codes),
        ]
        if getattr(user, "is_partner_user", False):
            del self.fields["partner"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("month_from"), data.get("month_to")
        if start and end and start > end:
            self.add_error("month_to", _("The last month comes before the first."))
        return data

    def filters(self) -> dict[str, Any]:
        """The valid filters; with errors, none (the form shows what to correct)."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}


@dataclass(frozen=True)
class Row:
    label: str
    figures: list[Figure]
    total: Figure | None = None


@dataclass
class Section:
    key: str
    title: str
    columns: list[str]
    rows: list[Row]
    chart: Chart | None = None
    note: str = ""
    row_header: str = ""
    # Columns are periods, oldest first (as the chart draws them). The table shows them newest
    # first, after the total, and across the whole width: the figures people look for first are
    # in view without scrolling sideways, on a phone too (only older periods lie to the right).
    over_time: bool = False


@dataclass
class Report:
    sections: list[Section]
    headline: list[tuple[str, Figure]]
    filters: dict[str, Any]
    figures_as_of: dt.datetime | None
    refresh_pending: bool
    suppressed: bool
    pseudonymised: bool
    downloads: list[tuple[str, str, str, str]] = field(default_factory=list)
    period: disclosure.Period | None = None  # a network member's chosen period


# --- Scope and filters ------------------------------------------------------------------------


def _last_day(month: dt.date) -> dt.date:
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def story_cells(user: Any, filters: Mapping[str, Any]) -> QuerySet[StoryAggregate]:
    cells = visible_report_cells(user, StoryAggregate.objects.all())
    return _filtered(user, cells, filters, period_field="month")


def activity_cells(user: Any, filters: Mapping[str, Any]) -> QuerySet[ActivityAggregate]:
    cells = visible_report_cells(user, ActivityAggregate.objects.all())
    return _filtered(user, cells, filters, period_field="quarter")


def quarter_start(day: dt.date) -> dt.date:
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def quarter_end(day: dt.date) -> dt.date:
    start = quarter_start(day)
    return _last_day(start.replace(month=start.month + 2))


def _quarter_label(day: dt.date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def _filtered(
    user: Any, cells: QuerySet[Any], filters: Mapping[str, Any], *, period_field: str
) -> QuerySet[Any]:
    # Activity cells are quarters: a period in months widens to the quarters it touches.
    snap = quarter_start if period_field == "quarter" else (lambda month: month)
    if start := filters.get("month_from"):
        cells = cells.filter(**{f"{period_field}__gte": snap(start)})
    if end := filters.get("month_to"):
        cells = cells.filter(**{f"{period_field}__lte": snap(end)})
    if program := filters.get("program"):
        cells = cells.filter(program=program)
    if focus_area := filters.get("focus_area"):
        cells = cells.filter(focus_area=focus_area)
    if partner := filters.get("partner"):
        cells = cells.filter(partner=partner)
    if country := filters.get("country"):
        cells = cells.filter(country=country)
        if not report_identifies_every_cell(user):
            # A confidential partner's figures are shown by region only: a country filter that
            # kept them would tell the viewer which country the partner works in.
            cells = cells.filter(partner__is_confidential=False)
    return cells


def _base_query(filters: Mapping[str, Any]) -> dict[str, str]:
    """The report's filters as the story list understands them."""
    query: dict[str, str] = {"counted": "1"}
    if start := filters.get("month_from"):
        query["event_date_after"] = start.isoformat()
    if end := filters.get("month_to"):
        query["event_date_before"] = _last_day(end).isoformat()
    for key in ("program", "partner"):
        if value := filters.get(key):
            query[key] = str(value.pk)
    for key in ("focus_area", "country"):
        if value := filters.get(key):
            query[key] = value
    return query


class Links:
    """Click-through addresses: the story or activity list with the cell's filters."""

    def __init__(self, filters: Mapping[str, Any]) -> None:
        self.base = _base_query(filters)
        self.activity_base = {k: v for k, v in self.base.items() if not k.startswith("event_")}
        self.activity_base.pop("counted")
        if start := filters.get("month_from"):
            self.activity_base["date_after"] = quarter_start(start).isoformat()
        if end := filters.get("month_to"):
            self.activity_base["date_before"] = quarter_end(end).isoformat()

    def stories(self, **extra: Any) -> str:
        return f"{reverse('story-list')}?{urlencode({**self.base, **extra})}"

    def activities(self, **extra: Any) -> str:
        return f"{reverse('activity-list')}?{urlencode({**self.activity_base, **extra})}"

    def downloads(self, query: Mapping[str, Any]) -> list[tuple[str, str, str, str]]:
        """(what, CSV, semicolon CSV and XLSX addresses) for the report's cells and records."""
        figures = {key: value for key, value in query.items() if value}

        def every(what: str, name: str, params: Mapping[str, Any]) -> tuple[str, str, str, str]:
            csv, semicolon, xlsx = (
                f"{reverse(name, args=[fmt])}?{urlencode(params)}" for fmt in exports.FORMATS
            )
            return what, csv, semicolon, xlsx

        return [
            every(_("Figures"), "report-figures-export", figures),
            every(_("Stories counted"), "story-export", self.base),
            every(_("Activities"), "activity-export", self.activity_base),
        ]


class Figures:
    """Makes the figures of staff's and partner users' reports: exact counts, each a link.

    Network members' figures come from ``reporting.disclosure`` instead.
    """

    def __call__(self, value: int | None, href: str = "") -> Figure:
        value = value or 0
        return Figure(value, href if value else "")

    def total(self, figures: Iterable[Figure], href: str = "") -> Figure:
        return self(sum(figure.value for figure in figures), href)


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
            "quarter": _quarter_label(start),
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


def _types_over_time(cells: QuerySet[StoryAggregate], make: Figures, links: Links) -> Section:
    types = {change_type.pk: change_type for change_type in ChangeType.objects.all()}
    rows = list(
        cells.filter(change_type__isnull=False)
        .values("month", "change_type")
        .annotate(n=Sum("story_count"))
        .order_by()
    )
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


def _single_column(
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


def _by_country(
    user: Any, cells: QuerySet[StoryAggregate], make: Figures, links: Links
) -> tuple[Section, Section]:
    by_country: dict[str, int] = defaultdict(int)
    hidden_by_region: dict[str, int] = defaultdict(int)
    by_region: dict[str, int] = defaultdict(int)
    for row in (
        cells.filter(change_type__isnull=True, target_group__isnull=True)
        .values("country", "region", "partner_id", "partner__is_confidential")
        .annotate(n=Sum("story_count"))
        .order_by()
    ):
        by_region[row["region"]] += row["n"]
        if report_identifies(
            user, partner_id=row["partner_id"], is_confidential=row["partner__is_confidential"]
        ):
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
        _single_column("countries", _("Stories by country"), _("Country"), country_rows, note),
        _single_column("regions", _("Stories by region"), _("Region"), region_rows),
    )


def _by_programme(
    cells: QuerySet[StoryAggregate], make: Figures, links: Links
) -> tuple[Section, Section]:
    areas = dict(FocusArea.choices)
    area_totals: dict[str, int] = defaultdict(int)
    programme_rows = []
    for row in (
        cells.filter(change_type__isnull=True, target_group__isnull=True)
        .values("program", "program__title", "focus_area")
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
        _single_column("focus-areas", _("Stories by focus area"), _("Focus area"), area_rows),
        _single_column("programmes", _("Stories by programme"), _("Programme"), programme_rows),
    )


def _by_target_group(cells: QuerySet[StoryAggregate], make: Figures, links: Links) -> Section:
    totals = dict(
        cells.filter(target_group__isnull=False)
        .values("target_group")
        .annotate(n=Sum("story_count"))
        .values_list("target_group", "n")
        .order_by()
    )
    rows = [
        (str(group.name), make(totals[group.pk], links.stories(target_group=group.pk)))
        for group in TargetGroup.objects.order_by("ordering", "code")
        if group.pk in totals
    ]
    return _single_column(
        "target-groups",
        _("Stories by target group"),
        _("Target group"),
        rows,
        _("A story counts once under each group it names; stories naming none are not here."),
    )


def _by_teller(cells: QuerySet[StoryAggregate], make: Figures, links: Links) -> Section:
    totals = dict(
        cells.filter(change_type__isnull=True, target_group__isnull=True)
        .values("submitter_role")
        .annotate(n=Sum("story_count"))
        .values_list("submitter_role", "n")
        .order_by()
    )
    rows = [
        (str(label), make(totals[role], links.stories(submitter_role=role)))
        for role, label in ChangeStory.SubmitterRole.choices
        if role in totals
    ]
    return _single_column("tellers", _("Stories by who told them"), _("Told by"), rows)


def _significance(cells: QuerySet[StoryAggregate], make: Figures, links: Links) -> Section:
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    for row in (
        cells.filter(change_type__isnull=False)
        .values("change_type", "significance")
        .annotate(n=Sum("story_count"))
        .order_by()
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


def _by_partner(user: Any, cells: QuerySet[StoryAggregate], make: Figures, links: Links) -> Section:
    rows = []
    regions = dict(Region.choices)
    for row in (
        cells.filter(change_type__isnull=True, target_group__isnull=True)
        .values(
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
    return _single_column(
        "partners",
        _("Partners with the most stories"),
        _("Partner"),
        rows,
        _("The %(count)s partners with the most verified stories in this selection.")
        % {"count": TOP_PARTNERS},
    )


def _participants(cells: QuerySet[ActivityAggregate], dimension: str) -> QuerySet[Any]:
    return cells.values(dimension).annotate(
        n=Sum("activity_count"),
        women=Sum("participants_women"),
        men=Sum("participants_men"),
        other=Sum("participants_other"),
        youth=Sum("participants_youth"),
    )


def _activity_sections(
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
                _quarter_label(quarter),
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
        planned.values("plan", "plan__title", "plan__year", "plan__owner_unit")
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
        label = f"{row['plan__title']}, {row['plan__owner_unit']}"
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


# --- The report -------------------------------------------------------------------------------


def build_report(
    user: Any,
    filters: Mapping[str, Any],
    query: Mapping[str, Any] | None = None,
    publication: disclosure.Publication | None = None,
) -> Report:
    """The report for this viewer; ``query`` is the request's filter parameters, for links.

    A network member's report is built from ``publication`` when the form already computed it.
    """
    if report_suppresses_small_cells(user):
        return build_member_report(user, filters.get("period"), publication)
    stories = story_cells(user, filters)
    activities = activity_cells(user, filters)
    make = Figures()
    links = Links(filters)
    story_total = stories.filter(change_type__isnull=True, target_group__isnull=True).aggregate(
        n=Sum("story_count")
    )["n"]
    countries_section, regions_section = _by_country(user, stories, make, links)
    areas_section, programmes_section = _by_programme(stories, make, links)
    sections = [
        _types_over_time(stories, make, links),
        _significance(stories, make, links),
        countries_section,
        regions_section,
        areas_section,
        programmes_section,
        _by_target_group(stories, make, links),
        _by_teller(stories, make, links),
        _by_partner(user, stories, make, links),
    ]
    headline = [(_("verified stories"), make(story_total, links.stories()))]
    sections += _activity_sections(user, activities, filters, make, links)
    held = activities.aggregate(
        n=Sum("activity_count"),
        women=Sum("participants_women"),
        men=Sum("participants_men"),
        other=Sum("participants_other"),
    )
    participants = sum(held[key] or 0 for key in ("women", "men", "other"))
    headline += [
        (_("activities held"), make(held["n"], links.activities())),
        (_("participants"), make(participants)),
        (_("of them women"), make(held["women"])),
    ]
    state = ReportState.objects.first()
    return Report(
        sections=sections,
        headline=headline,
        filters=dict(filters),
        figures_as_of=state.refreshed_at if state else None,
        refresh_pending=outbox.refresh_pending(),
        suppressed=False,
        pseudonymised=not report_identifies_every_cell(user),
        downloads=links.downloads(query or {}),
    )


# --- A network member's report: fixed tables (reporting.disclosure) ------------------------------


class MemberReportForm(forms.Form):
    """A network member chooses a period from a list, nothing else (docs/reports.md).

    Any other parameter (a month range, a partner, a country) is not a field, so it is never
    read: the member's tables are the same whatever else the address says.
    """

    period = forms.ChoiceField(label=gettext_lazy("Period"), required=False)

    def __init__(self, *args: Any, publication: disclosure.Publication, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The report is built from the same publication: one computation per request.
        self.publication = publication
        self.fields["period"].choices = [  # type: ignore[attr-defined]
            (period.code, period.label) for period in publication.periods
        ]

    def filters(self) -> dict[str, Any]:
        if not self.is_bound or not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}


def member_publication(user: Any) -> disclosure.Publication:
    """Every figure a network member can request, computed together (``reporting.disclosure``)."""
    return disclosure.member_publication(visible_report_cells(user, StoryAggregate.objects.all()))


def report_form(user: Any, data: Mapping[str, Any] | None) -> forms.Form:
    """The report's filter form for this viewer: free filters, or a member's list of periods."""
    if report_suppresses_small_cells(user):
        return MemberReportForm(data, publication=member_publication(user))
    return ReportFilterForm(data, user=user)


def _member_rows(
    publication: disclosure.Publication,
    period: disclosure.Period,
    dimension: str,
    labels: Mapping[Any, str],
    links: Links,
    link_parameter: str,
) -> list[tuple[str, Figure]]:
    """One row per value with stories in the period, largest published figure first.

    Ordered by what is shown, then by name: an order by the true counts would tell which of
    two "<5" rows holds more.
    """
    rows = []
    for value in publication.rows.get(dimension, []):
        key = disclosure.story_key(dimension, period, value)
        if not publication.values.get(key):
            continue
        href = links.stories(**{link_parameter: value}) if value and link_parameter else ""
        rows.append((labels.get(value, str(value)), publication.figure(key, href)))
    return sorted(rows, key=lambda row: (-row[1].value, row[1].hidden, row[0]))


def build_member_report(
    user: Any, period_code: str | None, publication: disclosure.Publication | None = None
) -> Report:
    """A network member's report: one period, every figure rounded or hidden as published."""
    publication = publication or member_publication(user)
    period = publication.period(period_code or "all")
    links = Links({"month_from": period.start, "month_to": period.end})
    headline_key = disclosure.story_key("stories", period)
    headline = [
        (
            _("verified stories that may be quoted"),
            publication.figure(headline_key, links.stories()),
        )
    ]
    partners = {
        partner.pk: f"{partner.name} ({countries.name(partner.country)})"
        for partner in visible_partners(user).only("pk", "name", "country")
    }
    programmes = dict(
        Program.objects.filter(pk__in=publication.rows.get("programme", [])).values_list(
            "pk", "title"
        )
    )
    programmes[0] = _("No programme")
    types = ChangeType.objects.order_by("ordering", "code")
    groups = TargetGroup.objects.order_by("ordering", "code")
    sections = [
        _member_types_over_time(publication, period, types, links),
        _single_column(
            "target-groups",
            _("Stories by target group"),
            _("Target group"),
            _member_rows(
                publication,
                period,
                "group",
                {group.pk: str(group.name) for group in groups},
                links,
                "target_group",
            ),
            _("A story counts once under each group it names; stories naming none are not here."),
        ),
        _single_column(
            "programmes",
            _("Stories by programme"),
            _("Programme"),
            _member_rows(publication, period, "programme", programmes, links, "program"),
        ),
        _single_column(
            "tellers",
            _("Stories by who told them"),
            _("Told by"),
            _member_rows(
                publication,
                period,
                "teller",
                {role: str(label) for role, label in ChangeStory.SubmitterRole.choices},
                links,
                "submitter_role",
            ),
        ),
        _single_column(
            "partners",
            _("Stories by partner"),
            _("Partner"),
            _member_rows(publication, period, "partner", partners, links, "partner"),
        ),
    ]
    state = ReportState.objects.first()
    return Report(
        sections=sections,
        headline=headline,
        filters={"period": period.code} if period.code != "all" else {},
        figures_as_of=state.refreshed_at if state else None,
        refresh_pending=outbox.refresh_pending(),
        suppressed=True,
        pseudonymised=False,
        downloads=[],  # network members read their report on the page only
        period=period,
    )


def _member_types_over_time(
    publication: disclosure.Publication,
    period: disclosure.Period,
    types: Iterable[ChangeType],
    links: Links,
) -> Section:
    """Types of change per year (all time) or per half-year (a year), with the period's total.

    Each column is the same figure as that year's or half-year's own page shows: the table
    tells nothing that the pages do not.
    """
    columns = disclosure.sub_periods(period, publication.periods) or [period]
    rows, series = [], []
    for change_type in types:
        total_key = disclosure.story_key("type", period, change_type.pk)
        if not publication.values.get(total_key):
            continue
        figures = [
            publication.figure(
                disclosure.story_key("type", column, change_type.pk),
                links.stories(
                    change_type=change_type.pk,
                    event_date_after=column.start or "",
                    event_date_before=column.end or "",
                ),
            )
            for column in columns
        ]
        total = (
            publication.figure(total_key, links.stories(change_type=change_type.pk))
            if len(columns) > 1
            else None
        )
        rows.append(Row(str(change_type.name), figures, total))
        series.append((str(change_type.name), figures))
    labels = [column.label for column in columns]
    title = _("Stories by type of change over time")
    return Section(
        "types-over-time",
        title,
        labels,
        rows,
        stacked_columns(title, labels, series) if series else None,
        note=_("A story counts once under each type of change its teller chose."),
        row_header=_("Type of change"),
    )

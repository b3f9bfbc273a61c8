"""The demo's results frameworks (``demo/data/results.toml``), written through the results
services as an administrator would in the admin, after the world.

Each framework has the half-years of the year before the anchor and of the anchor's year as its
periods; the half-years that have ended by the anchor carry the projects' actuals, entered as
staff would in the admin, then reported through the reporting flow (``results.reports``): each
project's report of a half-year saved and submitted by the partner's user (or the
administrator, for partners without a demo login), citing one of the partner's verified
stories, and reviewed by staff — the latest in the status the file names (draft, submitted,
returned with its question, approved), the earlier ones approved. Indicators broken down by
dimensions get their parts from the file's ``split``, by largest remainders, so that the parts
always add up to the total. Rows are found by natural keys: a re-run changes nothing.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import product
from typing import Any

from demo.data_files import DATA_DIR, DemoDataError, demo_data
from demo.world import DemoWorld
from portal.models import User
from programs.models import Program, Project
from progress.models import ChangeStory, ChangeType
from results import checks, kept, services
from results.models import (
    TOTAL,
    Actual,
    Dimension,
    DimensionValue,
    Figure,
    Indicator,
    Measure,
    Outcome,
    Period,
    Report,
    Target,
    combination_key,
)
from results.reports import selectors as report_selectors
from results.reports import services as report_services

FILE = "results.toml"
INDICATOR_KEYS = frozenset(
    {
        "title",
        "description",
        "measure",
        "unit",
        "currency",
        "direction",
        "baseline",
        "dimensions",
        "split",
        "targets",
        "report",
    }
)
STATUSES = frozenset(Report.Status.values)
LATEST_KEYS = frozenset({"project", "status", "question", "comment"})


def _load() -> dict[str, Any]:
    try:
        with (DATA_DIR / FILE).open("rb") as file:
            return tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise DemoDataError(f"demo/data/{FILE}: {error}") from None


def half_years(anchor: date) -> list[tuple[date, date]]:
    first = anchor.year - 1
    return [
        span
        for year in (first, first + 1)
        for span in ((date(year, 1, 1), date(year, 6, 30)), (date(year, 7, 1), date(year, 12, 31)))
    ]


@dataclass
class _Seeder:
    admin: User
    world: DemoWorld
    anchor: date
    values: dict[tuple[str, str], DimensionValue]
    reporting: set[int] = field(default_factory=set)

    def dimensions(self, entries: list[dict[str, Any]]) -> None:
        for order, entry in enumerate(entries, start=1):
            dimension = Dimension.objects.filter(code=entry["code"]).first()
            if dimension is None:
                dimension = services.dimension_save(
                    actor=self.admin,
                    dimension=Dimension(
                        code=entry["code"],
                        name_en=entry["name_en"],
                        name_sv=entry["name_sv"],
                        name_es=entry["name_es"],
                        ordering=order,
                    ),
                )
            for value_order, item in enumerate(entry.get("value", []), start=1):
                value = DimensionValue.objects.filter(
                    dimension=dimension, code=item["code"]
                ).first()
                if value is None:
                    value = services.dimension_value_save(
                        actor=self.admin,
                        value=DimensionValue(dimension=dimension, ordering=value_order, **item),
                    )
                self.values[(dimension.code, value.code)] = value

    def framework(self, entry: dict[str, Any], where: str) -> None:
        program = self.world.programs.get(entry["programme"])
        if program is None:
            raise DemoDataError(f"{where}: no programme {entry['programme']!r}")
        for number, item in enumerate(entry.get("outcome", []), start=1):
            outcome = Outcome.objects.filter(program=program, title=item["title"]).first()
            if outcome is None:
                outcome = services.outcome_save(
                    actor=self.admin,
                    outcome=Outcome(
                        program=program,
                        title=item["title"],
                        description=item.get("description", ""),
                        ordering=number,
                    ),
                )
                types = list(ChangeType.objects.filter(code__in=item.get("change_types", [])))
                services.outcome_set_change_types(
                    actor=self.admin, outcome=outcome, change_types=types
                )
            for order, indicator in enumerate(item.get("indicator", []), start=1):
                self.indicator(outcome, indicator, order, f"{where}, outcome {number}")
        self.reports(program, entry.get("latest", []), where)
        self.reporting.clear()

    def reports(self, program: Program, latest: list[dict[str, Any]], where: str) -> None:
        """Each reporting project's report of every ended half-year, through the flow."""
        wanted: dict[str, dict[str, Any]] = {}
        for item in latest:
            if set(item) - LATEST_KEYS or item.get("status") not in STATUSES:
                raise DemoDataError(
                    f"{where}, latest: keys {sorted(LATEST_KEYS)}, status in {sorted(STATUSES)}"
                )
            if item["status"] == "returned" and not item.get("question"):
                raise DemoDataError(f"{where}, latest {item['project']}: a question to return")
            if item["project"] not in self.world.projects:
                raise DemoDataError(f"{where}, latest: no project {item['project']!r}")
            wanted[item["project"]] = item
        keys = {project.pk: key for key, project in self.world.projects.items()}
        ended = [span for span in half_years(self.anchor) if span[1] < self.anchor]
        for project_id in sorted(self.reporting):
            project = Project.objects.select_related("partner").get(pk=project_id)
            item = wanted.get(keys[project_id], {})
            for index, (start, end) in enumerate(ended):
                last = index == len(ended) - 1
                status = item.get("status", "approved") if last else "approved"
                self.report(project, start, end, status, item if last else {})

    def report(
        self, project: Project, start: date, end: date, status: str, item: dict[str, Any]
    ) -> None:
        if Report.objects.filter(project=project, start=start, end=end).exists():
            return
        partner_user = next(
            (u for u in self.world.users.values() if u.partner_id == project.partner_id),
            self.admin,
        )
        reviewer = self.world.users["staff"]
        periods = list(report_selectors.span_periods(self.admin, project, start, end))
        entries = [
            report_services.EntryInput(
                period=period,
                figures=[
                    report_services.FigureInput(
                        actual.combination, actual.value, actual.numerator, actual.denominator
                    )
                    for actual in Actual.objects.filter(period=period, project=project)
                ],
                comment=item.get("comment", "") if number == 0 else "",
                stories=self.evidence(project, period) if number == 0 else [],
            )
            for number, period in enumerate(periods)
            if not period.indicator.is_qualitative
        ]
        if not entries:
            return
        save = report_services.report_save
        save(actor=partner_user, project=project, start=start, end=end, entries=entries)
        if status == "draft":
            return
        report = save(
            actor=partner_user, project=project, start=start, end=end, entries=[], submit=True
        )
        if status == "returned":
            report_services.report_review(
                actor=reviewer, report=report, action="returned", comment=item["question"]
            )
        elif status == "approved":
            report_services.report_review(actor=reviewer, report=report, action="approved")

    def evidence(self, project: Project, period: Period) -> list[ChangeStory]:
        """A story of the partner that shows a change of a kind the indicator's outcome relates
        to, one that happened in the period where there is one; none where no story fits (a
        citation that does not explain the figure would teach the wrong habit)."""
        fitting = ChangeStory.objects.filter(
            partner=project.partner,
            status__in=report_services.CITABLE,
            change_types__in=period.indicator.outcome.change_types.all(),
        ).order_by("event_date", "reference")
        story = (
            fitting.filter(event_date__range=(period.start, period.end)).first() or fitting.first()
        )
        return [] if story is None else [story]

    def indicator(self, outcome: Outcome, entry: dict[str, Any], order: int, where: str) -> None:
        where = f"{where}, indicator {order}"
        if unknown := set(entry) - INDICATOR_KEYS:
            raise DemoDataError(f"{where}: unknown keys {sorted(unknown)}")
        measure = entry["measure"]
        if measure not in Measure.values:
            raise DemoDataError(f"{where}: measure must be one of {Measure.values}")
        reports = entry.get("report", [])
        try:
            projects = [self.world.projects[report["project"]] for report in reports]
        except KeyError as error:
            raise DemoDataError(f"{where}: no project {error}") from None
        indicator = Indicator.objects.filter(outcome=outcome, title=entry["title"]).first()
        if indicator is None:
            baseline = entry.get("baseline")
            percentage = measure == Measure.PERCENTAGE
            indicator = services.indicator_save(
                actor=self.admin,
                indicator=Indicator(
                    outcome=outcome,
                    title=entry["title"],
                    description=entry.get("description", ""),
                    ordering=order,
                    measure=measure,
                    unit=entry.get("unit", ""),
                    currency=entry.get("currency", ""),
                    direction=entry.get("direction", "increase"),
                    baseline_value=None if percentage or baseline is None else Decimal(baseline),
                    baseline_numerator=Decimal(baseline[0]) if percentage and baseline else None,
                    baseline_denominator=Decimal(baseline[1]) if percentage and baseline else None,
                    baseline_date=None if baseline is None else date(self.anchor.year - 2, 12, 31),
                ),
            )
            dimensions = Dimension.objects.filter(code__in=entry.get("dimensions", []))
            services.indicator_set_links(
                actor=self.admin, indicator=indicator, dimensions=dimensions, projects=projects
            )
        spans = half_years(self.anchor)
        ended = [span for span in spans if span[1] < self.anchor]
        targets = entry.get("targets", [])
        if len(targets) > len(spans):
            raise DemoDataError(f"{where}: at most {len(spans)} targets")
        periods = [self.period(indicator, start, end) for start, end in spans]
        for period, target in zip(periods, targets, strict=False):
            self.figure(Target(period=period), indicator, target)
        parts = self.parts(entry, where)
        for report in reports:
            project = self.world.projects[report["project"]]
            actuals = report["actuals"]
            if len(actuals) > len(ended):
                raise DemoDataError(f"{where}, {report['project']}: at most {len(ended)} actuals")
            for period, actual in zip(periods, actuals, strict=False):
                self.figure(Actual(period=period, project=project), indicator, actual)
                for combination, figure in _split(actual, parts):
                    self.figure(
                        Actual(period=period, project=project, combination=combination),
                        indicator,
                        figure,
                    )
            self.reporting.add(project.pk)

    def parts(self, entry: dict[str, Any], where: str) -> list[tuple[str, float]]:
        """The combinations of the indicator's dimensions with their shares of each total."""
        split: dict[str, float] = entry.get("split", {})
        if not entry.get("dimensions"):
            return []
        combos = []
        dimension_values = [
            [code for (dimension, code) in self.values if dimension == name]
            for name in entry["dimensions"]
        ]
        for codes in product(*dimension_values):
            share = split.get("+".join(codes), 0.0)
            if share:
                values = [
                    self.values[(name, code)]
                    for name, code in zip(entry["dimensions"], codes, strict=True)
                ]
                combos.append((combination_key(value.pk for value in values), share))
        if abs(sum(share for _key, share in combos) - 1.0) > 1e-9:
            raise DemoDataError(f"{where}: the shares of `split` must add up to 1")
        return combos

    def period(self, indicator: Indicator, start: date, end: date) -> Period:
        period = Period.objects.filter(indicator=indicator, start=start, end=end).first()
        if period is None:
            period = services.period_save(
                actor=self.admin, period=Period(indicator=indicator, start=start, end=end)
            )
        return period

    def figure(self, figure: Figure, indicator: Indicator, number: Any) -> None:
        if isinstance(figure, Actual):
            existing = Actual.objects.filter(
                period=figure.period, project=figure.project, combination=figure.combination
            ).exists()
        else:
            existing = Target.objects.filter(
                period=figure.period, combination=figure.combination
            ).exists()
        if existing:
            return
        if indicator.measure == Measure.PERCENTAGE:
            numerator, denominator = (
                (number[0], number[1]) if isinstance(number, list) else (number, 100)
            )
            figure.numerator, figure.denominator = Decimal(numerator), Decimal(denominator)
        elif indicator.measure != Measure.QUALITATIVE:
            figure.value = Decimal(number)
        if isinstance(figure, Actual):
            services.actual_save(actor=self.admin, actual=figure)
        else:
            services.target_save(actor=self.admin, target=figure)  # type: ignore[arg-type]


def _split(total: Any, parts: list[tuple[str, float]]) -> list[tuple[str, int]]:
    """A whole total shared out by the given shares, by largest remainders: the parts add up."""
    if not parts or not isinstance(total, int):
        return []
    exact = [(key, total * share) for key, share in parts]
    floors = [(key, int(value)) for key, value in exact]
    left = total - sum(value for _key, value in floors)
    order = sorted(range(len(exact)), key=lambda i: exact[i][1] - floors[i][1], reverse=True)
    shares = dict(floors)
    for index in order[:left]:
        shares[exact[index][0]] += 1
    return [(key, shares[key]) for key, _share in parts if key != TOTAL]


def seed_results(world: DemoWorld) -> None:
    data = _load()
    seeder = _Seeder(admin=world.users["admin"], world=world, anchor=demo_data().anchor, values={})
    seeder.dimensions(data.get("dimension", []))
    for number, entry in enumerate(data.get("framework", []), start=1):
        seeder.framework(entry, f"demo/data/{FILE}, framework {number}")
    # The earlier periods' figures above were written past the services: keep the checks and
    # the sums (seed_demo's rebuild of the report figures would also rebuild the sums).
    checks.rebuild()
    kept.rebuild()

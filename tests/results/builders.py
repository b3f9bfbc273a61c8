"""Small results frameworks for the tests, written straight to the database (the services have
their own tests)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from conftest import World
from programs.models import Program, Project
from results import checks, kept
from results.models import (
    TOTAL,
    Actual,
    Dimension,
    DimensionValue,
    Indicator,
    Measure,
    Outcome,
    Period,
    Target,
    combination_key,
)


@dataclass
class Dimensions:
    sex: Dimension
    age: Dimension
    women: DimensionValue
    men: DimensionValue
    youth: DimensionValue
    adults: DimensionValue


def dimensions() -> Dimensions:
    sex, _ = Dimension.objects.get_or_create(
        code="sex", defaults={"name_en": "Sex", "name_sv": "Kön", "name_es": "Sexo", "ordering": 1}
    )
    age, _ = Dimension.objects.get_or_create(
        code="age",
        defaults={"name_en": "Age", "name_sv": "Ålder", "name_es": "Edad", "ordering": 2},
    )

    def value(dimension: Dimension, code: str, name: str, ordering: int) -> DimensionValue:
        made, _ = DimensionValue.objects.get_or_create(
            dimension=dimension,
            code=code,
            defaults={"name_en": name, "name_sv": name, "name_es": name, "ordering": ordering},
        )
        return made

    return Dimensions(
        sex,
        age,
        value(sex, "women", "Women", 1),
        value(sex, "men", "Men", 2),
        value(age, "youth", "Youth (15 to 29)", 1),
        value(age, "adults", "Adults", 2),
    )


def indicator(
    program: Program,
    *,
    measure: str = Measure.COUNT,
    title: str = "People trained",
    projects: list[Project] | None = None,
    project: Project | None = None,
    years: tuple[int, ...] = (2025, 2026),
    outcome: Outcome | None = None,
    **fields: object,
) -> Indicator:
    outcome = outcome or Outcome.objects.create(program=program, title="Women and youth lead")
    made = Indicator.objects.create(
        outcome=outcome,
        project=project,
        title=title,
        measure=measure,
        currency="USD" if measure == Measure.CURRENCY else "",
        **fields,
    )
    made.projects.set(projects or [])
    for year in years:
        Period.objects.create(indicator=made, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
    return made


def period(indicator: Indicator, year: int = 2025) -> Period:
    return indicator.periods.get(start__year=year)


def actual(
    period: Period,
    project: Project,
    value: int | str | None = None,
    *,
    numerator: int | None = None,
    denominator: int | None = None,
    values: tuple[DimensionValue, ...] = (),
    status: str = Actual.Status.APPROVED,
) -> Actual:
    made = Actual.objects.create(
        period=period,
        project=project,
        combination=combination_key(v.pk for v in values) if values else TOTAL,
        value=None if value is None else Decimal(value),
        numerator=None if numerator is None else Decimal(numerator),
        denominator=None if denominator is None else Decimal(denominator),
        status=status,
    )
    checks.refresh([(period.pk, project.pk)])  # as the services do after each write
    kept.recompute([period.indicator_id])  # as the outbox's drain does after commit
    return made


def target(
    period: Period,
    value: int | None = None,
    *,
    numerator: int | None = None,
    denominator: int | None = None,
) -> Target:
    return Target.objects.create(
        period=period,
        value=None if value is None else Decimal(value),
        numerator=None if numerator is None else Decimal(numerator),
        denominator=None if denominator is None else Decimal(denominator),
    )


def world_framework(world: World) -> Indicator:
    """An indicator of the world's programme that all three partners' projects report on, with
    approved totals (alpha 10, beta 20, hidden 30) and a target of 100 in 2025."""
    made = indicator(
        world.program, projects=[world.alpha_project, world.beta_project, world.hidden_project]
    )
    first = period(made)
    target(first, 100)
    for project, value in (
        (world.alpha_project, 10),
        (world.beta_project, 20),
        (world.hidden_project, 30),
    ):
        actual(first, project, value)
    return made


@dataclass
class ReportFramework:
    """The world's programme with three indicators every partner's project reports on, over
    the year 2025: people trained (a count, by sex), groups led by a woman (a percentage) and
    how women describe their voice (qualitative)."""

    trained: Indicator
    share: Indicator
    voice: Indicator
    dimensions: Dimensions

    def periods(self) -> list[Period]:
        return [period(i) for i in (self.trained, self.share, self.voice)]


def report_framework(world: World) -> ReportFramework:
    d = dimensions()
    projects = [world.alpha_project, world.beta_project, world.hidden_project]
    outcome = Outcome.objects.create(program=world.program, title="Women and youth lead")
    trained = indicator(world.program, projects=projects, years=(2025,), outcome=outcome)
    trained.dimensions.set([d.sex])
    share = indicator(
        world.program,
        measure=Measure.PERCENTAGE,
        title="Groups led by a woman",
        projects=projects,
        years=(2025,),
        outcome=outcome,
    )
    voice = indicator(
        world.program,
        measure=Measure.QUALITATIVE,
        title="How women describe their voice",
        projects=projects,
        years=(2025,),
        outcome=outcome,
    )
    return ReportFramework(trained, share, voice, d)

"""What a review of the reporting flow found (issue #13): an approved report's figures cannot be
moved out of their lock through a period, the admin refuses a locked figure with a form error
(never a 500), and a confidential partner's figures count in an officer's totals but in no
breakdown."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from conftest import World
from results import services
from results.models import TOTAL, Actual, Period
from results.reports import services as reports
from tests.results import builders
from tests.results.test_services import _actual_form


def _approved(world: World) -> tuple[builders.ReportFramework, Period]:
    f = builders.report_framework(world)
    period = builders.period(f.trained)
    report = reports.report_save(
        actor=world.users["partner"],
        project=world.alpha_project,
        start=period.start,
        end=period.end,
        entries=[
            reports.EntryInput(period, [reports.FigureInput(TOTAL, value=Decimal(10))]),
            reports.EntryInput(
                builders.period(f.share),
                [reports.FigureInput(TOTAL, numerator=Decimal(1), denominator=Decimal(2))],
            ),
            reports.EntryInput(builders.period(f.voice), [], comment="They speak up."),
        ],
        submit=True,
    )
    reports.report_review(actor=world.users["staff"], report=report, action="approved")
    return f, period


def test_a_period_with_figures_keeps_its_dates(world: World) -> None:
    _f, period = _approved(world)
    period.end = period.start.replace(month=6, day=30)
    with pytest.raises(ValidationError):
        services.period_save(actor=world.users["officer"], period=period, changed_fields=["end"])
    period.refresh_from_db()
    assert period.end.month == 12
    with pytest.raises(ValidationError):
        services.period_delete(actor=world.users["staff"], period=period)


def test_the_admin_refuses_a_locked_figure_with_a_form_error(
    world: World, client_as: Callable[[str], Client]
) -> None:
    _f, period = _approved(world)
    actual = Actual.objects.get(period=period, project=world.alpha_project, combination=TOTAL)
    client = client_as("staff")
    change = client.post(
        reverse("admin:results_actual_change", args=[actual.pk]),
        _actual_form(period, world.alpha_project, value="11"),
    )
    assert change.status_code == 200 and "approved and locked" in change.content.decode()
    added = client.post(
        reverse("admin:results_actual_add"),
        _actual_form(period, world.alpha_project, value="11", values=[]),
    )
    assert added.status_code == 200 and "errorlist" in added.content.decode()
    delete = client.post(reverse("admin:results_actual_delete", args=[actual.pk]), {"post": "yes"})
    assert delete.status_code == 403
    moved = client.post(
        reverse("admin:results_period_change", args=[period.pk]),
        {
            "indicator": period.indicator_id,
            "start": "2025-01-01",
            "end": "2025-06-30",
            "targets-TOTAL_FORMS": "0",
            "targets-INITIAL_FORMS": "0",
        },
    )
    assert moved.status_code == 200 and "keeps its dates" in moved.content.decode()
    actual.refresh_from_db()
    assert actual.value == 10


def test_a_confidential_partners_figures_count_in_an_officers_totals_but_no_breakdown(
    world: World, client_as: Callable[[str], Client]
) -> None:
    d = builders.dimensions()
    indicator = builders.world_framework(world)  # totals 10, 20 and the confidential 30
    indicator.dimensions.set([d.sex])
    first = builders.period(indicator)
    builders.actual(first, world.alpha_project, 10, values=(d.men,))
    builders.actual(first, world.hidden_project, 30, values=(d.women,))
    url = reverse("indicator-results", args=[world.program.pk, indicator.pk])
    staff = client_as("staff").get(url).content.decode()
    assert ">60<" in staff and 'Women</th><td class="number">30</td>' in staff
    officer = client_as("officer").get(url).content.decode()
    assert ">60<" in officer  # the total counts every approved figure
    assert 'Women</th><td class="number">30</td>' not in officer
    assert 'Men</th><td class="number">10</td>' in officer
    export = client_as("officer").get(
        reverse("program-results-export", args=[world.program.pk, "csv"])
    )
    rows = b"".join(export.streaming_content).decode()  # type: ignore[attr-defined]
    # No programme row of the confidential part; the other project's is there.
    assert ",Women," not in rows and ",Men," in rows

"""The kept sums of approved figures (issue #13, item 4): every change that makes a figure count
or stop counting reaches them through the outbox, and they equal a recomputation afterwards."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from conftest import World
from partners import services as partner_services
from portal import outbox
from portal.models import Outbox
from programs import services as program_services
from reporting import aggregates
from results import kept, selectors
from results.models import TOTAL, Actual, ActualSum
from results.reports import services as reports
from tests.results import builders
from tests.results.test_reports import _entries, _save

pytestmark = pytest.mark.django_db


def _rows() -> list[tuple[int, str, bool, Decimal | None, Decimal | None, Decimal | None]]:
    return sorted(
        ActualSum.objects.values_list(
            "period_id", "combination", "confidential", "value", "numerator", "denominator"
        )
    )


def _drained() -> None:
    """What a worker does after the commit: on the embedded default the task already ran
    in-process (nothing left); with Redis no worker serves this suite, so drain here."""
    aggregates.drain_outbox()
    assert not Outbox.objects.filter(subject=outbox.RESULTS).exists()


def _same_as_a_rebuild() -> None:
    drained = _rows()
    kept.rebuild()
    assert drained == _rows()


def test_a_review_reaches_the_kept_sums_through_the_outbox(
    world: World, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    framework = builders.report_framework(world)
    partner, staff = world.users["partner"], world.users["staff"]
    trained = framework.periods()[0]
    report = _save(partner, world.alpha_project, _entries(framework), submit=True)
    assert not ActualSum.objects.exists()  # nothing approved yet
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        reports.report_review(actor=staff, report=report, action="approved")
    _drained()
    totals = selectors.actual_sums(staff, trained.indicator.periods.all(), totals_only=True)
    assert totals[(trained.pk, TOTAL)].value == 10
    _same_as_a_rebuild()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        reports.report_unlock(actor=staff, report=report, reason="The total has a typo.")
    _drained()
    assert not ActualSum.objects.filter(period=trained).exists()
    _same_as_a_rebuild()


def test_a_review_without_a_drain_leaves_the_indicators_in_the_outbox(world: World) -> None:
    """Where the refresh cannot run (a broker down), the sweep finds what to recompute."""
    framework = builders.report_framework(world)
    partner, staff = world.users["partner"], world.users["staff"]
    report = _save(partner, world.alpha_project, _entries(framework), submit=True)
    reports.report_review(actor=staff, report=report, action="approved")
    stale = set(Outbox.objects.filter(subject=outbox.RESULTS).values_list("key", flat=True))
    trained, share, _voice = framework.periods()
    assert stale == {trained.indicator_id, share.indicator_id}
    assert aggregates.drain_outbox() == len(stale)
    assert ActualSum.objects.filter(period=trained, combination=TOTAL).get().value == 10
    _same_as_a_rebuild()


def test_a_partner_made_confidential_moves_its_figures_out_of_the_breakdowns(
    world: World, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    made = builders.world_framework(world)
    women = builders.dimensions().women
    period = builders.period(made, 2025)
    builders.actual(period, world.alpha_project, 4, values=(women,))
    officer = world.users["officer"]

    def women_counted() -> Decimal | None:
        sums = selectors.actual_sums(officer, made.periods.all())
        amount = sums.get((period.pk, str(women.pk)))
        return None if amount is None else amount.value

    assert women_counted() == 4
    world.alpha.is_confidential = True
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        partner_services.partner_save(
            actor=world.users["admin"], partner=world.alpha, changed_fields=["is_confidential"]
        )
    _drained()
    assert women_counted() is None  # a part could point at the partner now
    # Its total still counts in the officer's total.
    total = selectors.actual_sums(officer, made.periods.all(), totals_only=True)
    assert total[(period.pk, TOTAL)].value == 60
    _same_as_a_rebuild()


def test_a_deleted_project_takes_its_figures_out_of_the_sums(
    world: World, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    made = builders.world_framework(world)  # 2025: 10 + 20 + 30, approved
    period = builders.period(made, 2025)
    project = world.beta_project
    world.beta_story.delete()  # a project with stories is protected
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        program_services.project_delete(actor=world.users["admin"], project=project)
    _drained()
    total = selectors.actual_sums(world.users["admin"], made.periods.all(), totals_only=True)
    assert total[(period.pk, TOTAL)].value == 60 - 20
    _same_as_a_rebuild()


def test_approving_a_report_leaves_the_figures_of_an_unlinked_indicator_alone(
    world: World,
) -> None:
    """Figures of an indicator the project no longer reports on are not on the report's form:
    approving it must not approve what no one reviewed."""
    framework = builders.report_framework(world)
    partner, staff = world.users["partner"], world.users["staff"]
    _save(partner, world.alpha_project, _entries(framework))
    share = framework.periods()[1]
    share.indicator.projects.remove(world.alpha_project)
    report = _save(partner, world.alpha_project, [], submit=True)
    reports.report_review(actor=staff, report=report, action="approved")
    statuses = dict(
        Actual.objects.filter(project=world.alpha_project, combination=TOTAL).values_list(
            "period_id", "status"
        )
    )
    assert statuses == {framework.periods()[0].pk: "approved", share.pk: "draft"}


def test_the_programme_page_reads_the_kept_sums(
    world: World, client_as: Callable[[str], Client]
) -> None:
    """The page shows what the kept sums hold: a figure written past the services and the
    outbox appears only once they are recomputed."""
    made = builders.world_framework(world)
    Actual.objects.filter(period__indicator=made, project=world.alpha_project).update(
        value=Decimal(50)
    )
    url = reverse("program-results", args=[world.program.pk])
    assert ">60<" in client_as("staff").get(url).content.decode()
    kept.recompute([made.pk])
    assert ">100<" in client_as("staff").get(url).content.decode()


@pytest.mark.skipif(bool(settings.REDIS_URL), reason="tasks run on a worker with Redis")
def test_on_the_embedded_default_the_refresh_runs_right_after_the_commit(
    world: World, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    framework = builders.report_framework(world)
    report = _save(world.users["partner"], world.alpha_project, _entries(framework), submit=True)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        reports.report_review(actor=world.users["staff"], report=report, action="approved")
    assert not Outbox.objects.exists()
    assert ActualSum.objects.filter(period=framework.periods()[0], combination=TOTAL).exists()

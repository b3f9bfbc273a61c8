"""The demo's results frameworks: one per focus area, every status, parts that add up, and a
second run that changes nothing."""

from __future__ import annotations

from django.db import transaction

from demo.results import _split, seed_results
from demo.world import seed_world
from progress.models import ChangeType
from results import selectors
from results.models import Actual, Indicator, Period, Report, ReportEntry, ReportEvent, Target
from tests import factories
from tests.demo.seeding import remove_demo_data


def test_the_demo_seeds_a_framework_per_focus_area(db: None) -> None:
    with transaction.atomic():
        world = seed_world(2026)
    # The demo's stories come before its results (seed_demo): one verified story to cite, of a
    # kind of change the project's outcomes relate to.
    project = world.projects["gt-councils"]
    story = factories.StoryFactory.create(partner=project.partner, project=project)
    story.change_types.add(ChangeType.objects.get(code="economic-self-reliance"))
    seed_results(world)
    areas = set(Indicator.objects.values_list("outcome__program__focus_area", flat=True))
    assert areas == {"democracy", "women_youth", "capacity"}
    assert set(Actual.objects.values_list("status", flat=True)) >= {
        "approved",
        "submitted",
        "returned",
    }
    # Through the reporting flow: reports in every status, each step in the history, stories
    # cited, and the actuals in step with their reports.
    assert set(Report.objects.values_list("status", flat=True)) == set(Report.Status.values)
    assert set(ReportEvent.objects.values_list("action", flat=True)) >= {
        "saved",
        "submitted",
        "returned",
        "approved",
    }
    assert ReportEntry.objects.filter(stories__isnull=False).exists()
    for report in Report.objects.all():
        statuses = set(
            Actual.objects.filter(
                project=report.project, period__start=report.start, period__end=report.end
            ).values_list("status", flat=True)
        )
        assert statuses == {report.status}
    assert Indicator.objects.filter(dimensions__code="sex").filter(dimensions__code="age").exists()
    assert Actual.objects.filter(project__partner__is_confidential=True).exists()
    staff = world.users["staff"]
    assert selectors.total_mismatches(staff, Period.objects.all()) == []
    counts = (
        Indicator.objects.count(),
        Target.objects.count(),
        Actual.objects.count(),
        ReportEvent.objects.count(),
    )
    seed_results(world)
    assert (
        Indicator.objects.count(),
        Target.objects.count(),
        Actual.objects.count(),
        ReportEvent.objects.count(),
    ) == counts
    remove_demo_data()


def test_a_total_is_shared_out_so_that_the_parts_add_up() -> None:
    parts = [("1.3", 0.38), ("1.4", 0.42), ("2.3", 0.14), ("2.4", 0.06)]
    for total in (0, 1, 7, 64, 71, 80, 1001):
        assert sum(value for _key, value in _split(total, parts)) == total
    assert _split([3, 4], parts) == []

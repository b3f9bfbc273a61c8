"""The programme's and the project's results pages, per role, and their query counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from conftest import World
from portal.models import AccessLog
from programs.models import Project
from progress.models import ChangeStory
from results import kept
from results.models import Actual, Indicator, Measure, Outcome, Period, Report, Target
from results.reports import services as reports
from tests import factories
from tests.results import builders
from tests.results.test_reports import _entries, _save


def _program_page(client_as: Callable[[str], Client], world: World, role: str) -> str:
    response = client_as(role).get(reverse("program-results", args=[world.program.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _indicator_page(
    client_as: Callable[[str], Client], world: World, role: str, indicator: Indicator
) -> str:
    url = reverse("indicator-results", args=[world.program.pk, indicator.pk])
    response = client_as(role).get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_staff_read_the_roll_up_with_each_project_named(
    world: World, client_as: Callable[[str], Client]
) -> None:
    indicator = builders.world_framework(world)
    page = _program_page(client_as, world, "staff")
    assert "People trained" in page
    assert ">60<" in page  # 10 + 20 + 30
    assert ">100<" in page  # the target
    assert "60 %" in page  # progress: 60 of 100 from a baseline of nothing
    assert reverse("indicator-results", args=[world.program.pk, indicator.pk]) in page
    # The indicator's own page: every period, the chart and the projects.
    page = _indicator_page(client_as, world, "staff", indicator)
    assert ">60<" in page and ">100<" in page and "60 %" in page
    assert "Project of Hidden Rainbow Union" in page
    assert "<svg" in page


def test_officers_read_the_confidential_project_by_pseudonym_and_region(
    world: World, client_as: Callable[[str], Client]
) -> None:
    indicator = builders.world_framework(world)
    for page in (
        _program_page(client_as, world, "officer"),
        _indicator_page(client_as, world, "officer", indicator),
    ):
        assert ">60<" in page
        assert "Hidden Rainbow" not in page
        assert "Turkey" not in page and "Türkiye" not in page
        assert reverse("project-results", args=[world.hidden_project.pk]) not in page
    assert world.hidden.pseudonym in page


def test_an_indicator_is_read_under_its_own_programme_only(
    world: World, client_as: Callable[[str], Client]
) -> None:
    indicator = builders.world_framework(world)
    elsewhere = factories.ProgramFactory.create()
    url = reverse("indicator-results", args=[elsewhere.pk, indicator.pk])
    assert client_as("staff").get(url).status_code == 404
    own = builders.indicator(world.program, title="Hidden's own", project=world.hidden_project)
    url = reverse("indicator-results", args=[world.program.pk, own.pk])
    assert client_as("officer").get(url).status_code == 404
    assert client_as("staff").get(url).status_code == 200


def test_partner_users_read_their_own_figures_only(
    world: World, client_as: Callable[[str], Client]
) -> None:
    builders.world_framework(world)
    indicator = Indicator.objects.get()
    for page in (
        _program_page(client_as, world, "partner"),
        _indicator_page(client_as, world, "partner", indicator),
    ):
        assert ">10<" in page
        assert ">60<" not in page
        # The programme's target is the whole programme's, not the partner's.
        assert ">100<" not in page
        assert "Sindicato Beta" not in page and "Hidden" not in page


def test_members_read_programme_totals_only(
    world: World, client_as: Callable[[str], Client]
) -> None:
    d = builders.dimensions()
    indicator = builders.world_framework(world)
    indicator.dimensions.set([d.sex])
    builders.actual(builders.period(indicator), world.alpha_project, 10, values=(d.women,))
    for page in (
        _program_page(client_as, world, "member"),
        _indicator_page(client_as, world, "member", indicator),
    ):
        assert ">60<" in page
        assert "Project of" not in page
        assert "Women</th>" not in page
        assert world.hidden.pseudonym not in page
    response = client_as("member").get(reverse("project-results", args=[world.alpha_project.pk]))
    assert response.status_code == 404


def test_the_disaggregation_table_sums_each_value(
    world: World, client_as: Callable[[str], Client]
) -> None:
    d = builders.dimensions()
    indicator = builders.world_framework(world)
    indicator.dimensions.set([d.sex, d.age])
    first = builders.period(indicator)
    builders.actual(first, world.alpha_project, 3, values=(d.women, d.youth))
    builders.actual(first, world.alpha_project, 2, values=(d.women, d.adults))
    builders.actual(first, world.beta_project, 4, values=(d.women, d.youth))
    page = _indicator_page(client_as, world, "staff", indicator)
    # Women: 3 + 2 + 4; youth: 3 + 4.
    assert 'Women</th><td class="number">9</td>' in page
    assert 'Youth (15 to 29)</th><td class="number">7</td>' in page
    # Alpha's parts (5) miss its total (10): listed on the programme's page.
    assert "do not add up" in _program_page(client_as, world, "staff")


def test_a_percentage_reads_from_its_numerators_and_denominators(
    world: World, client_as: Callable[[str], Client]
) -> None:
    indicator = builders.indicator(
        world.program,
        measure=Measure.PERCENTAGE,
        title="Groups with a woman in the lead",
        projects=[world.alpha_project, world.beta_project],
    )
    first = builders.period(indicator)
    builders.actual(first, world.alpha_project, numerator=9, denominator=10)
    builders.actual(first, world.beta_project, numerator=100, denominator=1000)
    assert "10.8 % (109/1,010)" in _program_page(client_as, world, "staff")
    assert "10.8 % (109/1,010)" in _indicator_page(client_as, world, "staff", indicator)


def test_the_project_page_shows_its_own_figures_and_what_waits(
    world: World, client_as: Callable[[str], Client]
) -> None:
    indicator = builders.world_framework(world)
    later = builders.period(indicator, 2026)
    builders.actual(later, world.alpha_project, 7, status="submitted")
    Report.objects.create(
        project=world.alpha_project, start=later.start, end=later.end, status="submitted"
    )
    response = client_as("partner").get(reverse("project-results", args=[world.alpha_project.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert ">10<" in page
    assert ">7<" not in page  # not approved: it does not count
    reports = page.split('data-testid="project-reports"')[1]
    assert reverse("result-report", args=[world.alpha_project.pk, "2026"]) in reports
    assert "<td>submitted</td>" in reports
    other = client_as("partner").get(reverse("project-results", args=[world.beta_project.pk]))
    assert other.status_code == 404


def test_cleared_staff_reading_a_confidential_project_leave_a_trace(
    world: World, client_as: Callable[[str], Client]
) -> None:
    builders.world_framework(world)
    url = reverse("project-results", args=[world.hidden_project.pk])
    assert client_as("officer").get(url).status_code == 404
    assert client_as("staff").get(url).status_code == 200
    assert AccessLog.objects.filter(
        object_type="programs.project", object_id=str(world.hidden_project.pk)
    ).exists()


def test_the_programme_and_project_pages_link_to_their_results(
    world: World, client_as: Callable[[str], Client]
) -> None:
    builders.world_framework(world)
    program = client_as("member").get(reverse("program-detail", args=[world.program.pk]))
    assert reverse("program-results", args=[world.program.pk]) in program.content.decode()
    project = client_as("partner").get(reverse("project-detail", args=[world.alpha_project.pk]))
    assert reverse("project-results", args=[world.alpha_project.pk]) in project.content.decode()
    member = client_as("member").get(reverse("project-detail", args=[world.alpha_project.pk]))
    assert reverse("project-results", args=[world.alpha_project.pk]) not in member.content.decode()


# --- Query counts ------------------------------------------------------------------------------


def _framework(world: World, *, indicators: int, periods: int, projects: int) -> None:
    """A programme framework of the given size, disaggregated by sex, every actual approved."""
    d = builders.dimensions()
    members = [world.alpha_project, world.beta_project, world.hidden_project]
    members += [
        factories.ProjectFactory.create(program=world.program)
        for _ in range(max(0, projects - len(members)))
    ]
    outcome = Outcome.objects.create(program=world.program, title="Stronger organisations")
    made_periods = []
    for number in range(indicators):
        indicator = Indicator.objects.create(
            outcome=outcome,
            title=f"Indicator {number}",
            measure=Measure.COUNT if number % 2 else Measure.PERCENTAGE,
        )
        indicator.projects.set(members)
        indicator.dimensions.set([d.sex])
        for index in range(periods):
            year = 2020 + index // 2
            start, end = (
                (dt.date(year, 1, 1), dt.date(year, 6, 30))
                if index % 2 == 0
                else (dt.date(year, 7, 1), dt.date(year, 12, 31))
            )
            made_periods.append(
                (indicator, Period.objects.create(indicator=indicator, start=start, end=end))
            )
    targets, actuals = [], []
    for indicator, period in made_periods:
        percentage = indicator.measure == Measure.PERCENTAGE
        figure = (
            {"numerator": Decimal(5), "denominator": Decimal(10)}
            if percentage
            else {"value": Decimal(10)}
        )
        # Halves of the total: the parts add up.
        part = (
            {"numerator": Decimal("2.5"), "denominator": Decimal(5)}
            if percentage
            else {"value": Decimal(5)}
        )
        targets.append(Target(period=period, **figure))
        for project in members:
            actuals.append(Actual(period=period, project=project, status="approved", **figure))
            for value in (d.women, d.men):
                actuals.append(
                    Actual(
                        period=period,
                        project=project,
                        combination=str(value.pk),
                        status="approved",
                        **part,
                    )
                )
    Target.objects.bulk_create(targets)
    Actual.objects.bulk_create(actuals)
    kept.rebuild()  # bulk inserts go past the services and the outbox


# Queries after the login's (cleared staff: session, user, device = 3; officers 2; others 2):
# the programme, its outcomes, their change types, the indicators, their dimensions, the
# periods, the targets' totals (grouped), the actuals' totals (grouped); for staff the parts
# that do not add up (grouped; where some do not, also their projects).
PROGRAM_QUERIES = {"staff": 3 + 9, "officer": 2 + 9, "partner": 2 + 8, "member": 2 + 8}
# One indicator: the programme, the indicator with its outcome; the indicator again for the
# page's framework, its dimensions, periods, targets (grouped), actuals (grouped), the dimension
# values, the stories cited (with their periods); for staff and partners each project's totals
# (grouped), the projects with their partners, which of them the viewer may open.
INDICATOR_QUERIES = {"staff": 3 + 12, "officer": 2 + 12, "partner": 2 + 12, "member": 2 + 9}


@pytest.mark.parametrize("role", sorted(INDICATOR_QUERIES))
def test_the_indicator_page_runs_a_fixed_number_of_queries(
    world: World,
    client_as: Callable[[str], Client],
    django_assert_num_queries: DjangoAssertNumQueries,
    role: str,
) -> None:
    client = client_as(role)
    _framework(world, indicators=2, periods=2, projects=3)
    first = Indicator.objects.order_by("pk").last()
    assert first is not None
    with django_assert_num_queries(INDICATOR_QUERIES[role]):
        url = reverse("indicator-results", args=[world.program.pk, first.pk])
        assert client.get(url).status_code == 200
    Outcome.objects.all().delete()
    _framework(world, indicators=50, periods=10, projects=30)
    last = Indicator.objects.order_by("pk").last()
    assert last is not None
    with django_assert_num_queries(INDICATOR_QUERIES[role]):
        url = reverse("indicator-results", args=[world.program.pk, last.pk])
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", sorted(PROGRAM_QUERIES))
def test_the_programme_page_runs_a_fixed_number_of_queries(
    world: World,
    client_as: Callable[[str], Client],
    django_assert_num_queries: DjangoAssertNumQueries,
    role: str,
) -> None:
    client = client_as(role)
    url = reverse("program-results", args=[world.program.pk])
    _framework(world, indicators=2, periods=2, projects=3)
    with django_assert_num_queries(PROGRAM_QUERIES[role]):
        assert client.get(url).status_code == 200
    Outcome.objects.all().delete()
    _framework(world, indicators=50, periods=10, projects=30)
    with django_assert_num_queries(PROGRAM_QUERIES[role]):
        assert client.get(url).status_code == 200


# The project (with partner and programme), the indicators, their dimensions, the periods, the
# targets' totals, the actuals' totals, the project's reports.
PROJECT_QUERIES = 2 + 7


def test_the_project_page_runs_a_fixed_number_of_queries(
    world: World,
    client_as: Callable[[str], Client],
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    client = client_as("partner")
    url = reverse("project-results", args=[world.alpha_project.pk])
    _framework(world, indicators=2, periods=2, projects=3)
    with django_assert_num_queries(PROJECT_QUERIES):
        assert client.get(url).status_code == 200
    Outcome.objects.all().delete()
    Project.objects.exclude(
        pk__in=[world.alpha_project.pk, world.beta_project.pk, world.hidden_project.pk]
    ).delete()
    _framework(world, indicators=20, periods=10, projects=10)
    Actual.objects.filter(project=world.alpha_project, combination="").update(status="submitted")
    with django_assert_num_queries(PROJECT_QUERIES):
        assert client.get(url).status_code == 200


# --- One indicator as one project reports on it ------------------------------------------------


def _cited(
    world: World, project: Project, story: ChangeStory, *, approve: bool = True
) -> tuple[str, int]:
    """A report of ``project`` citing ``story`` for people trained in 2025; the indicator's
    page for the project, and the indicator."""
    framework = builders.report_framework(world)
    entries = _entries(framework, stories=[story])
    partner = {world.alpha_project.pk: "partner", world.beta_project.pk: "partner2"}
    actor = world.users[partner.get(project.pk, "admin")]
    report = _save(actor, project, entries, submit=True)
    if approve:
        reports.report_review(actor=world.users["admin"], report=report, action="approved")
    url = reverse("project-indicator-results", args=[project.pk, framework.trained.pk])
    return url, framework.trained.pk


def test_the_project_page_lists_each_indicator_and_links_to_its_page(
    world: World, client_as: Callable[[str], Client]
) -> None:
    url, _indicator = _cited(world, world.alpha_project, world.alpha_story)
    page = client_as("partner").get(reverse("project-results", args=[world.alpha_project.pk]))
    content = page.content.decode()
    assert url in content
    assert "<svg" not in content  # the charts are on the indicator's page
    indicator = client_as("partner").get(url).content.decode()
    assert "<svg" in indicator and ">10<" in indicator
    assert "Women" in indicator and ">6<" in indicator  # the breakdown


def test_the_indicator_pages_show_the_stories_an_approved_report_cites(
    world: World, client_as: Callable[[str], Client]
) -> None:
    url, indicator = _cited(world, world.alpha_project, world.alpha_story)
    reference = world.alpha_story.reference
    for role in ("partner", "staff", "officer"):
        page = client_as(role).get(url).content.decode()
        assert reference in page.split('data-testid="citations"')[1], role
    programme = reverse("indicator-results", args=[world.program.pk, indicator])
    assert reference in client_as("officer").get(programme).content.decode()


def test_a_confidential_partners_citation_stays_with_those_who_may_identify_it(
    world: World, client_as: Callable[[str], Client]
) -> None:
    url, indicator = _cited(world, world.hidden_project, world.hidden_story)
    programme = reverse("indicator-results", args=[world.program.pk, indicator])
    reference = world.hidden_story.reference
    assert reference in client_as("staff").get(url).content.decode()
    assert client_as("officer").get(url).status_code == 404
    for role in ("officer", "partner", "member"):
        assert reference not in client_as(role).get(programme).content.decode(), role


def test_a_citation_waits_for_the_approval(
    world: World, client_as: Callable[[str], Client]
) -> None:
    url, _indicator = _cited(world, world.alpha_project, world.alpha_story, approve=False)
    assert 'data-testid="citations"' not in client_as("staff").get(url).content.decode()


def test_the_project_indicator_page_is_not_for_members_nor_other_partners(
    world: World, client_as: Callable[[str], Client]
) -> None:
    url, _indicator = _cited(world, world.alpha_project, world.alpha_story)
    assert client_as("member").get(url).status_code == 404
    assert client_as("partner2").get(url).status_code == 404
    own_indicator = builders.indicator(world.program, project=world.beta_project)
    stranger = reverse("project-indicator-results", args=[world.alpha_project.pk, own_indicator.pk])
    assert client_as("staff").get(stranger).status_code == 404  # not one the project reports on


# The project (with partner and programme), the indicator with its outcome; the indicator again
# for the page's framework, its dimensions, periods, targets, actuals, the dimension values, the
# stories cited.
PROJECT_INDICATOR_QUERIES = 2 + 9


def test_the_project_indicator_page_runs_a_fixed_number_of_queries(
    world: World,
    client_as: Callable[[str], Client],
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    client = client_as("partner")
    _framework(world, indicators=2, periods=2, projects=3)
    first = Indicator.objects.order_by("pk").first()
    assert first is not None
    url = reverse("project-indicator-results", args=[world.alpha_project.pk, first.pk])
    with django_assert_num_queries(PROJECT_INDICATOR_QUERIES):
        assert client.get(url).status_code == 200
    Outcome.objects.all().delete()
    _framework(world, indicators=20, periods=10, projects=10)
    last = Indicator.objects.order_by("pk").last()
    assert last is not None
    url = reverse("project-indicator-results", args=[world.alpha_project.pk, last.pk])
    with django_assert_num_queries(PROJECT_INDICATOR_QUERIES):
        assert client.get(url).status_code == 200

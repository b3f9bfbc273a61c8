"""The report page: who sees what (DESIGN §4), click-through, filters, rebuild, constant cost."""

from __future__ import annotations

import datetime as dt
import html
import re
import time
from collections.abc import Callable

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_countries import countries

from conftest import World
from programs.models import ActivityKind
from progress.models import ChangeStory, ChangeType, TargetGroup
from reporting import aggregates, reports
from reporting.models import ReportState
from tests import factories

# Stories per partner: enough for the confidential one to show in every section, and few enough
# for the foreign partner that a network member's report must hide its count.
STORIES = {"alpha": 6, "beta": 3, "hidden": 7}


@pytest.fixture
def reported(world: World) -> World:
    participation = ChangeType.objects.get(code="participation-decision-making")
    capacity = ChangeType.objects.get(code="organisational-capacity")
    women = TargetGroup.objects.get(code="women")
    for name, count in STORIES.items():
        partner = getattr(world, name)
        for index in range(count - 1):  # the world already holds one verified story each
            story = factories.StoryFactory.create(
                partner=partner,
                program=world.program,
                event_date=dt.date(2025, 1 + index, 5),
                significance=1 + index % 5,
                submitter_role=ChangeStory.SubmitterRole.RIGHTS_HOLDER,
            )
            story.change_types.add(participation, *([capacity] if index % 2 else []))
            if index % 3 == 0:
                story.target_groups.add(women)
        getattr(world, f"{name}_story").change_types.add(participation)
    # Not counted: a draft and a submitted story.
    factories.StoryFactory.create(partner=world.alpha, status=ChangeStory.Status.DRAFT)
    factories.StoryFactory.create(partner=world.beta, status=ChangeStory.Status.SUBMITTED)
    plan = factories.ActivityPlanFactory.create(program=world.program, year=2025)
    planned = factories.PlannedActivityFactory.create(plan=plan, target_count=3)
    for project in (world.alpha_project, world.hidden_project):
        factories.ActivityFactory.create(project=project, planned=planned, date=dt.date(2025, 5, 2))
    factories.ActivityFactory.create(
        project=world.alpha_project, kind=ActivityKind.CAMPAIGN, date=dt.date(2025, 8, 9)
    )
    aggregates.rebuild_all()
    return world


def _page(client: Client, **query: str) -> str:
    response = client.get(reverse("report"), query)
    assert response.status_code == 200
    return response.content.decode()


def _section(report: reports.Report, key: str) -> reports.Section:
    return next(section for section in report.sections if section.key == key)


def _headline_stories(report: reports.Report) -> int:
    return report.headline[0][1].value


def test_cleared_staff_see_every_partner_by_name(reported: World) -> None:
    report = reports.build_report(reported.users["staff"], {})
    assert _headline_stories(report) == sum(STORIES.values())
    labels = [row.label for row in _section(report, "partners").rows]
    assert f"Hidden Rainbow Union ({countries.name('TR')})" in labels
    assert next(row.label for row in _section(report, "countries").rows) == countries.name("TR")


def test_officers_see_confidential_figures_only_under_pseudonym_and_region(
    reported: World, client_as: Callable[[str], Client]
) -> None:
    officer = reports.build_report(reported.users["officer"], {})
    # The same totals as cleared staff: nothing is left out, only unnamed.
    assert _headline_stories(officer) == sum(STORIES.values())
    labels = [row.label for row in _section(officer, "partners").rows]
    assert f"{reported.hidden.pseudonym} (Middle East and North Africa)" in labels
    countries_rows = {row.label: row.figures[0] for row in _section(officer, "countries").rows}
    hidden_row = countries_rows["Middle East and North Africa (country not shown)"]
    assert (hidden_row.value, hidden_row.href) == (STORIES["hidden"], "")
    page = _page(client_as("officer"))
    for secret in ("Hidden Rainbow Union", countries.name("TR"), "Izmir"):
        assert secret not in page
    assert 'data-testid="pseudonym-note"' in page
    # A country filter never counts a confidential partner: it would tell where it works.
    filtered = reports.build_report(
        reported.users["officer"], {"country": "TR", "program": reported.program}
    )
    assert _headline_stories(filtered) == 0


def test_a_partner_user_reads_its_own_organisation_only(
    reported: World, client_as: Callable[[str], Client]
) -> None:
    report = reports.build_report(reported.users["partner"], {})
    assert _headline_stories(report) == STORIES["alpha"]
    assert [row.label for row in _section(report, "partners").rows] == [
        f"Frente de Mujeres Alfa ({countries.name('GT')})"
    ]
    activities = {
        row.label: row.figures[0].value for row in _section(report, "activity-kinds").rows
    }
    assert activities == {"Training": 1, "Campaign": 1}
    assert not any(section.key == "plans" for section in report.sections)
    page = _page(client_as("partner"))
    assert "Sindicato Beta" not in page and "Hidden Rainbow Union" not in page
    # The confidential partner's own users see their own name: it is theirs.
    secret = reports.build_report(reported.users["secret"], {})
    assert _headline_stories(secret) == STORIES["hidden"]
    assert "Hidden Rainbow Union" in _section(secret, "partners").rows[0].label


def test_a_network_member_sees_small_cells_suppressed_and_nothing_confidential(
    reported: World, client_as: Callable[[str], Client]
) -> None:
    report = reports.build_report(reported.users["member"], {})
    partners = {row.label: row.figures[0] for row in _section(report, "partners").rows}
    beta = partners[f"Sindicato Beta ({countries.name('CO')})"]
    assert beta.suppressed and beta.display == "<5" and beta.href == ""
    assert not any(reported.hidden.pseudonym in label for label in partners)
    total = report.headline[0][1]
    # 6 + 3 verified stories that may be quoted, rounded to the nearest five.
    assert (total.value, total.display) == (10, "10")
    # No exact count is shown anywhere, in a table or a chart: "<5", hidden, or a multiple of 5.
    for section in report.sections:
        for row in section.rows:
            for figure in [*row.figures, *([row.total] if row.total else [])]:
                assert figure.suppressed or figure.hidden or figure.value % 5 == 0
    assert {section.key for section in report.sections}.isdisjoint({"activity-kinds", "plans"})
    page = _page(client_as("member"))
    assert "Hidden Rainbow Union" not in page and reported.hidden.pseudonym not in page
    assert 'data-testid="suppression-note"' in page


STORY_LINK = re.compile(r'<a href="(/stories/\?[^"]+)">([0-9,\s\xa0]+)</a>')
ACTIVITY_LINK = re.compile(r'<a href="(/activities/\?[^"]+)">([0-9,\s\xa0]+)</a>')
RESULT_COUNT = re.compile(r'data-testid="result-count">\s*([0-9,\s\xa0]+) (?:stor|activit)')


def _count(text: str) -> int:
    return int(re.sub(r"[^0-9]", "", text))


@pytest.mark.parametrize("query", [{}, {"month_from": "2025-02", "month_to": "2025-04"}])
def test_every_figure_clicks_through_to_exactly_the_records_behind_it(
    reported: World, client_as: Callable[[str], Client], query: dict[str, str]
) -> None:
    client = client_as("staff")
    page = _page(client, **query)
    links = STORY_LINK.findall(page) + ACTIVITY_LINK.findall(page)
    assert len(links) > 20
    for href, shown in links:
        listing = client.get(html.unescape(href)).content.decode()
        match = RESULT_COUNT.search(listing)
        assert match, href
        assert _count(match.group(1)) == _count(shown), href
    print(f"reports: {len(links)} figures followed to their lists, all equal")


def test_its_charts_are_svg_without_inline_style_or_script(
    reported: World, client_as: Callable[[str], Client]
) -> None:
    page = _page(client_as("staff"))
    charts = re.findall(r"<svg class=\"chart\".*?</svg>", page, flags=re.S)
    assert len(charts) >= 8
    for chart in charts:
        assert "style=" not in chart and "<script" not in chart
        assert "<title" in chart  # a tooltip per bar
    # Coordinates are never written with a decimal comma, whatever the language.
    swedish = client_as("staff")
    swedish.cookies["django_language"] = "sv"
    assert not re.search(r'(?:x|y|width|height)="\d+,\d', _page(swedish))


def test_its_charts_are_hidden_from_screen_readers_and_every_bar_is_a_link_in_its_table(
    reported: World, client_as: Callable[[str], Client]
) -> None:
    # A chart was an <svg role="img"> holding links (axe: nested-interactive). The table beside
    # it holds the same figures and links, so the chart is hidden and its links leave the tab
    # order; a pointer can still follow a bar.
    page = _page(client_as("staff"))
    assert 'role="img"' not in page
    sections = re.findall(r'<section class="report-section.*?</section>', page, flags=re.S)
    charted = 0
    for section in sections:
        figure = re.search(
            r'<figure class="chart-figure[^"]*" aria-hidden="true">.*?</figure>',
            section,
            flags=re.S,
        )
        if not figure:
            continue
        charted += 1
        bar_links = re.findall(r"<a [^>]*>", figure.group(0))
        assert all('tabindex="-1"' in link for link in bar_links)
        bar_targets = set(re.findall(r'<a href="([^"]+)" tabindex="-1">', figure.group(0)))
        table = section[figure.end() :]
        assert bar_targets <= set(re.findall(r'<a href="([^"]+)">', table)), section[:80]
    assert charted >= 8


def test_its_tables_over_time_start_with_the_total_and_the_newest_period(
    reported: World, client_as: Callable[[str], Client]
) -> None:
    page = _page(client_as("staff"))

    def section(key: str) -> str:
        match = re.search(rf'<section[^>]* id="{key}".*?</section>', page, flags=re.S)
        assert match, key
        return match.group(0)

    headers = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', section("types-over-time"))
    assert headers[1] == "Total"
    periods = headers[2:]
    assert len(periods) >= 2 and periods == sorted(periods, reverse=True)
    quarters = re.findall(r'<th scope="row"[^>]*>([^<]*)</th>', section("participants"))
    assert len(quarters) >= 2 and quarters == sorted(quarters, reverse=True)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            {"month_from": "2025-06", "month_to": "2025-01"},
            "The last month comes before the first.",
        ),
        ({"month_from": "June"}, "Enter a valid date."),
        ({"program": "999999999999999999999"}, "Select a valid choice."),
        ({"focus_area": "<script>"}, "Select a valid choice."),
    ],
)
def test_bad_filters_get_a_message_and_the_whole_report(
    reported: World, client_as: Callable[[str], Client], query: dict[str, str], message: str
) -> None:
    page = _page(client_as("staff"), **query)
    assert html.escape(message, quote=False) in page or message in page
    assert "Stories by type of change over time" in page


def test_it_runs_the_same_number_of_queries_whatever_the_data(
    reported: World, client_as: Callable[[str], Client]
) -> None:
    client = client_as("officer")
    with CaptureQueriesContext(connection) as before:
        _page(client)
    for index in range(30):
        partner = factories.PartnerFactory.create(is_confidential=index % 3 == 0)
        project = factories.ProjectFactory.create(partner=partner, program=reported.program)
        story = factories.StoryFactory.create(partner=partner, program=reported.program)
        story.change_types.add(ChangeType.objects.get(code="other"))
        factories.ActivityFactory.create(project=project)
    aggregates.rebuild_all()
    with CaptureQueriesContext(connection) as after:
        _page(client)
    assert len(after) == len(before)


@pytest.mark.skipif(bool(django_settings.REDIS_URL), reason="tasks run on a worker with Redis")
def test_a_rebuild_from_the_page_completes_at_once_with_eager_tasks(
    reported: World, client_as: Callable[[str], Client]
) -> None:
    client = client_as("staff")
    response = client.post(reverse("report-rebuild"))
    assert response.status_code == 302 and response["Location"] == reverse("report-rebuild")
    status = client.get(reverse("report-rebuild-status")).json()
    assert (status["state"], status["percent"]) == ("done", 100)
    assert ReportState.objects.get().rebuild_requested_by == reported.users["staff"]
    page = client.get(reverse("report-rebuild")).content.decode()
    assert 'data-state="done"' in page


def test_a_rebuild_that_cannot_be_queued_says_so_and_starts_nothing(
    reported: World, client_as: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    from reporting import tasks

    def refuse(*args: object, **kwargs: object) -> None:
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.rebuild_aggregates, "apply_async", refuse)
    response = client_as("staff").post(reverse("report-rebuild"), follow=True)
    assert "The rebuild could not be started" in response.content.decode()
    assert not ReportState.objects.exclude(rebuild_task_id="").exists()


def test_a_rebuild_whose_worker_was_lost_can_be_started_again(
    reported: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reporting import rebuilds

    # As with a broker: the task is queued, a worker reported a step, then went silent.
    ReportState.objects.update_or_create(
        pk=1,
        defaults={
            "rebuild_task_id": "lost",
            "rebuild_requested_at": timezone.now() - dt.timedelta(minutes=30),
            "rebuilt_at": timezone.now() - dt.timedelta(hours=1),
        },
    )
    last_step = time.time() - 20 * 60
    monkeypatch.setattr(
        rebuilds,
        "_task_progress",
        lambda task_id, requested: rebuilds._progress_of(
            "PROGRESS", {"done": 2, "total": 5, "at": last_step}, requested
        ),
    )
    assert rebuilds.rebuild_status().state == "failed"
    monkeypatch.setattr(
        rebuilds,
        "_task_progress",
        lambda task_id, requested: rebuilds._progress_of(
            "PROGRESS", {"done": 2, "total": 5, "at": time.time()}, requested
        ),
    )
    status = rebuilds.rebuild_status()
    assert (status.state, status.percent) == ("running", 40)


def test_a_confidential_partners_own_user_can_filter_by_its_country(reported: World) -> None:
    # The country filter leaves confidential partners out only for officers, who see them by
    # region; the partner's own users see their own figures under any filter they may choose.
    secret = reports.build_report(reported.users["secret"], {"country": "TR"})
    assert _headline_stories(secret) == STORIES["hidden"]
    assert not secret.pseudonymised
    assert reports.build_report(reported.users["officer"], {}).pseudonymised

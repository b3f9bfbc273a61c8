"""The results framework in the IATI file, the check page, and the download that refuses a file
with problems. Each rule on indicators, periods and dates is met by a framework broken on
purpose, and shown on the check page with the indicator, the period and a link to fix it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from lxml import etree
from pytest_django.fixtures import Settings

from conftest import World
from reporting import iati
from reporting.iati.check import Check, check_file
from reporting.iati.files import activity_file
from results.models import Actual, Direction, Indicator, Measure, Period, Target
from tests.reporting.test_iati import schema_dir
from tests.results import builders


def _activity(root: etree._Element, identifier_end: str) -> etree._Element:
    (activity,) = [
        a
        for a in root.iterfind("iati-activity")
        if (a.findtext("iati-identifier") or "").endswith(identifier_end)
    ]
    return activity


def _framework_indicator(activity: etree._Element, title: str) -> etree._Element:
    (indicator,) = [
        i for i in activity.iterfind("result/indicator") if i.findtext("title/narrative") == title
    ]
    return indicator


def test_it_publishes_approved_figures_per_project_and_targets_on_the_programme(
    world: World,
) -> None:
    d = builders.dimensions()
    indicator = builders.world_framework(world)
    indicator.baseline_value = Decimal(5)
    indicator.baseline_date = dt.date(2024, 12, 31)
    indicator.save()
    indicator.dimensions.set([d.sex])
    first = builders.period(indicator)
    builders.actual(first, world.alpha_project, 6, values=(d.women,))
    builders.actual(builders.period(indicator, 2026), world.alpha_project, 7, status="submitted")
    tree = activity_file(world.users["staff"])
    assert iati.validate(tree, schema_dir()) == []
    root = tree.getroot()
    text = iati.to_bytes(tree).decode()

    program = _activity(root, f"PRG-{world.program.pk}")
    on_programme = _framework_indicator(program, "People trained")
    assert on_programme.get("measure") == "1" and on_programme.get("ascending") == "true"
    assert program.find("result").get("type") == "2"  # type: ignore[union-attr]
    assert program.findtext("result/title/narrative") == "Women and youth lead"
    baseline = on_programme.find("baseline")
    assert baseline is not None
    assert (baseline.get("year"), baseline.get("iso-date"), baseline.get("value")) == (
        "2024",
        "2024-12-31",
        "5",
    )
    assert on_programme.xpath("period/target/@value") == ["100"]
    # No programme total: it would count the confidential partner's 30.
    assert not on_programme.xpath("period/actual")

    alpha = _framework_indicator(_activity(root, f"-P{world.alpha_project.pk}"), "People trained")
    (period,) = alpha.findall("period")
    assert period.find("period-start").get("iso-date") == "2025-01-01"  # type: ignore[union-attr]
    assert period.find("period-end").get("iso-date") == "2025-12-31"  # type: ignore[union-attr]
    assert not period.findall("target")  # the programme's, on the programme's activity
    actuals = period.findall("actual")
    assert [a.get("value") for a in actuals] == ["10", "6"]  # approved only: not 2026's 7
    women = actuals[1].find("dimension")
    assert women is not None and (women.get("name"), women.get("value")) == ("Sex", "Women")
    assert alpha.find("baseline") is None
    beta = _framework_indicator(_activity(root, f"-P{world.beta_project.pk}"), "People trained")
    assert beta.xpath("period/actual/@value") == ["20"]
    assert 'value="30"' not in text
    assert world.hidden.name not in text and world.hidden_project.title not in text


def test_it_writes_percentages_directions_and_a_project_s_own_indicator(world: World) -> None:
    share = builders.indicator(
        world.program,
        measure=Measure.PERCENTAGE,
        title="Groups with a woman in the lead",
        projects=[world.alpha_project],
        direction=Direction.DECREASE,
    )
    builders.actual(builders.period(share), world.alpha_project, numerator=9, denominator=12)
    own = builders.indicator(
        world.program, title="Cooperatives registered", project=world.alpha_project
    )
    builders.target(builders.period(own), 4)
    builders.actual(builders.period(own), world.alpha_project, 3)
    secret = builders.indicator(
        world.program, title="Safe houses opened", project=world.hidden_project
    )
    builders.actual(builders.period(secret), world.hidden_project, 2)
    tree = activity_file(world.users["admin"])
    assert iati.validate(tree, schema_dir()) == []
    alpha = _activity(tree.getroot(), f"-P{world.alpha_project.pk}")
    percentage = _framework_indicator(alpha, "Groups with a woman in the lead")
    assert percentage.get("measure") == "2" and percentage.get("ascending") == "false"
    assert percentage.xpath("period/actual/@value") == ["75"]
    registered = _framework_indicator(alpha, "Cooperatives registered")
    assert registered.xpath("period/target/@value") == ["4"]
    assert registered.xpath("period/actual/@value") == ["3"]
    text = iati.to_bytes(tree).decode()
    assert "Safe houses opened" not in text
    assert (
        "Cooperatives registered"
        not in etree.tostring(_activity(tree.getroot(), f"PRG-{world.program.pk}")).decode()
    )


# --- Frameworks broken on purpose -----------------------------------------------------------------


def _broken_period(world: World) -> tuple[Indicator, object]:
    """A period of eighteen months (written past the services, which refuse it)."""
    indicator = builders.indicator(world.program, projects=[world.alpha_project], years=())
    period = Period.objects.create(
        indicator=indicator, start=dt.date(2025, 1, 1), end=dt.date(2026, 6, 30)
    )
    builders.actual(period, world.alpha_project, 3)
    return indicator, period


def _actual_without_value(world: World) -> tuple[Indicator, object]:
    indicator = builders.indicator(world.program, projects=[world.alpha_project])
    return indicator, builders.actual(builders.period(indicator), world.alpha_project, None)


def _share_above_100(world: World) -> tuple[Indicator, object]:
    indicator = builders.indicator(
        world.program, measure=Measure.PERCENTAGE, projects=[world.alpha_project]
    )
    return indicator, builders.actual(
        builders.period(indicator), world.alpha_project, numerator=12, denominator=10
    )


def _baseline_after_the_period(world: World) -> tuple[Indicator, object]:
    indicator = builders.indicator(
        world.program,
        projects=[world.alpha_project],
        years=(2025,),
        baseline_value=Decimal(2),
        baseline_date=dt.date(2027, 3, 1),
    )
    builders.target(builders.period(indicator), 10)
    return indicator, indicator


def _baseline_without_a_date(world: World) -> tuple[Indicator, object]:
    indicator = builders.indicator(
        world.program, projects=[world.alpha_project], baseline_value=Decimal(2)
    )
    return indicator, indicator


def _actual_before_its_period(world: World) -> tuple[Indicator, object]:
    indicator = builders.indicator(world.program, projects=[world.alpha_project], years=(2099,))
    period = builders.period(indicator, 2099)
    builders.actual(period, world.alpha_project, 1)
    return indicator, period


def _target_without_value(world: World) -> tuple[Indicator, object]:
    indicator = builders.indicator(world.program, projects=[world.alpha_project])
    period = builders.period(indicator)
    Target.objects.create(period=period)
    return indicator, period


# (how to break it, what the problem says, the admin page that fixes it)
BREAKAGES: list[tuple[Callable[[World], tuple[Indicator, object]], str, str]] = [
    (_broken_period, "is longer than a year", "admin:results_period_change"),
    (_actual_without_value, "an actual without a value", "admin:results_actual_change"),
    (_share_above_100, "outside 0 to 100", "admin:results_actual_change"),
    (_baseline_after_the_period, "is after the period", "admin:results_indicator_change"),
    (_baseline_without_a_date, "a baseline without a year", "admin:results_indicator_change"),
    (_actual_before_its_period, "which has not begun", "admin:results_period_change"),
    (_target_without_value, "a target without a value", "admin:results_period_change"),
]


@pytest.mark.parametrize(
    ("breaker", "expected", "admin_page"),
    BREAKAGES,
    ids=[breaker.__name__.strip("_") for breaker, _e, _a in BREAKAGES],
)
def test_the_check_page_shows_each_broken_rule_where_to_fix_it(
    world: World,
    client_as: Callable[[str], Client],
    breaker: Callable[[World], tuple[Indicator, object]],
    expected: str,
    admin_page: str,
) -> None:
    schema_dir()
    builders.world_framework(world)
    assert check_file(world.users["staff"]).ok  # the world's own framework is fine
    indicator, broken = breaker(world)
    check = check_file(world.users["staff"])
    (finding,) = [f for f in check.findings if expected in f.message and f.kind == "rule"]
    assert finding.indicator == indicator.title
    # Figures are on the project's activity; a baseline on the programme's.
    on_programme = breaker in (
        _baseline_after_the_period,
        _baseline_without_a_date,
        _target_without_value,
    )
    assert finding.activity.endswith(
        f"-PRG-{world.program.pk}" if on_programme else f"-P{world.alpha_project.pk}"
    )
    fix = reverse(admin_page, args=[broken.pk])  # type: ignore[attr-defined]
    assert fix in [link.url for link in finding.links]
    page = client_as("staff").get(reverse("iati-check")).content.decode()
    assert expected in page
    assert fix in page
    assert indicator.title in page
    # The download refuses the file and points to the check.
    refused = client_as("staff").get(reverse("iati-export"))
    assert refused.status_code == 409
    assert reverse("iati-check") in refused.content.decode()


def test_the_check_lists_every_problem_not_the_first(world: World) -> None:
    schema_dir()
    for breaker, _expected, _page in BREAKAGES:
        breaker(world)
    check = check_file(world.users["staff"])
    for _breaker, expected, _page in BREAKAGES:
        assert any(expected in finding.message for finding in check.findings), expected
    # An XSD problem comes with its line and the indicator it is in (a baseline needs a year).
    schema = [f for f in check.findings if f.kind == "schema"]
    assert schema and all(f.line for f in schema)
    assert any(f.indicator and "year" in f.message for f in schema)


def _tree_breaker(root: etree._Element) -> None:
    """A period that ends before it starts: the database refuses one, a file may still hold it."""
    period = root.find(".//result/indicator/period")
    assert period is not None
    period.find("period-end").set("iso-date", "2024-06-30")  # type: ignore[union-attr]


def test_the_rules_catch_a_period_that_ends_before_it_starts(world: World) -> None:
    builders.world_framework(world)
    root = activity_file(world.users["staff"]).getroot()
    _tree_breaker(root)
    messages = iati.validate(root, schema_dir())
    assert any("ends before it starts" in message for message in messages), messages


def test_the_check_page_is_for_staff_only(world: World, client_as: Callable[[str], Client]) -> None:
    builders.world_framework(world)
    url = reverse("iati-check")
    for role in ("admin", "staff", "officer"):
        response = client_as(role).get(url)
        assert response.status_code == 200, role
        assert "No problems found." in response.content.decode()
    for role in ("partner", "partner2", "secret", "member"):
        assert client_as(role).get(url).status_code == 404, role
    assert Client().get(url).status_code == 302
    assert url in client_as("officer").get(reverse("program-list")).content.decode()


def test_an_officer_s_check_never_names_a_confidential_partner(
    world: World, client_as: Callable[[str], Client]
) -> None:
    builders.world_framework(world)
    secret = builders.indicator(
        world.program, title="Safe houses opened", project=world.hidden_project
    )
    builders.actual(builders.period(secret), world.hidden_project, None)  # a problem of its own
    page = client_as("officer").get(reverse("iati-check")).content.decode()
    assert "Safe houses opened" not in page and "Hidden Rainbow" not in page
    assert "No problems found." in page


def test_without_the_schema_files_the_page_says_only_the_rules_ran(
    world: World, client_as: Callable[[str], Client], settings: Settings, tmp_path: object
) -> None:
    settings.IATI_SCHEMA_DIR = str(tmp_path)
    _actual_without_value(world)
    check: Check = check_file(world.users["staff"])
    assert not check.schema_checked
    assert any("without a value" in finding.message for finding in check.findings)
    page = client_as("staff").get(reverse("iati-check")).content.decode()
    assert "only IATI&#x27;s rules were checked" in page or "only IATI's rules were checked" in page


def test_an_unapproved_figure_is_not_checked_nor_published(world: World) -> None:
    indicator = builders.indicator(world.program, projects=[world.alpha_project])
    Actual.objects.create(
        period=builders.period(indicator),
        project=world.alpha_project,
        value=None,
        status=Actual.Status.SUBMITTED,
    )
    assert check_file(world.users["staff"]).ok

"""The IATI 2.03 activity file of the demo: valid against the XSD, the codelists and the rules;
no secrets. (Who may download it, over the small test world: ``test_iati_access``.)"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import Q
from lxml import etree

from partners.models import Partner
from portal.models import User
from programs.models import Program, Project
from progress.models import ChangeStory
from reporting import iati
from reporting.iati.check import check_file
from results.models import Actual, DimensionValue, Indicator


def schema_dir() -> Path:
    folder = Path(settings.IATI_SCHEMA_DIR)
    if not (folder / "schemas" / "iati-activities-schema.xsd").is_file():
        pytest.skip(f"IATI reference files not found at {folder} (set IATI_SCHEMA_DIR)")
    return folder


def everything() -> iati.Framework:
    """Every indicator and every actual: the builder keeps the approved ones of the projects in
    the file."""
    return iati.load_framework(
        Indicator.objects.select_related("outcome").order_by("outcome_id", "ordering", "pk"),
        Actual.objects.all(),
        DimensionValue.objects.select_related("dimension"),
    )


def demo_file() -> bytes:
    return iati.to_bytes(
        iati.build_activities(
            programs=Program.objects.prefetch_related("funders"),
            projects=Project.objects.select_related("partner"),
            stories=ChangeStory.objects.select_related("partner").prefetch_related("change_types"),
            framework=everything(),
        )
    )


@pytest.fixture
def demo(demo_once: None, db: None) -> bytes:
    """The file of the demo, seeded once for this module (``demo_once``)."""
    return demo_file()


def test_it_validates_the_demo_file_against_the_xsd_codelists_and_rules(demo: bytes) -> None:
    assert iati.validate(etree.fromstring(demo), schema_dir()) == []
    root = etree.fromstring(demo)
    assert root.get("version") == "2.03"
    activities = root.findall("iati-activity")
    assert {a.get("hierarchy") for a in activities} == {"1", "2"}
    assert root.findall("iati-activity/result[@type='2']/indicator[@measure='5']")
    # The results framework: units and percentages, baselines, targets, disaggregated actuals.
    assert root.findall("iati-activity[@hierarchy='1']/result/indicator[@measure='1']/baseline")
    assert root.findall("iati-activity[@hierarchy='1']/result/indicator/period/target")
    assert root.findall("iati-activity[@hierarchy='2']/result/indicator[@measure='2']")
    assert root.findall("iati-activity[@hierarchy='2']/result/indicator/period/actual/dimension")
    assert not root.findall("iati-activity[@hierarchy='1']/result/indicator/period/actual")
    for activity in activities:
        identifier = activity.findtext("iati-identifier") or ""
        assert identifier.startswith(settings.IATI_REPORTING_ORG_REF + "-")
        assert activity.get("default-currency") == "SEK"


def test_it_finds_no_problem_in_the_demo_s_file_for_any_staff_role(demo: bytes) -> None:
    schema_dir()
    for username in ("admin", "staff", "officer"):
        check = check_file(User.objects.get(username=username))
        assert check.schema_checked
        assert check.findings == [], (username, check.findings[:3])


def test_it_leaves_out_confidential_partners_projects_and_stories(demo: bytes) -> None:
    confidential = Partner.objects.filter(is_confidential=True)
    assert confidential.exists()
    text = demo.decode()
    # The demo reuses some story texts across partners: only what is the confidential
    # partners' alone can be looked for.
    public_stories = set(
        ChangeStory.objects.exclude(partner__in=confidential).values_list("title", flat=True)
    )
    public_projects = set(
        Project.objects.exclude(partner__in=confidential).values_list("title", flat=True)
    )
    secrets = [
        *confidential.values_list("name", flat=True),
        *(
            title
            for title in Project.objects.filter(partner__in=confidential).values_list(
                "title", flat=True
            )
            if title not in public_projects
        ),
        *(
            title
            for title in ChangeStory.objects.filter(partner__in=confidential).values_list(
                "title", flat=True
            )
            if title not in public_stories
        ),
    ]
    assert len(secrets) > confidential.count()
    for secret in secrets:
        assert secret not in text
    root = etree.fromstring(demo)
    identifiers = {a.findtext("iati-identifier") for a in root.iter("iati-activity")}
    for project in Project.objects.filter(partner__in=confidential).select_related("program"):
        assert not any(str(i).endswith(f"-P{project.pk}") for i in identifiers)


def test_it_publishes_only_verified_stories_with_consent(demo: bytes) -> None:
    text = demo.decode()
    publishable = ChangeStory.objects.filter(
        status__in=iati.PUBLISHABLE_STORY_STATUSES,
        consent_publish=True,
        partner__is_confidential=False,
    ).filter(Q(project__isnull=False) | Q(program__isnull=False))
    assert publishable.exists()
    for story in publishable:
        assert f"{story.title}. {story.narrative}" in text
    published_titles = set(publishable.values_list("title", flat=True))
    others = ChangeStory.objects.exclude(pk__in=publishable.values("pk")).exclude(
        title__in=published_titles
    )
    assert others.exists()
    for title in others.values_list("title", flat=True):
        assert f">{title}. " not in text


def test_it_gives_qualitative_indicators_narratives_only(demo: bytes) -> None:
    root = etree.fromstring(demo)
    indicators = root.findall(".//indicator[@measure='5']")
    assert indicators
    for indicator in indicators:
        assert indicator.find("title/narrative") is not None
        assert not indicator.xpath(".//baseline | .//target | .//actual | .//period")


def _broken(demo: bytes, breaker: Callable[[etree._Element], None]) -> list[str]:
    root = etree.fromstring(demo)
    breaker(root.find("iati-activity"))  # type: ignore[arg-type]
    return iati.validate(root, schema_dir())


def _drop_identifier(activity: etree._Element) -> None:
    activity.remove(activity.find("iati-identifier"))  # type: ignore[arg-type]


def _future_actual_date(activity: etree._Element) -> None:
    future = datetime.date.today() + datetime.timedelta(days=30)
    actual = etree.Element("activity-date", {"type": "4", "iso-date": future.isoformat()})
    activity.findall("activity-date")[-1].addnext(actual)


def _sectors_sum_to_90(activity: etree._Element) -> None:
    sectors = activity.findall("sector")
    sectors[0].set("percentage", str(int(sectors[0].get("percentage", "100")) - 10))


def _withdrawn_sector(activity: etree._Element) -> None:
    activity.find("sector").set("code", "15140")  # type: ignore[union-attr]


def _foreign_identifier(activity: etree._Element) -> None:
    activity.find("iati-identifier").text = "GB-CHC-000000-X"  # type: ignore[union-attr]


def _quantified_qualitative_indicator(activity: etree._Element) -> None:
    indicator = activity.getparent().find(".//indicator[@measure='5']")  # type: ignore[union-attr]
    assert indicator is not None
    baseline = etree.Element("baseline", year="2024", value="3")
    description = indicator.find("description")
    after = description if description is not None else indicator.find("title")
    after.addnext(baseline)  # type: ignore[union-attr]


def _budget_over_a_year(activity: etree._Element) -> None:
    budget = activity.find("budget")
    start = datetime.date.fromisoformat(budget.find("period-start").get("iso-date"))  # type: ignore[union-attr, arg-type]
    end = start.replace(year=start.year + 2)
    budget.find("period-end").set("iso-date", end.isoformat())  # type: ignore[union-attr]


def _unknown_status(activity: etree._Element) -> None:
    activity.find("activity-status").set("code", "9")  # type: ignore[union-attr]


BREAKERS: tuple[tuple[Callable[[etree._Element], None], str], ...] = (
    (_drop_identifier, "iati-identifier"),
    (_future_actual_date, "in the future"),
    (_sectors_sum_to_90, "do not sum to 100"),
    (_withdrawn_sector, "withdrawn"),
    (_foreign_identifier, "does not start with the reporting-org ref"),
    (_quantified_qualitative_indicator, "qualitative indicator"),
    (_budget_over_a_year, "longer than a year"),
    (_unknown_status, "ActivityStatus"),
)


def test_it_fails_a_deliberately_broken_file(demo: bytes) -> None:
    for breaker, expected in BREAKERS:
        errors = _broken(demo, breaker)
        assert any(expected in error for error in errors), (breaker.__name__, errors)


def test_it_fails_a_file_out_of_schema_order(demo: bytes) -> None:
    root = etree.fromstring(demo)
    activity = root.find("iati-activity")
    assert activity is not None
    title = activity.find("title")
    assert title is not None
    activity.remove(title)
    activity.append(title)
    assert any(error.startswith("XSD") for error in iati.validate(root, schema_dir()))

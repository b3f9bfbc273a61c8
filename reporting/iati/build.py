"""Building the IATI 2.03 activity file from programmes, projects and publishable stories."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import timezone, translation
from lxml import etree

from partners.models import Partner
from programs.models import Funder, Program, Project
from progress.models import ChangeStory
from reporting.iati.results import Framework, ResultsWriter, Source
from reporting.iati.xml import LANGUAGE, XML_LANG, narrative, sub, text_element

IATI_VERSION = "2.03"
CURRENCY = "SEK"
REPORTING_ORG_NAME = "Swedish international-solidarity organisation"
# OrganisationType: 22 "National NGO" is an NGO based in the donor country, which the Swedish
# organisation is; 21 is for internationally structured NGOs, 24 for NGOs based in the
# recipient countries, which is what the partners abroad are.
REPORTING_ORG_TYPE = "22"
PARTNER_ORG_TYPE = "24"
OTHER_ORG_TYPE = "90"  # political parties are no NGOs
FUNDER_ORG_TYPES: dict[str, str] = {Funder.Kind.SIDA: "10", Funder.Kind.NETWORK: "22"}
# OrganisationRole
ROLE_FUNDING, ROLE_ACCOUNTABLE, ROLE_EXTENDING, ROLE_IMPLEMENTING = "1", "2", "3", "4"
# ActivityStatus
PIPELINE, IMPLEMENTATION, CLOSED, CANCELLED = "1", "2", "4", "5"
PROJECT_STATUS: dict[str, str] = {
    Project.Status.PLANNED: PIPELINE,
    Project.Status.ACTIVE: IMPLEMENTATION,
    Project.Status.COMPLETED: CLOSED,
    Project.Status.CANCELLED: CANCELLED,
}
# RelatedActivityType: 1 parent, 2 child.
RELATED_PARENT, RELATED_CHILD = "1", "2"
PUBLISHABLE_STORY_STATUSES = (ChangeStory.Status.VERIFIED, ChangeStory.Status.SELECTED)


# --- Building -------------------------------------------------------------------------------------


def _shares(count: int) -> list[int]:
    """``count`` whole percentages that sum to exactly 100."""
    base, rest = divmod(100, count)
    return [base + (1 if index < rest else 0) for index in range(count)]


def _years(start: datetime.date, end: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """Consecutive periods of at most a year covering ``start`` to ``end``."""
    periods = []
    period_start = start
    while period_start <= end:
        try:
            next_start = period_start.replace(year=period_start.year + 1)
        except ValueError:  # 29 February
            next_start = period_start.replace(year=period_start.year + 1, day=28)
        period_end = min(end, next_start - datetime.timedelta(days=1))
        periods.append((period_start, period_end))
        period_start = period_end + datetime.timedelta(days=1)
    return periods


def _budget_split(
    amount: Decimal, start: datetime.date, end: datetime.date
) -> list[tuple[datetime.date, datetime.date, Decimal]]:
    """The budget spread evenly over time, in periods of at most a year; the cents add up."""
    periods = _years(start, end)
    total_days = (end - start).days + 1
    rows = []
    allotted = Decimal(0)
    for index, (period_start, period_end) in enumerate(periods):
        if index == len(periods) - 1:
            value = amount - allotted
        else:
            days = (period_end - period_start).days + 1
            value = (amount * days / total_days).quantize(Decimal("0.01"), ROUND_HALF_UP)
        allotted += value
        rows.append((period_start, period_end, value))
    return rows


def _identifier(program: Program, reporting_ref: str) -> str:
    if program.iati_identifier and program.iati_identifier.startswith(f"{reporting_ref}-"):
        return program.iati_identifier
    return f"{reporting_ref}-PRG-{program.pk}"


def _partner_type(partner: Partner) -> str:
    if partner.kind == Partner.Kind.POLITICAL_PARTY:
        return OTHER_ORG_TYPE
    return PARTNER_ORG_TYPE


class _Builder:
    def __init__(self, reporting_ref: str, today: datetime.date) -> None:
        self.ref = reporting_ref
        self.today = today

    def reporting_org(self, activity: etree._Element) -> None:
        org = sub(activity, "reporting-org", ref=self.ref, type=REPORTING_ORG_TYPE)
        narrative(org, REPORTING_ORG_NAME)

    def participating_orgs(
        self, activity: etree._Element, funders: Sequence[Funder], partners: Sequence[Partner]
    ) -> None:
        for funder in funders:
            if funder.kind == Funder.Kind.OWN_FUNDS:
                org = sub(
                    activity, "participating-org", ref=self.ref, type=REPORTING_ORG_TYPE,
                    role=ROLE_FUNDING,
                )  # fmt: skip
                narrative(org, REPORTING_ORG_NAME)
                continue
            org = sub(activity, "participating-org", role=ROLE_FUNDING)
            if funder.iati_ref:
                org.set("ref", funder.iati_ref)
            if funder.kind in FUNDER_ORG_TYPES:
                org.set("type", FUNDER_ORG_TYPES[funder.kind])
            narrative(org, funder.name)
        for role in (ROLE_ACCOUNTABLE, ROLE_EXTENDING):
            org = sub(
                activity, "participating-org", ref=self.ref, type=REPORTING_ORG_TYPE, role=role
            )
            narrative(org, REPORTING_ORG_NAME)
        for partner in partners:
            assert not partner.is_confidential
            org = sub(
                activity, "participating-org", type=_partner_type(partner), role=ROLE_IMPLEMENTING
            )
            narrative(org, partner.name)

    def dates(
        self,
        activity: etree._Element,
        start: datetime.date,
        end: datetime.date,
        *,
        started: bool,
        ended: bool,
    ) -> None:
        sub(activity, "activity-date", type="1", iso_date=start.isoformat())
        if started and start <= self.today:
            sub(activity, "activity-date", type="2", iso_date=start.isoformat())
        sub(activity, "activity-date", type="3", iso_date=end.isoformat())
        if ended and end <= self.today:
            sub(activity, "activity-date", type="4", iso_date=end.isoformat())

    def countries(self, activity: etree._Element, codes: Iterable[str]) -> None:
        unique = sorted(set(codes))
        for code, share in zip(unique, _shares(len(unique)) if unique else [], strict=True):
            sub(activity, "recipient-country", code=code, percentage=str(share))

    def sectors(self, activity: etree._Element, codes: Sequence[str]) -> None:
        unique = list(dict.fromkeys(codes))
        for code, share in zip(unique, _shares(len(unique)) if unique else [], strict=True):
            sub(activity, "sector", vocabulary="1", code=code, percentage=str(share))

    def budgets(
        self, activity: etree._Element, amount: Decimal, start: datetime.date, end: datetime.date
    ) -> None:
        if amount <= 0:
            return
        for period_start, period_end, value in _budget_split(amount, start, end):
            budget = sub(activity, "budget", type="1", status="1")
            sub(budget, "period-start", iso_date=period_start.isoformat())
            sub(budget, "period-end", iso_date=period_end.isoformat())
            element = sub(budget, "value", currency=CURRENCY, value_date=period_start.isoformat())
            element.text = f"{value:.2f}"

    def results(self, activity: etree._Element, stories: Sequence[ChangeStory]) -> None:
        """Verified stories as one outcome with a qualitative indicator per story."""
        if not stories:
            return
        result = sub(activity, "result", type="2")
        text_element(result, "title", "Stories of change")
        text_element(
            result,
            "description",
            "Verified stories of change told by the people concerned and published with their "
            "consent.",
        )
        for story in stories:
            indicator = sub(result, "indicator", measure="5")
            change_types = [change_type.name_en for change_type in story.change_types.all()]
            text_element(indicator, "title", ", ".join(change_types) or "Stories of change")
            description = sub(indicator, "description")
            language = story.language.split("-")[0].lower()
            if language == LANGUAGE or not story.translation:
                narrative(description, f"{story.title}. {story.narrative}", language)
            else:
                narrative(description, story.translation)
                narrative(description, f"{story.title}. {story.narrative}", language)

    def activity(
        self,
        root: etree._Element,
        *,
        identifier: str,
        hierarchy: str,
        title: str,
        description: str,
    ) -> etree._Element:
        activity = sub(root, "iati-activity", default_currency=CURRENCY, hierarchy=hierarchy)
        activity.set(XML_LANG, LANGUAGE)
        sub(activity, "iati-identifier").text = identifier
        self.reporting_org(activity)
        text_element(activity, "title", title)
        text_element(activity, "description", description, type="1")
        return activity


def build_activities(
    *,
    programs: Iterable[Program],
    projects: Iterable[Project],
    stories: Iterable[ChangeStory],
    framework: Framework | None = None,
    sources: dict[etree._Element, Source] | None = None,
    reporting_ref: str | None = None,
    today: datetime.date | None = None,
) -> etree._ElementTree:
    """The activity file of the given programmes and of their non-confidential projects, with
    their results framework where one is given (``reporting.iati.results``). ``sources``, where
    given, is filled with what each activity and result element was written from."""
    ref = reporting_ref or settings.IATI_REPORTING_ORG_REF
    builder = _Builder(ref, today or timezone.localdate())
    program_list = list(programs)
    program_ids = {program.pk for program in program_list}
    project_list = [
        project
        for project in projects
        if project.program_id in program_ids and not project.partner.is_confidential
    ]
    project_ids = {project.pk for project in project_list}
    publishable = [
        story
        for story in stories
        if story.status in PUBLISHABLE_STORY_STATUSES
        and story.consent_publish
        and not story.partner.is_confidential
        and (story.project_id is None or story.project_id in project_ids)
    ]
    # A confidential partner's project's own indicators and its figures stay out with it.
    framework = framework or Framework()
    writer = ResultsWriter(
        dataclasses.replace(
            framework,
            indicators=[
                indicator
                for indicator in framework.indicators
                if indicator.project_id is None or indicator.project_id in project_ids
            ],
        ),
        sources,
    )
    root = etree.Element("iati-activities", version=IATI_VERSION)
    root.set("generated-datetime", timezone.now().replace(microsecond=0).isoformat())
    with translation.override(LANGUAGE):
        for program in program_list:
            children = [project for project in project_list if project.program_id == program.pk]
            _program_activity(builder, root, program, children, publishable, writer)
            for project in children:
                _project_activity(builder, root, program, project, publishable, writer)
    return etree.ElementTree(root)


def _program_activity(
    builder: _Builder,
    root: etree._Element,
    program: Program,
    children: Sequence[Project],
    stories: Sequence[ChangeStory],
    writer: ResultsWriter,
) -> None:
    today = builder.today
    identifier = _identifier(program, builder.ref)
    activity = builder.activity(
        root,
        identifier=identifier,
        hierarchy="1",
        title=program.title,
        description=program.description
        or f"Programme in the focus area {program.get_focus_area_display()}.",
    )
    partners = sorted({project.partner for project in children}, key=lambda p: p.name)
    builder.participating_orgs(activity, list(program.funders.all()), partners)
    if today < program.start_date:
        status = PIPELINE
    elif today <= program.end_date:
        status = IMPLEMENTATION
    else:
        status = CLOSED
    sub(activity, "activity-status", code=status)
    builder.dates(
        activity,
        program.start_date,
        program.end_date,
        started=status != PIPELINE,
        ended=status == CLOSED,
    )
    builder.countries(activity, (str(project.partner.country) for project in children))
    builder.sectors(activity, program.dac_sector_codes)
    builder.budgets(activity, program.budget_sek, program.start_date, program.end_date)
    for project in children:
        sub(
            activity,
            "related-activity",
            ref=f"{identifier}-P{project.pk}",
            type=RELATED_CHILD,
        )
    writer.program(activity, program.pk)
    builder.results(
        activity,
        [story for story in stories if story.program_id == program.pk and not story.project_id],
    )


def _project_activity(
    builder: _Builder,
    root: etree._Element,
    program: Program,
    project: Project,
    stories: Sequence[ChangeStory],
    writer: ResultsWriter,
) -> None:
    parent = _identifier(program, builder.ref)
    activity = builder.activity(
        root,
        identifier=f"{parent}-P{project.pk}",
        hierarchy="2",
        title=project.title,
        description=project.description or f"A partner project of the programme {program.title}.",
    )
    builder.participating_orgs(activity, list(program.funders.all()), [project.partner])
    status = PROJECT_STATUS.get(project.status, IMPLEMENTATION)
    if status == IMPLEMENTATION and project.start_date > builder.today:
        status = PIPELINE
    sub(activity, "activity-status", code=status)
    builder.dates(
        activity,
        project.start_date,
        project.end_date,
        started=status in (IMPLEMENTATION, CLOSED),
        ended=status == CLOSED,
    )
    builder.countries(activity, [str(project.partner.country)])
    builder.sectors(activity, program.dac_sector_codes)
    builder.budgets(activity, project.budget_sek, project.start_date, project.end_date)
    sub(activity, "related-activity", ref=parent, type=RELATED_PARENT)
    writer.project(activity, program.pk, project.pk)
    builder.results(activity, [story for story in stories if story.project_id == project.pk])


def to_bytes(tree: etree._ElementTree) -> bytes:
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)

"""A network member's report: fixed tables from the disclosure rule (``reporting.disclosure``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django_countries import countries

from partners.selectors import (
    visible_partners,
)
from portal import outbox
from portal.charts import Figure, stacked_columns
from programs.models import Program
from progress.models import ChangeStory, ChangeType, TargetGroup
from reporting import disclosure
from reporting.models import ReportState
from reporting.reports.forms import member_publication
from reporting.reports.scope import Links
from reporting.reports.shapes import Report, Row, Section
from reporting.reports.story_sections import single_column

# --- A network member's report: fixed tables (reporting.disclosure) ------------------------------


def _member_rows(
    publication: disclosure.Publication,
    period: disclosure.Period,
    dimension: str,
    labels: Mapping[Any, str],
    links: Links,
    link_parameter: str,
) -> list[tuple[str, Figure]]:
    """One row per value with stories in the period, largest published figure first.

    Ordered by what is shown, then by name: an order by the true counts would tell which of
    two "<5" rows holds more.
    """
    rows = []
    for value in publication.rows.get(dimension, []):
        key = disclosure.story_key(dimension, period, value)
        if not publication.values.get(key):
            continue
        href = links.stories(**{link_parameter: value}) if value and link_parameter else ""
        rows.append((labels.get(value, str(value)), publication.figure(key, href)))
    return sorted(rows, key=lambda row: (-row[1].value, row[1].hidden, row[0]))


def build_member_report(
    user: Any, period_code: str | None, publication: disclosure.Publication | None = None
) -> Report:
    """A network member's report: one period, every figure rounded or hidden as published."""
    publication = publication or member_publication(user)
    period = publication.period(period_code or "all")
    links = Links({"month_from": period.start, "month_to": period.end})
    headline_key = disclosure.story_key("stories", period)
    headline = [
        (
            _("verified stories that may be quoted"),
            publication.figure(headline_key, links.stories()),
        )
    ]
    partners = {
        partner.pk: f"{partner.name} ({countries.name(partner.country)})"
        for partner in visible_partners(user).only("pk", "name", "country")
    }
    programmes = dict(
        Program.objects.filter(pk__in=publication.rows.get("programme", [])).values_list(
            "pk", "title"
        )
    )
    programmes[0] = _("No programme")
    types = ChangeType.objects.order_by("ordering", "code")
    groups = TargetGroup.objects.order_by("ordering", "code")
    sections = [
        _member_types_over_time(publication, period, types, links),
        single_column(
            "target-groups",
            _("Stories by target group"),
            _("Target group"),
            _member_rows(
                publication,
                period,
                "group",
                {group.pk: str(group.name) for group in groups},
                links,
                "target_group",
            ),
            _("A story counts once under each group it names; stories naming none are not here."),
        ),
        single_column(
            "programmes",
            _("Stories by programme"),
            _("Programme"),
            _member_rows(publication, period, "programme", programmes, links, "program"),
        ),
        single_column(
            "tellers",
            _("Stories by who told them"),
            _("Told by"),
            _member_rows(
                publication,
                period,
                "teller",
                {role: str(label) for role, label in ChangeStory.SubmitterRole.choices},
                links,
                "submitter_role",
            ),
        ),
        single_column(
            "partners",
            _("Stories by partner"),
            _("Partner"),
            _member_rows(publication, period, "partner", partners, links, "partner"),
        ),
    ]
    state = ReportState.objects.first()
    return Report(
        sections=sections,
        headline=headline,
        filters={"period": period.code} if period.code != "all" else {},
        figures_as_of=state.refreshed_at if state else None,
        refresh_pending=outbox.refresh_pending(),
        suppressed=True,
        pseudonymised=False,
        downloads=[],  # network members read their report on the page only
        period=period,
    )


def _member_types_over_time(
    publication: disclosure.Publication,
    period: disclosure.Period,
    types: Iterable[ChangeType],
    links: Links,
) -> Section:
    """Types of change per year (all time) or per half-year (a year), with the period's total.

    Each column is the same figure as that year's or half-year's own page shows: the table
    tells nothing that the pages do not.
    """
    columns = disclosure.sub_periods(period, publication.periods) or [period]
    rows, series = [], []
    for change_type in types:
        total_key = disclosure.story_key("type", period, change_type.pk)
        if not publication.values.get(total_key):
            continue
        figures = [
            publication.figure(
                disclosure.story_key("type", column, change_type.pk),
                links.stories(
                    change_type=change_type.pk,
                    event_date_after=column.start or "",
                    event_date_before=column.end or "",
                ),
            )
            for column in columns
        ]
        total = (
            publication.figure(total_key, links.stories(change_type=change_type.pk))
            if len(columns) > 1
            else None
        )
        rows.append(Row(str(change_type.name), figures, total))
        series.append((str(change_type.name), figures))
    labels = [column.label for column in columns]
    title = _("Stories by type of change over time")
    return Section(
        "types-over-time",
        title,
        labels,
        rows,
        stacked_columns(title, labels, series) if series else None,
        note=_("A story counts once under each type of change its teller chose."),
        row_header=_("Type of change"),
    )

"""Reading actuals back from a spreadsheet in the export's layout (``results.exports``).

Staff and partner users download a programme's XLSX, fill the actual columns of their projects'
rows and upload it. Each row is checked on its own (its indicator, period, project, combination
and figures, with the same validation as the admin and the report form) and every bad row is
named with its row number and the reason; the good rows are written, grouped per project and
period span, through ``report_save`` as a draft of that span's report, exactly as if typed into
the report form: the same permissions, the same lock on approved reports, the same history.

What a row means:
- a row without a project (a programme row, the programme's total) is read and left alone;
- a row of a project with its actual columns empty says nothing: a period none of whose rows
  has a figure is not touched (so the rows of the export a partner did not fill are harmless);
- where a period of a project has figures, they replace that period's figures (a part left
  empty is removed, as in the form), and the period's comment and cited stories stay.
A group that ``report_save`` refuses as a whole (an approved report, a report waiting for
review) names each of its rows; the other groups are saved.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal import spreadsheets
from portal.access import own_partner_id
from portal.models import User
from programs.models import Program, Project
from programs.selectors import visible_projects
from results import selectors
from results.models import Actual, Period
from results.reports.selectors import report_entries_of
from results.reports.services import EntryInput, FigureInput, report_save
from results.services import validate_figure

logger = logging.getLogger(__name__)

REQUIRED = ("indicator_id", "period_start", "period_end", "project_id", "combination")
FIGURES = ("actual_value", "actual_numerator", "actual_denominator")


@dataclass(frozen=True)
class Problem:
    row: int  # the spreadsheet's row number, the header being row 1
    message: str


@dataclass
class ImportResult:
    saved_rows: int = 0
    reports: int = 0
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    number: int
    project: Project
    period: Period
    figure: FigureInput


class _Reader:
    """The lookups every row needs, read once per file."""

    def __init__(self, actor: User, program: Program) -> None:
        self.actor = actor
        self.indicators = {
            indicator.pk: indicator
            for indicator in selectors.visible_indicators(actor).filter(outcome__program=program)
        }
        self.periods = {
            (period.indicator_id, period.start, period.end): period
            for period in Period.objects.filter(indicator__in=list(self.indicators))
        }
        for period in self.periods.values():
            period.indicator = self.indicators[period.indicator_id]
        projects = visible_projects(actor).filter(program=program).select_related("partner")
        if actor.is_partner_user:
            projects = projects.filter(partner_id=own_partner_id(actor))
        self.projects = {project.pk: project for project in projects}

    def row(self, number: int, data: dict[str, Any]) -> _Row | None:
        """The row as a figure to write, None for a row that says nothing; ValidationError
        with the reason for a bad one."""
        try:
            project_id = spreadsheets.integer(data.get("project_id"))
        except ValueError:
            raise ValidationError(_("The project is not a number.")) from None
        if project_id is None:
            return None  # a programme row
        figures = [data.get(key) for key in FIGURES]
        if all(value in (None, "") for value in figures):
            return None
        project = self.projects.get(project_id)
        if project is None:
            # Said the same way for a project that does not exist and one the reader may not
            # see: the message confirms nothing.
            raise ValidationError(
                _("You cannot enter figures for project %(id)s.") % {"id": project_id}
            )
        try:
            indicator = self.indicators.get(spreadsheets.integer(data.get("indicator_id")) or 0)
        except ValueError:
            indicator = None
        if indicator is None:
            raise ValidationError(_("The indicator is not one of this programme's."))
        try:
            start, end = (
                spreadsheets.date(data.get("period_start")),
                spreadsheets.date(data.get("period_end")),
            )
        except (TypeError, ValueError):
            raise ValidationError(_("The period's dates are not dates (YYYY-MM-DD).")) from None
        period = self.periods.get((indicator.pk, start, end))
        if period is None:
            raise ValidationError(
                _("The indicator has no period from %(start)s to %(end)s.")
                % {"start": start, "end": end}
            )
        try:
            value, numerator, denominator = (spreadsheets.number(value) for value in figures)
        except ValueError:
            raise ValidationError(_("A figure is not a number.")) from None
        combination = str(data.get("combination") or "").strip()
        actual = Actual(
            period=period,
            project=project,
            combination=combination,
            value=value,
            numerator=numerator,
            denominator=denominator,
        )
        validate_figure(actual)
        return _Row(
            number, project, period, FigureInput(combination, value, numerator, denominator)
        )


def _messages(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def import_actuals(*, actor: Any, program: Program, upload: IO[bytes]) -> ImportResult:
    """Check every row, then save the good ones per project and span as the report's draft."""
    if not isinstance(actor, User) or not (actor.is_portal_staff or actor.is_partner_user):
        raise PermissionDenied
    rows = spreadsheets.read_sheet(upload, required=REQUIRED)
    reader = _Reader(actor, program)
    result = ImportResult()
    groups: dict[tuple[int, dt.date, dt.date], list[_Row]] = defaultdict(list)
    seen: dict[tuple[int, int, str], int] = {}
    for number, data in rows:
        try:
            row = reader.row(number, data)
        except ValidationError as error:
            result.problems.append(Problem(number, _messages(error)))
            continue
        if row is None:
            continue
        figure = (row.project.pk, row.period.pk, row.figure.combination)
        if figure in seen:
            result.problems.append(
                Problem(number, _("The same figure is on row %(row)d.") % {"row": seen[figure]})
            )
            continue
        seen[figure] = number
        groups[(row.project.pk, row.period.start, row.period.end)].append(row)
    for (_project_id, start, end), members in groups.items():
        project = members[0].project
        by_period: dict[int, list[_Row]] = defaultdict(list)
        for row in members:
            by_period[row.period.pk].append(row)
        kept = report_entries_of(project, start, end)
        entries = [
            EntryInput(
                period_rows[0].period,
                [row.figure for row in period_rows],
                comment=kept.get(period_id, ("", []))[0],
                stories=kept.get(period_id, ("", []))[1],
            )
            for period_id, period_rows in by_period.items()
        ]
        try:
            with transaction.atomic():
                report_save(actor=actor, project=project, start=start, end=end, entries=entries)
        except (ValidationError, PermissionDenied) as error:
            message = (
                _messages(error)
                if isinstance(error, ValidationError)
                else _("You cannot enter figures for project %(id)s.") % {"id": project.pk}
            )
            result.problems.extend(Problem(row.number, message) for row in members)
            continue
        result.saved_rows += len(members)
        result.reports += 1
    result.problems.sort(key=lambda problem: problem.row)
    logger.info(
        "results.imported program_id=%s actor_id=%s rows=%s saved=%s problems=%s",
        program.pk,
        actor.pk,
        len(rows),
        result.saved_rows,
        len(result.problems),
    )
    return result

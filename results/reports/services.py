"""Writing results reports: enter (save, submit), review (return, approve), unlock. Each step is
atomic, checked, and recorded as a ``ReportEvent`` in the same transaction; the report's
actuals take its status in the same transaction too, so that ``counted_actuals`` (approved
only) reads one column. An approved report is locked: nothing here writes its figures, and
``results.services.actual_save`` refuses them in the admin; only an unlock, with its reason,
opens it again.

What a valid report is:
- each figure fits its indicator (``results.services.validate_figure``: a count whole, a
  percentage a numerator within its denominator, a qualitative indicator no number);
- to be submitted, every indicator of the span has its total (a qualitative one its account in
  the comment), and where parts are given they add up to the total (for a percentage, the
  numerators and the denominators each);
- a cited story is one of the project's partner's, verified, and one the actor may see;
- at most ``MAX_ATTACHMENTS_PER_ENTRY`` documents per indicator.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from portal.models import User
from programs.models import Project
from progress.attachments import ProcessedAttachment
from progress.models import ChangeStory
from progress.selectors import visible_stories
from results import checks, kept
from results import services as framework
from results.models import (
    TOTAL,
    Actual,
    Indicator,
    Measure,
    Period,
    Report,
    ReportAttachment,
    ReportEntry,
    ReportEvent,
)
from results.reports import evidence, selectors
from results.rollup import Amount, Cell, disagreements

logger = logging.getLogger(__name__)

Status = Report.Status
Action = ReportEvent.Action
CITABLE = (ChangeStory.Status.VERIFIED, ChangeStory.Status.SELECTED)
REVIEW: dict[str, str] = {Action.RETURNED: Status.RETURNED, Action.APPROVED: Status.APPROVED}


@dataclass(frozen=True)
class FigureInput:
    """One figure of an indicator period: the total (combination ``""``) or one part. Nothing
    given means no figure: a stored one is removed."""

    combination: str = TOTAL
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None

    @property
    def empty(self) -> bool:
        return self.value is None and self.numerator is None and self.denominator is None


@dataclass
class EntryInput:
    """What is entered for one indicator period. ``figures`` replace the period's stored
    figures of the project (those not named are removed)."""

    period: Period
    figures: list[FigureInput] = field(default_factory=list)
    comment: str = ""
    stories: list[ChangeStory] = field(default_factory=list)
    uploads: list[ProcessedAttachment] = field(default_factory=list)
    remove: list[int] = field(default_factory=list)


def _named(period: Period, message: str) -> str:
    """An error about one indicator period, saying which: the page lists many."""
    return f"{period.indicator.title} ({period.label}): {message}"


def _record(report: Report, actor: User, action: str, from_status: str, comment: str = "") -> None:
    ReportEvent.objects.create(
        report=report,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=report.status,
        comment=comment,
    )
    # The figures follow the report: only an approved report's count. Those of an indicator the
    # project no longer reports on keep their status: the report's form no longer shows them, so
    # approving it must not approve what no one reviewed (and unlinking keeps approved history).
    reported = Q(period__indicator__project_id=report.project_id) | Q(
        period__indicator__project__isnull=True,
        period__indicator__in=Indicator.projects.through.objects.filter(
            project_id=report.project_id
        ).values("indicator_id"),
    )
    figures = Actual.objects.filter(
        reported, project_id=report.project_id, period__start=report.start, period__end=report.end
    )
    if Status.APPROVED in (from_status, report.status):
        kept.mark_stale(set(figures.values_list("period__indicator_id", flat=True)))
    figures.update(status=report.status)
    logger.info(
        "results.report report_id=%s action=%s status=%s actor_id=%s",
        report.pk,
        action,
        report.status,
        actor.pk,
    )


def _locked_report(project: Project, start: dt.date, end: dt.date) -> Report | None:
    return Report.objects.select_for_update().filter(project=project, start=start, end=end).first()


def _first_report(project: Project, start: dt.date, end: dt.date) -> Report:
    """The span's report, created by this save. Two first saves at once both find none: the
    second's insert waits on the unique constraint, then fails, and it takes the report the
    other made (locked, and refused if that one has been submitted since) instead of a 500."""
    report = Report(project=project, start=start, end=end)
    report.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        found = _locked_report(project, start, end)
        if found is None:  # the constraint failed for another reason
            raise
        if found.status not in selectors.EDITABLE:
            raise ValidationError(
                _("The report waits for review: it cannot be changed now.")
            ) from None
        return found
    return report


def _check_entries(
    actor: User, project: Project, entries: list[EntryInput], allowed: dict[int, Period]
) -> None:
    errors: list[str] = []
    partner_id = project.partner_id
    seen_stories = set(
        visible_stories(actor)
        .values_list("pk", flat=True)
        .filter(pk__in=[story.pk for entry in entries for story in entry.stories])
    )
    for entry in entries:
        period = allowed.get(entry.period.pk)
        if period is None:
            raise PermissionDenied
        entry.period = period
        indicator = period.indicator
        combinations = [figure.combination for figure in entry.figures]
        if len(set(combinations)) != len(combinations):
            errors.append(_named(period, _("A combination is given twice.")))
        for figure in entry.figures:
            if figure.empty:
                continue
            actual = Actual(
                period=period,
                project=project,
                combination=figure.combination,
                value=figure.value,
                numerator=figure.numerator,
                denominator=figure.denominator,
            )
            try:
                framework.validate_figure(actual)
            except ValidationError as error:
                errors.extend(_named(period, message) for message in error.messages)
        if indicator.is_qualitative and any(not figure.empty for figure in entry.figures):
            errors.append(_named(period, _("A qualitative indicator has no figures.")))
        for story in entry.stories:
            if (
                story.pk not in seen_stories
                or story.partner_id != partner_id
                or story.status not in CITABLE
            ):
                errors.append(
                    _named(
                        period,
                        _("Only a verified story of the project's partner may be cited: %(ref)s.")
                        % {"ref": story.reference},
                    )
                )
    if errors:
        raise ValidationError(errors)


def _write_figures(project: Project, entry: EntryInput) -> None:
    stored = {
        actual.combination: actual
        for actual in Actual.objects.filter(period=entry.period, project=project)
    }
    given = {figure.combination: figure for figure in entry.figures if not figure.empty}
    for combination, actual in stored.items():
        if combination not in given:
            actual.delete()
    for combination, figure in given.items():
        actual = stored.get(combination) or Actual(
            period=entry.period, project=project, combination=combination
        )
        actual.value, actual.numerator, actual.denominator = (
            figure.value,
            figure.numerator,
            figure.denominator,
        )
        actual.full_clean()
        actual.save()
    checks.refresh([(entry.period.pk, project.pk)])


def _write_entry(report: Report, entry: EntryInput) -> ReportEntry:
    row, _created = ReportEntry.objects.get_or_create(report=report, period=entry.period)
    row.comment = entry.comment.strip()
    row.full_clean()
    row.save()
    row.stories.set(entry.stories)
    if entry.remove:
        # Only the entry's own: an id of another report's document removes nothing.
        for attachment in ReportAttachment.objects.filter(entry=row, pk__in=entry.remove):
            attachment.delete()
    return row


def _attach(rows: list[tuple[ReportEntry, EntryInput]]) -> None:
    """The files last, once everything else is checked and written: a refusal before this point
    leaves nothing on disk (see ``progress.services._attach`` for what remains possible)."""
    for row, entry in rows:
        if not entry.uploads:
            continue
        if row.attachments.count() + len(entry.uploads) > evidence.MAX_ATTACHMENTS_PER_ENTRY:
            raise ValidationError(
                _named(
                    entry.period,
                    _("At most %(limit)d documents and photos per indicator.")
                    % {"limit": evidence.MAX_ATTACHMENTS_PER_ENTRY},
                )
            )
    written: list[ReportAttachment] = []
    try:
        for row, entry in rows:
            for item in entry.uploads:
                written.append(evidence.store(row, item))
    except BaseException:
        for attachment in written:
            attachment.file.delete(save=False)
        raise


def submission_problems(report: Report, periods: list[Period]) -> list[str]:
    """What keeps the report from being submitted: an indicator without its total (or, for a
    qualitative one, without its account), parts that do not add up to the total."""
    problems: list[str] = []
    actuals = list(
        Actual.objects.filter(project_id=report.project_id, period__in=periods).only(
            "period_id", "combination", "value", "numerator", "denominator"
        )
    )
    comments = dict(ReportEntry.objects.filter(report=report).values_list("period_id", "comment"))
    totals = {actual.period_id for actual in actuals if actual.combination == TOTAL}
    for period in periods:
        indicator = period.indicator
        if indicator.is_qualitative:
            if not comments.get(period.pk, "").strip():
                problems.append(_named(period, _("Write what was achieved.")))
            continue
        if period.pk not in totals:
            problems.append(_named(period, _("Give the total.")))
            continue
        cells = [
            Cell(
                a.period_id,
                report.project_id,
                a.combination,
                Amount(a.value, a.numerator, a.denominator),
            )
            for a in actuals
            if a.period_id == period.pk
        ]
        for found in disagreements(indicator.measure, cells):
            if indicator.measure == Measure.PERCENTAGE:
                message = _(
                    "The parts add up to %(parts_n)s of %(parts_d)s; the total is %(total_n)s "
                    "of %(total_d)s. Correct the parts or the total."
                ) % {
                    "parts_n": _plain(found.parts.numerator),
                    "parts_d": _plain(found.parts.denominator),
                    "total_n": _plain(found.total.numerator),
                    "total_d": _plain(found.total.denominator),
                }
            else:
                message = _(
                    "The parts add up to %(parts)s; the total is %(total)s. Correct the parts "
                    "or the total."
                ) % {"parts": _plain(found.parts.value), "total": _plain(found.total.value)}
            problems.append(_named(period, message))
    return problems


def _plain(value: Decimal | None) -> str:
    number = value or Decimal(0)
    return str(number.quantize(Decimal(1)) if number == number.to_integral_value() else number)


@transaction.atomic
def report_save(
    *,
    actor: Any,
    project: Project,
    start: dt.date,
    end: dt.date,
    entries: list[EntryInput],
    submit: bool = False,
    message: str = "",
) -> Report:
    """Save the entered figures, comments and evidence of one span as a draft, or submit them
    for review (a returned report: answered and resubmitted, with ``message`` as the answer)."""
    if not isinstance(actor, User):
        raise PermissionDenied
    report = _locked_report(project, start, end)
    if not selectors.may_enter(actor, project, None):
        raise PermissionDenied
    if report is not None and report.status not in selectors.EDITABLE:
        raise ValidationError(
            _("An approved report is locked.")
            if report.is_locked
            else _("The report waits for review: it cannot be changed now.")
        )
    allowed = {
        period.pk: period
        for period in selectors.span_periods(actor, project, start, end).select_related("indicator")
    }
    if not allowed:
        raise PermissionDenied
    _check_entries(actor, project, entries, allowed)
    if report is None:
        report = _first_report(project, start, end)
    rows = []
    for entry in entries:
        _write_figures(project, entry)
        rows.append((_write_entry(report, entry), entry))
    from_status = report.status
    action = Action.SAVED
    if submit:
        problems = submission_problems(report, list(allowed.values()))
        if problems:
            raise ValidationError(problems)
        action = Action.RESUBMITTED if report.status == Status.RETURNED else Action.SUBMITTED
        report.status = Status.SUBMITTED
    report.save()
    _attach(rows)
    _record(report, actor, action, from_status, message.strip() if submit else "")
    return report


@transaction.atomic
def report_review(*, actor: Any, report: Report, action: str, comment: str = "") -> Report:
    """Approve a submitted report (it locks), or return it with a question."""
    report = Report.objects.select_for_update().select_related("project").get(pk=report.pk)
    if not isinstance(actor, User) or not actor.is_portal_staff:
        raise PermissionDenied
    if not selectors.visible_reports(actor).filter(pk=report.pk).exists():
        raise PermissionDenied
    if action not in REVIEW:
        raise ValidationError(_("Unknown review action."))
    if report.status != Status.SUBMITTED:
        raise ValidationError(
            _("A report that is “%(status)s” cannot be reviewed.")
            % {"status": report.get_status_display()}
        )
    comment = comment.strip()
    if action == Action.RETURNED and not comment:
        raise ValidationError({"comment": _("Write the question for the partner.")})
    from_status = report.status
    report.status = REVIEW[action]
    report.save(update_fields=["status", "updated_at"])
    _record(report, actor, action, from_status, comment)
    return report


@transaction.atomic
def report_unlock(*, actor: Any, report: Report, reason: str) -> Report:
    """Open an approved report again, with the reason, for administrators and cleared staff:
    it goes back to the partner as returned, the reason as the question, and its figures stop
    counting until it is approved again."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not (isinstance(actor, User) and actor.sees_confidential):
        raise PermissionDenied
    if not report.is_locked:
        raise ValidationError(_("Only an approved report is locked."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the report is unlocked.")})
    from_status = report.status
    report.status = Status.RETURNED
    report.save(update_fields=["status", "updated_at"])
    _record(report, actor, Action.UNLOCKED, from_status, reason)
    return report

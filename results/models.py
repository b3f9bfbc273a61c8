"""The results framework: outcomes, indicators, their periods, targets and actuals.

The reasoning behind each choice is in docs/results.md. In short: a programme has outcomes, an
outcome has indicators (the programme's own, or a project's own), an indicator has periods
(calendar years or half-years), and each period has targets and actuals, each for one
combination of disaggregation values or for the total. The combination is kept as a canonical
key (the sorted ids of its dimension values, ``"3.7"``; the total is ``""``), so that "the total
equals the sum of its parts" and the programme's roll-up are single grouped queries.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from progress.models import StoryAttachment, TranslatedNameMixin

TOTAL = ""  # the key of the total: no disaggregation value
KEY_SEPARATOR = "."


def combination_key(value_ids: Iterable[int]) -> str:
    """The canonical key of a set of dimension values: their ids, sorted, joined by dots."""
    return KEY_SEPARATOR.join(str(pk) for pk in sorted(set(value_ids)))


def combination_ids(key: str) -> list[int]:
    """The dimension value ids a key names (none for the total)."""
    return [int(part) for part in key.split(KEY_SEPARATOR)] if key else []


class Measure(models.TextChoices):
    COUNT = "count", _("count")
    SUM = "sum", _("sum")
    PERCENTAGE = "percentage", _("percentage")
    CURRENCY = "currency", _("amount of money")
    QUALITATIVE = "qualitative", _("qualitative")


class Direction(models.TextChoices):
    INCREASE = "increase", _("more is better")
    DECREASE = "decrease", _("less is better")


class Dimension(TranslatedNameMixin):
    """A way to break a figure down (sex, age group, country, target group), defined once."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    ordering = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("disaggregation dimension")
        verbose_name_plural = _("disaggregation dimensions")
        ordering = ["ordering", "code"]


class DimensionValue(TranslatedNameMixin):
    """One value of a dimension (women, youth 15 to 29, Guatemala …); its label is ``name``."""

    dimension = models.ForeignKey(
        Dimension, verbose_name=_("dimension"), on_delete=models.PROTECT, related_name="values"
    )
    code = models.SlugField(_("code"), max_length=40)
    ordering = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("dimension value")
        verbose_name_plural = _("dimension values")
        ordering = ["dimension__ordering", "ordering", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "code"], name="results_dimension_value_unique_code"
            ),
        ]

    @property
    def label(self) -> str:
        return self.name


class Outcome(models.Model):
    """A change the programme works towards, with the kinds of change stories it relates to."""

    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="outcomes",
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    ordering = models.PositiveSmallIntegerField(_("order"), default=0)
    change_types = models.ManyToManyField(
        "progress.ChangeType",
        verbose_name=_("change types it relates to"),
        blank=True,
        related_name="outcomes",
    )

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["program", "ordering", "id"]

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    """How an outcome is measured: by the programme's projects together, or by one project."""

    outcome = models.ForeignKey(
        Outcome, verbose_name=_("outcome"), on_delete=models.CASCADE, related_name="indicators"
    )
    project = models.ForeignKey(
        "programs.Project",
        verbose_name=_("project's own indicator"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="own_indicators",
        help_text=_("Empty for an indicator of the programme."),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    ordering = models.PositiveSmallIntegerField(_("order"), default=0)
    measure = models.CharField(_("measure"), max_length=12, choices=Measure.choices)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, help_text=_("ISO 4217, for amounts of money.")
    )
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.INCREASE
    )
    baseline_value = models.DecimalField(
        _("baseline"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    baseline_numerator = models.DecimalField(
        _("baseline numerator"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    baseline_denominator = models.DecimalField(
        _("baseline denominator"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    dimensions = models.ManyToManyField(
        Dimension,
        verbose_name=_("disaggregated by"),
        blank=True,
        related_name="indicators",
    )
    projects = models.ManyToManyField(
        "programs.Project",
        verbose_name=_("contributing projects"),
        blank=True,
        related_name="contributes_to",
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["outcome", "ordering", "id"]
        constraints = [
            models.CheckConstraint(
                name="results_indicator_currency_for_money",
                condition=(models.Q(measure=Measure.CURRENCY) & ~models.Q(currency=""))
                | (~models.Q(measure=Measure.CURRENCY) & models.Q(currency="")),
            ),
            models.CheckConstraint(
                name="results_indicator_baseline_parts_together",
                condition=models.Q(
                    baseline_numerator__isnull=True, baseline_denominator__isnull=True
                )
                | models.Q(baseline_numerator__isnull=False, baseline_denominator__gt=0),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_percentage(self) -> bool:
        return self.measure == Measure.PERCENTAGE

    @property
    def is_qualitative(self) -> bool:
        return self.measure == Measure.QUALITATIVE


def calendar_span(start: dt.date, end: dt.date) -> bool:
    """Whether ``start`` to ``end`` is a calendar year or one of its halves."""
    year = start.year
    return (start, end) in {
        (dt.date(year, 1, 1), dt.date(year, 12, 31)),
        (dt.date(year, 1, 1), dt.date(year, 6, 30)),
        (dt.date(year, 7, 1), dt.date(year, 12, 31)),
    }


class Period(models.Model):
    """A reporting period of one indicator: a calendar year or a half-year."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="periods"
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["indicator", "start", "end"]
        constraints = [
            models.CheckConstraint(
                name="results_period_ends_after_start",
                condition=models.Q(end__gte=models.F("start")),
            ),
            models.UniqueConstraint(
                fields=["indicator", "start", "end"], name="results_period_unique"
            ),
        ]

    def __str__(self) -> str:
        # Named with its indicator in the admin's choice lists (which select it with the period).
        return f"{self.indicator} · {self.label}"

    @property
    def label(self) -> str:
        if self.start.month == 1 and self.end.month == 12:
            return str(self.start.year)
        half = 1 if self.start.month == 1 else 2
        return f"{self.start.year} H{half}"

    def clean(self) -> None:
        if self.start and self.end and not calendar_span(self.start, self.end):
            raise ValidationError(
                _("A period is a calendar year (1 January – 31 December) or a half of one.")
            )


class Figure(models.Model):
    """What targets and actuals share: the period, the combination, and the figure itself."""

    period = models.ForeignKey(Period, verbose_name=_("period"), on_delete=models.CASCADE)
    combination = models.CharField(
        _("disaggregation"),
        max_length=100,
        blank=True,
        default=TOTAL,
        help_text=_("Sorted ids of the dimension values; empty for the total."),
    )
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2, null=True, blank=True)
    numerator = models.DecimalField(
        _("numerator"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    denominator = models.DecimalField(
        _("denominator"), max_digits=16, decimal_places=2, null=True, blank=True
    )

    class Meta:
        abstract = True

    @property
    def is_total(self) -> bool:
        return self.combination == TOTAL


def _figure_constraints(prefix: str) -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(
            name=f"results_{prefix}_parts_together",
            condition=models.Q(numerator__isnull=True, denominator__isnull=True)
            | models.Q(numerator__gte=0, denominator__gt=0, value__isnull=True),
        ),
    ]


class Target(Figure):
    """What the period should reach, for the total or one combination."""

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["period", "combination"]
        default_related_name = "targets"
        constraints = [
            *_figure_constraints("target"),
            models.UniqueConstraint(fields=["period", "combination"], name="results_target_unique"),
        ]

    def __str__(self) -> str:
        return f"{_('Target')} #{self.pk}"


class Actual(Figure):
    """What one project reached in the period, for the total or one combination. Only approved
    actuals count in the figures."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        RETURNED = "returned", _("returned")

    project = models.ForeignKey(
        "programs.Project", verbose_name=_("project"), on_delete=models.CASCADE
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("actual")
        verbose_name_plural = _("actuals")
        ordering = ["period", "project", "combination"]
        default_related_name = "actuals"
        constraints = [
            *_figure_constraints("actual"),
            models.UniqueConstraint(
                fields=["period", "project", "combination"], name="results_actual_unique"
            ),
        ]
        indexes = [models.Index(fields=["status", "period"], name="results_actual_status")]

    def __str__(self) -> str:
        # Never the project's title: the admin's lists and history name rows by this.
        return f"{_('Actual')} #{self.pk}"


# --- Reporting actuals: a project's report for one period span, its review and its evidence ---


class Report(models.Model):
    """A project's actuals for one period span (a year or a half-year), entered, submitted and
    reviewed as one. The figures themselves stay ``Actual`` rows of the indicators' periods of
    that span; their ``status`` follows the report's (``results.reports.services``), so that
    "only approved actuals count" still reads one column. An approved report is locked."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned with a question")
        APPROVED = "approved", _("approved")

    project = models.ForeignKey(
        "programs.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="result_reports",
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("results report")
        verbose_name_plural = _("results reports")
        ordering = ["-start", "project"]
        constraints = [
            models.CheckConstraint(
                name="results_report_ends_after_start",
                condition=models.Q(end__gte=models.F("start")),
            ),
            models.UniqueConstraint(
                fields=["project", "start", "end"], name="results_report_unique"
            ),
        ]
        indexes = [models.Index(fields=["status", "end"], name="results_report_status")]

    def __str__(self) -> str:
        # Never the project's title: the admin's lists and history name rows by this.
        return f"{_('Results report')} #{self.pk} · {span_label(self.start, self.end)}"

    @property
    def label(self) -> str:
        return span_label(self.start, self.end)

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def slug(self) -> str:
        return span_slug(self.start, self.end)


def span_slug(start: dt.date, end: dt.date) -> str:
    """How a span is named in the report page's address: ``2025`` or ``2025-h1``."""
    if start.month == 1 and end.month == 12:
        return str(start.year)
    return f"{start.year}-h{1 if start.month == 1 else 2}"


def span_label(start: dt.date, end: dt.date) -> str:
    if start.month == 1 and end.month == 12:
        return str(start.year)
    return f"{start.year} H{1 if start.month == 1 else 2}"


class ReportEntry(models.Model):
    """What the report says of one indicator period besides the figures: a comment (for a
    qualitative indicator, the account itself) and the evidence."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="entries"
    )
    period = models.ForeignKey(
        Period, verbose_name=_("period"), on_delete=models.CASCADE, related_name="+"
    )
    comment = models.TextField(_("comment"), blank=True)
    # Without a reverse relation: a story's pages and lists never filter by what cites it.
    stories = models.ManyToManyField(
        "progress.ChangeStory", verbose_name=_("stories cited"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("report entry")
        verbose_name_plural = _("report entries")
        ordering = ["report", "period"]
        constraints = [
            models.UniqueConstraint(fields=["report", "period"], name="results_entry_unique"),
        ]

    def __str__(self) -> str:
        return f"{_('Report entry')} #{self.pk}"


def evidence_path(instance: ReportAttachment, filename: str) -> str:
    """A random name: the uploaded name never reaches the file system."""
    extension = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}.get(
        instance.content_type, "bin"
    )
    return f"results-evidence/{secrets.token_hex(16)}.{extension}"


class ReportAttachment(models.Model):
    """A document or photo attached as evidence, checked as story attachments are
    (``progress.attachments.process_upload``) and served only through the report's access."""

    entry = models.ForeignKey(
        ReportEntry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=StoryAttachment.Kind.choices)
    file = models.FileField(_("file"), upload_to=evidence_path)
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size in bytes"))
    original_name = models.CharField(_("original name"), max_length=120, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence document")
        verbose_name_plural = _("evidence documents")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name or self.get_kind_display()


class ReportEvent(models.Model):
    """One step in a report's history: who did what, when, and what they wrote. Written in the
    same transaction as the step."""

    class Action(models.TextChoices):
        SAVED = "saved", _("Saved as a draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned with a question")
        RESUBMITTED = "resubmitted", _("Answered and resubmitted")
        APPROVED = "approved", _("Approved")
        UNLOCKED = "unlocked", _("Unlocked")

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    from_status = models.CharField(
        _("from"), max_length=10, choices=Report.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=10, choices=Report.Status.choices)
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("report event")
        verbose_name_plural = _("report events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["report", "at"], name="results_event_report_at")]

    def __str__(self) -> str:
        return f"{_('Report event')} #{self.pk}"


class PartsMismatch(models.Model):
    """Kept: a project's period whose stored total differs from the sum of its parts (values,
    or numerators and denominators), over its actuals of every status. ``results.checks`` keeps
    it in step with each write of an actual, so that a programme's page reads the few rows that
    disagree instead of grouping every actual of the programme. Its sums have room for a
    hundred thousand figures at the largest an actual holds."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey("programs.Project", on_delete=models.CASCADE, related_name="+")
    total_value = models.DecimalField(max_digits=24, decimal_places=2, default=0)
    parts_value = models.DecimalField(max_digits=24, decimal_places=2, default=0)
    total_numerator = models.DecimalField(max_digits=24, decimal_places=2, default=0)
    parts_numerator = models.DecimalField(max_digits=24, decimal_places=2, default=0)
    total_denominator = models.DecimalField(max_digits=24, decimal_places=2, default=0)
    parts_denominator = models.DecimalField(max_digits=24, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("parts that do not add up")
        verbose_name_plural = _("parts that do not add up")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "project"], name="results_parts_mismatch_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Parts that do not add up')} #{self.pk}"


class ActualSum(models.Model):
    """Kept: the approved actuals of one period and combination, summed over every project, with
    a confidential partner's apart (``confidential``) so that its figures can count in a total
    and in no part for those who may not identify it. ``results.kept`` recomputes an indicator's
    rows when the outbox names it; the programme, indicator and portfolio pages and the
    programme's download read these rows instead of grouping every actual."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    combination = models.CharField(max_length=100, blank=True)
    confidential = models.BooleanField(default=False)
    value = models.DecimalField(max_digits=24, decimal_places=2, null=True)
    numerator = models.DecimalField(max_digits=24, decimal_places=2, null=True)
    denominator = models.DecimalField(max_digits=24, decimal_places=2, null=True)

    class Meta:
        verbose_name = _("kept sum of approved figures")
        verbose_name_plural = _("kept sums of approved figures")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "combination", "confidential"], name="results_actual_sum_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Kept sum')} #{self.pk}"

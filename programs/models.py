"""Programmes in the three focus areas, partners' projects, activity plans and activities."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from partners.models import MemberOrganisation, Partner


class FocusArea(models.TextChoices):
    DEMOCRACY = "democracy", _("Democracy")
    WOMEN_YOUTH = "women_youth", _("Women and youth")
    CAPACITY = "capacity", _("Capacity")


def validate_dac_sector_codes(value: object) -> None:
    """DAC 5-digit purpose codes, e.g. ``15150`` (democratic participation and civil society)."""
    if not isinstance(value, list) or not all(
        isinstance(code, str) and len(code) == 5 and code.isdigit() for code in value
    ):
        raise ValidationError(_("Enter DAC sector codes as a list of five-digit codes."))


class Funder(models.Model):
    class Kind(models.TextChoices):
        SIDA = "sida", _("Sida")
        OWN_FUNDS = "own", _("Own funds")
        NETWORK = "network", _("Solidarity network")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    iati_ref = models.CharField(_("IATI organisation identifier"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("funder")
        verbose_name_plural = _("funders")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Program(models.Model):
    title = models.CharField(_("title"), max_length=200)
    focus_area = models.CharField(_("focus area"), max_length=16, choices=FocusArea.choices)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    funders = models.ManyToManyField(
        Funder, verbose_name=_("funders"), blank=True, related_name="programs"
    )
    budget_sek = models.DecimalField(_("budget (SEK)"), max_digits=14, decimal_places=2, default=0)
    responsible_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible staff"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsible_for_programs",
        limit_choices_to={"role": "staff"},
    )
    dac_sector_codes = models.JSONField(
        _("DAC sector codes"), default=list, blank=True, validators=[validate_dac_sector_codes]
    )
    iati_identifier = models.CharField(
        _("IATI identifier"), max_length=150, unique=True, null=True, blank=True
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["focus_area", "title"]
        constraints = [
            models.CheckConstraint(
                name="program_ends_after_start",
                condition=models.Q(end_date__gte=models.F("start_date")),
            ),
            models.CheckConstraint(
                name="program_budget_not_negative", condition=models.Q(budget_sek__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Grant(models.Model):
    """What one funder gives a programme: the amounts behind funder dependence
    (``programs/dependence.py``)."""

    program = models.ForeignKey(
        Program, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="grants"
    )
    funder = models.ForeignKey(
        Funder, verbose_name=_("funder"), on_delete=models.PROTECT, related_name="grants"
    )
    amount_sek = models.DecimalField(_("amount (SEK)"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["program", "funder"]
        constraints = [
            models.UniqueConstraint(fields=["program", "funder"], name="grant_one_per_funder"),
            models.CheckConstraint(
                name="grant_amount_not_negative", condition=models.Q(amount_sek__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.funder} → {self.program}"


class Project(models.Model):
    """A partner's project within a programme. Confidential whenever its partner is."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    program = models.ForeignKey(
        Program, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="projects"
    )
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    budget_sek = models.DecimalField(_("budget (SEK)"), max_digits=14, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                name="project_ends_after_start",
                condition=models.Q(end_date__gte=models.F("start_date")),
            ),
            models.CheckConstraint(
                name="project_budget_not_negative", condition=models.Q(budget_sek__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_confidential(self) -> bool:
        return self.partner.is_confidential


class ActivityKind(models.TextChoices):
    TRAINING = "training", _("Training")
    EXCHANGE = "exchange", _("Exchange")
    CAMPAIGN = "campaign", _("Campaign")
    POLITICIAN_SCHOOL = "politician_school", _("Politician school")
    MEETING = "meeting", _("Meeting")
    STUDY_CIRCLE = "study_circle", _("Study circle")
    SURVEY = "survey", _("Survey or mapping")


class ActivityFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    DIGITAL = "digital", _("Digital")


class ActivityPlan(models.Model):
    """A year's plan of one unit: the countable commitments that are followed up.

    The unit is a member organisation or one of its branches (``member_organisation``), a
    partner (``partner``), or, with neither, the secretariat's own staff. A branch's plan may sit
    under its district's (``parent``)."""

    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    member_organisation = models.ForeignKey(
        "partners.MemberOrganisation",
        verbose_name=_("member organisation or branch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activity_plans",
    )
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activity_plans",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("under the plan of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="branch_plans",
    )
    program = models.ForeignKey(
        Program,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activity_plans",
    )

    class Meta:
        verbose_name = _("activity plan")
        verbose_name_plural = _("activity plans")
        ordering = ["-year", "title"]
        constraints = [
            models.CheckConstraint(
                name="activityplan_one_unit",
                condition=models.Q(member_organisation__isnull=True)
                | models.Q(partner__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    @property
    def unit(self) -> Partner | MemberOrganisation | None:
        """Whose plan it is; None for the secretariat's own."""
        return self.member_organisation or self.partner


class PlannedActivity(models.Model):
    plan = models.ForeignKey(
        ActivityPlan,
        verbose_name=_("activity plan"),
        on_delete=models.CASCADE,
        related_name="planned_activities",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    target_count = models.PositiveSmallIntegerField(
        _("minimum number"), default=1, validators=[MinValueValidator(1)]
    )
    format = models.CharField(
        _("format"), max_length=16, choices=ActivityFormat.choices, default=ActivityFormat.IN_PERSON
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text=_("Empty: at any time in the year."),
    )
    date = models.DateField(
        _("date"), null=True, blank=True, help_text=_("Where the day is already set.")
    )
    responsible = models.CharField(_("responsible person"), max_length=200, blank=True)
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="planned_activities",
    )
    network = models.ForeignKey(
        "partners.SolidarityNetwork",
        verbose_name=_("solidarity network"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="planned_activities",
    )

    class Meta:
        verbose_name = _("planned activity")
        verbose_name_plural = _("planned activities")
        ordering = ["plan", "quarter", "title"]
        constraints = [
            models.CheckConstraint(
                name="plannedactivity_target_positive", condition=models.Q(target_count__gte=1)
            ),
            models.CheckConstraint(
                name="plannedactivity_quarter_1_to_4",
                condition=models.Q(quarter__isnull=True) | models.Q(quarter__range=(1, 4)),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.date is None:
            return
        errors: dict[str, str] = {}
        if self.plan_id is not None and self.date.year != self.plan.year:
            errors["date"] = str(_("The date lies outside the plan's year."))
        quarter = (self.date.month - 1) // 3 + 1
        if self.quarter is not None and self.quarter != quarter:
            errors["quarter"] = _("The date lies in quarter %(quarter)d.") % {"quarter": quarter}
        if errors:
            raise ValidationError(errors)
        self.quarter = quarter


class Activity(models.Model):
    """An activity that was held, with its participants."""

    planned = models.ForeignKey(
        PlannedActivity,
        verbose_name=_("planned activity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    format = models.CharField(
        _("format"), max_length=16, choices=ActivityFormat.choices, default=ActivityFormat.IN_PERSON
    )
    participants_women = models.PositiveIntegerField(_("women"), default=0)
    participants_men = models.PositiveIntegerField(_("men"), default=0)
    participants_other = models.PositiveIntegerField(_("other or not stated"), default=0)
    participants_youth = models.PositiveIntegerField(
        _("of whom young people"), default=0, help_text=_("Participants under 30.")
    )
    member_organisation = models.ForeignKey(
        "partners.MemberOrganisation",
        verbose_name=_("member organisation or branch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        help_text=_("The Swedish unit that held it, for the member organisations' own activities."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-date"]
        indexes = [models.Index(fields=["date"], name="activity_date_idx")]
        constraints = [
            models.CheckConstraint(
                name="activity_youth_within_participants",
                condition=models.Q(
                    participants_youth__lte=models.F("participants_women")
                    + models.F("participants_men")
                    + models.F("participants_other")
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def organisation(self) -> Partner | None:
        """Whose activity it was: its own partner, else its project's; none for the Swedish
        units' own activities (the same rule as the activity aggregates)."""
        if self.partner is not None:
            return self.partner
        return self.project.partner if self.project is not None else None

    @property
    def participants_total(self) -> int:
        return self.participants_women + self.participants_men + self.participants_other


class CalendarFeed(models.Model):
    """A person's calendar subscription: the secret in its address is the only key, so a new
    one (or none) revokes the old address at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField(_("secret"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar subscription")
        verbose_name_plural = _("calendar subscriptions")

    def __str__(self) -> str:
        return f"{_('Calendar subscription')} #{self.pk}"

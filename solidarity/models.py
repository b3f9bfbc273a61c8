"""The Swedish side's giving: the contributions ledger of gifts, pledges, collections, time."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Contribution(models.Model):
    """Money or time given by a member organisation or an individual donor."""

    class Kind(models.TextChoices):
        ONE_OFF_GIFT = "gift", _("One-off gift")
        MONTHLY_PLEDGE = "monthly", _("Monthly pledge")
        WORKPLACE_COLLECTION = "collection", _("Workplace collection")
        ORGANISATIONAL = "organisational", _("Organisational contribution")
        EXPERTISE_HOURS = "expertise", _("Expertise (hours)")
        STUDY_CIRCLE = "study_circle", _("Study circle")
        PLEDGE_PAYMENT = "pledge_payment", _("Pledge payment")

    class Status(models.TextChoices):
        REPORTED = "reported", _("reported, waiting for staff")
        CONFIRMED = "confirmed", _("confirmed")
        DECLINED = "declined", _("declined")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    member_organisation = models.ForeignKey(
        "partners.MemberOrganisation",
        verbose_name=_("member organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contributions",
    )
    donor_name = models.CharField(
        _("individual donor"),
        max_length=200,
        blank=True,
        help_text=_("Only when the contribution comes from a person, not an organisation."),
    )
    amount_sek = models.DecimalField(
        _("amount (SEK)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    hours = models.DecimalField(_("hours"), max_digits=8, decimal_places=1, null=True, blank=True)
    date = models.DateField(_("date"), help_text=_("For a monthly pledge: its first month."))
    ends_on = models.DateField(
        _("ends on"),
        null=True,
        blank=True,
        help_text=_("For a monthly pledge: its last month (empty: until further notice)."),
    )
    pledge = models.ForeignKey(
        "self",
        verbose_name=_("pledge"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        limit_choices_to={"kind": "monthly"},
        help_text=_("For a pledge payment: the monthly pledge it pays."),
    )
    network = models.ForeignKey(
        "partners.SolidarityNetwork",
        verbose_name=_("network"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contributions",
    )
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contributions",
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed or declined by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("confirmed or declined"), null=True, blank=True)

    class Meta:
        db_table = "partners_contribution"  # moved from partners, table and all
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(
                name="contribution_has_one_contributor",
                condition=(
                    models.Q(member_organisation__isnull=False, donor_name="")
                    | models.Q(member_organisation__isnull=True) & ~models.Q(donor_name="")
                ),
            ),
            models.CheckConstraint(
                name="contribution_has_amount_or_hours",
                condition=models.Q(amount_sek__isnull=False) | models.Q(hours__isnull=False),
            ),
            models.CheckConstraint(
                name="contribution_supports_something",
                condition=models.Q(network__isnull=False) | models.Q(program__isnull=False),
            ),
            models.CheckConstraint(
                name="contribution_amount_not_negative",
                condition=models.Q(amount_sek__isnull=True) | models.Q(amount_sek__gte=0),
            ),
            models.CheckConstraint(
                name="contribution_hours_not_negative",
                condition=models.Q(hours__isnull=True) | models.Q(hours__gte=0),
            ),
            models.CheckConstraint(
                name="contribution_payment_pays_a_pledge",
                condition=models.Q(kind="pledge_payment", pledge__isnull=False)
                | ~models.Q(kind="pledge_payment") & models.Q(pledge__isnull=True),
            ),
            models.CheckConstraint(
                name="contribution_pledge_ends_after_start",
                condition=models.Q(ends_on__isnull=True)
                | models.Q(kind="monthly", ends_on__gte=models.F("date")),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "date"], name="contribution_status_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%Y-%m-%d}"

    @property
    def contributor(self) -> str:
        return str(self.member_organisation) if self.member_organisation_id else self.donor_name

    def take_from_pledge(self) -> None:
        """A pledge payment is given by the pledge's contributor, for the pledge's purpose."""
        if self.kind == self.Kind.PLEDGE_PAYMENT and self.pledge is not None:
            for name in ("member_organisation_id", "donor_name", "network_id", "program_id"):
                setattr(self, name, getattr(self.pledge, name))

    def clean(self) -> None:
        super().clean()
        errors: dict[str, ValidationError] = {}
        self.take_from_pledge()
        # The constraints' rules again, so that a form or an import row names the field
        # instead of failing on the database.
        if bool(self.member_organisation_id) == bool(self.donor_name.strip()):
            errors["member_organisation"] = ValidationError(
                _("Give a member organisation or an individual donor, not both.")
            )
        if self.network_id is None and self.program_id is None:
            errors["network"] = ValidationError(_("Choose the network or programme it supports."))
        for name in ("amount_sek", "hours"):
            if (getattr(self, name) or 0) < 0:
                errors[name] = ValidationError(_("Cannot be negative."))
        if self.kind in MONEY_KINDS:
            if self.amount_sek is None and "amount_sek" not in errors:
                errors["amount_sek"] = ValidationError(_("Give the amount in SEK."))
            if self.hours is not None:
                errors["hours"] = ValidationError(_("Money is counted in SEK, not hours."))
        elif self.kind in TIME_KINDS:
            if self.hours is None:
                errors["hours"] = ValidationError(_("Give the hours."))
            if self.amount_sek is not None:
                errors["amount_sek"] = ValidationError(_("Time is counted in hours, not SEK."))
        if self.ends_on is not None and self.kind != self.Kind.MONTHLY_PLEDGE:
            errors["ends_on"] = ValidationError(_("Only a monthly pledge has an end."))
        elif self.ends_on is not None and self.date and self.ends_on < self.date:
            errors["ends_on"] = ValidationError(_("A pledge ends after it starts."))
        if self.kind == self.Kind.PLEDGE_PAYMENT:
            if self.pledge_id is None:
                errors["pledge"] = ValidationError(_("Choose the pledge this payment pays."))
            elif self.pledge is not None and self.pledge.kind != self.Kind.MONTHLY_PLEDGE:
                errors["pledge"] = ValidationError(_("A payment pays a monthly pledge."))
        elif self.pledge_id is not None:
            errors["pledge"] = ValidationError(_("Only a pledge payment pays a pledge."))
        if errors:
            raise ValidationError(errors)


MONEY_KINDS = frozenset(
    {
        Contribution.Kind.ONE_OFF_GIFT,
        Contribution.Kind.MONTHLY_PLEDGE,
        Contribution.Kind.WORKPLACE_COLLECTION,
        Contribution.Kind.ORGANISATIONAL,
        Contribution.Kind.PLEDGE_PAYMENT,
    }
)
TIME_KINDS = frozenset({Contribution.Kind.EXPERTISE_HOURS, Contribution.Kind.STUDY_CIRCLE})
# What members may report themselves; staff confirm it.
REPORTABLE_KINDS = (Contribution.Kind.WORKPLACE_COLLECTION, Contribution.Kind.STUDY_CIRCLE)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


class ExpertiseNeed(models.Model):
    """Something a partner needs from the Swedish side: "a trainer in budget work"."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        MATCHED = "matched", _("matched")
        CLOSED = "closed", _("closed")

    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        related_name="expertise_needs",
    )
    title = models.CharField(_("what is needed"), max_length=200)
    description = models.TextField(_("more about it"), blank=True, max_length=4000)
    network = models.ForeignKey(
        "partners.SolidarityNetwork",
        verbose_name=_("network"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expertise_needs",
        help_text=_("The network whose members may offer it."),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("stated by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("stated"), auto_now_add=True)

    class Meta:
        verbose_name = _("expertise need")
        verbose_name_plural = _("expertise needs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class ExpertiseOffer(models.Model):
    """An expertise role a member organisation offers: "union organising in the garment sector"."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        WITHDRAWN = "withdrawn", _("withdrawn")

    member_organisation = models.ForeignKey(
        "partners.MemberOrganisation",
        verbose_name=_("member organisation"),
        on_delete=models.CASCADE,
        related_name="expertise_offers",
    )
    title = models.CharField(_("what is offered"), max_length=200)
    description = models.TextField(_("more about it"), blank=True, max_length=4000)
    hours = models.PositiveIntegerField(_("hours a year, about"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("offered by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("offered"), auto_now_add=True)

    class Meta:
        verbose_name = _("expertise offer")
        verbose_name_plural = _("expertise offers")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class ExpertiseMatch(models.Model):
    """Staff put a need and an offer together; it becomes a planned item of both units."""

    need = models.ForeignKey(
        ExpertiseNeed, verbose_name=_("need"), on_delete=models.CASCADE, related_name="matches"
    )
    offer = models.ForeignKey(
        ExpertiseOffer, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="matches"
    )
    partner_item = models.ForeignKey(
        "programs.PlannedActivity",
        verbose_name=_("in the partner's plan"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    member_item = models.ForeignKey(
        "programs.PlannedActivity",
        verbose_name=_("in the member organisation's plan"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("matched by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("matched"), auto_now_add=True)

    class Meta:
        verbose_name = _("expertise match")
        verbose_name_plural = _("expertise matches")
        constraints = [
            models.UniqueConstraint(fields=["need", "offer"], name="expertise_match_once"),
        ]

    def __str__(self) -> str:
        return f"{self.need} ↔ {self.offer}"

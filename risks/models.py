"""The risk register: each partner's (and project's) risks, how likely and how grave, what is done
about them, and the dated history of every reassessment.

For a confidential partner the first risk is that its support becomes known; the register must
not itself become the leak, so what a viewer may read of a risk is decided in ``selectors.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

SCALE_MIN = 1
SCALE_MAX = 5
SCALE = range(SCALE_MIN, SCALE_MAX + 1)

# The score as the database computes it (ordering, the heat map's highest score). The model's
# ``score`` property is the same product in Python. Not a stored column: a stored copy of
# likelihood times impact could only drift from its two factors, and both are small integers the
# database multiplies for free.
SCORE = F("likelihood") * F("impact")


class Category(models.TextChoices):
    SECURITY = "security", _("Security and exposure of the partner or its people")
    POLITICAL = "political", _("Political")
    FINANCIAL = "financial", _("Financial")
    CORRUPTION = "corruption", _("Corruption")
    CONFLICT = "conflict", _("Conflict")
    GENDER_BASED_VIOLENCE = "gbv", _("Gender-based violence")
    OPERATIONAL = "operational", _("Operational")
    REPUTATIONAL = "reputational", _("Reputational")


def _on_scale(field: str) -> models.Q:
    return models.Q(**{f"{field}__gte": SCALE_MIN, f"{field}__lte": SCALE_MAX})


class Risk(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="risks",
    )
    project = models.ForeignKey(
        "programs.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="risks",
        null=True,
        blank=True,
        help_text=_("Optional: one of the partner's projects."),
    )
    title = models.CharField(_("risk"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    likelihood = models.PositiveSmallIntegerField(
        _("likelihood"), help_text=_("From 1 (rare) to 5 (almost certain).")
    )
    impact = models.PositiveSmallIntegerField(
        _("impact"), help_text=_("From 1 (minor) to 5 (severe).")
    )
    mitigation = models.TextField(_("mitigation"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_risks",
        limit_choices_to={"role": "staff", "is_active": True},
    )
    next_review = models.DateField(_("next review"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    dialogues = models.ManyToManyField(
        "dialogues.Dialogue",
        verbose_name=_("discussed in dialogues"),
        blank=True,
        related_name="risks",
    )
    shared_with_partner = models.BooleanField(
        _("shared with the partner"),
        default=False,
        help_text=_("The partner's own users may read this risk and comment on it."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ["next_review", "id"]
        indexes = [
            models.Index(fields=["partner", "status"], name="risk_partner_status_idx"),
            models.Index(fields=["owner", "status", "next_review"], name="risk_owner_review_idx"),
            models.Index(fields=["status", "next_review"], name="risk_status_review_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="risk_likelihood_1_to_5", condition=_on_scale("likelihood")
            ),
            models.CheckConstraint(name="risk_impact_1_to_5", condition=_on_scale("impact")),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


class RiskReassessment(models.Model):
    """One reassessment of a risk: written by ``services.risk_reassess``, never edited."""

    risk = models.ForeignKey(
        Risk, verbose_name=_("risk"), on_delete=models.CASCADE, related_name="reassessments"
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assessed_at = models.DateTimeField(_("assessed"), auto_now_add=True)
    old_likelihood = models.PositiveSmallIntegerField(_("likelihood before"))
    old_impact = models.PositiveSmallIntegerField(_("impact before"))
    new_likelihood = models.PositiveSmallIntegerField(_("likelihood after"))
    new_impact = models.PositiveSmallIntegerField(_("impact after"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("reassessment of a risk")
        verbose_name_plural = _("reassessments of risks")
        ordering = ["-assessed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="reassessment_values_1_to_5",
                condition=_on_scale("old_likelihood")
                & _on_scale("old_impact")
                & _on_scale("new_likelihood")
                & _on_scale("new_impact"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"

    @property
    def old_score(self) -> int:
        return self.old_likelihood * self.old_impact

    @property
    def new_score(self) -> int:
        return self.new_likelihood * self.new_impact


class RiskComment(models.Model):
    """A partner user's (or staff's) comment on a risk shared with the partner."""

    risk = models.ForeignKey(
        Risk, verbose_name=_("risk"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment on a risk")
        verbose_name_plural = _("comments on risks")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"

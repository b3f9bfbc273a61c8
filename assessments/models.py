"""Self-assessments of capacity and adaptability (AdaptaMeter): a partner scores itself once a
period on statements grouped in dimensions, to see whether it becomes more adaptive."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

LANGUAGES = ("en", "sv", "es")


def _in_active_language(obj: models.Model, prefix: str) -> str:
    """The text in the active language, English where that one is empty."""
    language = (get_language() or "en").split("-")[0]
    if language not in LANGUAGES:
        language = "en"
    return getattr(obj, f"{prefix}_{language}") or getattr(obj, f"{prefix}_en")


class Questionnaire(models.Model):
    """One version of the statements partners score. A published version is never edited: a
    new version is made by copying it (``services.questionnaire_new_version``)."""

    name = models.CharField(_("name"), max_length=100)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Partners fill the latest published version; once published it is fixed."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "version"], name="questionnaire_unique_name_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class Dimension(models.Model):
    """A group of statements. ``key`` stays the same from one version to the next, so that a
    partner's scores can be followed over rounds answered on different versions."""

    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.CASCADE,
        related_name="dimensions",
    )
    key = models.SlugField(_("key"), max_length=50)
    ordering = models.PositiveSmallIntegerField(_("order"), default=0)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_sv = models.CharField(_("name (Swedish)"), max_length=200, blank=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["questionnaire", "ordering", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "key"], name="dimension_unique_key_per_questionnaire"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_active_language(self, "name")


class Statement(models.Model):
    dimension = models.ForeignKey(
        Dimension,
        verbose_name=_("dimension"),
        on_delete=models.CASCADE,
        related_name="statements",
    )
    ordering = models.PositiveSmallIntegerField(_("order"), default=0)
    text_en = models.TextField(_("statement (English)"))
    text_sv = models.TextField(_("statement (Swedish)"), blank=True)
    text_es = models.TextField(_("statement (Spanish)"), blank=True)

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["dimension__ordering", "ordering", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def text(self) -> str:
        return _in_active_language(self, "text")


class Assessment(models.Model):
    """A partner's self-assessment of one period; final for the partner once submitted."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")

    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    period_label = models.CharField(_("period"), max_length=30)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submitted_assessments",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        ordering = ["-period_start", "partner_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "period_start"], name="assessment_one_per_partner_per_period"
            ),
            models.CheckConstraint(
                name="assessment_period_ends_after_start",
                condition=models.Q(period_end__gte=models.F("period_start")),
            ),
            models.CheckConstraint(
                name="assessment_submitted_has_date",
                condition=models.Q(status="draft") | models.Q(submitted_at__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["status", "period_start"], name="assessment_status_period")]

    def __str__(self) -> str:
        return f"{self.period_label} #{self.pk}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class Answer(models.Model):
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="answers"
    )
    statement = models.ForeignKey(
        Statement, verbose_name=_("statement"), on_delete=models.PROTECT, related_name="answers"
    )
    score = models.PositiveSmallIntegerField(_("score"))
    example = models.TextField(_("example"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["statement__dimension__ordering", "statement__ordering", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "statement"], name="answer_one_per_statement"
            ),
            models.CheckConstraint(
                name="answer_score_1_to_5", condition=models.Q(score__gte=1, score__lte=5)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id}: {self.score}"


class DimensionComment(models.Model):
    """Staff's comment on one dimension of a submitted assessment."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="comments"
    )
    dimension = models.ForeignKey(
        Dimension, verbose_name=_("dimension"), on_delete=models.PROTECT, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessment_comments",
    )
    text = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment on a dimension")
        verbose_name_plural = _("comments on dimensions")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.dimension_id}"

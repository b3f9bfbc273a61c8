"""Regional analyses: what staff conclude about a region over a period, and what it rests on."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.regions import Region


class RegionalAnalysis(models.Model):
    """A dated analysis of one region and period: context, patterns seen in stories and
    assessments, conclusions and decisions, with the stories and report figures it draws on."""

    region = models.CharField(_("region"), max_length=20, choices=Region.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    title = models.CharField(_("title"), max_length=200)
    written_on = models.DateField(_("written on"), default=timezone.localdate)
    context = models.TextField(_("context"), blank=True)
    patterns = models.TextField(_("patterns seen in stories and assessments"), blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    stories = models.ManyToManyField(
        "progress.ChangeStory", verbose_name=_("stories"), blank=True, related_name="analyses"
    )
    risks = models.ManyToManyField(
        "risks.Risk", verbose_name=_("risks"), blank=True, related_name="analyses"
    )
    shared_with_partners = models.BooleanField(
        _("shared with the region's partners"),
        default=False,
        help_text=_("The partners of this region may read it."),
    )
    cleared_only = models.BooleanField(
        _("for cleared staff only"),
        default=False,
        help_text=_(
            "It draws on a confidential partner's records: only cleared staff may read it. "
            "Set by itself when such a story or risk is linked."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("regional analysis")
        verbose_name_plural = _("regional analyses")
        ordering = ["-written_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="analysis_period_ends_after_start",
                condition=models.Q(period_end__gte=models.F("period_start")),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AnalysisFigure(models.Model):
    """A figure the analysis draws on: a report of the portal with its filters, by address."""

    analysis = models.ForeignKey(
        RegionalAnalysis,
        verbose_name=_("analysis"),
        on_delete=models.CASCADE,
        related_name="figures",
    )
    label = models.CharField(_("what it shows"), max_length=200)
    address = models.CharField(_("address"), max_length=500)
    ordering = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("figure of an analysis")
        verbose_name_plural = _("figures of analyses")
        ordering = ["ordering", "id"]

    def __str__(self) -> str:
        return self.label

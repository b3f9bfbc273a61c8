"""The kept figures: aggregate cells and counts computed in the database from the stories and
activities below, and the state of their refresh (``reporting.aggregates``). Derived data: a full
rebuild (``manage.py rebuild_reports``) recomputes every row from the source records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from programs.models import ActivityKind


class StoryAggregate(models.Model):
    """Verified stories counted per cell: month, country, programme, partner, type or group.

    Built in the database by ``reporting.aggregates`` (INSERT … SELECT … GROUP BY), never by hand.
    Three kinds of cell, each counting a story once within its kind: with neither change type
    nor target group (each story once), with a change type (once per type its teller chose),
    with a target group (once per group it names). Sum one kind, never across kinds.
    """

    month = models.DateField(_("month"))
    country = models.CharField(_("country"), max_length=2)
    region = models.CharField(_("region"), max_length=20)
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
    )
    focus_area = models.CharField(_("focus area"), max_length=16, blank=True)
    partner = models.ForeignKey(
        "partners.Partner", verbose_name=_("partner"), on_delete=models.CASCADE, related_name="+"
    )
    change_type = models.ForeignKey(
        "progress.ChangeType",
        verbose_name=_("change type"),
        db_index=False,
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
    )
    target_group = models.ForeignKey(
        "progress.TargetGroup",
        verbose_name=_("target group"),
        db_index=False,
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
    )
    submitter_role = models.CharField(_("told by"), max_length=16)
    significance = models.PositiveSmallIntegerField(_("significance"))
    # Whether the tellers agreed to be quoted internally: network members' figures count only
    # the stories they may read (docs/reports.md, "Disclosure control").
    quotable = models.BooleanField(_("may be quoted"), default=False)
    story_count = models.PositiveIntegerField(_("stories"))
    significance_sum = models.PositiveIntegerField(_("sum of significance"))

    # No index on the type and the group: the pages read cells by partner, month or programme,
    # and each index more is written for every cell a rebuild inserts (those rows go only when
    # a type or group is deleted, which is rare).

    class Meta:
        verbose_name = _("story aggregate")
        verbose_name_plural = _("story aggregates")
        indexes = [
            models.Index(fields=["partner", "month"], name="storyaggregate_partner_idx"),
            # The roll-ups of a month are recomputed from its cells after every refresh that
            # touched it. The index carries what they group and sum (PostgreSQL; elsewhere
            # ``include`` is ignored), so that the cells are read from it alone: after a
            # rebuild one month's cells lie on thousands of heap pages.
            models.Index(
                fields=["month"],
                include=[
                    "program",
                    "focus_area",
                    "country",
                    "region",
                    "partner",
                    "submitter_role",
                    "change_type",
                    "target_group",
                    "significance",
                    "story_count",
                    "significance_sum",
                ],
                name="storyaggregate_month_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.partner_id} {self.change_type_id}: {self.story_count}"


class StoryTypeTotal(models.Model):
    """Verified stories per change type over all time, for the staff dashboard: the sum of the
    change-type cells, kept beside them so that the dashboard reads one row per type, not every
    cell.

    A refresh adds to each type the difference between the cells it wrote and the cells they
    replaced, in the same transaction; a rebuild sums the cells afresh.
    """

    change_type = models.OneToOneField(
        "progress.ChangeType",
        verbose_name=_("change type"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    story_count = models.IntegerField(_("stories"))
    significance_sum = models.IntegerField(_("sum of significance"))

    class Meta:
        verbose_name = _("stories per change type")
        verbose_name_plural = _("stories per change type")

    def __str__(self) -> str:
        return f"{self.change_type_id}: {self.story_count}"


class Rollup(models.Model):
    """The report's figures for staff summed over the partners: one table per kind of section,
    each a few thousand rows where the cells are hundreds of thousands (docs/reports.md,
    "Roll-ups"). Recomputed from the cells by month, by the outbox's refresh and the rebuild."""

    month = models.DateField(_("month"))
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        null=True,
        db_index=False,
        related_name="+",
    )
    focus_area = models.CharField(_("focus area"), max_length=16, blank=True)
    story_count = models.PositiveIntegerField(_("stories"))

    class Meta:
        abstract = True


class StoryRollup(Rollup):
    """Stories per month, programme, place, confidentiality of the partner and teller."""

    country = models.CharField(_("country"), max_length=2)
    region = models.CharField(_("region"), max_length=20)
    confidential = models.BooleanField(_("confidential partner"))
    submitter_role = models.CharField(_("told by"), max_length=16)

    class Meta:
        verbose_name = _("stories by place and teller")
        verbose_name_plural = _("stories by place and teller")
        indexes = [models.Index(fields=["month"], name="storyrollup_month_idx")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.country}: {self.story_count}"


class TypeRollup(Rollup):
    """Stories per month, programme, change type and significance."""

    change_type = models.ForeignKey(
        "progress.ChangeType",
        verbose_name=_("change type"),
        on_delete=models.CASCADE,
        db_index=False,
        related_name="+",
    )
    significance = models.PositiveSmallIntegerField(_("significance"))
    significance_sum = models.PositiveIntegerField(_("sum of significance"))

    class Meta:
        verbose_name = _("stories by type of change")
        verbose_name_plural = _("stories by type of change")
        indexes = [models.Index(fields=["month"], name="typerollup_month_idx")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.change_type_id}: {self.story_count}"


class GroupRollup(Rollup):
    """Stories per month, programme and target group."""

    target_group = models.ForeignKey(
        "progress.TargetGroup",
        verbose_name=_("target group"),
        on_delete=models.CASCADE,
        db_index=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("stories by target group")
        verbose_name_plural = _("stories by target group")
        indexes = [models.Index(fields=["month"], name="grouprollup_month_idx")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.target_group_id}: {self.story_count}"


class PartnerRollup(Rollup):
    """Stories per month, programme and partner."""

    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        db_index=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("stories by partner")
        verbose_name_plural = _("stories by partner")
        indexes = [models.Index(fields=["month"], name="partnerrollup_month_idx")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.partner_id}: {self.story_count}"


class StoryStatusCount(models.Model):
    """Stories of every status per partner, project and consent to quote.

    The counts the dashboards and the partner and project pages show, kept by the same outbox
    as the report cells, so those pages cost the same with a million stories as with ten.
    """

    partner = models.ForeignKey(
        "partners.Partner", verbose_name=_("partner"), on_delete=models.CASCADE, related_name="+"
    )
    project = models.ForeignKey(
        "programs.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=16)
    quotable = models.BooleanField(_("may be quoted"))
    story_count = models.PositiveIntegerField(_("stories"))

    class Meta:
        verbose_name = _("story count")
        verbose_name_plural = _("story counts")
        indexes = [models.Index(fields=["partner", "status"], name="storystatuscount_partner_idx")]

    def __str__(self) -> str:
        return f"{self.partner_id} {self.status}: {self.story_count}"


class ReportState(models.Model):
    """One row: when the aggregates were last brought up to date, and the last full rebuild."""

    refreshed_at = models.DateTimeField(_("figures as of"), null=True)
    rebuilt_at = models.DateTimeField(_("last full rebuild"), null=True)
    rebuild_task_id = models.CharField(_("rebuild task"), max_length=64, blank=True)
    rebuild_requested_at = models.DateTimeField(_("rebuild requested"), null=True)
    rebuild_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rebuild requested by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("report state")
        verbose_name_plural = _("report state")

    def __str__(self) -> str:
        return f"{self.refreshed_at}"


class ActivityAggregate(models.Model):
    """Held activities and their participants per quarter, programme, plan, partner and kind.

    Built in the database by ``reporting.aggregates`` (INSERT … SELECT … GROUP BY), like the
    story aggregates, and refreshed through the same outbox.
    """

    quarter = models.DateField(_("quarter"), help_text=_("First day of the quarter."))
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
    )
    focus_area = models.CharField(_("focus area"), max_length=16, blank=True)
    plan = models.ForeignKey(
        "programs.ActivityPlan",
        verbose_name=_("activity plan"),
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
    )
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
    )
    country = models.CharField(_("country"), max_length=2, blank=True)
    region = models.CharField(_("region"), max_length=20, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    activity_count = models.PositiveIntegerField(_("activities"))
    participants_women = models.PositiveIntegerField(_("women"))
    participants_men = models.PositiveIntegerField(_("men"))
    participants_other = models.PositiveIntegerField(_("other or not stated"))
    participants_youth = models.PositiveIntegerField(_("young people"))

    class Meta:
        verbose_name = _("activity aggregate")
        verbose_name_plural = _("activity aggregates")
        indexes = [
            models.Index(fields=["partner", "quarter"], name="activityaggregate_partner_idx"),
            models.Index(fields=["quarter"], name="activityaggregate_quarter_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.quarter:%Y-%m} {self.partner_id} {self.kind}: {self.activity_count}"

    @property
    def participants_total(self) -> int:
        return self.participants_women + self.participants_men + self.participants_other

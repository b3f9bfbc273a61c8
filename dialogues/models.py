"""Partner dialogues (partnersamtal): staff and a partner meet, go through an agenda, write notes
and agree actions, each with an owner and a due date."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Dialogue(models.Model):
    """One meeting with a partner: who took part on each side, the agenda, the notes, and the
    partner's confirmation that the notes say what was agreed."""

    class Format(models.TextChoices):
        VISIT = "visit", _("Visit")
        DIGITAL = "digital", _("Digital meeting")
        REGIONAL = "regional", _("Regional meeting")

    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="dialogues",
    )
    project = models.ForeignKey(
        "programs.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dialogues",
    )
    held_on = models.DateField(_("held on"))
    format = models.CharField(_("format"), max_length=16, choices=Format.choices)
    staff_participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff who took part"),
        blank=True,
        related_name="staff_dialogues",
    )
    partner_participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("the partner's people who took part"),
        blank=True,
        related_name="partner_dialogues",
    )
    other_participants = models.TextField(
        _("other participants"), blank=True, help_text=_("Names, one a line.")
    )
    agenda = models.TextField(_("agenda"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    notes_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("notes confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    notes_confirmed_at = models.DateTimeField(_("notes confirmed"), null=True, blank=True)
    stories = models.ManyToManyField(
        "progress.ChangeStory",
        verbose_name=_("stories discussed"),
        blank=True,
        related_name="dialogues",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("partner dialogue")
        verbose_name_plural = _("partner dialogues")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["partner", "-held_on"], name="dialogue_partner_held")]
        constraints = [
            models.CheckConstraint(
                name="dialogue_confirmation_has_time",
                condition=models.Q(notes_confirmed_by__isnull=True)
                | models.Q(notes_confirmed_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        # No partner name: a dialogue's label reaches lists and logs an officer may read.
        return f"{self.get_format_display()} {self.held_on:%Y-%m-%d} #{self.pk}"

    def clean(self) -> None:
        # Also what keeps the admin's form from saving a project of another partner.
        project = self.project if self.project_id is not None else None
        if project is not None and self.partner_id and project.partner_id != self.partner_id:
            raise ValidationError({"project": _("Choose one of this partner's projects.")})

    @property
    def notes_confirmed(self) -> bool:
        return self.notes_confirmed_at is not None

    @property
    def awaits_confirmation(self) -> bool:
        return bool(self.notes) and self.notes_confirmed_at is None

    def other_participant_names(self) -> list[str]:
        return [name.strip() for name in self.other_participants.splitlines() if name.strip()]


class DialogueComment(models.Model):
    """What the partner's users say about a dialogue, and staff's replies."""

    dialogue = models.ForeignKey(
        Dialogue, verbose_name=_("dialogue"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dialogue_comments",
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment on a dialogue")
        verbose_name_plural = _("comments on dialogues")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"comment #{self.pk}"


class AgreedAction(models.Model):
    """Something a partner and staff agreed that someone does by a date.

    Most come from a dialogue; other tools (the self-assessment) agree actions too, so the
    dialogue is optional and the partner is not.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="agreed_actions",
    )
    dialogue = models.ForeignKey(
        Dialogue,
        verbose_name=_("dialogue"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="actions",
    )
    description = models.TextField(_("what was agreed"))
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner (staff)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_actions",
        # Every form that offers owners (the admin's too) lists staff only: a partner's users
        # could name a confidential partner.
        limit_choices_to={"role": "staff", "is_active": True},
    )
    owner_is_partner = models.BooleanField(_("the partner owns it"), default=False)
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    drop_reason = models.TextField(_("why it was dropped"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("agreed action")
        verbose_name_plural = _("agreed actions")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["partner", "status", "due_on"], name="action_partner_open"),
            models.Index(fields=["owner_user", "status", "due_on"], name="action_owner_open"),
        ]
        constraints = [
            models.CheckConstraint(
                name="action_dropped_has_reason",
                condition=~models.Q(status="dropped") | ~models.Q(drop_reason=""),
            ),
            models.CheckConstraint(
                name="action_owner_is_staff_or_partner",
                condition=~(models.Q(owner_is_partner=True) & models.Q(owner_user__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return f"action #{self.pk}"

    def clean(self) -> None:
        """What the database cannot check, checked before any save (the admin's form too)."""
        errors: dict[str, Any] = {}
        if self.status == self.Status.DROPPED and not self.drop_reason.strip():
            errors["drop_reason"] = _("Say why the action is dropped.")
        dialogue = self.dialogue if self.dialogue_id is not None else None
        if dialogue is not None and self.partner_id and dialogue.partner_id != self.partner_id:
            errors["dialogue"] = _("The dialogue is another partner's.")
        owner = self.owner_user
        if owner is not None and self.partner_id is not None:
            may_see = owner.is_portal_staff and (
                owner.sees_confidential or not self.partner.is_confidential
            )
            if not may_see:
                errors["owner_user"] = _("The owner must be staff who may see this partner.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

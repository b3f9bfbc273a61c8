"""Mail the portal sends on people's behalf: newsletters to a network's member organisations or
a district's branches, each delivery logged, and everyone's choice of what to receive."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MailPreference(models.Model):
    """What a person has chosen to receive. Nothing until they opt in; one click undoes it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="mail_preference",
    )
    newsletters = models.BooleanField(
        _("newsletters"),
        default=False,
        help_text=_(
            "Newsletters to your networks' member organisations or your district's branches."
        ),
    )
    weekly_digest = models.BooleanField(
        _("weekly digest"),
        default=False,
        help_text=_(
            "Each Monday, if there is news: new verified stories you may read, actions due and "
            "plan items behind."
        ),
    )
    digest_sent_at = models.DateTimeField(_("last digest"), null=True, blank=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("mail preference")
        verbose_name_plural = _("mail preferences")

    def __str__(self) -> str:
        return str(self.user)


class Newsletter(models.Model):
    class Audience(models.TextChoices):
        NETWORK = "network", _("a network's member organisations")
        BRANCHES = "branches", _("a district's branches")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")

    subject = models.CharField(_("subject"), max_length=150)
    body = models.TextField(
        _("text"),
        max_length=20_000,
        help_text=_(
            "Plain text. Blank lines make paragraphs; *italics*, **bold**, lists with - and "
            "links as [text](https://…) are shown as such."
        ),
    )
    audience = models.CharField(_("to"), max_length=10, choices=Audience.choices)
    network = models.ForeignKey(
        "partners.SolidarityNetwork",
        verbose_name=_("network"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="newsletters",
    )
    district = models.ForeignKey(
        "partners.MemberOrganisation",
        verbose_name=_("district or federation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="newsletters",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="newsletter_has_its_audience",
                condition=models.Q(audience="network", network__isnull=False, district=None)
                | models.Q(audience="branches", district__isnull=False, network=None),
            ),
        ]

    def __str__(self) -> str:
        return self.subject


class Delivery(models.Model):
    """One newsletter to one person: the sent log."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        WITHDRAWN = "withdrawn", _("not sent: unsubscribed meanwhile")

    newsletter = models.ForeignKey(
        Newsletter,
        verbose_name=_("newsletter"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("to"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["newsletter", "user"], name="delivery_once_per_person"),
        ]
        indexes = [models.Index(fields=["status", "id"], name="delivery_status_idx")]

    def __str__(self) -> str:
        return f"{self.newsletter} → {self.user}"

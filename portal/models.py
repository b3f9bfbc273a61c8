"""Accounts and roles, and the access log of confidential reads."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who logs in.

    The role decides which rule set of ``portal.access`` applies. Administrators are superusers
    with the staff role; *cleared* staff may see confidential partners, other staff ("officers")
    may not. Partner users belong to exactly one partner organisation and network members to
    exactly one Swedish member organisation.
    """

    class Role(models.TextChoices):
        STAFF = "staff", _("Staff")
        PARTNER = "partner", _("Partner user")
        MEMBER = "member", _("Network member")

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.STAFF)
    is_cleared = models.BooleanField(
        _("cleared for confidential data"),
        default=False,
        help_text=_("Cleared staff see confidential partners, their projects and stories."),
    )
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("partner organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    member_organisation = models.ForeignKey(
        "partners.MemberOrganisation",
        verbose_name=_("member organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The portal's language for this person, and of the e-mails it sends them."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="user_partner_role_has_partner",
                condition=~models.Q(role="partner") | models.Q(partner__isnull=False),
            ),
            models.CheckConstraint(
                name="user_member_role_has_member_organisation",
                condition=~models.Q(role="member") | models.Q(member_organisation__isnull=False),
            ),
            models.CheckConstraint(
                name="user_only_staff_is_cleared",
                condition=models.Q(role="staff") | models.Q(is_cleared=False),
            ),
        ]

    @property
    def is_admin(self) -> bool:
        return self.is_active and self.is_superuser

    @property
    def is_portal_staff(self) -> bool:
        """Staff of the Swedish organisation, cleared or not (administrators included)."""
        return self.is_active and (self.role == self.Role.STAFF or self.is_superuser)

    @property
    def sees_confidential(self) -> bool:
        return self.is_active and (self.is_superuser or (self.is_portal_staff and self.is_cleared))

    @property
    def is_partner_user(self) -> bool:
        return self.is_active and self.role == self.Role.PARTNER and self.partner_id is not None

    @property
    def is_network_member(self) -> bool:
        return (
            self.is_active
            and self.role == self.Role.MEMBER
            and self.member_organisation_id is not None
        )

    @property
    def requires_second_factor(self) -> bool:
        """Administrators and cleared staff must log in with a one-time code."""
        return self.sees_confidential

    @property
    def role_label(self) -> str:
        if self.is_superuser:
            return str(_("Administrator"))
        if self.role == self.Role.STAFF:
            return str(_("Staff (cleared)") if self.is_cleared else _("Programme officer"))
        return str(self.get_role_display())


class AccessLog(models.Model):
    """One row per read of a confidential record by someone allowed to read it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    action = models.CharField(_("action"), max_length=32, default="view")
    path = models.CharField(_("path"), max_length=255, blank=True)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("confidential access record")
        verbose_name_plural = _("confidential access records")
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="accesslog_object_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} {self.object_type}:{self.object_id}"


class ThrottleEvent(models.Model):
    """One counted event of a rate limit (``portal.throttle``): which limit, whose hashed key."""

    scope = models.CharField(_("limit"), max_length=32)
    key_hash = models.CharField(_("hashed key"), max_length=64)
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("rate-limit event")
        verbose_name_plural = _("rate-limit events")
        indexes = [models.Index(fields=["scope", "key_hash", "at"], name="throttle_key_idx")]

    def __str__(self) -> str:
        return f"{self.scope} {self.at:%Y-%m-%d %H:%M}"


class Outbox(models.Model):
    """Kept figures that must be recomputed: written in the transaction of the change that makes
    them stale, drained by a task asked for after commit and by a periodic sweep, so that no
    change is lost when the broker is down (``portal.outbox``).

    The base knows no domain model: ``subject`` names what is stale ("stories", "activities")
    and ``key`` whose (a partner's id, or for "results" an indicator's; empty for everyone's), as
    the app that drains it reads them. ``month`` narrows a row to one month of the key's figures
    (a story's change makes only its own month's cells stale); empty means every month.
    """

    subject = models.CharField(_("subject"), max_length=20)
    key = models.BigIntegerField(_("key"), null=True, blank=True, help_text=_("Empty: all."))
    month = models.DateField(
        _("month"), null=True, blank=True, help_text=_("First day of the month. Empty: all.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("refresh request")
        verbose_name_plural = _("refresh requests")
        indexes = [models.Index(fields=["subject", "key"], name="outbox_subject_key_idx")]

    def __str__(self) -> str:
        return f"{self.subject} {self.key if self.key is not None else '*'}"

"""Partner organisations abroad, Swedish member organisations and solidarity networks."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from partners.regions import Region

# No 0/O or 1/I/L: a pseudonym is read aloud in meetings and copied by hand.
PSEUDONYM_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PSEUDONYM_LENGTH = 5


def new_pseudonym() -> str:
    """A random pseudonym that no partner has yet (the unique column backs this up)."""
    while True:
        code = "".join(secrets.choice(PSEUDONYM_ALPHABET) for _ in range(PSEUDONYM_LENGTH))
        candidate = f"Partner {code}"
        if not Partner.objects.filter(pseudonym=candidate).exists():
            return candidate


class Partner(models.Model):
    class Kind(models.TextChoices):
        POLITICAL_PARTY = "party", _("Political party")
        PARTY_AFFILIATED = "party_affiliated", _("Party-affiliated organisation")
        TRADE_UNION = "union", _("Trade union")
        WOMENS_ORGANISATION = "women", _("Women's organisation")
        YOUTH_ORGANISATION = "youth", _("Youth organisation")
        CSO = "cso", _("Civil society organisation")
        NETWORK = "network", _("Network")

    class Status(models.TextChoices):
        PROSPECTIVE = "prospective", _("Prospective")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        ENDED = "ended", _("Ended")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = CountryField(_("country"))
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    partnership_start = models.DateField(_("partnership start"), null=True, blank=True)
    partnership_end = models.DateField(_("partnership end"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    is_confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_(
            "People could be harmed if it became known that this partner is supported. "
            "Only cleared staff see its name, contacts and locality."
        ),
    )
    pseudonym = models.CharField(
        _("pseudonym"), max_length=20, unique=True, default=new_pseudonym, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["is_confidential", "name"], name="partner_conf_name_idx"),
            models.Index(fields=["country"], name="partner_country_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="partner_partnership_ends_after_start",
                condition=models.Q(partnership_end__isnull=True)
                | models.Q(partnership_start__isnull=True)
                | models.Q(partnership_end__gte=models.F("partnership_start")),
            ),
        ]

    def __str__(self) -> str:
        # The real name: only ever rendered after the access module has let the viewer see it.
        # Places that may be seen by someone not cleared use ``partners.selectors.partner_label``.
        return self.name


class PartnerContact(models.Model):
    """A person at a partner organisation. Personal data: keep it minimal."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    class Meta:
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")
        ordering = ["-is_primary", "name"]

    def __str__(self) -> str:
        return self.name


org_number_validator = RegexValidator(
    r"^\d{6}-\d{4}$", _("Enter a Swedish organisation number as NNNNNN-NNNN.")
)


class MemberOrganisation(models.Model):
    """A Swedish organisation that takes part in solidarity networks."""

    class Kind(models.TextChoices):
        UNION_CLUB = "union_club", _("Union workplace club")
        LOCAL_BRANCH = "local_branch", _("Local branch")
        FEDERATION = "federation", _("National federation")
        PARTY_DISTRICT = "party_district", _("Party district")
        ASSOCIATION = "association", _("Association")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    org_number = models.CharField(
        _("organisation number"), max_length=11, blank=True, validators=[org_number_validator]
    )
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="branches",
        help_text=_("The district or federation this branch or club belongs to."),
    )

    class Meta:
        verbose_name = _("member organisation")
        verbose_name_plural = _("member organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        # A branch under itself, or under one of its own branches, would make a loop.
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A branch cannot belong to itself.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class SolidarityNetwork(models.Model):
    """Member organisations gathered around a country or a theme."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    theme = models.CharField(_("theme"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    countries = CountryField(_("countries"), multiple=True, blank=True)
    partners = models.ManyToManyField(
        Partner, verbose_name=_("partners"), blank=True, related_name="networks"
    )
    programs = models.ManyToManyField(
        "programs.Program", verbose_name=_("programmes"), blank=True, related_name="networks"
    )
    members = models.ManyToManyField(
        MemberOrganisation,
        verbose_name=_("member organisations"),
        through="NetworkMembership",
        related_name="networks",
    )

    class Meta:
        verbose_name = _("solidarity network")
        verbose_name_plural = _("solidarity networks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class NetworkMembership(models.Model):
    network = models.ForeignKey(
        SolidarityNetwork,
        verbose_name=_("network"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    member_organisation = models.ForeignKey(
        MemberOrganisation,
        verbose_name=_("member organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("network membership")
        verbose_name_plural = _("network memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "member_organisation"], name="membership_unique_per_network"
            ),
            models.CheckConstraint(
                name="membership_leaves_after_joining",
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_organisation} – {self.network}"


class MembershipRequest(models.Model):
    """A member organisation asks to join or to leave a network; staff approve or decline,
    and an approval opens or closes the membership (``partners.services``)."""

    class Kind(models.TextChoices):
        JOIN = "join", _("join")
        LEAVE = "leave", _("leave")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for staff")
        APPROVED = "approved", _("approved")
        DECLINED = "declined", _("declined")

    network = models.ForeignKey(
        SolidarityNetwork,
        verbose_name=_("network"),
        on_delete=models.CASCADE,
        related_name="membership_requests",
    )
    member_organisation = models.ForeignKey(
        MemberOrganisation,
        verbose_name=_("member organisation"),
        on_delete=models.CASCADE,
        related_name="membership_requests",
    )
    kind = models.CharField(_("request"), max_length=8, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # When the one who asked was told the decision by mail (``mailings.notices``); empty while
    # waiting to be told, and for decisions made before the portal told anyone.
    told_at = models.DateTimeField(_("told"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership request")
        verbose_name_plural = _("membership requests")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "member_organisation"],
                condition=models.Q(status="pending"),
                name="membership_request_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_organisation} – {self.network} ({self.get_kind_display()})"

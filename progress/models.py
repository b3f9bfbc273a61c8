"""The Progress Tracker: change stories classified by the people who tell them."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class TranslatedNameMixin(models.Model):
    """Names kept in the three languages of the portal, picked by the active language."""

    name_en = models.CharField(_("name (English)"), max_length=120)
    name_sv = models.CharField(_("name (Swedish)"), max_length=120)
    name_es = models.CharField(_("name (Spanish)"), max_length=120)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (get_language() or "en")[:2]
        return str(getattr(self, f"name_{language}", "") or self.name_en)


class ChangeType(TranslatedNameMixin):
    """A kind of change a storyteller can say their story shows. Retired, never deleted."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_sv = models.TextField(_("description (Swedish)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    ordering = models.PositiveSmallIntegerField(_("ordering"), default=0)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Retired types stay on old stories.")
    )

    class Meta:
        verbose_name = _("change type")
        verbose_name_plural = _("change types")
        ordering = ["ordering", "code"]


class TargetGroup(TranslatedNameMixin):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    ordering = models.PositiveSmallIntegerField(_("ordering"), default=0)

    class Meta:
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        ordering = ["ordering", "code"]


def new_story_reference() -> str:
    return "S-" + secrets.token_hex(4).upper()


class ChangeStory(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned with a question")
        VERIFIED = "verified", _("Verified")
        SELECTED = "selected", _("Most significant")
        ARCHIVED = "archived", _("Archived")

    class SubmitterRole(models.TextChoices):
        RIGHTS_HOLDER = "rights_holder", _("Rights-holder")
        PARTNER = "partner", _("Partner")
        STAFF = "staff", _("Staff")

    class CollectionMode(models.TextChoices):
        SELF_ENTERED = "self_entered", _("Entered by the storyteller")
        INTERVIEW = "interview", _("Facilitated interview")
        STAFF = "staff", _("Written by staff")

    class WhoChanged(models.TextChoices):
        INDIVIDUAL = "individual", _("An individual")
        GROUP = "group", _("A group")
        COMMUNITY = "community", _("A community")
        ORGANISATION = "organisation", _("An organisation")
        INSTITUTION = "institution", _("An institution or a policy")

    class Direction(models.TextChoices):
        POSITIVE = "positive", _("Positive")
        NEGATIVE = "negative", _("Negative")

    class Contribution(models.TextChoices):
        NONE = "none", _("None")
        SOME = "some", _("Some")
        DECISIVE = "decisive", _("Decisive")

    reference = models.CharField(
        _("reference"), max_length=20, unique=True, default=new_story_reference, editable=False
    )
    title = models.CharField(_("title"), max_length=200)
    narrative = models.TextField(_("what happened?"))
    language = models.CharField(_("language of the story"), max_length=10, default="en")
    translation = models.TextField(_("staff translation"), blank=True)
    event_date = models.DateField(_("when did it happen?"))
    country = CountryField(_("country"))
    locality = models.CharField(
        _("locality"), max_length=120, blank=True, help_text=_("A town or district, no address.")
    )
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="stories",
    )
    project = models.ForeignKey(
        "programs.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stories",
    )
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stories",
    )
    submitter_role = models.CharField(_("told by"), max_length=16, choices=SubmitterRole.choices)
    collection_mode = models.CharField(
        _("collection method"), max_length=16, choices=CollectionMode.choices
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submitted_stories",
    )

    # The storyteller's own assessment.
    change_types = models.ManyToManyField(
        ChangeType, verbose_name=_("type of change"), related_name="stories"
    )
    who_changed = models.CharField(
        _("who or what changed?"), max_length=16, choices=WhoChanged.choices
    )
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("target groups involved"), blank=True, related_name="stories"
    )
    direction = models.CharField(
        _("positive or negative?"),
        max_length=10,
        choices=Direction.choices,
        default=Direction.POSITIVE,
    )
    significance = models.PositiveSmallIntegerField(
        _("how significant (1–5)?"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    significance_reason = models.TextField(_("why it matters"), blank=True)
    contribution = models.CharField(
        _("what did the support contribute?"), max_length=10, choices=Contribution.choices
    )
    contribution_text = models.TextField(_("how did it contribute?"), blank=True)

    # Consent, one purpose each. Storing is required; the others are separate choices.
    consent_store = models.BooleanField(_("consent to store the story"), default=False)
    consent_quote_internal = models.BooleanField(_("consent to quote internally"), default=False)
    consent_publish = models.BooleanField(_("consent to publish externally"), default=False)

    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("change story")
        verbose_name_plural = _("change stories")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="story_status_created_idx"),
            models.Index(fields=["partner", "-created_at"], name="story_partner_created_idx"),
            models.Index(fields=["event_date"], name="story_event_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="story_significance_1_to_5", condition=models.Q(significance__range=(1, 5))
            ),
            models.CheckConstraint(
                name="story_stored_only_with_consent",
                condition=models.Q(status="draft") | models.Q(consent_store=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class Storyteller(models.Model):
    """Who told a story and how to reach them, kept apart from the narrative.

    Erased on its own when consent is withdrawn; never exported with the story text.
    """

    story = models.OneToOneField(
        ChangeStory,
        verbose_name=_("story"),
        on_delete=models.CASCADE,
        related_name="storyteller",
    )
    name = models.CharField(_("storyteller's name"), max_length=200, blank=True)
    contact = models.CharField(_("storyteller's contact"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("storyteller")
        verbose_name_plural = _("storytellers")

    def __str__(self) -> str:
        return self.name or str(_("anonymous"))

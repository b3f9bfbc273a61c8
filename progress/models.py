"""The Progress Tracker: change stories classified by the people who tell them."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
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
    event_date = models.DateField(_("when did it happen?"), null=True, blank=True)
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
    submission_link = models.ForeignKey(
        "SubmissionLink",
        verbose_name=_("submission link"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stories",
    )
    # Set by the form that created the story: a second submit of the same form finds the story
    # instead of making another one.
    form_token = models.UUIDField(
        _("form token"), null=True, blank=True, unique=True, editable=False
    )

    # The storyteller's own assessment.
    change_types = models.ManyToManyField(
        ChangeType, verbose_name=_("type of change"), related_name="stories"
    )
    who_changed = models.CharField(
        _("who or what changed?"), max_length=16, choices=WhoChanged.choices, blank=True
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
        _("how significant (1–5)?"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    significance_reason = models.TextField(_("why it matters"), blank=True)
    contribution = models.CharField(
        _("what did the support contribute?"),
        max_length=10,
        choices=Contribution.choices,
        blank=True,
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
    consent_withdrawn_at = models.DateTimeField(_("consent withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("change story")
        verbose_name_plural = _("change stories")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The list's order, with the id as tie-breaker, so that a page is an index range
            # scan; the same order behind the most used filters.
            models.Index(fields=["-created_at", "-id"], name="story_created_idx"),
            models.Index(fields=["status", "-created_at", "-id"], name="story_status_created_idx"),
            models.Index(
                fields=["partner", "-created_at", "-id"], name="story_partner_created_idx"
            ),
            models.Index(fields=["event_date"], name="story_event_date_idx"),
            # The kept figures' refresh: one month of a partner's stories, and a partner's
            # counts by project, status and consent, each read from its index alone. The first
            # carries every column the report cells group by (PostgreSQL; elsewhere ``include``
            # is ignored): a month of the largest partner is thousands of stories, each on a
            # heap page of its own, and reading those pages was most of a one-story refresh.
            models.Index(
                fields=["partner", "event_date"],
                include=[
                    "id",
                    "status",
                    "significance",
                    "country",
                    "program",
                    "submitter_role",
                    "consent_quote_internal",
                ],
                name="story_partner_event_idx",
            ),
            models.Index(
                fields=["partner", "project", "status", "consent_quote_internal"],
                name="story_partner_status_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="story_significance_1_to_5",
                condition=models.Q(significance__isnull=True)
                | models.Q(significance__range=(1, 5)),
            ),
            # A draft may be half written; anything beyond it carries the full self-assessment.
            models.CheckConstraint(
                name="story_complete_unless_draft",
                condition=models.Q(status="draft")
                | (
                    models.Q(event_date__isnull=False, significance__isnull=False)
                    & ~models.Q(who_changed="")
                    & ~models.Q(contribution="")
                ),
            ),
            models.CheckConstraint(
                name="story_stored_only_with_consent",
                condition=models.Q(status="draft") | models.Q(consent_store=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


# The statuses a story is counted in: the report cells hold these stories and no others.
COUNTED_STATUSES = (ChangeStory.Status.VERIFIED, ChangeStory.Status.SELECTED)


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


class StoryEvent(models.Model):
    """One step in a story's history: who did what, when, and what they wrote.

    Written in the same transaction as the change it records. Never holds the story's text.
    """

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        EDITED = "edited", _("Edited")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned with a question")
        RESUBMITTED = "resubmitted", _("Answered and resubmitted")
        VERIFIED = "verified", _("Verified")
        SELECTED = "selected", _("Selected as most significant")
        ARCHIVED = "archived", _("Archived")
        COMMENTED = "commented", _("Commented")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")

    story = models.ForeignKey(
        ChangeStory, verbose_name=_("story"), on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_status = models.CharField(
        _("from"), max_length=12, choices=ChangeStory.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("to"), max_length=12, choices=ChangeStory.Status.choices, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)
    # A default rather than auto_now_add, so that imported and demo histories keep their times.
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("story event")
        verbose_name_plural = _("story events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["story", "at"], name="storyevent_story_at_idx")]

    def __str__(self) -> str:
        return f"{self.story_id} {self.action}"


def attachment_path(instance: StoryAttachment, filename: str) -> str:
    """A random name: the uploaded name never reaches the file system."""
    extension = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}.get(
        instance.content_type, "bin"
    )
    return f"attachments/{secrets.token_hex(16)}.{extension}"


class StoryAttachment(models.Model):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        DOCUMENT = "document", _("Document")

    story = models.ForeignKey(
        ChangeStory,
        verbose_name=_("story"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=attachment_path)
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size in bytes"))
    original_name = models.CharField(_("original name"), max_length=120, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name or self.get_kind_display()


def new_link_token() -> str:
    return secrets.token_urlsafe(24)


class SubmissionLink(models.Model):
    """A link that lets rights-holders without accounts submit stories for one partner."""

    token = models.CharField(
        _("token"), max_length=64, unique=True, default=new_link_token, editable=False
    )
    label = models.CharField(
        _("label"), max_length=120, help_text=_("For you: where or with whom the link is used.")
    )
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        related_name="submission_links",
    )
    project = models.ForeignKey(
        "programs.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="submission_links",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    max_uses = models.PositiveIntegerField(_("maximum number of stories"))
    uses = models.PositiveIntegerField(_("stories received"), default=0)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("submission link")
        verbose_name_plural = _("submission links")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="submissionlink_uses_within_cap",
                condition=models.Q(uses__lte=models.F("max_uses")),
            ),
            models.CheckConstraint(
                name="submissionlink_cap_positive", condition=models.Q(max_uses__gte=1)
            ),
        ]

    def __str__(self) -> str:
        return self.label


class LinkSubmissionAttempt(models.Model):
    """One public submission through a link, kept about a day so the rate limits can count it.

    Counted in the database rather than the cache: the limits must hold across all web workers
    and keep working when Redis is down. The client address is stored only as a keyed hash: an
    IP address is personal data, and the limit needs to recognise an address, never to know it.
    """

    link = models.ForeignKey(
        SubmissionLink,
        verbose_name=_("submission link"),
        on_delete=models.CASCADE,
        related_name="attempts",
        # The (link, at) index below serves every lookup by link.
        db_index=False,
    )
    address_hash = models.CharField(_("address (keyed hash)"), max_length=64)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("submission attempt")
        verbose_name_plural = _("submission attempts")
        indexes = [
            models.Index(fields=["link", "at"], name="linkattempt_link_at_idx"),
            models.Index(fields=["address_hash", "at"], name="linkattempt_address_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.link_id} {self.at:%Y-%m-%d %H:%M}"


class StoryNotice(models.Model):
    """An e-mail to send about a step of a story's review: the outbox of the notices.

    Written in the transaction of the review step, sent by a task after commit or by the sweep
    (``progress.notices``), so that a broker or mail server that is down delays a notice and
    never loses it. Holds no words of the story: the mails carry its reference and a link.
    """

    class Kind(models.TextChoices):
        RETURNED = "returned", _("Returned with a question")
        SELECTED = "selected", _("Selected as most significant")

    story = models.ForeignKey(
        ChangeStory, verbose_name=_("story"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    recipients = models.PositiveSmallIntegerField(_("mails sent"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    class Meta:
        verbose_name = _("story notice")
        verbose_name_plural = _("story notices")
        indexes = [
            models.Index(
                fields=["created_at"],
                name="storynotice_pending_idx",
                condition=models.Q(sent_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.story_id}"

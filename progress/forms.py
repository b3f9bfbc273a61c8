"""The story form: the narrative first, then the storyteller's own assessment, then consent."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from partners.selectors import visible_partners
from portal.models import User
from programs.selectors import visible_projects
from progress.attachments import (
    MAX_ATTACHMENTS_PER_STORY,
    DecodingBudget,
    ProcessedAttachment,
    max_bytes,
    process_upload,
)
from progress.models import ChangeStory, ChangeType, TargetGroup

# Required to submit, optional in a draft: a draft may be saved after writing only the story.
REQUIRED_TO_SUBMIT = ("event_date", "who_changed", "significance", "contribution", "change_types")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked and cleaned by ``process_upload``.

    Cleans to a list of ``ProcessedAttachment``: photos already rebuilt without metadata.
    """

    widget = MultipleFileInput

    def __init__(self, *args: Any, max_files: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_files = max_files

    def clean(self, data: Any, initial: Any = None) -> list[ProcessedAttachment]:
        uploads = [
            upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload
        ]
        if len(uploads) > self.max_files:
            # Counted before any file is decoded: re-encoding photos is the expensive part.
            raise ValidationError(
                _("Choose at most %(limit)d files."),
                code="too_many",
                params={"limit": self.max_files},
            )
        processed: list[ProcessedAttachment] = []
        errors: list[ValidationError] = []
        # One budget for all the files of the submission: what one request may decode.
        budget = DecodingBudget()
        for upload in uploads:
            try:
                cleaned = super().clean(upload, initial)
                if isinstance(cleaned, UploadedFile):
                    processed.append(process_upload(cleaned, budget=budget))
            except ValidationError as error:
                errors.append(error)
        if errors:
            # Every refused file is named, not only the first: the person chooses them again.
            raise ValidationError(errors)
        return processed


# The storyteller's assessment and consent: the same questions on the staff/partner form and on
# the public form of submission links.
ASSESSMENT_AND_CONSENT_FIELDS = (
    "change_types",
    "who_changed",
    "target_groups",
    "direction",
    "significance",
    "significance_reason",
    "contribution",
    "contribution_text",
    "consent_store",
    "consent_quote_internal",
    "consent_publish",
)

# The widgets of the storyteller's assessment, shared by the staff/partner form and the public
# form of submission links.
STORY_WIDGETS = {
    "narrative": forms.Textarea(attrs={"rows": 8}),
    "event_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    "who_changed": forms.RadioSelect,
    "direction": forms.RadioSelect,
    "contribution": forms.RadioSelect,
    "significance_reason": forms.Textarea(attrs={"rows": 3}),
    "contribution_text": forms.Textarea(attrs={"rows": 3}),
}


def drop_blank_radio_choices(form: forms.BaseForm) -> None:
    """Blank radio choices read as an answer ("---------"); a radio group needs none."""
    cast(forms.ChoiceField, form.fields["who_changed"]).choices = ChangeStory.WhoChanged.choices
    cast(forms.ChoiceField, form.fields["contribution"]).choices = ChangeStory.Contribution.choices


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses a key too large for the database as an invalid choice.

    Django checks each key with an exact lookup, which tolerates out-of-range integers, but then
    sends them all in one ``__in`` lookup, which does not: SQLite raises OverflowError and
    PostgreSQL an out-of-range error, a server error for ``?change_types=99999999999999999999``.
    """

    def _check_values(self, value: Any) -> Any:
        pk_type = cast(Any, self.queryset).model._meta.pk.get_internal_type()
        low, high = connection.ops.integer_field_range(pk_type)
        for pk in value:
            try:
                number = int(pk)
            except (TypeError, ValueError):
                continue  # Left to Django, which refuses it as an invalid key.
            if (low is not None and number < low) or (high is not None and number > high):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)  # type: ignore[misc]


StrOrPromise = str | Promise


def change_types_field(label: StrOrPromise, *, required: bool) -> BoundedModelMultipleChoiceField:
    """The storyteller's own classification, on both story forms (the labels speak to whoever
    fills the form: staff or partner there, the storyteller on the public form)."""
    return BoundedModelMultipleChoiceField(
        label=label,
        queryset=ChangeType.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=required,
        help_text=_("Choose one or more."),
    )


def target_groups_field() -> BoundedModelMultipleChoiceField:
    return BoundedModelMultipleChoiceField(
        label=_("Which of these groups were involved?"),
        queryset=TargetGroup.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


def significance_field(*, required: bool) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("How significant is this change? (1 = a little, 5 = very)"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect(attrs={"class": "form-check-inline"}),
        required=required,
    )


class StoryForm(forms.ModelForm):
    change_types = change_types_field(_("What kind of change does the story show?"), required=False)
    target_groups = target_groups_field()
    significance = significance_field(required=False)
    storyteller_name = forms.CharField(
        label=_("Storyteller's name (optional)"),
        max_length=200,
        required=False,
        help_text=_("Kept apart from the story and shown only to those who review it."),
    )
    storyteller_contact = forms.CharField(
        label=_("How to reach the storyteller (optional)"), max_length=200, required=False
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    attachments = MultipleFileField(
        label=_("Photos and PDF documents"),
        required=False,
        max_files=MAX_ATTACHMENTS_PER_STORY,
        # A hint for the file picker (and for phones to offer the camera), not a check: the
        # content is checked on the server.
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )

    class Meta:
        model = ChangeStory
        fields = [
            "title",
            "narrative",
            "language",
            "event_date",
            "partner",
            "project",
            "country",
            "locality",
            "submitter_role",
            "collection_mode",
            *ASSESSMENT_AND_CONSENT_FIELDS,
        ]
        widgets = STORY_WIDGETS
        labels = {
            "title": _("A short title"),
            "narrative": _("What happened? Tell one concrete event: who, where, what changed."),
            "significance_reason": _("Why does it matter?"),
            "contribution_text": _("How did the support contribute?"),
            "consent_store": _("The storyteller agrees that the story is kept (required)"),
            "consent_quote_internal": _("…and may be quoted inside our organisations"),
            "consent_publish": _("…and may be published, without their name"),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["language"] = forms.ChoiceField(
            label=_("Language of the story"), choices=settings.LANGUAGES
        )
        partner_field = cast(forms.ModelChoiceField, self.fields["partner"])
        project_field = cast(forms.ModelChoiceField, self.fields["project"])
        partner_field.queryset = visible_partners(user).order_by("name")
        projects = visible_projects(user).order_by("title")
        project_field.required = False
        if user.is_partner_user:
            # A partner user tells stories of its own organisation only.
            partner_field.widget = forms.HiddenInput()
            projects = projects.filter(partner=user.partner)
            cast(forms.ChoiceField, self.fields["submitter_role"]).choices = [
                (value, label)
                for value, label in ChangeStory.SubmitterRole.choices
                if value != ChangeStory.SubmitterRole.STAFF
            ]
        project_field.queryset = projects
        if self.instance.pk is None and not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())
        else:
            self.initial["storyteller_name"] = getattr(
                getattr(self.instance, "storyteller", None), "name", ""
            )
            self.initial["storyteller_contact"] = getattr(
                getattr(self.instance, "storyteller", None), "contact", ""
            )
        self.fields["attachments"].help_text = _(
            "Up to %(count)d photos (JPEG or PNG) or PDF documents, each at most %(size)s. "
            "Location and camera details are removed from photos."
        ) % {
            "count": MAX_ATTACHMENTS_PER_STORY,
            "size": filesizeformat(max_bytes()),
        }
        drop_blank_radio_choices(self)

    @property
    def submitting(self) -> bool:
        return "submit" in self.data

    def clean_attachments(self) -> list[ProcessedAttachment]:
        new: list[ProcessedAttachment] = self.cleaned_data["attachments"]
        existing = self.instance.attachments.count() if self.instance.pk else 0
        if new and existing + len(new) > MAX_ATTACHMENTS_PER_STORY:
            raise ValidationError(
                _(
                    "A story can have at most %(limit)d photos and documents; "
                    "it has %(existing)d and you chose %(chosen)d."
                ),
                code="too_many",
                params={
                    "limit": MAX_ATTACHMENTS_PER_STORY,
                    "existing": existing,
                    "chosen": len(new),
                },
            )
        return new

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.submitting:
            for name in REQUIRED_TO_SUBMIT:
                if cleaned.get(name) in (None, "", [], ()) and name not in self.errors:
                    self.add_error(name, _("Needed before the story can be submitted."))
            if not cleaned.get("consent_store"):
                self.add_error(
                    "consent_store", _("A story can only be kept with the storyteller's consent.")
                )
        partner = cleaned.get("partner")
        project = cleaned.get("project")
        if partner is not None and project is not None and project.partner_id != partner.pk:
            self.add_error("project", _("This project belongs to another partner."))
        if project is not None and not cleaned.get("program"):
            self.instance.program = project.program
        return cleaned


class ReviewForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("returned", _("Return with a question")),
            ("verified", _("Verify")),
            ("selected", _("Select as most significant")),
            ("archived", _("Archive")),
        ],
        widget=forms.HiddenInput,
    )
    comment = forms.CharField(
        label=_("Question, reasons or note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )

"""Forms for submission links: the one staff and partners fill in, and the public story form."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from partners.models import Partner
from partners.selectors import visible_partners
from portal.models import User
from programs.models import Project
from programs.selectors import visible_projects
from progress import links
from progress.forms import (
    ASSESSMENT_AND_CONSENT_FIELDS,
    STORY_WIDGETS,
    change_types_field,
    drop_blank_radio_choices,
    significance_field,
    target_groups_field,
)
from progress.models import ChangeStory


class LinkForm(forms.Form):
    label = forms.CharField(
        label=_("Label"),
        max_length=120,
        help_text=_("For you: where or with whom the link is used. Storytellers never see it."),
    )
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=Partner.objects.none())
    project = forms.ModelChoiceField(
        label=_("Project (optional)"), queryset=Project.objects.none(), required=False
    )
    days = forms.IntegerField(
        label=_("Valid for how many days?"),
        min_value=links.MIN_DAYS,
        max_value=links.MAX_DAYS,
        initial=links.DEFAULT_DAYS,
    )
    max_uses = forms.IntegerField(
        label=_("At most how many stories?"),
        min_value=links.MIN_USES,
        max_value=links.MAX_USES,
        initial=links.DEFAULT_MAX_USES,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partner_field = cast(forms.ModelChoiceField, self.fields["partner"])
        project_field = cast(forms.ModelChoiceField, self.fields["project"])
        partner_field.queryset = visible_partners(user).order_by("name")
        projects = visible_projects(user).select_related("partner").order_by("title")
        if user.is_partner_user:
            # A partner user makes links for its own organisation only.
            partner_field.widget = forms.HiddenInput()
            self.initial.setdefault("partner", user.partner_id)
            projects = projects.filter(partner=user.partner)
        project_field.queryset = projects

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        partner, project = cleaned.get("partner"), cleaned.get("project")
        if partner is not None and project is not None and project.partner_id != partner.pk:
            self.add_error("project", _("This project belongs to another partner."))
        return cleaned


class LinkStoryForm(forms.ModelForm):
    """What a rights-holder can answer about their own story, and nothing about the partner.

    Partner, project, country, role and method come from the link; the labels speak to the
    storyteller directly. Works without JavaScript.
    """

    language = forms.ChoiceField(label=_("Language of the story"), choices=settings.LANGUAGES)
    change_types = change_types_field(_("What kind of change is it?"), required=True)
    target_groups = target_groups_field()
    significance = significance_field(required=True)
    consent_store = forms.BooleanField(
        label=_("I agree that my story is kept by the organisation that gave me this link."),
        error_messages={"required": _("We can only keep your story with your consent.")},
    )
    consent_quote_internal = forms.BooleanField(
        label=_("My story may be quoted inside the organisations."), required=False
    )
    consent_publish = forms.BooleanField(
        label=_("My story may be published, without my name."), required=False
    )
    storyteller_name = forms.CharField(
        label=_("Your name (optional)"),
        max_length=200,
        required=False,
        help_text=_("Kept apart from the story and shown only to those who review it."),
    )
    storyteller_contact = forms.CharField(
        label=_("How can we reach you? (optional)"),
        max_length=200,
        required=False,
        help_text=_("Only if you want someone to get back to you about your story."),
    )
    # Makes a double submit (a second click, a resent form) one story.
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    class Meta:
        model = ChangeStory
        fields = [
            "title",
            "narrative",
            "language",
            "event_date",
            "locality",
            *ASSESSMENT_AND_CONSENT_FIELDS,
        ]
        widgets = STORY_WIDGETS
        help_texts = {
            "narrative": _("One concrete event: who did what, and what changed."),
            "event_date": _("An approximate date is fine."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())
            language = (get_language() or settings.LANGUAGE_CODE)[:2]
            self.initial.setdefault("language", language)
        # Every story through a link is submitted at once, so the whole assessment is needed;
        # the model leaves these blank only for drafts.
        for name in ("event_date", "who_changed", "contribution"):
            self.fields[name].required = True
        drop_blank_radio_choices(self)

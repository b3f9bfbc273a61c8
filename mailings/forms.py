"""What a person chooses to receive, and a newsletter being written."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mailings.models import MailPreference, Newsletter
from mailings.selectors import writable_districts, writable_networks


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = MailPreference
        fields = ["newsletters", "weekly_digest"]


class NewsletterForm(forms.ModelForm):
    class Meta:
        model = Newsletter
        fields = ["audience", "network", "district", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        districts = writable_districts(user).order_by("name")
        fields["district"].queryset = districts  # type: ignore[attr-defined]
        if getattr(user, "is_portal_staff", False):
            fields["network"].queryset = writable_networks(user).order_by("name")  # type: ignore[attr-defined]
            fields["network"].help_text = _("For a network's member organisations.")
            fields["district"].help_text = _("For the branches of a district or federation.")
        else:
            # A district's own users write to its branches only.
            del fields["network"]
            fields["audience"].choices = [  # type: ignore[attr-defined]
                (Newsletter.Audience.BRANCHES, Newsletter.Audience.BRANCHES.label)
            ]
            fields["district"].empty_label = None  # type: ignore[attr-defined]
            fields["district"].required = True

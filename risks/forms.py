from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.models import Partner
from partners.selectors import visible_partners
from portal.widgets import LongSelect
from programs.models import Project
from programs.selectors import visible_projects
from risks.models import Risk
from risks.selectors import visible_risks
from risks.services import MAX_COMMENT_LENGTH, possible_owners

LIKELIHOOD_CHOICES = [
    (1, _("1 — rare")),
    (2, _("2 — unlikely")),
    (3, _("3 — possible")),
    (4, _("4 — likely")),
    (5, _("5 — almost certain")),
]
IMPACT_CHOICES = [
    (1, _("1 — minor")),
    (2, _("2 — moderate")),
    (3, _("3 — serious")),
    (4, _("4 — major")),
    (5, _("5 — severe")),
]


def _scale_field(label: Any, choices: list[tuple[int, Any]]) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, choices=choices, coerce=int)


class RiskForm(forms.ModelForm):
    """A new risk, or an edited one. Likelihood and impact are set here only for a new risk:
    afterwards they change through a reassessment, which keeps the history."""

    class Meta:
        model = Risk
        fields = [
            "partner",
            "project",
            "title",
            "category",
            "likelihood",
            "impact",
            "description",
            "mitigation",
            "owner",
            "next_review",
            "shared_with_partner",
        ]
        widgets = {
            "next_review": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
            "mitigation": forms.Textarea(attrs={"rows": 4}),
            "partner": LongSelect,
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partners = visible_partners(user).order_by("name").only("pk", "name")
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]
        self.fields["project"].queryset = (  # type: ignore[attr-defined]
            visible_projects(user).order_by("title").only("pk", "title", "partner_id")
        )
        self.fields["owner"].queryset = possible_owners()  # type: ignore[attr-defined]
        if self.instance.pk is None:
            self.fields["likelihood"] = _scale_field(_("Likelihood"), LIKELIHOOD_CHOICES)
            self.fields["impact"] = _scale_field(_("Impact"), IMPACT_CHOICES)
        else:
            # Its partner stays: a risk moved to another partner would take its history along.
            del self.fields["partner"]
            del self.fields["likelihood"]
            del self.fields["impact"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        partner: Partner | None = data.get("partner") or (
            self.instance.partner if self.instance.partner_id else None
        )
        project: Project | None = data.get("project")
        if partner is not None and project is not None and project.partner_id != partner.pk:
            self.add_error("project", _("Choose one of this partner's projects."))
        return data


class ReassessForm(forms.Form):
    likelihood = _scale_field(_("Likelihood"), LIKELIHOOD_CHOICES)
    impact = _scale_field(_("Impact"), IMPACT_CHOICES)
    note = forms.CharField(
        label=_("What changed"),
        required=False,
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Risk.Status.choices)


class ShareForm(forms.Form):
    shared = forms.TypedChoiceField(
        choices=[("1", _("Share")), ("0", _("Stop sharing"))], coerce=lambda value: value == "1"
    )


class DialogueRiskForm(forms.Form):
    """Which of the partner's open risks was discussed in the dialogue."""

    risk = forms.ModelChoiceField(label=_("Risk discussed"), queryset=Risk.objects.none())

    def __init__(self, *args: Any, user: Any, dialogue: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["risk"].queryset = (  # type: ignore[attr-defined]
            visible_risks(user)
            .filter(partner_id=dialogue.partner_id, status=Risk.Status.OPEN)
            .exclude(dialogues=dialogue)
            .order_by("title", "pk")
        )

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from analyses.models import RegionalAnalysis
from partners.regions import Region
from progress.forms import BoundedModelMultipleChoiceField
from progress.selectors import split_story_references, visible_stories
from risks.models import Risk
from risks.selectors import visible_risks


class AnalysisForm(forms.ModelForm):
    """The analysis, the references of the stories it draws on, and its figures, one a line."""

    story_references = forms.CharField(
        label=_("Stories it draws on"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Their references (S-…), separated by spaces or commas."),
    )
    figures = forms.CharField(
        label=_("Figures it draws on"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One a line: what it shows, a vertical bar, and the address of the report with its "
            "filters. For example: Stories in Central America 2025 | /reports/?month_from=2025-01"
        ),
    )

    risks = BoundedModelMultipleChoiceField(
        label=_("Risks it draws on"),
        queryset=Risk.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("The open risks you may read; hold Ctrl (⌘ on a Mac) to choose several."),
    )

    class Meta:
        model = RegionalAnalysis
        fields = [
            "title",
            "region",
            "period_start",
            "period_end",
            "written_on",
            "context",
            "patterns",
            "conclusions",
            "decisions",
            "shared_with_partners",
            "cleared_only",
        ]
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "period_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "written_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "context": forms.Textarea(attrs={"rows": 5}),
            "patterns": forms.Textarea(attrs={"rows": 5}),
            "conclusions": forms.Textarea(attrs={"rows": 4}),
            "decisions": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = Region.choices  # type: ignore[attr-defined]
        analysis = self.instance
        # Those the writer may read, open or already linked; a linked risk the writer may no
        # longer read stays linked (the service keeps what the form does not show).
        linked = analysis.risks.values("pk") if analysis.pk else Risk.objects.none().values("pk")
        self.fields["risks"].queryset = (  # type: ignore[attr-defined]
            visible_risks(user)
            .filter(Q(status=Risk.Status.OPEN) | Q(pk__in=linked))
            .select_related("partner")
            .order_by("partner__name", "title")
        )
        if analysis.pk and not self.is_bound:
            self.initial["risks"] = list(analysis.risks.values_list("pk", flat=True))
        if analysis.pk and not self.is_bound:
            # Only those the writer may see (the service keeps the others linked).
            self.initial["story_references"] = " ".join(
                visible_stories(user)
                .filter(analyses=analysis)
                .order_by("reference")
                .values_list("reference", flat=True)
            )
            self.initial["figures"] = "\n".join(
                f"{figure.label} | {figure.address}" for figure in analysis.figures.all()
            )

    def clean_story_references(self) -> list[str]:
        return split_story_references(self.cleaned_data["story_references"], limit=200)

    def clean_figures(self) -> list[tuple[str, str]]:
        figures = []
        for number, line in enumerate(self.cleaned_data["figures"].splitlines(), start=1):
            if not line.strip():
                continue
            label, bar, address = line.partition("|")
            if not bar or not label.strip() or not address.strip():
                raise forms.ValidationError(
                    _("Line %(number)d: write what it shows, a vertical bar, then the address.")
                    % {"number": number}
                )
            figures.append((label.strip(), address.strip()))
        return figures

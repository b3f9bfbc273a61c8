from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Answer, Dimension
from assessments.services import MAX_COMMENT, MAX_EXAMPLE, Answers, example_field, score_field

SCORES = [
    ("1", _("1 – not true for us")),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", _("5 – fully true for us")),
]


class AssessmentForm(forms.Form):
    """Every statement of the questionnaire, grouped by dimension: a score 1 to 5 (open until
    submitted) and an optional example."""

    def __init__(
        self,
        *args: Any,
        dimensions: Iterable[Dimension],
        answers: Mapping[int, Answer] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.dimensions = list(dimensions)
        answers = answers or {}
        for dimension in self.dimensions:
            for statement in dimension.statements.all():
                answer = answers.get(statement.pk)
                self.fields[score_field(statement.pk)] = forms.ChoiceField(
                    label=statement.text,
                    choices=SCORES,
                    required=False,
                    widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                    initial=str(answer.score) if answer else None,
                )
                self.fields[example_field(statement.pk)] = forms.CharField(
                    label=_("An example (optional)"),
                    required=False,
                    max_length=MAX_EXAMPLE,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    initial=answer.example if answer else "",
                )

    def groups(self) -> list[tuple[Dimension, list[tuple[forms.BoundField, forms.BoundField]]]]:
        """Per dimension, the score and example fields of each of its statements."""
        return [
            (
                dimension,
                [
                    (self[score_field(statement.pk)], self[example_field(statement.pk)])
                    for statement in dimension.statements.all()
                ],
            )
            for dimension in self.dimensions
        ]

    def answers(self) -> Answers:
        result: dict[int, tuple[int | None, str]] = {}
        for dimension in self.dimensions:
            for statement in dimension.statements.all():
                score = self.cleaned_data.get(score_field(statement.pk)) or None
                example = self.cleaned_data.get(example_field(statement.pk)) or ""
                result[statement.pk] = (int(score) if score else None, example)
        return result


class CommentForm(forms.Form):
    # By key, which stays the same from one version of the questionnaire to the next.
    dimension = forms.ModelChoiceField(
        queryset=Dimension.objects.none(), to_field_name="key", widget=forms.HiddenInput
    )
    text = forms.CharField(
        label=_("Comment"), max_length=MAX_COMMENT, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, questionnaire_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dimension"].queryset = Dimension.objects.filter(  # type: ignore[attr-defined]
            questionnaire_id=questionnaire_id
        )


class DistributionFilter(forms.Form):
    period = forms.ChoiceField(label=_("Period"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    program = forms.TypedChoiceField(
        label=_("Programme"), required=False, coerce=int, empty_value=None
    )

    def __init__(
        self,
        *args: Any,
        periods: list[str],
        regions: list[tuple[str, Any]],
        programs: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(period, period) for period in periods]  # type: ignore[attr-defined]
        self.fields["region"].choices = [("", _("All regions")), *regions]  # type: ignore[attr-defined]
        self.fields["program"].choices = [("", _("All programmes")), *programs]  # type: ignore[attr-defined]

"""The report page's form: per indicator period of the span, its total and (for a
disaggregated indicator) one row per combination of values, a comment, the stories cited and
documents. Built from what the page has read, so that drawing it costs no query per indicator.

The form checks what each field can say alone (a count is whole, a percentage's numerator lies
within its denominator, a cited story exists, is the partner's and is verified); the service
checks the rest, the totals against their parts among it, and its errors come back on the form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import product
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.forms import WorkbookForm
from portal.models import User
from programs.models import Project
from progress.attachments import DecodingBudget, ProcessedAttachment, max_bytes, process_upload
from progress.forms import MultipleFileField, MultipleFileInput
from progress.selectors import split_story_references, stories_by_reference
from results.models import (
    TOTAL,
    Actual,
    DimensionValue,
    Measure,
    Period,
    ReportEntry,
    combination_key,
)
from results.pages import amount_display
from results.reports.evidence import MAX_ATTACHMENTS_PER_ENTRY
from results.reports.services import CITABLE, EntryInput, FigureInput
from results.rollup import Amount

MAX_TEXT = 20_000
MAX_STORIES = 20


@dataclass
class Row:
    """One line of an indicator's table: the total or one combination, and its fields."""

    combination: str
    label: str
    names: list[str]


@dataclass
class Block:
    """One indicator period of the report, with the names of its fields."""

    period: Period
    entry: ReportEntry | None
    rows: list[Row] = field(default_factory=list)
    comment: str = ""
    stories: str = ""
    files: str = ""
    remove: str = ""

    @property
    def indicator(self) -> Any:
        return self.period.indicator

    @property
    def figure_columns(self) -> list[str]:
        if self.indicator.measure == Measure.PERCENTAGE:
            return [gettext("Numerator"), gettext("Denominator")]
        return [gettext("Value")]


class EvidenceField(MultipleFileField):
    """The documents of one indicator, decoded within the budget the whole form shares."""

    budget: DecodingBudget | None = None

    def clean(self, data: Any, initial: Any = None) -> list[ProcessedAttachment]:
        uploads = [u for u in (data if isinstance(data, list | tuple) else [data]) if u]
        if len(uploads) > self.max_files:
            raise ValidationError(
                _("Choose at most %(limit)d files."),
                code="too_many",
                params={"limit": self.max_files},
            )
        processed, errors = [], []
        for upload in uploads:
            try:
                cleaned = forms.FileField.clean(self, upload, initial)
                if isinstance(cleaned, UploadedFile):
                    processed.append(process_upload(cleaned, budget=self.budget))
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        return processed


def _combinations(period: Period, values: list[DimensionValue]) -> list[tuple[str, str]]:
    """(key, label) of each combination of the indicator's dimensions: one value of each."""
    dimensions = list(period.indicator.dimensions.all())
    if not dimensions:
        return []
    per_dimension = [
        [value for value in values if value.dimension_id == dimension.pk]
        for dimension in dimensions
    ]
    return [
        (combination_key(v.pk for v in chosen), " · ".join(v.label for v in chosen))
        for chosen in product(*per_dimension)
        if chosen
    ]


def _slug(combination: str) -> str:
    return combination.replace(".", "_") if combination else "total"


class ReportForm(forms.Form):
    message = forms.CharField(
        label=_("Your answer to the question"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent with the report when you submit it again."),
    )

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        user: User,
        project: Project,
        periods: list[Period],
        values: list[DimensionValue],
        actuals: list[Actual],
        entries: dict[int, ReportEntry],
        returned: bool,
    ) -> None:
        super().__init__(data, files)
        self.user, self.project = user, project
        if not returned:
            del self.fields["message"]
        budget = DecodingBudget()
        stored = {(a.period_id, a.combination): a for a in actuals}
        self.blocks: list[Block] = []
        for period in periods:
            block = Block(period, entries.get(period.pk))
            prefix = f"p{period.pk}"
            indicator = period.indicator
            if not indicator.is_qualitative:
                lines = [(TOTAL, gettext("Total")), *_combinations(period, values)]
                for combination, label in lines:
                    row = Row(combination, label, [])
                    actual = stored.get((period.pk, combination))
                    for part in (
                        ("numerator", "denominator")
                        if indicator.measure == Measure.PERCENTAGE
                        else ("value",)
                    ):
                        name = f"{prefix}-{_slug(combination)}-{part}"
                        self.fields[name] = forms.DecimalField(
                            label=f"{indicator.title}: {label}, {part_label(part)}",
                            required=False,
                            max_digits=16,
                            decimal_places=2,
                            min_value=(Decimal(0) if indicator.measure in NOT_NEGATIVE else None),
                            initial=getattr(actual, part) if actual is not None else None,
                        )
                        row.names.append(name)
                    block.rows.append(row)
            block.comment = f"{prefix}-comment"
            self.fields[block.comment] = forms.CharField(
                label=(_("What was achieved") if indicator.is_qualitative else _("Comment")),
                required=False,
                max_length=MAX_TEXT,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=block.entry.comment if block.entry else "",
            )
            block.stories = f"{prefix}-stories"
            self.fields[block.stories] = forms.CharField(
                label=_("Stories cited as evidence"),
                required=False,
                max_length=2000,
                help_text=_(
                    "References (S-…) of the partner's verified stories, separated by spaces."
                ),
                initial=(
                    " ".join(story.reference for story in block.entry.stories.all())
                    if block.entry
                    else ""
                ),
            )
            block.files = f"{prefix}-files"
            files_field = EvidenceField(
                label=_("Documents and photos"),
                required=False,
                max_files=MAX_ATTACHMENTS_PER_ENTRY,
                widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
                help_text=_(
                    "Up to %(count)d PDF documents or photos per indicator, each at most "
                    "%(size)s. Location and camera details are removed from photos."
                )
                % {"count": MAX_ATTACHMENTS_PER_ENTRY, "size": filesizeformat(max_bytes())},
            )
            files_field.budget = budget
            self.fields[block.files] = files_field
            attachments = list(block.entry.attachments.all()) if block.entry else []
            if attachments:
                block.remove = f"{prefix}-remove"
                self.fields[block.remove] = forms.TypedMultipleChoiceField(
                    label=_("Remove these documents"),
                    required=False,
                    coerce=int,
                    choices=[(a.pk, str(a)) for a in attachments],
                    widget=forms.CheckboxSelectMultiple,
                )
            self.blocks.append(block)

    def layout(self) -> list[dict[str, Any]]:
        """The blocks with their bound fields, in the order the page draws them."""
        return [
            {
                "block": block,
                "rows": [(row.label, [self[name] for name in row.names]) for row in block.rows],
                "comment": self[block.comment],
                "stories": self[block.stories],
                "files": self[block.files],
                "remove": self[block.remove] if block.remove else None,
            }
            for block in self.blocks
        ]

    def readout(self) -> list[dict[str, Any]]:
        """The blocks as stored, to read: each row's figure as the results pages show it."""
        shown = []
        for block in self.blocks:
            indicator = block.indicator
            rows = []
            for row in block.rows:
                numbers = {name.rsplit("-", 1)[1]: self.fields[name].initial for name in row.names}
                amount = Amount(**numbers)
                if amount.empty and row.combination != TOTAL:
                    continue
                rows.append((row.label, "–" if amount.empty else amount_display(indicator, amount)))
            shown.append({"block": block, "rows": rows})
        return shown

    @property
    def submitting(self) -> bool:
        return "submit" in self.data

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for block in self.blocks:
            measure = block.indicator.measure
            for row in block.rows:
                if measure == Measure.PERCENTAGE:
                    self._check_share(row, cleaned)
                elif measure == Measure.COUNT:
                    name = row.names[0]
                    value = cleaned.get(name)
                    if value is not None and value != value.to_integral_value():
                        self.add_error(name, _("A count is a whole number, zero or more."))
            self._clean_stories(block, cleaned)
        return cleaned

    def _check_share(self, row: Row, cleaned: dict[str, Any]) -> None:
        numerator_name, denominator_name = row.names
        numerator, denominator = cleaned.get(numerator_name), cleaned.get(denominator_name)
        if numerator is None and denominator is None:
            return
        if numerator is None or denominator is None:
            self.add_error(denominator_name, _("Give both the numerator and the denominator."))
        elif denominator <= 0:
            self.add_error(denominator_name, _("The denominator must be more than zero."))
        elif numerator > denominator:
            self.add_error(
                numerator_name, _("The numerator lies between zero and the denominator.")
            )

    def _clean_stories(self, block: Block, cleaned: dict[str, Any]) -> None:
        try:
            references = split_story_references(cleaned.get(block.stories, ""), limit=MAX_STORIES)
        except ValidationError as error:
            self.add_error(block.stories, error)
            return
        try:
            stories = stories_by_reference(self.user, references, partner=self.project.partner)
        except ValidationError as error:
            self.add_error(block.stories, error.message_dict["story_references"])
            return
        unverified = [story.reference for story in stories if story.status not in CITABLE]
        if unverified:
            self.add_error(
                block.stories,
                _("Only verified stories may be cited: %(references)s.")
                % {"references": ", ".join(unverified)},
            )
            return
        cleaned[block.stories] = stories

    def entries(self) -> list[EntryInput]:
        """What the service writes, from a valid form."""
        data = self.cleaned_data
        result = []
        for block in self.blocks:
            figures = []
            for row in block.rows:
                numbers = {name.rsplit("-", 1)[1]: data.get(name) for name in row.names}
                figures.append(FigureInput(row.combination, **numbers))
            result.append(
                EntryInput(
                    period=block.period,
                    figures=figures,
                    comment=data.get(block.comment, ""),
                    stories=data.get(block.stories) or [],
                    uploads=data.get(block.files) or [],
                    remove=data.get(block.remove) or [] if block.remove else [],
                )
            )
        return result


NOT_NEGATIVE = (Measure.COUNT, Measure.PERCENTAGE)


def part_label(part: str) -> str:
    return {
        "value": gettext("value"),
        "numerator": gettext("numerator"),
        "denominator": gettext("denominator"),
    }[part]


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Question or comment"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed to return the report: what should the partner answer or correct?"),
    )


class ImportForm(WorkbookForm):
    """An XLSX of actuals in the export's layout (``results.reports.imports``)."""

    help_text = _(
        "The programme's XLSX download with the actual columns of your projects' rows "
        "filled in, at most 5 MB."
    )

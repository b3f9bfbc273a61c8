"""Form widgets the portal needs beyond Django's own."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy
from django_filters.widgets import DateRangeWidget


class LongSelect(forms.Select):
    """A single select for long choice lists (thousands of partners, every country).

    Django renders each option through a template, which costs about a tenth of a millisecond
    per option: with 2,000 partners that was most of the story list's time. This widget writes
    the same HTML directly, escaping every value and label. No option groups.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (
                    str(option_value),
                    mark_safe(" selected") if str(option_value) == chosen else "",
                    label,
                )
                for option_value, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)


class DateRangeInput(DateRangeWidget):
    """A date range for django-filter's ``DateFromToRangeFilter``: two date inputs, each labelled.

    django-filter's own widget puts the two inputs side by side with a dash between them and no
    label of their own, so a screen reader meets two unnamed date fields (axe: "label"). The
    field's legend still names the pair; "From" and "To" name each input.
    """

    labels = (gettext_lazy("From"), gettext_lazy("To"))

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        # ISO dates: the only format an <input type="date"> reads and sends.
        dates = [forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d") for _ in self.suffixes]
        forms.MultiWidget.__init__(self, dates, attrs)

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        base_id = final_attrs.pop("id", "") or f"id_{name}"
        values = value if isinstance(value, list | tuple) else self.decompress(value)
        parts = []
        for index, (widget, suffix, label) in enumerate(
            zip(self.widgets, self.suffixes, self.labels, strict=True)
        ):
            input_id = f"{base_id}_{index}"
            control = widget.render(
                self.suffixed(name, suffix),
                values[index] if index < len(values) else None,
                {**final_attrs, "id": input_id},
                renderer,
            )
            parts.append(
                format_html(
                    '<div class="col"><label class="form-label small mb-1" for="{}">{}</label>'
                    "{}</div>",
                    input_id,
                    label,
                    control,
                )
            )
        return format_html(
            '<div class="row g-2 date-range">{}</div>',
            format_html_join("", "{}", ((p,) for p in parts)),
        )

"""Form helpers for templates: the error summary, and fields written without crispy's templates.

The error summary shown at the top of a page whose form came back with errors.

A person on a phone who submits a long form sees only its top after the page reloads: without
a summary there, nothing says that anything went wrong, or where. The summary lists every
error with a link to its field; ``static/portal/portal.js`` moves the focus to it, so that a
screen reader reads it first. Without JavaScript it is still the first thing on the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.conf import settings
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@dataclass(frozen=True)
class SummaryItem:
    message: str
    # The id of the control to go to, "" for an error about the form as a whole.
    target: str = ""


def _target(field: forms.BoundField) -> str:
    """The id of the field's first control.

    Django gives no ``id_for_label`` to radio buttons, checkbox lists and multi-part widgets
    (their label is a legend); their first control is rendered with the id ``<auto_id>_0``.
    """
    if field.id_for_label:
        return field.id_for_label
    return f"{field.auto_id}_0" if field.auto_id else ""


def summary_items(form: forms.BaseForm) -> list[SummaryItem]:
    items = [SummaryItem(str(error)) for error in form.non_field_errors()]
    for field in form:
        if field.is_hidden:
            # A hidden field's error (a stale form token) is about the form, not a control.
            items += [SummaryItem(str(error)) for error in field.errors]
            continue
        items += [
            SummaryItem(
                _("%(field)s — %(error)s") % {"field": field.label, "error": error},
                _target(field),
            )
            for error in field.errors
        ]
    return items


@register.inclusion_tag("portal/_error_summary.html")
def error_summary(form: forms.BaseForm) -> dict[str, Any]:
    return {"items": summary_items(form)}


# --- A form field as crispy-forms' Bootstrap 5 pack writes it, without its templates ---------
# The list pages render their filter forms on every request: eleven selects and a few inputs on
# the story list. crispy-forms renders each through half a dozen templates and included
# templates, which showed as a large part of that page's time in a profile. ``bootstrap_field``
# writes the same markup in Python for the plain cases (text, number and date inputs, text
# areas, selects, ranges of inputs); every other field (checkboxes, radios, files, forms with a
# helper) still goes through crispy-forms. ``tests/portal/test_bootstrap_field.py`` checks the
# two agree, field by field, on every filter form of the portal and the story page's comment
# fields, with and without errors.

_OWN_TEMPLATES = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)


def _control_class(widget: forms.Widget, control: str) -> str:
    """The ``class`` crispy-forms gives a widget: its own, the widget's name, the control's."""
    name = widget.__class__.__name__.lower()
    name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(name, name)
    classes = widget.attrs.get("class", "")
    if not classes:
        classes = name
    elif name not in classes:
        classes = f"{classes} {name}"
    for token in control.split():
        if token not in classes.split():
            classes = f"{classes} {token}"
    return classes


def is_plain_field(field: forms.BoundField) -> bool:
    """Whether ``bootstrap_field`` writes this field itself (else crispy-forms does)."""
    widget = field.field.widget
    parts = getattr(widget, "widgets", [widget])
    return not (
        field.is_hidden
        or getattr(field.form, "helper", None) is not None
        or any(isinstance(part, (*_OWN_TEMPLATES, forms.FileInput)) for part in parts)
        or len({type(part) for part in parts}) > 1
    )


@register.filter
def bootstrap_field(field: forms.BoundField) -> SafeString:
    """``{{ field|bootstrap_field }}``: what ``{{ field|as_crispy_field }}`` writes, faster."""
    if not is_plain_field(field):
        return as_crispy_field(field)
    widget = field.field.widget
    control = "form-select" if isinstance(widget, forms.Select) else "form-control"
    if field.errors:
        control += " is-invalid"
    part = getattr(widget, "widgets", [widget])[0]
    rendered = field.as_widget(attrs={"class": _control_class(part, control)})
    auto_id = field.auto_id
    errors = ""
    if field.errors:
        errors = format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            auto_id,
            format_html_join(
                "",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((number, auto_id, error) for number, error in enumerate(field.errors, 1)),
            ),
        )
    help_text = ""
    if field.help_text:
        help_id = format_html(' id="{}_helptext"', auto_id) if auto_id else ""
        help_text = format_html(
            '<div{} class="form-text">{}</div>',
            help_id,
            mark_safe(field.help_text),  # noqa: S308 - crispy-forms marks it safe too
        )
    wrapper = " ".join(filter(None, ("mb-3", field.css_classes())))
    required = field.field.required
    label_class = "form-label requiredField" if required else "form-label"
    label = format_html(
        "{}{}", field.label, mark_safe('<span class="asteriskField">*</span>') if required else ""
    )
    if field.use_fieldset:
        described = field.aria_describedby
        return format_html(
            '<div id="div_{}" class="{}"><fieldset{}><legend class="{} fs-6">{}</legend>'
            "{}{}{}</fieldset></div>",
            auto_id,
            wrapper,
            format_html(' aria-describedby="{}"', described) if described else "",
            label_class,
            label,
            rendered,
            errors,
            help_text,
        )
    label_for = format_html(' for="{}"', field.id_for_label) if field.id_for_label else ""
    return format_html(
        '<div id="div_{}" class="{}"><label{} class="{}">{}</label>{}{}{}</div>',
        auto_id,
        wrapper,
        label_for,
        label_class,
        label,
        rendered,
        errors,
        help_text,
    )

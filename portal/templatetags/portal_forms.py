"""The error summary shown at the top of a page whose form came back with errors.

A person on a phone who submits a long form sees only its top after the page reloads: without
a summary there, nothing says that anything went wrong, or where. The summary lists every
error with a link to its field; ``static/portal/portal.js`` moves the focus to it, so that a
screen reader reads it first. Without JavaScript it is still the first thing on the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms, template
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

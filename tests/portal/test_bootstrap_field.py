"""``bootstrap_field`` writes what crispy-forms writes, field by field.

The list pages render their filter forms, and the story page its comment fields, with
``|bootstrap_field`` (Python) rather than ``|as_crispy_field`` (templates), for speed. The
markup must stay the same: labels tied to their controls, the mark of a required field, the
error text and its ``aria-describedby``, the classes Bootstrap styles. Each form is rendered
three ways (empty, with valid choices, with a wrong value in every field) and each field
compared as parsed HTML, which ignores attribute order and whitespace only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.db.models import QuerySet
from django.test.html import parse_html

from conftest import World
from partners.filters import PartnerFilter
from partners.models import Partner
from portal.models import User
from portal.templatetags.portal_forms import bootstrap_field, is_plain_field
from programs.filters import ActivityFilter, ProjectFilter
from programs.forms import CalendarFilter
from programs.models import Activity, Project
from progress.filters import StoryFilter
from progress.forms import CommentForm, ReviewForm
from progress.models import ChangeStory
from reporting.reports.forms import ReportFilterForm
from risks.filters import HeatMapFilterForm, RiskFilter
from risks.models import Risk

FormFactory = Callable[[dict[str, str] | None, User], forms.BaseForm]


def _filter(filterset: Any, queryset: Callable[[], QuerySet[Any]], **extra: bool) -> FormFactory:
    def build(data: dict[str, str] | None, user: User) -> forms.BaseForm:
        kwargs: dict[str, Any] = {"user": user} if not extra.get("no_user") else {}
        return filterset(data or {}, queryset=queryset(), **kwargs).form

    return build


FORMS: dict[str, FormFactory] = {
    "stories": _filter(StoryFilter, ChangeStory.objects.all),
    "activities": _filter(ActivityFilter, Activity.objects.all),
    "projects": _filter(ProjectFilter, Project.objects.all),
    "partners": _filter(PartnerFilter, Partner.objects.all, no_user=True),
    "risks": _filter(RiskFilter, Risk.objects.all),
    "report": lambda data, user: ReportFilterForm(data, user=user),
    "calendar": lambda data, user: CalendarFilter(data, user=user),
    "heat map": lambda data, user: HeatMapFilterForm(data, user=user),
    # The story page's two comment fields: one required, one not, both text areas.
    "story review": lambda data, user: ReviewForm(data),
    "story comment": lambda data, user: CommentForm(data),
}


def _wrong_values(form: forms.BaseForm) -> dict[str, str]:
    """A value no field accepts (a choice that does not exist, a date that is not one, a text
    too long) in every field and every part of a range."""
    data = {}
    for field in form:
        suffixes = getattr(field.field.widget, "suffixes", None)
        names = [f"{field.html_name}_{s}" for s in suffixes] if suffixes else [field.html_name]
        data.update(dict.fromkeys(names, "31-31-2026 <b>" * 400))
    return data


def _first_choices(form: forms.BaseForm) -> dict[str, str]:
    """The first real choice of every select: a form with values that are accepted."""
    data = {}
    for field in form:
        choices = [value for value, _label in getattr(field.field, "choices", []) if value]
        if choices:
            data[field.html_name] = str(choices[0])
    return data


@pytest.mark.parametrize("name", sorted(FORMS))
@pytest.mark.parametrize("login", ["staff", "officer", "partner"])
def test_each_field_is_written_as_crispy_forms_writes_it(
    world: World, name: str, login: str
) -> None:
    build, user = FORMS[name], world.users[login]
    states = {
        "empty": None,
        "valid": _first_choices(build(None, user)),
        "wrong": _wrong_values(build(None, user)),
    }
    plain_fields = 0
    for state, data in states.items():
        # A form of its own for each renderer: crispy-forms adds its classes to the widgets.
        ours, theirs = build(data, user), build(data, user)
        if data:
            ours.is_valid(), theirs.is_valid()
        if state == "wrong":
            assert any(field.errors for field in ours), f"{name}: no field refused the values"
        for field in ours:
            written = str(bootstrap_field(field))
            expected = str(as_crispy_field(theirs[field.name]))
            assert parse_html(written) == parse_html(expected), f"{name}, {state}: {field.name}"
            plain_fields += is_plain_field(field)
    # Most fields take the quick path; the others (checkboxes, radios) are crispy-forms' own.
    assert plain_fields, name

"""The report's filters: free ones for staff and partners, a period from a list for members."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from partners.selectors import (
    visible_partners,
)
from portal.widgets import LongSelect
from programs.models import FocusArea
from programs.selectors import visible_programs
from reporting import disclosure
from reporting.models import StoryAggregate
from reporting.selectors import report_suppresses_small_cells, visible_report_cells


class MonthField(forms.DateField):
    """A month as ``YYYY-MM`` (the format of ``<input type="month">``), read as its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m"]


class ReportFilterForm(forms.Form):
    month_from = MonthField(label=gettext_lazy("From month"), required=False)
    month_to = MonthField(label=gettext_lazy("To month"), required=False)
    program: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=gettext_lazy("Programme"), queryset=None, required=False, widget=LongSelect
    )
    focus_area = forms.ChoiceField(
        label=gettext_lazy("Focus area"),
        choices=[("", "---------"), *FocusArea.choices],
        required=False,
    )
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False, widget=LongSelect)
    partner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=gettext_lazy("Partner"), queryset=None, required=False, widget=LongSelect
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Choice lists from the viewer's scope: they must not name what it may not see.
        partners = visible_partners(user).order_by("name").only("pk", "name")
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]
        self.fields["program"].queryset = (  # type: ignore[attr-defined]
            visible_programs(user).order_by("title").only("pk", "title")
        )
        codes = set(partners.order_by().values_list("country", flat=True).distinct())
        self.fields["country"].choices = [  # type: ignore[attr-defined]
            ("", "---------"),
            *((code, name) for code, name in countries if code in codes),
        ]
        if getattr(user, "is_partner_user", False):
            del self.fields["partner"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("month_from"), data.get("month_to")
        if start and end and start > end:
            self.add_error("month_to", _("The last month comes before the first."))
        return data

    def filters(self) -> dict[str, Any]:
        """The valid filters; with errors, none (the form shows what to correct)."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}


class MemberReportForm(forms.Form):
    """A network member chooses a period from a list, nothing else (docs/reports.md).

    Any other parameter (a month range, a partner, a country) is not a field, so it is never
    read: the member's tables are the same whatever else the address says.
    """

    period = forms.ChoiceField(label=gettext_lazy("Period"), required=False)

    def __init__(self, *args: Any, publication: disclosure.Publication, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The report is built from the same publication: one computation per request.
        self.publication = publication
        self.fields["period"].choices = [  # type: ignore[attr-defined]
            (period.code, period.label) for period in publication.periods
        ]

    def filters(self) -> dict[str, Any]:
        if not self.is_bound or not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}


def member_publication(user: Any) -> disclosure.Publication:
    """Every figure a network member can request, computed together (``reporting.disclosure``)."""
    return disclosure.member_publication(visible_report_cells(user, StoryAggregate.objects.all()))


def report_form(user: Any, data: Mapping[str, Any] | None) -> forms.Form:
    """The report's filter form for this viewer: free filters, or a member's list of periods."""
    if report_suppresses_small_cells(user):
        return MemberReportForm(data, publication=member_publication(user))
    return ReportFilterForm(data, user=user)

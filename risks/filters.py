"""The register's filters and the heat map's: choice lists from the viewer's selectors, so that
a list of options never names a partner the viewer may not see."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet, TextChoices
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import Partner
from partners.regions import Region
from partners.selectors import visible_partners
from portal.widgets import LongSelect
from programs.models import Program
from programs.selectors import visible_programs
from risks.models import SCALE, Category, Risk
from risks.selectors import DUE_SOON_DAYS

SCALE_CHOICES = [(value, str(value)) for value in SCALE]


class Review(TextChoices):
    OVERDUE = "overdue", _("Review overdue")
    DUE_SOON = "due_soon", _("Review due within 14 days")


class RiskFilter(django_filters.FilterSet):
    partner = django_filters.ModelChoiceFilter(
        label=_("Partner"), queryset=Partner.objects.none(), widget=LongSelect
    )
    category = django_filters.ChoiceFilter(label=_("Category"), choices=Category.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Risk.Status.choices)
    review = django_filters.ChoiceFilter(
        label=_("Review"), choices=Review.choices, method="by_review"
    )
    region = django_filters.ChoiceFilter(
        label=_("Region"), choices=Region.choices, field_name="partner__region"
    )
    program = django_filters.ModelChoiceFilter(
        label=_("Programme"),
        queryset=Program.objects.none(),
        field_name="project__program",
        widget=LongSelect,
    )
    likelihood = django_filters.TypedChoiceFilter(
        label=_("Likelihood"), choices=SCALE_CHOICES, coerce=int
    )
    impact = django_filters.TypedChoiceFilter(label=_("Impact"), choices=SCALE_CHOICES, coerce=int)

    class Meta:
        model = Risk
        fields: list[str] = []

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if getattr(user, "is_portal_staff", False):
            self.filters["partner"].queryset = (
                visible_partners(user).order_by("name").only("pk", "name")
            )
            self.filters["program"].queryset = (
                visible_programs(user).order_by("title").only("pk", "title")
            )
        else:
            # A partner's users read their own organisation's shared risks: nothing to choose.
            for name in ("partner", "region", "program"):
                del self.filters[name]

    def by_review(self, queryset: QuerySet[Risk], name: str, value: str) -> QuerySet[Risk]:
        today = timezone.localdate()
        open_risks = queryset.filter(status=Risk.Status.OPEN)
        if value == Review.OVERDUE:
            return open_risks.filter(next_review__lt=today)
        return open_risks.filter(
            next_review__gte=today, next_review__lte=today + dt.timedelta(days=DUE_SOON_DAYS)
        )


class HeatMapFilterForm(forms.Form):
    """Region, category and programme of the heat map; a value not offered is a form error."""

    region = forms.ChoiceField(label=_("Region"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    program = forms.ModelChoiceField(
        label=_("Programme"), required=False, queryset=Program.objects.none(), widget=LongSelect
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["region"].choices = [*everything, *Region.choices]  # type: ignore[attr-defined]
        self.fields["category"].choices = [*everything, *Category.choices]  # type: ignore[attr-defined]
        self.fields["program"].queryset = (  # type: ignore[attr-defined]
            visible_programs(user).order_by("title").only("pk", "title")
        )
        self.fields["program"].empty_label = _("All")  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        """The valid filters (all of them when the form is valid; none of a bad one)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {key: value for key, value in data.items() if value not in ("", None)}

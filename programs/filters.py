from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from partners.models import Partner
from partners.regions import Region
from portal import access
from portal.widgets import DateRangeInput, LongSelect
from programs.models import Activity, ActivityKind, ActivityPlan, FocusArea, Program

# An activity's partner is its own, else its project's; its programme its project's, else its
# plan's: the same rule as the activity aggregates, so a report's figure and its list agree.


class ActivityFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ActivityKind.choices)
    date = django_filters.DateFromToRangeFilter(
        label=_("Held between"),
        widget=DateRangeInput(),
    )
    program = django_filters.ModelChoiceFilter(
        label=_("Programme"),
        queryset=Program.objects.none(),
        method="by_program",
        widget=LongSelect,
    )
    focus_area = django_filters.ChoiceFilter(
        label=_("Focus area"), choices=FocusArea.choices, method="by_focus_area"
    )
    plan = django_filters.ModelChoiceFilter(
        label=_("Activity plan"), queryset=ActivityPlan.objects.none(), field_name="planned__plan"
    )
    partner = django_filters.ModelChoiceFilter(
        label=_("Partner"), queryset=Partner.objects.none(), method="by_partner", widget=LongSelect
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=[], method="by_country", widget=LongSelect
    )
    region = django_filters.ChoiceFilter(
        label=_("Region"), choices=Region.choices, method="by_region"
    )

    class Meta:
        model = Activity
        fields: list[str] = []

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partners = access.visible_partners(user).order_by("name").only("pk", "name")
        self.filters["partner"].queryset = partners
        self.filters["program"].queryset = (
            access.visible_programs(user).order_by("title").only("pk", "title")
        )
        self.filters["plan"].queryset = access.visible_activity_plans(user)
        codes = set(partners.order_by().values_list("country", flat=True).distinct())
        self.filters["country"].extra["choices"] = [
            (code, name) for code, name in countries if code in codes
        ]
        if getattr(user, "is_partner_user", False):
            for name in ("partner", "plan"):
                del self.filters[name]

    def by_partner(
        self, queryset: QuerySet[Activity], name: str, value: Partner
    ) -> QuerySet[Activity]:
        return queryset.filter(Q(partner=value) | Q(partner__isnull=True, project__partner=value))

    def by_country(self, queryset: QuerySet[Activity], name: str, value: str) -> QuerySet[Activity]:
        return queryset.filter(
            Q(partner__country=value) | Q(partner__isnull=True, project__partner__country=value)
        )

    def by_region(self, queryset: QuerySet[Activity], name: str, value: str) -> QuerySet[Activity]:
        return queryset.filter(
            Q(partner__region=value) | Q(partner__isnull=True, project__partner__region=value)
        )

    def by_program(
        self, queryset: QuerySet[Activity], name: str, value: Program
    ) -> QuerySet[Activity]:
        return queryset.filter(
            Q(project__program=value) | Q(project__isnull=True, planned__plan__program=value)
        )

    def by_focus_area(
        self, queryset: QuerySet[Activity], name: str, value: str
    ) -> QuerySet[Activity]:
        return queryset.filter(
            Q(project__program__focus_area=value)
            | Q(project__isnull=True, planned__plan__program__focus_area=value)
        )

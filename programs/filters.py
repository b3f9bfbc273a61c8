from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from partners.models import Partner
from partners.regions import Region
from portal.widgets import DateRangeInput, LongSelect
from programs.models import Activity, ActivityKind, ActivityPlan, FocusArea, Program, Project
from programs.selectors import choice_lists, visible_activity_plans, visible_programs

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
        choices = choice_lists(user)
        self.filters["partner"].queryset = choices.partners
        self.filters["program"].queryset = choices.programs
        self.filters["country"].extra["choices"] = choices.countries
        self.filters["plan"].queryset = visible_activity_plans(user)
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


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Project.Status.choices)
    program = django_filters.ModelChoiceFilter(
        label=_("Programme"), queryset=Program.objects.none(), widget=LongSelect
    )
    focus_area = django_filters.ChoiceFilter(
        label=_("Focus area"), choices=FocusArea.choices, field_name="program__focus_area"
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=[], field_name="partner__country", widget=LongSelect
    )

    class Meta:
        model = Project
        fields: list[str] = []

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["program"].queryset = (
            visible_programs(user).order_by("title").only("pk", "title")
        )
        # Countries of the projects the viewer may see only: a choice must not tell where a
        # partner it may not see works.
        codes = set(self.queryset.order_by().values_list("partner__country", flat=True).distinct())
        self.filters["country"].extra["choices"] = [
            (code, name) for code, name in countries if code in codes
        ]

    def search(self, queryset: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(title__icontains=value)

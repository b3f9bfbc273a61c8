from __future__ import annotations

from typing import Any

import django_filters
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from partners.models import Partner
from partners.regions import Region
from portal.widgets import DateRangeInput, LongSelect
from programs.models import FocusArea, Program
from programs.selectors import choice_lists
from progress.models import COUNTED_STATUSES, ChangeStory, ChangeType, TargetGroup


class StoryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    # Every select is a LongSelect: the list renders eleven of them on every page, and Django's
    # template per option showed in a profile of the page.
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ChangeStory.Status.choices, widget=LongSelect
    )
    # The report counts verified and selected stories; its figures link here with counted=1.
    counted = django_filters.BooleanFilter(
        label=_("Counted in reports"),
        method="only_counted",
        widget=django_filters.widgets.BooleanWidget,
    )
    change_type = django_filters.ModelChoiceFilter(
        label=_("Type of change"),
        queryset=ChangeType.objects.all(),
        method="through_change_type",
        widget=LongSelect,
    )
    country = django_filters.ChoiceFilter(label=_("Country"), choices=[], widget=LongSelect)
    region = django_filters.ChoiceFilter(
        label=_("Region"), field_name="partner__region", choices=Region.choices, widget=LongSelect
    )
    program = django_filters.ModelChoiceFilter(
        label=_("Programme"), queryset=Program.objects.none(), widget=LongSelect
    )
    focus_area = django_filters.ChoiceFilter(
        label=_("Focus area"),
        field_name="program__focus_area",
        choices=FocusArea.choices,
        widget=LongSelect,
    )
    partner = django_filters.ModelChoiceFilter(
        label=_("Partner"), queryset=Partner.objects.none(), widget=LongSelect
    )
    target_group = django_filters.ModelChoiceFilter(
        label=_("Target group"),
        queryset=TargetGroup.objects.all(),
        method="through_target_group",
        widget=LongSelect,
    )
    significance = django_filters.ChoiceFilter(
        label=_("Significance"),
        choices=[(level, str(level)) for level in range(1, 6)],
        widget=LongSelect,
    )
    submitter_role = django_filters.ChoiceFilter(
        label=_("Told by"), choices=ChangeStory.SubmitterRole.choices, widget=LongSelect
    )
    event_date = django_filters.DateFromToRangeFilter(
        label=_("Happened between"),
        widget=DateRangeInput(),
    )

    class Meta:
        model = ChangeStory
        fields: list[str] = []

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = choice_lists(user)
        self.filters["partner"].queryset = choices.partners
        self.filters["program"].queryset = choices.programs
        self.filters["country"].extra["choices"] = choices.countries
        if getattr(user, "is_partner_user", False):
            del self.filters["partner"]

    def search(
        self, queryset: QuerySet[ChangeStory], name: str, value: str
    ) -> QuerySet[ChangeStory]:
        value = value.strip()[:200]
        if not value:
            return queryset
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery, SearchVector

            vector = SearchVector("title", "narrative", "translation", config="simple")
            return queryset.annotate(search=vector).filter(
                search=SearchQuery(value, config="simple", search_type="websearch")
            )
        # SQLite, the embedded default: a plain substring match is enough for a demo.
        return queryset.filter(
            Q(title__icontains=value)
            | Q(narrative__icontains=value)
            | Q(translation__icontains=value)
        )

    def only_counted(
        self, queryset: QuerySet[ChangeStory], name: str, value: bool | None
    ) -> QuerySet[ChangeStory]:
        if value:
            return queryset.filter(status__in=COUNTED_STATUSES)
        return queryset

    # Many-to-many filters as subqueries: a join would repeat stories and force a DISTINCT
    # over the whole table, which the paginated index scan cannot use.
    def through_change_type(
        self, queryset: QuerySet[ChangeStory], name: str, value: ChangeType
    ) -> QuerySet[ChangeStory]:
        through = ChangeStory.change_types.through.objects.filter(changetype=value)
        return queryset.filter(pk__in=through.values("changestory_id"))

    def through_target_group(
        self, queryset: QuerySet[ChangeStory], name: str, value: TargetGroup
    ) -> QuerySet[ChangeStory]:
        through = ChangeStory.target_groups.through.objects.filter(targetgroup=value)
        return queryset.filter(pk__in=through.values("changestory_id"))

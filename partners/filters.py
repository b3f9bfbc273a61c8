from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from partners.models import Partner
from portal.widgets import LongSelect


class PartnerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    country = django_filters.ChoiceFilter(label=_("Country"), choices=[], widget=LongSelect)
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=Partner.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Partner.Status.choices)

    class Meta:
        model = Partner
        fields = ["q", "country", "kind", "status"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the countries the viewer's partners are in: the choice list must not reveal
        # where a partner the viewer may not see works.
        codes = set(self.queryset.order_by().values_list("country", flat=True).distinct())
        self.filters["country"].extra["choices"] = [
            (code, name) for code, name in countries if code in codes
        ]

    def search(self, queryset: QuerySet[Partner], name: str, value: str) -> QuerySet[Partner]:
        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))

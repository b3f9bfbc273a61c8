"""Makes every admin list, inline, choice list and autocomplete read through ``portal.access``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet
from django.http import HttpRequest

from portal import access

# Related model → selector, for the choice lists of foreign keys and many-to-many fields.
_SELECTORS: dict[str, Callable[[Any], QuerySet[Any]]] = {
    "partners.partner": access.visible_partners,
    "partners.partnercontact": access.visible_contacts,
    "partners.solidaritynetwork": access.visible_networks,
    "partners.memberorganisation": access.visible_member_organisations,
    "programs.program": access.visible_programs,
    "programs.project": access.visible_projects,
    "programs.activity": access.visible_activities,
    "programs.plannedactivity": access.visible_planned_activities,
    "programs.activityplan": access.visible_activity_plans,
    "progress.changestory": access.visible_stories,
    "progress.submissionlink": access.visible_submission_links,
}


def selector_for(model: type[Model]) -> Callable[[Any], QuerySet[Any]] | None:
    return _SELECTORS.get(model._meta.label_lower)


class AccessScopedAdminMixin:
    """For ModelAdmin and InlineModelAdmin alike."""

    model: type[Model]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        selector = selector_for(self.model)
        if selector is None:
            return queryset
        return queryset & selector(request.user)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        selector = selector_for(db_field.related_model)
        if selector is not None and "queryset" not in kwargs:
            kwargs["queryset"] = selector(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        selector = selector_for(db_field.related_model)
        if selector is not None and "queryset" not in kwargs:
            kwargs["queryset"] = selector(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]

"""Makes every admin list, inline, choice list, filter and autocomplete read through
``portal.access``, and every save keep what the viewer could not see.

- Lists, inlines and the choices of foreign keys and many-to-many fields come from the viewer's
  selectors: an officer never meets a confidential partner's project in a drop-down.
- A many-to-many field narrowed that way would lose, on save, the rows the viewer was not shown
  (Django's ``save_m2m`` replaces the whole set): ``save_related`` puts them back before the set
  is written. A foreign key whose current target the viewer may not see is left out of the form,
  so it is kept as it is and its target is never named.
- Filters through a relation to records that may belong to a confidential partner
  (``?projects=<id>`` on the programmes) would tell, by an empty or a full list, whether such a
  record exists and what it hangs on: for viewers who are not cleared, ``lookup_allowed`` refuses
  them (a 400, the same for an id that exists and one that does not).
- The admin history of every scoped admin names objects by model and id and redacts inline rows
  (``NeutralAdminHistoryMixin``): a change to a programme's confidential project must not put that
  project's title into a history an officer can read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest

from portal.admin_history import NeutralAdminHistoryMixin

Selector = Callable[[Any], QuerySet[Any]]

# Model label → selector, for lists and the choice lists of foreign keys and many-to-many
# fields; filled by each app's ``ready()`` through ``register_scope`` (the base knows no domain
# model).
_SELECTORS: dict[str, Selector] = {}
# Records that may belong to a confidential partner: uncleared viewers may not filter through a
# relation to them.
_MAY_BE_CONFIDENTIAL: set[str] = set()


def register_scope(
    model: type[Model], selector: Selector | None = None, *, may_be_confidential: bool = False
) -> None:
    """Tell the admin which selector decides what a viewer sees of ``model``, and whether its
    records may be a confidential partner's."""
    label = model._meta.label_lower
    if selector is not None:
        _SELECTORS[label] = selector
    if may_be_confidential:
        _MAY_BE_CONFIDENTIAL.add(label)


@dataclass(frozen=True)
class Writes:
    """The app's services that save and delete a model, so that the admin writes as the pages
    do (history events, the outbox): ``save(actor=…, <argument>=obj, changed_fields=…)`` and
    ``delete(actor=…, <argument>=obj)``."""

    save: Callable[..., Any]
    delete: Callable[..., Any]
    argument: str

    def save_object(self, actor: Any, obj: Model, changed_fields: list[str]) -> None:
        self.save(actor=actor, changed_fields=changed_fields, **{self.argument: obj})

    def delete_object(self, actor: Any, obj: Model) -> None:
        self.delete(actor=actor, **{self.argument: obj})


# Model label → its writes; filled by each app's ``ready()`` through ``register_writes``.
_WRITES: dict[str, Writes] = {}


def register_writes(
    model: type[Model], *, save: Callable[..., Any], delete: Callable[..., Any], argument: str
) -> None:
    _WRITES[model._meta.label_lower] = Writes(save, delete, argument)


def writes_for(model: type[Model]) -> Writes | None:
    return _WRITES.get(model._meta.label_lower)


def selector_for(model: type[Model]) -> Callable[[Any], QuerySet[Any]] | None:
    return _SELECTORS.get(model._meta.label_lower)


def lookup_reaches_confidential(model: type[Model], lookup: str) -> bool:
    """Whether a filter such as ``projects__partner`` passes through a model whose records may
    belong to a confidential partner (the model's own fields do not count)."""
    for part in lookup.split(LOOKUP_SEP):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False  # a transform or an unknown name: Django ignores or refuses it
        if not field.is_relation or field.related_model is None:
            return False
        model = field.related_model  # type: ignore[assignment]
        if model._meta.label_lower in _MAY_BE_CONFIDENTIAL:
            return True
    return False


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


def _hidden_foreign_keys(request: HttpRequest, obj: Model | None) -> list[str]:
    """The foreign keys of ``obj`` that point at something the viewer may not see."""
    if obj is None or getattr(request.user, "sees_confidential", False):
        return []
    hidden = []
    for field in obj._meta.concrete_fields:
        if not field.many_to_one or field.related_model is None:
            continue
        selector = selector_for(field.related_model)  # type: ignore[arg-type]
        target_id = getattr(obj, field.attname)
        if selector is None or target_id is None:
            continue
        if not selector(request.user).filter(pk=target_id).exists():
            hidden.append(field.name)
    return hidden


class RefuseConfidentialLookupsMixin:
    """Uncleared viewers may not filter a list through a relation to possibly confidential
    records (see the module's docstring)."""

    model: type[Model]

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        user: Any = getattr(request, "user", None)
        if not getattr(user, "sees_confidential", False) and lookup_reaches_confidential(
            self.model, lookup
        ):
            return False
        return super().lookup_allowed(lookup, value, request)  # type: ignore[misc]


class ServiceWritesMixin:
    """Saves and deletions through the app's services (``register_writes``), the rows of
    inlines included: what a page's write records (a story's history event, the outbox that
    keeps the figures current), an admin's write records too."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        writes = writes_for(type(obj))
        if writes is None:
            super().save_model(request, obj, form, change)  # type: ignore[misc]
        else:
            writes.save_object(request.user, obj, form.changed_data)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        writes = writes_for(type(obj))
        if writes is None:
            super().delete_model(request, obj)  # type: ignore[misc]
        else:
            writes.delete_object(request.user, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        writes = writes_for(queryset.model)
        if writes is None:
            super().delete_queryset(request, queryset)  # type: ignore[misc]
            return
        for obj in queryset:
            writes.delete_object(request.user, obj)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        writes = writes_for(formset.model)
        if writes is None:
            super().save_formset(request, form, formset, change)  # type: ignore[misc]
            return
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            writes.delete_object(request.user, obj)
        changed = {id(inline.instance): inline.changed_data for inline in formset.forms}
        for obj in instances:
            writes.save_object(request.user, obj, changed.get(id(obj), []))
        formset.save_m2m()


class ScopedModelAdmin(
    ServiceWritesMixin,
    NeutralAdminHistoryMixin,
    RefuseConfidentialLookupsMixin,
    AccessScopedAdminMixin,
    admin.ModelAdmin,
):
    """The base of every admin of the domain's models: scoped lists, choices and saves, writes
    through the services, filters that cannot probe for confidential records, and a history
    without names or titles."""

    def get_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        hidden = set(_hidden_foreign_keys(request, obj))
        return [name for name in super().get_fields(request, obj) if name not in hidden]

    def get_fieldsets(self, request: HttpRequest, obj: Model | None = None) -> Any:
        hidden = set(_hidden_foreign_keys(request, obj))
        if not hidden:
            return super().get_fieldsets(request, obj)
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
            for name, options in super().get_fieldsets(request, obj)
        ]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        if change:
            for field in form.instance._meta.many_to_many:
                selector = selector_for(field.related_model)
                if selector is None or field.name not in form.cleaned_data:
                    continue
                # Still the rows from before the save: save_m2m has not run yet.
                unseen = getattr(form.instance, field.name).exclude(
                    pk__in=selector(request.user).values("pk")
                )
                chosen = form.cleaned_data[field.name]
                form.cleaned_data[field.name] = [*chosen, *unseen]
        super().save_related(request, form, formsets, change)

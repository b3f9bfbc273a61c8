"""The audit trail of changes to partners, projects and stories, kept by django-auditlog.

Each save or deletion of a registered model writes one ``auditlog.LogEntry``: who (the request's
user, set by ``AuditlogMiddleware``; empty for commands and tasks), when, which record, and the
old and new values of the fields registered here. What a storyteller told never goes in:

- stories are recorded through an allow-list (``progress/audit.py``), so a field added to the
  model later stays out of history until someone places it (``tests/privacy/test_audit_trail.py``
  fails until every field of the story is placed);
- free text (a story's words, where it happened, a storyteller's name and contact, the
  descriptions of partners and projects) is recorded as *changed*, never with its content:
  ``redact`` replaces both the old and the new value;
- the entry's description of its object (``object_repr``, by default ``str(obj)``, which is the
  story's title or the storyteller's name) is replaced by the model and id for every entry;
- foreign keys are stored as ids (``AUDITLOG_USE_FK_STRING_REPRESENTATION`` off) and no copy of
  the whole object is kept (``serialize_data`` off), nor the client's address.

The data-subject exports and erasures of ``privacy.services`` write their entries here too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from auditlog.apps import AuditlogConfig

REDACTED = "[redacted]"
REDACT_CALLABLE = "portal.audit.redact"


def redact(value: str) -> str:
    """What the trail keeps of a free-text value: whether there was one, never what it was.

    django-auditlog calls it on both sides of a change, with ``str(value)``: "None" is a value
    that was not there (a new record's old side).
    """
    return "" if value in ("", "None") else REDACTED


def register_audited(
    model: type[Any],
    *,
    redacted: Sequence[str] = (),
    include: Sequence[str] | None = None,
    relations: Iterable[str] = (),
) -> None:
    """Record ``model``'s changes; the ``redacted`` fields only as "changed", never their value.

    Each app registers its own models, in its ``AppConfig.ready()``: the base knows no domain
    model.
    """
    from auditlog.registry import auditlog

    options: dict[str, Any] = {"mask_fields": list(redacted), "mask_callable": REDACT_CALLABLE}
    if include is not None:
        options["include_fields"] = list(include)
    if relations:
        options["m2m_fields"] = set(relations)
    auditlog.register(model, **options)


def neutral_object_repr(content_type_model: str, object_pk: object) -> str:
    """How an entry names its object: the model and the id, never a title or a name."""
    return f"{content_type_model} #{object_pk}"


def _replace_object_repr(sender: type[Any], instance: Any, **kwargs: Any) -> None:
    # Before the row is written: django-auditlog fills ``object_repr`` with ``str(obj)``, which
    # for a story is its reference and title. Only new entries; the trail is never edited.
    if instance._state.adding and instance.content_type_id is not None:
        instance.object_repr = neutral_object_repr(instance.content_type.model, instance.object_pk)


class PortalAuditlogConfig(AuditlogConfig):
    """django-auditlog (in INSTALLED_APPS instead of ``auditlog``) with the neutral description
    of each entry's object; the apps register their models in their own ``ready()``."""

    def ready(self) -> None:
        super().ready()
        from auditlog.models import LogEntry
        from django.db.models.signals import pre_save

        pre_save.connect(
            _replace_object_repr, sender=LogEntry, dispatch_uid="portal.audit.object_repr"
        )

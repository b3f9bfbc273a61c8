"""The audit trail of changes to partners, projects and stories, kept by django-auditlog.

Each save or deletion of a registered model writes one ``auditlog.LogEntry``: who (the request's
user, set by ``AuditlogMiddleware``; empty for commands and tasks), when, which record, and the
old and new values of the fields registered here. What a storyteller told never goes in:

- stories are recorded through an allow-list, so a field added to the model later stays out of
  history until someone places it (``tests/privacy/test_audit_trail.py`` fails until every field
  of the story is placed);
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

from typing import Any

from auditlog.apps import AuditlogConfig

REDACTED = "[redacted]"
REDACT_CALLABLE = "portal.audit.redact"

# Story fields whose values are recorded: the classification, the consent and the workflow.
STORY_AUDITED_FIELDS = (
    "id",
    "reference",
    "language",
    "event_date",
    "country",
    "partner",
    "project",
    "program",
    "submitter_role",
    "collection_mode",
    "submitted_by",
    "submission_link",
    "who_changed",
    "direction",
    "significance",
    "contribution",
    "consent_store",
    "consent_quote_internal",
    "consent_publish",
    "status",
    "created_at",
    "submitted_at",
    "consent_withdrawn_at",
)
# The storyteller's words and where they live: that they changed, when and by whom; never what
# they say.
STORY_REDACTED_FIELDS = (
    "title",
    "narrative",
    "translation",
    "locality",
    "significance_reason",
    "contribution_text",
)
# Not recorded at all: the form's idempotency token says nothing, and ``updated_at`` is set
# after the entry is written (the entry's own time says when).
STORY_UNAUDITED_FIELDS = ("form_token", "updated_at")
STORY_AUDITED_RELATIONS = ("change_types", "target_groups")
# Which story the record belongs to; that the name or contact changed, never what they are.
STORYTELLER_AUDITED_FIELDS = ("id", "story")
STORYTELLER_REDACTED_FIELDS = ("name", "contact")
# Descriptions are free text that may name people and places (a confidential partner's town).
PARTNER_REDACTED_FIELDS = ("description",)
PROJECT_REDACTED_FIELDS = ("description",)


def redact(value: str) -> str:
    """What the trail keeps of a free-text value: whether there was one, never what it was.

    django-auditlog calls it on both sides of a change, with ``str(value)``: "None" is a value
    that was not there (a new record's old side).
    """
    return "" if value in ("", "None") else REDACTED


def register_audited_models() -> None:
    from auditlog.registry import auditlog

    from partners.models import Partner
    from programs.models import Project
    from progress.models import ChangeStory, Storyteller

    redacted = {"mask_callable": REDACT_CALLABLE}
    auditlog.register(Partner, mask_fields=list(PARTNER_REDACTED_FIELDS), **redacted)
    auditlog.register(Project, mask_fields=list(PROJECT_REDACTED_FIELDS), **redacted)
    auditlog.register(
        ChangeStory,
        include_fields=[*STORY_AUDITED_FIELDS, *STORY_REDACTED_FIELDS],
        mask_fields=list(STORY_REDACTED_FIELDS),
        m2m_fields=set(STORY_AUDITED_RELATIONS),
        **redacted,
    )
    auditlog.register(
        Storyteller,
        include_fields=[*STORYTELLER_AUDITED_FIELDS, *STORYTELLER_REDACTED_FIELDS],
        mask_fields=list(STORYTELLER_REDACTED_FIELDS),
        **redacted,
    )


def neutral_object_repr(content_type_model: str, object_pk: object) -> str:
    """How an entry names its object: the model and the id, never a title or a name."""
    return f"{content_type_model} #{object_pk}"


def _replace_object_repr(sender: type[Any], instance: Any, **kwargs: Any) -> None:
    # Before the row is written: django-auditlog fills ``object_repr`` with ``str(obj)``, which
    # for a story is its reference and title. Only new entries; the trail is never edited.
    if instance._state.adding and instance.content_type_id is not None:
        instance.object_repr = neutral_object_repr(instance.content_type.model, instance.object_pk)


class PortalAuditlogConfig(AuditlogConfig):
    """django-auditlog with the portal's registrations (in INSTALLED_APPS instead of
    ``auditlog``), made at start-up for the web, commands and Celery workers alike."""

    def ready(self) -> None:
        super().ready()
        from auditlog.models import LogEntry
        from django.db.models.signals import pre_save

        register_audited_models()
        pre_save.connect(
            _replace_object_repr, sender=LogEntry, dispatch_uid="portal.audit.object_repr"
        )

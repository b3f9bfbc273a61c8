"""What the audit trail keeps of stories and storytellers (the rules: ``portal.audit``).

Stories are recorded through an allow-list: a field added to the model later stays out of the
trail until it is placed here (``tests/privacy/test_audit_trail.py`` fails until it is).
"""

from __future__ import annotations

from portal.audit import register_audited

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


def register() -> None:
    from progress.models import ChangeStory, Storyteller

    register_audited(
        ChangeStory,
        include=[*STORY_AUDITED_FIELDS, *STORY_REDACTED_FIELDS],
        redacted=STORY_REDACTED_FIELDS,
        relations=STORY_AUDITED_RELATIONS,
    )
    register_audited(
        Storyteller,
        include=[*STORYTELLER_AUDITED_FIELDS, *STORYTELLER_REDACTED_FIELDS],
        redacted=STORYTELLER_REDACTED_FIELDS,
    )

"""A user's data-subject export lists the self-assessments they submitted and the comments they
wrote; the audit trail records that examples and comments changed, never what they say."""

from __future__ import annotations

import json

from auditlog.models import LogEntry

from assessments import services
from assessments.models import Answer, DimensionComment, Statement
from conftest import World
from privacy import services as privacy
from privacy.documents import export_json
from tests import factories


def test_the_export_lists_submitted_assessments_and_written_comments(world: World) -> None:
    questionnaire = factories.make_questionnaire(dimensions=1, statements=1)
    partner, staff = world.users["partner"], world.users["staff"]
    mine = services.assessment_start(actor=partner)
    statement = Statement.objects.get()
    services.assessment_submit(
        actor=partner, assessment=mine, answers={statement.pk: (4, "EXAMPLE-MARK")}
    )
    dimension = questionnaire.dimensions.get()
    services.dimension_comment_add(
        actor=staff, assessment=mine, dimension=dimension, text="COMMENT-MARK"
    )
    theirs = factories.make_assessment(partner=world.beta, questionnaire=questionnaire)
    DimensionComment.objects.create(
        assessment=theirs, dimension=dimension, author=world.users["officer"], text="OTHER-MARK"
    )

    document = privacy.user_personal_data_export(actor=world.users["admin"], users=[partner, staff])
    text = export_json(document)
    partner_doc, staff_doc = json.loads(text)["subjects"]
    assert [row["id"] for row in partner_doc["self_assessments_submitted"]] == [mine.pk]
    assert partner_doc["self_assessment_comments_written"] == []
    assert staff_doc["self_assessments_submitted"] == []
    assert [row["text"] for row in staff_doc["self_assessment_comments_written"]] == [
        "COMMENT-MARK"
    ]
    assert "OTHER-MARK" not in text
    # The organisation's answers are not the user's personal data.
    assert "EXAMPLE-MARK" not in text


def test_the_audit_trail_keeps_no_example_or_comment(world: World) -> None:
    questionnaire = factories.make_questionnaire(dimensions=1, statements=1)
    assessment = services.assessment_start(actor=world.users["partner"])
    statement = Statement.objects.get()
    services.assessment_save_draft(
        actor=world.users["partner"],
        assessment=assessment,
        answers={statement.pk: (2, "Our treasurer Ana María left")},
    )
    services.assessment_submit(
        actor=world.users["partner"],
        assessment=assessment,
        answers={statement.pk: (3, "Our treasurer Ana María left")},
    )
    services.dimension_comment_add(
        actor=world.users["staff"],
        assessment=assessment,
        dimension=questionnaire.dimensions.get(),
        text="Talk to Ana María",
    )
    assert Answer.objects.get().example == "Our treasurer Ana María left"
    entries = LogEntry.objects.filter(
        content_type__app_label="assessments",
        content_type__model__in=["answer", "dimensioncomment"],
    )
    assert entries.count() >= 2
    trail = " ".join(str(entry.changes) + entry.object_repr for entry in entries)
    assert "Ana María" not in trail
    assert "[redacted]" in trail

"""What the portal holds about a data subject, as a document of plain values (GDPR Art. 15).

The ``*_personal_data`` functions only read; the services that hand a document to anyone
(``privacy.services``) check the actor and write the audit entry.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as LoginLog
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils import timezone
from django_otp import devices_for_user

from analyses.models import RegionalAnalysis
from assessments.models import Assessment, DimensionComment
from dialogues.models import AgreedAction, Dialogue, DialogueComment
from mailings.models import Delivery, MailPreference, Newsletter
from partners.models import MemberOrganisation, MembershipRequest, Partner
from portal.models import AccessLog, User
from progress.models import ChangeStory, StoryEvent, Storyteller, SubmissionLink
from risks.models import Risk, RiskComment, RiskReassessment
from solidarity.models import Contribution, ExpertiseNeed, ExpertiseOffer

logger = logging.getLogger(__name__)

EXPORT_FORMAT = "solidarity-portal personal data export"
EXPORT_VERSION = 1


def _organisation(organisation: Partner | MemberOrganisation | None) -> dict[str, Any] | None:
    if organisation is None:
        return None
    return {"id": organisation.pk, "name": organisation.name}


def _audit_entries_by(user: User) -> list[dict[str, Any]]:
    """What the user changed, as the audit trail recorded it: which record and which fields.

    The values are left out: they are the records' content (another partner's data, a story's
    classification), not data about the user.
    """
    entries = (
        LogEntry.objects.filter(actor=user)
        .select_related("content_type")
        .order_by("timestamp", "pk")
    )
    return [
        {
            "at": entry.timestamp,
            "action": entry.get_action_display(),
            "object_type": entry.content_type.model,
            "object_id": entry.object_pk,
            "fields": sorted((entry.changes or {}).keys()),
        }
        for entry in entries
    ]


def _risk_records(user: User) -> dict[str, list[dict[str, Any]]]:
    """The risks the user owns, the reassessments they made and the comments they wrote.

    A risk is listed by id, partner and state, not by its words: those are the organisation's
    record of a partner's situation, not data about the user. The user's own words (the notes
    of their reassessments, their comments) are theirs and are included.
    """
    owned = Risk.objects.filter(owner=user).order_by("created_at", "pk")
    reassessments = RiskReassessment.objects.filter(assessed_by=user).order_by("assessed_at", "pk")
    comments = RiskComment.objects.filter(author=user).order_by("created_at", "pk")
    return {
        "risks_owned": [
            {
                "id": risk.pk,
                "partner": risk.partner_id,
                "project": risk.project_id,
                "category": risk.category,
                "status": risk.status,
                "next_review": risk.next_review,
                "created_at": risk.created_at,
            }
            for risk in owned
        ],
        "risk_reassessments": [
            {
                "risk": row.risk_id,
                "at": row.assessed_at,
                "likelihood": [row.old_likelihood, row.new_likelihood],
                "impact": [row.old_impact, row.new_impact],
                "note": row.note,
            }
            for row in reassessments
        ],
        "risk_comments": [
            {"risk": comment.risk_id, "at": comment.created_at, "text": comment.text}
            for comment in comments
        ],
    }


def _login_records(username: str) -> dict[str, list[dict[str, Any]]]:
    def rows(model: type[LoginLog] | type[AccessFailureLog] | type[AccessAttempt]) -> list[Any]:
        return list(model.objects.filter(username=username).order_by("attempt_time"))

    return {
        "logins": [
            {
                "at": row.attempt_time,
                "logout_at": row.logout_time,
                "ip_address": row.ip_address,
                "user_agent": row.user_agent,
            }
            for row in rows(LoginLog)
        ],
        "failed_logins": [
            {
                "at": row.attempt_time,
                "ip_address": row.ip_address,
                "user_agent": row.user_agent,
                "locked_out": row.locked_out,
            }
            for row in rows(AccessFailureLog)
        ],
        "failed_login_counters": [
            {
                "at": row.attempt_time,
                "ip_address": row.ip_address,
                "user_agent": row.user_agent,
                "failures": row.failures_since_start,
            }
            for row in rows(AccessAttempt)
        ],
    }


def _assessment_records(user: User) -> dict[str, list[dict[str, Any]]]:
    """The self-assessments the user submitted for their organisation (by period and state: the
    answers are the organisation's), and the comments they wrote on them as staff."""
    submitted = Assessment.objects.filter(submitted_by=user).order_by("submitted_at", "pk")
    comments = (
        DimensionComment.objects.filter(author=user)
        .select_related("dimension")
        .order_by("created_at", "pk")
    )
    return {
        "self_assessments_submitted": [
            {
                "id": assessment.pk,
                "partner": assessment.partner_id,
                "period": assessment.period_label,
                "status": assessment.status,
                "submitted_at": assessment.submitted_at,
            }
            for assessment in submitted
        ],
        "self_assessment_comments_written": [
            {
                "assessment": comment.assessment_id,
                "dimension": comment.dimension.key,
                "text": comment.text,
                "created_at": comment.created_at,
            }
            for comment in comments
        ],
    }


def _dialogue_records(user: User) -> dict[str, list[dict[str, Any]]]:
    """The dialogues the user took part in or wrote, the comments the user wrote (their own
    words), and the actions the user owns or closed.

    Dialogues and actions are listed by id, date and state: their notes and descriptions are the
    partner's and the meeting's, not data about the user.
    """
    dialogues = (
        Dialogue.objects.filter(
            Q(staff_participants=user)
            | Q(partner_participants=user)
            | Q(created_by=user)
            | Q(notes_confirmed_by=user)
        )
        .distinct()
        .order_by("held_on", "pk")
    )
    staff_side = set(user.staff_dialogues.values_list("pk", flat=True))
    partner_side = set(user.partner_dialogues.values_list("pk", flat=True))
    comments = DialogueComment.objects.filter(author=user).order_by("created_at", "pk")
    actions = (
        AgreedAction.objects.filter(Q(owner_user=user) | Q(closed_by=user))
        .distinct()
        .order_by("due_on", "pk")
    )
    return {
        "dialogues": [
            {
                "id": dialogue.pk,
                "partner": dialogue.partner_id,
                "held_on": dialogue.held_on,
                "format": dialogue.format,
                "took_part": dialogue.pk in staff_side or dialogue.pk in partner_side,
                "wrote_it": dialogue.created_by_id == user.pk,
                "confirmed_the_notes_at": (
                    dialogue.notes_confirmed_at
                    if dialogue.notes_confirmed_by_id == user.pk
                    else None
                ),
            }
            for dialogue in dialogues
        ],
        "dialogue_comments": [
            {
                "dialogue": comment.dialogue_id,
                "text": comment.text,
                "at": comment.created_at,
            }
            for comment in comments
        ],
        "agreed_actions": [
            {
                "id": action.pk,
                "partner": action.partner_id,
                "dialogue": action.dialogue_id,
                "due_on": action.due_on,
                "status": action.status,
                "owns_it": action.owner_user_id == user.pk,
                "closed_it_at": action.closed_at if action.closed_by_id == user.pk else None,
            }
            for action in actions
        ],
    }


def _giving_and_mail_records(user: User) -> dict[str, Any]:
    """What the user chose to receive and was sent, and what they reported, stated or asked
    for on the Swedish side (contributions, expertise, network requests)."""
    choice = MailPreference.objects.filter(user=user).first()
    deliveries = Delivery.objects.filter(user=user).select_related("newsletter").order_by("pk")
    return {
        "mail_choices": {
            "newsletters": bool(choice and choice.newsletters),
            "weekly_digest": bool(choice and choice.weekly_digest),
            "last_digest": choice.digest_sent_at if choice else None,
        },
        "newsletters_received": [
            {
                "newsletter": delivery.newsletter_id,
                "subject": delivery.newsletter.subject,
                "status": delivery.status,
                "sent_at": delivery.sent_at,
            }
            for delivery in deliveries
        ],
        "newsletters_written": [
            {"id": letter.pk, "subject": letter.subject, "status": letter.status}
            for letter in Newsletter.objects.filter(author=user).order_by("pk")
        ],
        "contributions_reported": [
            {
                "id": row.pk,
                "kind": row.kind,
                "date": row.date,
                "amount_sek": row.amount_sek,
                "hours": row.hours,
                "status": row.status,
            }
            for row in Contribution.objects.filter(reported_by=user).order_by("pk")
        ],
        "expertise_needs_stated": [
            {"id": need.pk, "title": need.title, "status": need.status}
            for need in ExpertiseNeed.objects.filter(created_by=user).order_by("pk")
        ],
        "expertise_offers_made": [
            {"id": offer.pk, "title": offer.title, "status": offer.status}
            for offer in ExpertiseOffer.objects.filter(created_by=user).order_by("pk")
        ],
        "network_requests_made": [
            {
                "network": asked.network_id,
                "kind": asked.kind,
                "status": asked.status,
                "note": asked.note,
                "asked_at": asked.created_at,
                "decided_at": asked.decided_at,
            }
            for asked in MembershipRequest.objects.filter(requested_by=user).order_by("pk")
        ],
    }


def user_personal_data(*, user: User) -> dict[str, Any]:
    """Everything stored about a portal user, except the password hash and second-factor keys.

    The stories the user submitted are listed by reference and state only: their words are the
    storytellers' personal data, exported on a storyteller's request.
    """
    stories = ChangeStory.objects.filter(submitted_by=user).order_by("created_at", "pk")
    events = StoryEvent.objects.filter(actor=user).select_related("story").order_by("at", "pk")
    links = SubmissionLink.objects.filter(created_by=user).order_by("created_at", "pk")
    reads = AccessLog.objects.filter(user=user).order_by("at", "pk")
    return {
        "subject": {"kind": "user", "id": user.pk},
        "account": {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "is_active": user.is_active,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "role": user.role,
            "role_label": user.role_label,
            "is_cleared": user.is_cleared,
            "is_staff": user.is_staff,
            "is_superuser": user.is_superuser,
            "partner": _organisation(user.partner),
            "member_organisation": _organisation(user.member_organisation),
            "groups": sorted(group.name for group in user.groups.all()),
        },
        "second_factor_devices": [
            {"name": device.name, "confirmed": device.confirmed}
            for device in devices_for_user(user, confirmed=None)
        ],
        "stories_submitted": [
            {
                "reference": story.reference,
                "status": story.status,
                "created_at": story.created_at,
                "submitted_at": story.submitted_at,
            }
            for story in stories
        ],
        "story_history": [
            {
                "story": event.story.reference,
                "action": event.action,
                "from_status": event.from_status,
                "to_status": event.to_status,
                "comment": event.comment,
                "at": event.at,
            }
            for event in events
        ],
        "confidential_records_opened": [
            {
                "object_type": read.object_type,
                "object_id": read.object_id,
                "action": read.action,
                "path": read.path,
                "at": read.at,
            }
            for read in reads
        ],
        # Without the token: the file may travel, and a live token lets anyone submit stories.
        "submission_links_created": [
            {
                "id": link.pk,
                "label": link.label,
                "partner": link.partner_id,
                "project": link.project_id,
                "created_at": link.created_at,
                "expires_at": link.expires_at,
                "max_uses": link.max_uses,
                "uses": link.uses,
                "revoked_at": link.revoked_at,
            }
            for link in links
        ],
        **_assessment_records(user),
        "partner_dialogues": _dialogue_records(user),
        **_risk_records(user),
        "changes_recorded": _audit_entries_by(user),
        "login_records": _login_records(user.username),
        **_giving_and_mail_records(user),
        "regional_analyses_written": [
            {"id": analysis.pk, "title": analysis.title, "written_on": analysis.written_on}
            for analysis in RegionalAnalysis.objects.filter(author=user).order_by("pk")
        ],
    }


def storyteller_personal_data(*, storyteller: Storyteller) -> dict[str, Any]:
    """A storyteller, their story in their words and what became of it.

    Files attached to the story are listed, not included: they are handed over separately.
    The history gives what happened and the reviewers' comments, not who the reviewers were.
    """
    story = (
        ChangeStory.objects.select_related("partner", "project", "program")
        .prefetch_related("change_types", "target_groups", "attachments", "events")
        .get(pk=storyteller.story_id)
    )
    return {
        "subject": {"kind": "storyteller", "id": storyteller.pk},
        "name": storyteller.name,
        "contact": storyteller.contact,
        "story": {
            "reference": story.reference,
            "title": story.title,
            "narrative": story.narrative,
            "language": story.language,
            "translation": story.translation,
            "event_date": story.event_date,
            "country": str(story.country),
            "locality": story.locality,
            "partner": story.partner.name,
            "project": story.project.title if story.project else None,
            "programme": story.program.title if story.program else None,
            "told_by": story.submitter_role,
            "collection_mode": story.collection_mode,
            "who_changed": story.who_changed,
            "change_types": [change_type.code for change_type in story.change_types.all()],
            "target_groups": [group.code for group in story.target_groups.all()],
            "direction": story.direction,
            "significance": story.significance,
            "significance_reason": story.significance_reason,
            "contribution": story.contribution,
            "contribution_text": story.contribution_text,
            "consent": {
                "store": story.consent_store,
                "quote_internal": story.consent_quote_internal,
                "publish": story.consent_publish,
                "withdrawn_at": story.consent_withdrawn_at,
            },
            "status": story.status,
            "created_at": story.created_at,
            "submitted_at": story.submitted_at,
            "attachments": [
                {
                    "kind": attachment.kind,
                    "content_type": attachment.content_type,
                    "size": attachment.size,
                    "original_name": attachment.original_name,
                    "uploaded_at": attachment.uploaded_at,
                }
                for attachment in story.attachments.all()
            ],
            "history": [
                {
                    "action": event.action,
                    "from_status": event.from_status,
                    "to_status": event.to_status,
                    "comment": event.comment,
                    "at": event.at,
                }
                for event in story.events.all()
            ],
        },
    }


def export_document(subjects: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "generated_at": timezone.now(),
        "subjects": subjects,
    }


def export_json(document: dict[str, Any]) -> str:
    """The document as the JSON file handed to the data subject (dates in ISO 8601)."""
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)

"""The data subject's rights (GDPR Art. 15 and 17): what the portal holds about a person, and
erasing it.

Two kinds of data subject:

- a portal user: the account, its role and organisation, and what the user did here (stories
  submitted, history entries and comments written, confidential records opened, submission links
  created, changes recorded in the audit trail, login records);
- a storyteller (``progress.Storyteller``): the person who told one story, with the story in
  their words. A record belongs to one story; a person who told several stories has several
  records, which the administrator finds by searching the storyteller admin for the name or
  contact and exports or erases together.

The ``*_personal_data`` functions only read and build a document of plain values. The services
(``*_export``, ``*_erase``) are for administrators only: each checks the actor, does its work
and writes its audit entry in one transaction per subject. An audit entry says who acted on
which subject (model and id) and when, never what the subject's data was; log lines carry ids.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import Any

from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as LoginLog
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import devices_for_user

from partners.models import MemberOrganisation, Partner
from portal.admin_history import scrub_admin_history
from portal.audit import neutral_object_repr
from portal.models import AccessLog, User
from progress import services as story_services
from progress.models import ChangeStory, StoryEvent, Storyteller, SubmissionLink

logger = logging.getLogger(__name__)

EXPORT_FORMAT = "solidarity-portal personal data export"
EXPORT_VERSION = 1

# What ``LogEntry.additional_data["privacy_duty"]`` says of an entry written here.
DUTY_EXPORT = "export"
DUTY_ERASURE = "erasure"


# --- Reading ------------------------------------------------------------------------------------


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
        "changes_recorded": _audit_entries_by(user),
        "login_records": _login_records(user.username),
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


# --- Services -----------------------------------------------------------------------------------


def _require_administrator(actor: User) -> None:
    if not actor.is_admin:
        raise PermissionDenied


def _audit(
    *, actor: User, subject: Model, duty: str, action: int, details: dict[str, Any] | None = None
) -> LogEntry:
    """One audit entry: who, which subject by model and id, when, which duty; no content."""
    entry: LogEntry = LogEntry.objects.log_create(
        subject,
        force_log=True,
        action=action,
        actor=actor,
        object_repr=neutral_object_repr(subject._meta.model_name or "", subject.pk),
        additional_data={"privacy_duty": duty, **(details or {})},
    )
    return entry


@transaction.atomic
def user_personal_data_export(*, actor: User, users: Iterable[User]) -> dict[str, Any]:
    """The export document for these users, with an audit entry per user."""
    _require_administrator(actor)
    subjects = []
    for user in users:
        subjects.append(user_personal_data(user=user))
        _audit(actor=actor, subject=user, duty=DUTY_EXPORT, action=LogEntry.Action.ACCESS)
        logger.info("privacy.exported subject=user:%s actor=%s", user.pk, actor.pk)
    return export_document(subjects)


@transaction.atomic
def storyteller_personal_data_export(
    *, actor: User, storytellers: Iterable[Storyteller]
) -> dict[str, Any]:
    """The export document for these storyteller records, with an audit entry per record."""
    _require_administrator(actor)
    subjects = []
    for storyteller in storytellers:
        subjects.append(storyteller_personal_data(storyteller=storyteller))
        _audit(actor=actor, subject=storyteller, duty=DUTY_EXPORT, action=LogEntry.Action.ACCESS)
        logger.info("privacy.exported subject=storyteller:%s actor=%s", storyteller.pk, actor.pk)
    return export_document(subjects)


def erased_username(user_id: int) -> str:
    return f"erased-{user_id}"


@transaction.atomic
def user_erase(*, actor: User, user: User) -> User:
    """Anonymise a user: name, e-mail and username replaced, no password, no second factor,
    no privileges, deactivated (which ends every session at its next request, see
    ``portal.middleware.SessionTimeoutMiddleware``).

    The account's row stays, so that the stories, history, links and audit entries that point at
    it keep their meaning without naming anyone. The login records kept under the old username
    (times, addresses, browsers) are deleted.
    """
    _require_administrator(actor)
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot erase your own account; ask another administrator."))
    user = User.objects.select_for_update().get(pk=user.pk)
    old_username = user.username
    user.username = erased_username(user.pk)
    user.first_name = ""
    user.last_name = ""
    user.email = ""
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.is_cleared = False
    user.last_login = None
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    for model in (LoginLog, AccessFailureLog, AccessAttempt):
        model.objects.filter(username=old_username).delete()
    # django-auditlog copies the actor's e-mail into each entry; the actor id stays.
    LogEntry.objects.filter(actor=user).update(actor_email=None)
    # Django's admin history names the account by its username.
    scrub_admin_history(User, user.pk)
    _audit(actor=actor, subject=user, duty=DUTY_ERASURE, action=LogEntry.Action.DELETE)
    logger.info("privacy.erased subject=user:%s actor=%s", user.pk, actor.pk)
    return user


@transaction.atomic
def storyteller_erase(*, actor: User, storyteller: Storyteller) -> ChangeStory | None:
    """Erase a storyteller: their name and contact, and their story's words, through the same
    service as a withdrawal of consent (which also queues the report figures' recomputation).

    Returns the story that remains as an anonymous count, or None when it was deleted.
    """
    _require_administrator(actor)
    storyteller = Storyteller.objects.select_related("story").get(pk=storyteller.pk)
    story_id = storyteller.story_id
    remaining = story_services.story_withdraw_consent(actor=actor, story=storyteller.story)
    # Entries written before the admin history became neutral name the story by its title.
    scrub_admin_history(ChangeStory, story_id)
    _audit(
        actor=actor,
        subject=storyteller,
        duty=DUTY_ERASURE,
        action=LogEntry.Action.DELETE,
        details={"story_id": story_id, "story_kept": remaining is not None},
    )
    logger.info(
        "privacy.erased subject=storyteller:%s story_id=%s story_kept=%s actor=%s",
        storyteller.pk,
        story_id,
        remaining is not None,
        actor.pk,
    )
    return remaining

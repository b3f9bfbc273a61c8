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

The ``*_personal_data`` functions of ``privacy.documents`` only read and build a document of
plain values. The services (``*_export``, ``*_erase``) are for administrators only: each checks
the actor, does its work and writes its audit entry in one transaction per subject. An audit
entry says who acted on which subject (model and id) and when, never what the subject's data
was; log lines carry ids.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as LoginLog
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _
from django_otp import devices_for_user

from portal.admin_history import scrub_admin_history
from portal.audit import neutral_object_repr
from portal.models import User
from privacy.documents import export_document, storyteller_personal_data, user_personal_data
from progress import services as story_services
from progress.models import ChangeStory, Storyteller
from risks.models import Risk

logger = logging.getLogger(__name__)


# What ``LogEntry.additional_data["privacy_duty"]`` says of an entry written here.
DUTY_EXPORT = "export"
DUTY_ERASURE = "erasure"


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
    (times, addresses, browsers) are deleted. The risks it owned lose their owner, so that their
    reviews show as waiting for one.
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
    # An erased account reviews nothing: its risks wait for a new owner, and show as ownerless.
    Risk.objects.filter(owner=user).update(owner=None)
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

"""Submission links: how rights-holders without accounts send stories to one partner (DESIGN §4).

A partner user or staff member creates a link for one partner (optionally one project) that
expires after some days and accepts a capped number of stories. Anonymous visitors submit through
it; each story arrives as ``submitted``, pending review, created by ``services.story_save`` with no
actor. Public submissions are rate-limited per link and per client address, counted in the
database so that the limits hold across workers and without Redis.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import uuid
from collections.abc import Iterable
from datetime import timedelta
from typing import Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partners.models import Partner
from partners.selectors import visible_partners
from portal.models import User
from programs.models import Project
from programs.selectors import visible_projects
from progress import services
from progress.models import (
    ChangeStory,
    ChangeType,
    LinkSubmissionAttempt,
    SubmissionLink,
    TargetGroup,
)
from progress.selectors import visible_submission_links

logger = logging.getLogger(__name__)

LinkState = Literal["open", "expired", "revoked", "full"]

STATE_LABELS: dict[str, Promise] = {
    "open": gettext_lazy("Open"),
    "expired": gettext_lazy("Expired"),
    "revoked": gettext_lazy("Revoked"),
    "full": gettext_lazy("Full"),
}

# Days, not a year: a link handed out at a meeting should not keep working long after it.
MIN_DAYS, MAX_DAYS, DEFAULT_DAYS = 1, 90, 14
MIN_USES, MAX_USES, DEFAULT_MAX_USES = 1, 500, 50
# Attempts only matter for the last hour; a day leaves room to look into abuse, and no more.
ATTEMPT_RETENTION = timedelta(days=1)
RATE_WINDOW = timedelta(hours=1)


class LinkClosed(Exception):
    """The link no longer accepts stories; ``state`` says why."""

    def __init__(self, state: LinkState) -> None:
        super().__init__(state)
        self.state = state


def link_state(link: SubmissionLink) -> LinkState:
    if link.revoked_at is not None:
        return "revoked"
    if link.expires_at <= timezone.now():
        return "expired"
    if link.uses >= link.max_uses:
        return "full"
    return "open"


def may_manage_links_of(actor: User, partner: Partner) -> bool:
    """Portal staff who may see the partner, and the partner's own users."""
    if not visible_partners(actor).filter(pk=partner.pk).exists():
        return False
    if actor.is_partner_user:
        return actor.partner_id == partner.pk
    return actor.is_portal_staff


@transaction.atomic
def link_create(
    *,
    actor: User,
    partner: Partner,
    project: Project | None,
    label: str,
    days: int,
    max_uses: int,
) -> SubmissionLink:
    if not may_manage_links_of(actor, partner):
        raise PermissionDenied
    errors: dict[str, str] = {}
    label = label.strip()
    if not label:
        errors["label"] = _("Give the link a label, so that you recognise it later.")
    if not MIN_DAYS <= days <= MAX_DAYS:
        errors["days"] = _("A link is valid for %(min)s to %(max)s days.") % {
            "min": MIN_DAYS,
            "max": MAX_DAYS,
        }
    if not MIN_USES <= max_uses <= MAX_USES:
        errors["max_uses"] = _("A link accepts %(min)s to %(max)s stories.") % {
            "min": MIN_USES,
            "max": MAX_USES,
        }
    if project is not None and (
        project.partner_id != partner.pk
        or not visible_projects(actor).filter(pk=project.pk).exists()
    ):
        errors["project"] = _("This project belongs to another partner.")
    if errors:
        raise ValidationError(errors)
    link = SubmissionLink(
        label=label,
        partner=partner,
        project=project,
        created_by=actor,
        expires_at=timezone.now() + timedelta(days=days),
        max_uses=max_uses,
    )
    link.full_clean()
    link.save()
    logger.info("submission_link.created link_id=%s partner_id=%s", link.pk, partner.pk)
    return link


@transaction.atomic
def link_revoke(*, actor: User, link: SubmissionLink) -> SubmissionLink:
    """Close a link at once. Revoking a revoked link changes nothing."""
    if not visible_submission_links(actor).filter(pk=link.pk).exists():
        raise PermissionDenied
    if not may_manage_links_of(actor, link.partner):
        raise PermissionDenied
    SubmissionLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    link.refresh_from_db()
    # The model has no "revoked by"; the log line keeps who did it.
    logger.info("submission_link.revoked link_id=%s actor_id=%s", link.pk, actor.pk)
    return link


@transaction.atomic
def link_admin_save(
    *, actor: User, link: SubmissionLink, changed_fields: Iterable[str]
) -> SubmissionLink:
    """A link relabelled or revoked in the admin (nothing else of it is editable there)."""
    revoked_before = (
        SubmissionLink.objects.filter(pk=link.pk).values_list("revoked_at", flat=True).first()
    )
    link.full_clean()
    link.save()
    if link.revoked_at is not None and revoked_before is None:
        logger.info("submission_link.revoked link_id=%s actor_id=%s", link.pk, actor.pk)
    return link


@transaction.atomic
def link_delete(*, actor: User, link: SubmissionLink) -> None:
    link_id = link.pk
    link.delete()
    logger.info("submission_link.deleted link_id=%s actor_id=%s", link_id, actor.pk)


def address_hash(address: str) -> str:
    """A keyed hash of a client address: recognisable again, but not reversible to the address.

    Keyed with the secret key, because the IPv4 space is small enough to hash exhaustively.
    """
    return hmac.new(
        settings.SECRET_KEY.encode(), address.encode(), digestmod=hashlib.sha256
    ).hexdigest()


@transaction.atomic
def link_attempt_record(*, link: SubmissionLink, address: str) -> bool:
    """Count one public submission; False, and nothing recorded, when a limit is reached.

    Refused attempts are not recorded, so a flood cannot grow the table beyond the limits.
    """
    # Serialises attempts on one link, so that two workers cannot both take the last slot.
    SubmissionLink.objects.select_for_update().filter(pk=link.pk).values_list("pk").get()
    since = timezone.now() - RATE_WINDOW
    hashed = address_hash(address)
    recent = LinkSubmissionAttempt.objects.filter(at__gte=since)
    if recent.filter(address_hash=hashed).count() >= settings.LINK_RATE_PER_ADDRESS_PER_HOUR:
        logger.warning("submission_link.rate_limited link_id=%s scope=address", link.pk)
        return False
    if recent.filter(link=link).count() >= settings.LINK_RATE_PER_LINK_PER_HOUR:
        logger.warning("submission_link.rate_limited link_id=%s scope=link", link.pk)
        return False
    LinkSubmissionAttempt.objects.create(link=link, address_hash=hashed)
    return True


def link_attempts_purge(*, older_than: timedelta = ATTEMPT_RETENTION) -> int:
    """Delete attempts that no limit counts any more; returns how many went."""
    deleted, _per_model = LinkSubmissionAttempt.objects.filter(
        at__lt=timezone.now() - older_than
    ).delete()
    logger.info("submission_link.attempts_purged count=%s", deleted)
    return deleted


@transaction.atomic
def link_submit(
    *,
    link: SubmissionLink,
    story: ChangeStory,
    change_types: Iterable[ChangeType],
    target_groups: Iterable[TargetGroup],
    storyteller_name: str = "",
    storyteller_contact: str = "",
    form_token: uuid.UUID,
) -> ChangeStory:
    """Create a submitted story through a link, counting one use.

    ``story`` carries what the storyteller answered; the link decides everything else. Raises
    ``LinkClosed`` when the link no longer accepts stories. A second submit of the same form
    (same ``form_token``) returns the first story and counts nothing.
    """
    # The lock makes the state check, the count and the story one step: two concurrent
    # submissions cannot both take the last place, nor a revocation slip in between.
    # ``of=("self",)``: lock the link only, and PostgreSQL refuses to lock the nullable side of
    # the outer join to the project anyway.
    locked = (
        SubmissionLink.objects.select_for_update(of=("self",))
        .select_related("partner", "project")
        .get(pk=link.pk)
    )
    existing = ChangeStory.objects.filter(form_token=form_token).first()
    if existing is not None:
        if existing.submission_link_id == locked.pk:
            return existing
        # A token from another form: never hand back, nor count, someone else's story.
        raise ValidationError(_("This form has expired. Reload the page and send it again."))
    state = link_state(locked)
    if state != "open":
        raise LinkClosed(state)
    SubmissionLink.objects.filter(pk=locked.pk).update(uses=F("uses") + 1)
    story.partner_id = locked.partner_id
    story.project = locked.project
    story.program_id = locked.project.program_id if locked.project is not None else None
    story.country = locked.partner.country
    story.submission_link = locked
    story.submitter_role = ChangeStory.SubmitterRole.RIGHTS_HOLDER
    story.collection_mode = ChangeStory.CollectionMode.SELF_ENTERED
    story = services.story_save(
        actor=None,
        story=story,
        change_types=change_types,
        target_groups=target_groups,
        storyteller_name=storyteller_name,
        storyteller_contact=storyteller_contact,
        submit=True,
        form_token=form_token,
    )
    logger.info("submission_link.used link_id=%s story_id=%s", locked.pk, story.pk)
    return story

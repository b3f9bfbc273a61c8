"""Writing the risk register: each write atomic, checking its actor, its history row written in
the same transaction. Logs name risks by id only: a risk's words never reach a log line."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from dialogues.models import Dialogue
from dialogues.selectors import visible_dialogues
from partners.selectors import visible_partners
from portal.models import User
from programs.selectors import visible_projects
from risks.models import SCALE_MAX, SCALE_MIN, Risk, RiskComment, RiskReassessment
from risks.selectors import may_comment, visible_risks

logger = logging.getLogger(__name__)

MAX_COMMENT_LENGTH = 5000


def _require_staff(actor: Any) -> User:
    if not (isinstance(actor, User) and actor.is_portal_staff):
        raise PermissionDenied
    return actor


def _require_visible(actor: User, risk: Risk) -> None:
    if risk.pk is not None and not visible_risks(actor).filter(pk=risk.pk).exists():
        raise PermissionDenied


def possible_owners(partner_is_confidential: bool | None = None) -> QuerySet[User]:
    """Staff who may own a risk; a confidential partner's only cleared staff (an owner who may
    not read the risk could not review it)."""
    owners = User.objects.filter(is_active=True).filter(
        Q(role=User.Role.STAFF) | Q(is_superuser=True)
    )
    if partner_is_confidential:
        owners = owners.filter(Q(is_cleared=True) | Q(is_superuser=True))
    return owners.order_by("username")


def _check_risk(actor: User, risk: Risk) -> None:
    """The partner, project and owner the actor chose: in its scope and consistent."""
    if not visible_partners(actor).filter(pk=risk.partner_id).exists():
        raise PermissionDenied
    errors = risk_choice_errors(actor, risk)
    if errors:
        raise ValidationError(errors)


def risk_choice_errors(actor: User, risk: Risk) -> dict[str, str]:
    """What is wrong with the project and owner chosen for the risk (the admin's form shows it
    before the save)."""
    if risk.partner_id is None:
        return {}
    errors: dict[str, str] = {}
    if risk.project_id is not None and (
        not visible_projects(actor).filter(pk=risk.project_id, partner_id=risk.partner_id).exists()
    ):
        errors["project"] = _("Choose one of this partner's projects.")
    if risk.owner_id is not None and (
        not possible_owners(risk.partner.is_confidential).filter(pk=risk.owner_id).exists()
    ):
        errors["owner"] = (
            _("A confidential partner's risk is owned by cleared staff.")
            if risk.partner.is_confidential
            else _("The owner is a member of staff.")
        )
    return errors


@transaction.atomic
def risk_save(*, actor: Any, risk: Risk) -> Risk:
    """Record a new risk or save an edited one.

    Editing does not change likelihood or impact: that is a reassessment, with its history row
    (``risk_reassess``); the admin and the edit form leave both fields to it.
    """
    staff = _require_staff(actor)
    _require_visible(staff, risk)
    if risk.pk is not None:
        before = Risk.objects.select_for_update().get(pk=risk.pk)
        if (before.likelihood, before.impact) != (risk.likelihood, risk.impact):
            raise ValidationError(_("Likelihood and impact change through a reassessment."))
    _check_risk(staff, risk)
    if risk.created_by_id is None:
        risk.created_by = staff
    risk.full_clean()
    risk.save()
    logger.info("risk.saved risk_id=%s actor_id=%s", risk.pk, staff.pk)
    return risk


@transaction.atomic
def risk_admin_save(*, actor: Any, risk: Risk, changed_fields: Iterable[str]) -> Risk:
    return risk_save(actor=actor, risk=risk)


@transaction.atomic
def risk_delete(*, actor: Any, risk: Risk) -> None:
    staff = _require_staff(actor)
    _require_visible(staff, risk)
    risk_id = risk.pk
    risk.delete()
    logger.info("risk.deleted risk_id=%s actor_id=%s", risk_id, staff.pk)


def _on_scale(value: Any) -> bool:
    return isinstance(value, int) and SCALE_MIN <= value <= SCALE_MAX


@transaction.atomic
def risk_reassess(
    *, actor: Any, risk: Risk, likelihood: int, impact: int, note: str = ""
) -> RiskReassessment:
    """A new likelihood and impact for the risk, with the history row that records the change."""
    staff = _require_staff(actor)
    _require_visible(staff, risk)
    errors: dict[str, str] = {}
    if not _on_scale(likelihood):
        errors["likelihood"] = _("From 1 to 5.")
    if not _on_scale(impact):
        errors["impact"] = _("From 1 to 5.")
    if errors:
        raise ValidationError(errors)
    current = Risk.objects.select_for_update().get(pk=risk.pk)
    if (current.likelihood, current.impact) == (likelihood, impact):
        raise ValidationError(
            _("Neither the likelihood nor the impact changed: there is nothing to record.")
        )
    reassessment = RiskReassessment.objects.create(
        risk=current,
        assessed_by=staff,
        old_likelihood=current.likelihood,
        old_impact=current.impact,
        new_likelihood=likelihood,
        new_impact=impact,
        note=note.strip()[:MAX_COMMENT_LENGTH],
    )
    current.likelihood = likelihood
    current.impact = impact
    current.save(update_fields=["likelihood", "impact", "updated_at"])
    risk.likelihood, risk.impact = likelihood, impact
    logger.info(
        "risk.reassessed risk_id=%s reassessment_id=%s actor_id=%s",
        risk.pk,
        reassessment.pk,
        staff.pk,
    )
    return reassessment


@transaction.atomic
def risk_set_status(*, actor: Any, risk: Risk, status: str) -> Risk:
    """Close or reopen a risk."""
    staff = _require_staff(actor)
    _require_visible(staff, risk)
    if status not in Risk.Status.values:
        raise ValidationError({"status": _("Open or closed.")})
    risk.status = status
    risk.save(update_fields=["status", "updated_at"])
    logger.info("risk.status risk_id=%s status=%s actor_id=%s", risk.pk, status, staff.pk)
    return risk


@transaction.atomic
def risk_share(*, actor: Any, risk: Risk, shared: bool) -> Risk:
    """Share the risk with its partner's users, or stop sharing it."""
    staff = _require_staff(actor)
    _require_visible(staff, risk)
    risk.shared_with_partner = bool(shared)
    risk.save(update_fields=["shared_with_partner", "updated_at"])
    logger.info("risk.shared risk_id=%s shared=%s actor_id=%s", risk.pk, shared, staff.pk)
    return risk


@transaction.atomic
def risk_comment(*, actor: Any, risk: Risk, text: str) -> RiskComment:
    """A comment on a risk: its partner's users on a shared risk, or staff who read it."""
    if not isinstance(actor, User) or not visible_risks(actor).filter(pk=risk.pk).exists():
        raise PermissionDenied
    if not may_comment(actor, risk):
        raise PermissionDenied
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write a comment.")})
    if len(text) > MAX_COMMENT_LENGTH:
        raise ValidationError(
            {"text": _("At most %(count)d characters.") % {"count": MAX_COMMENT_LENGTH}}
        )
    comment = RiskComment.objects.create(risk=risk, author=actor, text=text)
    logger.info(
        "risk.commented risk_id=%s comment_id=%s actor_id=%s", risk.pk, comment.pk, actor.pk
    )
    return comment


@transaction.atomic
def risk_link_dialogue(*, actor: Any, risk: Risk, dialogue: Dialogue) -> Risk:
    """Note that the risk was discussed in a dialogue with its partner."""
    staff = _require_staff(actor)
    _require_visible(staff, risk)
    if not visible_dialogues(staff).filter(pk=dialogue.pk).exists():
        raise PermissionDenied
    if dialogue.partner_id != risk.partner_id:
        raise ValidationError({"risk": _("The risk is another partner's.")})
    risk.dialogues.add(dialogue)
    logger.info(
        "risk.dialogue_linked risk_id=%s dialogue_id=%s actor_id=%s",
        risk.pk,
        dialogue.pk,
        staff.pk,
    )
    return risk

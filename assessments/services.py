"""Writing self-assessments and their questionnaires, each write atomic.

A partner user starts its organisation's assessment of the current period, saves drafts with
some answers missing, and submits once every statement has a score; submitted is final for the
partner. Staff comment per dimension on a submitted assessment they may read. Staff edit a
questionnaire until it is published; after that a new version is a copy.

What is written is logged by ids only: answers' examples and comments are free text that may
name people, and never reach a log line (the audit trail records that they changed).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import (
    Answer,
    Assessment,
    Dimension,
    DimensionComment,
    Questionnaire,
    Statement,
)
from assessments.selectors import current_period, latest_questionnaire, visible_assessments
from portal.access import own_partner_id
from portal.models import User

logger = logging.getLogger(__name__)

Status = Assessment.Status
MAX_EXAMPLE = 2000
MAX_COMMENT = 4000

# What the form sends per statement: a score 1 to 5 or None (not answered yet), and an example.
Answers = Mapping[int, tuple[int | None, str]]


def score_field(statement_id: int) -> str:
    return f"score_{statement_id}"


def example_field(statement_id: int) -> str:
    return f"example_{statement_id}"


def _require_staff(actor: Any) -> User:
    if not (isinstance(actor, User) and actor.is_active and actor.is_portal_staff):
        raise PermissionDenied
    return actor


def _require_partner_user(actor: Any) -> User:
    if not (isinstance(actor, User) and actor.is_active and actor.is_partner_user):
        raise PermissionDenied
    return actor


# --- Assessments ---------------------------------------------------------------------------


@transaction.atomic
def assessment_start(*, actor: Any, today: dt.date | None = None) -> Assessment:
    """The draft of the current period for the actor's organisation, made if there is none
    (a second click finds the first one's)."""
    user = _require_partner_user(actor)
    partner_id = own_partner_id(user)
    label, start, end = current_period(today or timezone.localdate())
    existing = Assessment.objects.filter(partner_id=partner_id, period_start=start).first()
    if existing is not None:
        return existing
    questionnaire = latest_questionnaire()
    if questionnaire is None:
        raise ValidationError(_("There is no published questionnaire to fill yet."))
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                partner_id=partner_id,
                questionnaire=questionnaire,
                period_label=label,
                period_start=start,
                period_end=end,
                started_by=user,
            )
    except IntegrityError:
        # Another request of the same organisation made it between the look and the insert.
        return Assessment.objects.get(partner_id=partner_id, period_start=start)
    logger.info("assessment.started assessment_id=%s actor_id=%s", assessment.pk, user.pk)
    return assessment


def _own_draft(actor: Any, assessment: Assessment) -> User:
    user = _require_partner_user(actor)
    if assessment.partner_id != user.partner_id:
        raise PermissionDenied
    # Read again under a lock: two tabs submitting at once must not both pass the check.
    status = (
        Assessment.objects.select_for_update()
        .filter(pk=assessment.pk)
        .values_list("status", flat=True)
        .first()
    )
    if status != Status.DRAFT:
        raise ValidationError(_("This self-assessment is submitted: it can no longer change."))
    return user


def _write_answers(assessment: Assessment, answers: Answers) -> None:
    statements = set(
        Statement.objects.filter(
            dimension__questionnaire_id=assessment.questionnaire_id
        ).values_list("pk", flat=True)
    )
    errors: dict[str, list[str]] = {}
    for statement_id, (score, example) in answers.items():
        if statement_id not in statements:
            errors.setdefault("__all__", []).append(_("An answer to an unknown statement."))
        elif score is not None and not (isinstance(score, int) and 1 <= score <= 5):
            errors[score_field(statement_id)] = [_("Choose a score from 1 to 5.")]
        elif len(example) > MAX_EXAMPLE:
            errors[example_field(statement_id)] = [
                _("At most %(count)d characters.") % {"count": MAX_EXAMPLE}
            ]
    if errors:
        raise ValidationError(errors)
    existing = {answer.statement_id: answer for answer in assessment.answers.all()}
    to_create, to_update, to_delete = [], [], []
    for statement_id, (score, example) in answers.items():
        answer = existing.get(statement_id)
        if score is None:
            if answer is not None:
                to_delete.append(answer.pk)
            continue
        example = example.strip()
        if answer is None:
            to_create.append(
                Answer(
                    assessment=assessment, statement_id=statement_id, score=score, example=example
                )
            )
        elif (answer.score, answer.example) != (score, example):
            answer.score, answer.example = score, example
            to_update.append(answer)
    # Saved one by one so that the audit trail records each change (it listens to save()).
    for answer in [*to_create, *to_update]:
        answer.save()
    for answer in Answer.objects.filter(pk__in=to_delete):
        answer.delete()


@transaction.atomic
def assessment_save_draft(*, actor: Any, assessment: Assessment, answers: Answers) -> Assessment:
    """Keep the answers given so far; statements without a score stay open."""
    user = _own_draft(actor, assessment)
    _write_answers(assessment, answers)
    assessment.save(update_fields=["updated_at"])
    logger.info("assessment.draft_saved assessment_id=%s actor_id=%s", assessment.pk, user.pk)
    return assessment


@transaction.atomic
def assessment_submit(*, actor: Any, assessment: Assessment, answers: Answers) -> Assessment:
    """Submit with every statement scored, else a form error per open statement and nothing
    saved; submitted is final for the partner."""
    user = _own_draft(actor, assessment)
    statements = list(
        Statement.objects.filter(
            dimension__questionnaire_id=assessment.questionnaire_id
        ).values_list("pk", flat=True)
    )
    open_ = [pk for pk in statements if answers.get(pk, (None, ""))[0] is None]
    if open_:
        raise ValidationError(
            {score_field(pk): [_("Give a score before you submit.")] for pk in open_}
        )
    _write_answers(assessment, answers)
    assessment.status = Status.SUBMITTED
    assessment.submitted_by = user
    assessment.submitted_at = timezone.now()
    assessment.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
    logger.info("assessment.submitted assessment_id=%s actor_id=%s", assessment.pk, user.pk)
    return assessment


@transaction.atomic
def assessment_admin_save(
    *, actor: Any, assessment: Assessment, changed_fields: Iterable[str]
) -> Assessment:
    # The admin shows assessments read-only: a partner's answers change only on its pages.
    raise PermissionDenied


@transaction.atomic
def assessment_delete(*, actor: Any, assessment: Assessment) -> None:
    staff = _require_staff(actor)
    if not visible_assessments(staff).filter(pk=assessment.pk).exists():
        raise PermissionDenied
    assessment_id = assessment.pk
    assessment.delete()
    logger.info("assessment.deleted assessment_id=%s actor_id=%s", assessment_id, staff.pk)


# --- Staff comments ------------------------------------------------------------------------


@transaction.atomic
def dimension_comment_add(
    *, actor: Any, assessment: Assessment, dimension: Dimension, text: str
) -> DimensionComment:
    staff = _require_staff(actor)
    if not visible_assessments(staff).filter(pk=assessment.pk).exists():
        raise PermissionDenied
    if not assessment.is_submitted:
        raise ValidationError(_("Comment once the partner has submitted its self-assessment."))
    if dimension.questionnaire_id != assessment.questionnaire_id:
        raise ValidationError({"dimension": _("That dimension is not in this questionnaire.")})
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write a comment.")})
    if len(text) > MAX_COMMENT:
        raise ValidationError({"text": _("At most %(count)d characters.") % {"count": MAX_COMMENT}})
    comment = DimensionComment.objects.create(
        assessment=assessment, dimension=dimension, author=staff, text=text
    )
    logger.info(
        "assessment.commented assessment_id=%s comment_id=%s actor_id=%s",
        assessment.pk,
        comment.pk,
        staff.pk,
    )
    return comment


@transaction.atomic
def dimension_comment_admin_save(
    *, actor: Any, comment: DimensionComment, changed_fields: Iterable[str]
) -> DimensionComment:
    staff = _require_staff(actor)
    if comment.pk is None or comment.author_id != staff.pk:
        # Comments are written on the assessment's page; only their author corrects them.
        raise PermissionDenied
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def dimension_comment_delete(*, actor: Any, comment: DimensionComment) -> None:
    staff = _require_staff(actor)
    if not (staff.is_admin or comment.author_id == staff.pk):
        raise PermissionDenied
    comment_id = comment.pk
    comment.delete()
    logger.info("assessment.comment_deleted comment_id=%s actor_id=%s", comment_id, staff.pk)


# --- Questionnaires ------------------------------------------------------------------------


def _unpublished(questionnaire_id: int | None) -> None:
    if (
        questionnaire_id is not None
        and Questionnaire.objects.filter(pk=questionnaire_id, published=True).exists()
    ):
        raise ValidationError(
            _("A published questionnaire is fixed: make a new version to change it.")
        )


@transaction.atomic
def questionnaire_save(
    *, actor: Any, questionnaire: Questionnaire, changed_fields: Iterable[str] = ()
) -> Questionnaire:
    staff = _require_staff(actor)
    _unpublished(questionnaire.pk)
    if questionnaire.published:
        statements = Statement.objects.filter(dimension__questionnaire_id=questionnaire.pk)
        empty = Dimension.objects.filter(questionnaire_id=questionnaire.pk, statements=None)
        if questionnaire.pk is None or not statements.exists() or empty.exists():
            raise ValidationError(
                {"published": _("Publish once every dimension has at least one statement.")}
            )
        questionnaire.published_at = timezone.now()
    questionnaire.full_clean()
    questionnaire.save()
    logger.info("questionnaire.saved questionnaire_id=%s actor_id=%s", questionnaire.pk, staff.pk)
    return questionnaire


@transaction.atomic
def questionnaire_delete(*, actor: Any, questionnaire: Questionnaire) -> None:
    staff = _require_staff(actor)
    _unpublished(questionnaire.pk)
    questionnaire_id = questionnaire.pk
    questionnaire.delete()
    logger.info("questionnaire.deleted questionnaire_id=%s actor_id=%s", questionnaire_id, staff.pk)


@transaction.atomic
def questionnaire_new_version(*, actor: Any, questionnaire: Questionnaire) -> Questionnaire:
    """A copy of the questionnaire with its dimensions and statements, as the next version of
    its name, unpublished (to edit, then publish)."""
    staff = _require_staff(actor)
    highest = Questionnaire.objects.filter(name=questionnaire.name).aggregate(v=Max("version"))
    copy = Questionnaire.objects.create(name=questionnaire.name, version=(highest["v"] or 0) + 1)
    for dimension in questionnaire.dimensions.prefetch_related("statements"):
        new_dimension = Dimension.objects.create(
            questionnaire=copy,
            key=dimension.key,
            ordering=dimension.ordering,
            name_en=dimension.name_en,
            name_sv=dimension.name_sv,
            name_es=dimension.name_es,
        )
        Statement.objects.bulk_create(
            Statement(
                dimension=new_dimension,
                ordering=statement.ordering,
                text_en=statement.text_en,
                text_sv=statement.text_sv,
                text_es=statement.text_es,
            )
            for statement in dimension.statements.all()
        )
    logger.info(
        "questionnaire.copied questionnaire_id=%s copy_id=%s actor_id=%s",
        questionnaire.pk,
        copy.pk,
        staff.pk,
    )
    return copy


@transaction.atomic
def dimension_save(
    *, actor: Any, dimension: Dimension, changed_fields: Iterable[str] = ()
) -> Dimension:
    _require_staff(actor)
    _unpublished(dimension.questionnaire_id)
    if dimension.pk is not None:
        _unpublished(
            Dimension.objects.filter(pk=dimension.pk).values("questionnaire_id")[0][
                "questionnaire_id"
            ]
        )
    dimension.full_clean()
    dimension.save()
    return dimension


@transaction.atomic
def dimension_delete(*, actor: Any, dimension: Dimension) -> None:
    _require_staff(actor)
    _unpublished(dimension.questionnaire_id)
    dimension.delete()


@transaction.atomic
def statement_save(
    *, actor: Any, statement: Statement, changed_fields: Iterable[str] = ()
) -> Statement:
    _require_staff(actor)
    _unpublished(Dimension.objects.get(pk=statement.dimension_id).questionnaire_id)
    if statement.pk is not None:
        stored = Statement.objects.select_related("dimension").get(pk=statement.pk)
        _unpublished(stored.dimension.questionnaire_id)
    statement.full_clean()
    statement.save()
    return statement


@transaction.atomic
def statement_delete(*, actor: Any, statement: Statement) -> None:
    _require_staff(actor)
    _unpublished(Dimension.objects.get(pk=statement.dimension_id).questionnaire_id)
    statement.delete()

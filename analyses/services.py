"""Writing regional analyses: staff only, each write atomic, and an analysis that draws on a
confidential partner's records is kept for cleared staff whatever the box said."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from analyses.models import AnalysisFigure, RegionalAnalysis
from analyses.selectors import visible_analyses
from portal.models import User
from progress.models import ChangeStory
from progress.selectors import visible_stories
from risks.models import Risk
from risks.selectors import visible_risks

logger = logging.getLogger(__name__)

MAX_FIGURES = 20


def _require_staff(actor: Any) -> User:
    if not (isinstance(actor, User) and actor.is_portal_staff):
        raise PermissionDenied
    return actor


def report_address(address: str) -> str:
    """A figure's address: the portal's own report with its filters, nothing else."""
    parts = urlsplit(address.strip())
    if parts.scheme or parts.netloc or parts.path != reverse("report"):
        raise ValidationError(
            {
                "figures": _(
                    "A figure is a report of this portal: an address that starts with %(path)s."
                )
                % {"path": reverse("report")}
            }
        )
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _clearance(analysis: RegionalAnalysis) -> None:
    # Linked to a confidential partner's story: an officer must not read what it draws on.
    if not analysis.cleared_only and (
        analysis.stories.filter(partner__is_confidential=True).exists()
        or analysis.risks.filter(partner__is_confidential=True).exists()
    ):
        analysis.cleared_only = True
        analysis.save(update_fields=["cleared_only", "updated_at"])


@transaction.atomic
def analysis_save(
    *,
    actor: Any,
    analysis: RegionalAnalysis,
    stories: Sequence[ChangeStory],
    figures: Sequence[tuple[str, str]],
    risks: Sequence[Risk] = (),
) -> RegionalAnalysis:
    """Save an analysis with the stories, risks and figures it draws on (replacing those it
    had)."""
    staff = _require_staff(actor)
    if analysis.pk is not None and not visible_analyses(staff).filter(pk=analysis.pk).exists():
        raise PermissionDenied
    if len(figures) > MAX_FIGURES:
        raise ValidationError({"figures": _("At most %(count)d figures.") % {"count": MAX_FIGURES}})
    cleaned = [(label.strip()[:200], report_address(address)) for label, address in figures]
    visible = set(
        visible_stories(staff).filter(pk__in=[s.pk for s in stories]).values_list("pk", flat=True)
    )
    if any(story.pk not in visible for story in stories):
        raise PermissionDenied
    readable = set(
        visible_risks(staff).filter(pk__in=[r.pk for r in risks]).values_list("pk", flat=True)
    )
    if any(risk.pk not in readable for risk in risks):
        raise PermissionDenied
    if analysis.author_id is None:
        analysis.author = staff
    # A writer opens only analyses whose every story and risk it may read (selectors), so the
    # lists replace what was linked.
    analysis.full_clean()
    analysis.save()
    analysis.stories.set(stories)
    analysis.risks.set(risks)
    analysis.figures.all().delete()
    AnalysisFigure.objects.bulk_create(
        AnalysisFigure(analysis=analysis, label=label, address=address, ordering=index)
        for index, (label, address) in enumerate(cleaned)
    )
    _clearance(analysis)
    logger.info("analysis.saved analysis_id=%s actor_id=%s", analysis.pk, staff.pk)
    return analysis


@transaction.atomic
def analysis_admin_save(
    *, actor: Any, analysis: RegionalAnalysis, changed_fields: Iterable[str]
) -> RegionalAnalysis:
    """An analysis saved in the admin (its stories and figures are edited on its page)."""
    staff = _require_staff(actor)
    analysis.full_clean()
    analysis.save()
    _clearance(analysis)
    logger.info("analysis.saved analysis_id=%s actor_id=%s", analysis.pk, staff.pk)
    return analysis


@transaction.atomic
def analysis_delete(*, actor: Any, analysis: RegionalAnalysis) -> None:
    staff = _require_staff(actor)
    analysis_id = analysis.pk
    analysis.delete()
    logger.info("analysis.deleted analysis_id=%s actor_id=%s", analysis_id, staff.pk)

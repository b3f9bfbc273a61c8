"""What the risk register adds to the pages of lower apps (``portal.sections``): a partner's open
risks, a project's risks and, on the staff dashboard, the person's own reviews that are due.
Each reads through ``visible_risks``: a partner's users meet only the risks shared with them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from dialogues.models import Dialogue
from partners.models import Partner
from portal.sections import Section, register_section
from programs.models import Project
from risks.forms import DialogueRiskForm
from risks.models import Risk
from risks.selectors import may_record_risks, reviews_waiting, visible_risks

SECTION_LIMIT = 20


def partner_risks(request: HttpRequest, partner: Partner) -> dict[str, Any] | None:
    user = request.user
    if not (may_record_risks(user) or getattr(user, "is_partner_user", False)):
        return None
    risks = (
        visible_risks(user)
        .filter(partner=partner, status=Risk.Status.OPEN)
        .order_by("next_review", "pk")[:SECTION_LIMIT]
    )
    return {"partner": partner, "risks": risks, "may_record": may_record_risks(user)}


def project_risks(request: HttpRequest, project: Project) -> dict[str, Any] | None:
    user = request.user
    if not (may_record_risks(user) or getattr(user, "is_partner_user", False)):
        return None
    return {
        "risks": visible_risks(user)
        .filter(project=project)
        .order_by("-status", "next_review", "pk")[:SECTION_LIMIT]
    }


def dashboard_reviews(request: HttpRequest, user: Any) -> dict[str, Any] | None:
    risks = list(reviews_waiting(user)[:SECTION_LIMIT])
    if not risks:
        return None
    return {"risks": risks, "today": timezone.localdate()}


def dialogue_risks(request: HttpRequest, dialogue: Dialogue) -> dict[str, Any] | None:
    """The risks discussed in a dialogue, as the reader may see them; staff note more there."""
    user = request.user
    if not (may_record_risks(user) or getattr(user, "is_partner_user", False)):
        return None
    return {
        "dialogue": dialogue,
        "risks": visible_risks(user).filter(dialogues=dialogue).order_by("title", "pk"),
        "form": (
            DialogueRiskForm(user=user, dialogue=dialogue) if may_record_risks(user) else None
        ),
    }


def register() -> None:
    register_section(
        "dialogue-detail",
        Section(dialogue_risks, {"side": "risks/_dialogue_risks.html"}, order=40),
    )
    register_section(
        "partner-detail",
        Section(partner_risks, {"main": "risks/_partner_risks.html"}, order=40),
    )
    # Before the next dialogue: the partner's open risks, as the reader may see them.
    register_section(
        "dialogue-brief",
        Section(partner_risks, {"main": "risks/_partner_risks.html"}, order=40),
    )
    register_section(
        "project-detail",
        Section(project_risks, {"facts": "risks/_project_risks.html"}, order=40),
    )
    register_section(
        "staff-dashboard",
        Section(dashboard_reviews, {"work": "risks/_dashboard_reviews.html"}, order=40),
    )

"""What assessments adds to the pages of lower apps (``portal.sections``): on a partner's page,
its latest submitted self-assessment beside the one before, and for the partner's own users a
call to fill this period's while none is submitted."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from assessments.selectors import current_period, partner_history, visible_assessments
from partners.models import Partner
from portal.sections import Section, register_section


def partner_assessments(request: HttpRequest, partner: Partner) -> dict[str, Any] | None:
    user: Any = request.user
    if not (user.is_portal_staff or user.is_partner_user):
        return None
    history = partner_history(user, partner, limit=2)
    call = None
    if user.is_partner_user and user.partner_id == partner.pk:
        label, start, _end = current_period(timezone.localdate())
        this_period = (
            visible_assessments(user)
            .filter(partner=partner, period_start=start)
            .only("pk", "status")
            .first()
        )
        if this_period is None or not this_period.is_submitted:
            call = {"period_label": label, "draft": this_period}
    if not history.rounds and call is None:
        return None
    return {
        "partner": partner,
        "history": history,
        "changes": history.changes(),
        "call": call,
    }


def register() -> None:
    register_section(
        "partner-detail",
        Section(
            partner_assessments,
            {
                "lead": "assessments/_partner_call.html",
                "main": "assessments/_partner_assessments.html",
            },
            order=30,
        ),
    )
    # Before the next dialogue: the latest round beside the one before.
    register_section(
        "dialogue-brief",
        Section(partner_assessments, {"main": "assessments/_partner_assessments.html"}, order=30),
    )

"""Who may read which risks, and who may only count them (the rules: ``portal.access``).

- Administrators and cleared staff read every risk.
- Officers (staff, not cleared) read the risks of partners that are not confidential. A
  confidential partner's risks reach them only as counts in the heat map, by region and category:
  never a title, a description, a mitigation or the partner's name, and its risk page is a 404.
- A partner's own users read the risks of their organisation that staff shared with them, and
  may comment on them.
- Network members and anyone else read none.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from portal.access import as_user, get_or_404, log_confidential_read, own_partner_id
from risks.models import Risk, RiskComment, RiskReassessment

if TYPE_CHECKING:
    from portal.access import AnyUser

DUE_SOON_DAYS = 14


def visible_risks(user: AnyUser) -> QuerySet[Risk]:
    """The risks whose text the viewer may read."""
    risks = Risk.objects.all()
    viewer = as_user(user)
    if viewer is None:
        return risks.none()
    if viewer.sees_confidential:
        return risks
    if viewer.is_portal_staff:
        return risks.filter(partner__is_confidential=False)
    if viewer.is_partner_user:
        return risks.filter(partner_id=own_partner_id(viewer), shared_with_partner=True)
    return risks.none()


def countable_risks(user: AnyUser) -> QuerySet[Risk]:
    """The risks the viewer may count in the heat map: every risk for staff (officers included,
    who meet a confidential partner's only as a count by region and category), none for others.

    Only ``heat_map`` reads it, and only through aggregates grouped by region and category or by
    likelihood and impact: never a row, never a name.
    """
    risks = Risk.objects.all()
    viewer = as_user(user)
    if viewer is None or not viewer.is_portal_staff:
        return risks.none()
    return risks


def may_count_risks(user: AnyUser) -> bool:
    viewer = as_user(user)
    return viewer is not None and viewer.is_portal_staff


def may_record_risks(user: AnyUser) -> bool:
    viewer = as_user(user)
    return viewer is not None and viewer.is_portal_staff


def may_read_risks(user: AnyUser) -> bool:
    viewer = as_user(user)
    return viewer is not None and (viewer.is_portal_staff or viewer.is_partner_user)


def may_comment(user: AnyUser, risk: Risk) -> bool:
    """On a risk shared with its partner: the partner's users, and the staff who may read the
    risk (to answer them). The risk was read through ``visible_risks`` already. Not on a risk
    that is not shared: what is written there would reach the partner the day it is shared."""
    viewer = as_user(user)
    if viewer is None or not risk.shared_with_partner:
        return False
    return viewer.is_portal_staff or (
        viewer.is_partner_user and risk.partner_id == viewer.partner_id
    )


def get_risk_for_user(user: AnyUser, pk: object, *, request: HttpRequest | None = None) -> Risk:
    risk = get_or_404(
        visible_risks(user).select_related("partner", "project", "project__program", "owner"), pk
    )
    if risk.partner.is_confidential:
        log_confidential_read(user, risk, request=request)
    return risk


def visible_reassessments(user: AnyUser) -> QuerySet[RiskReassessment]:
    """The history of reassessments: staff's working record, for the staff who read the risk."""
    viewer = as_user(user)
    if viewer is None or not viewer.is_portal_staff:
        return RiskReassessment.objects.none()
    return RiskReassessment.objects.filter(risk__in=visible_risks(viewer).values("pk"))


def visible_comments(user: AnyUser) -> QuerySet[RiskComment]:
    return RiskComment.objects.filter(risk__in=visible_risks(user).values("pk"))


def risk_history(user: AnyUser, risk: Risk) -> QuerySet[RiskReassessment]:
    return visible_reassessments(user).filter(risk=risk).select_related("assessed_by")


def risk_comments(user: AnyUser, risk: Risk) -> QuerySet[RiskComment]:
    return visible_comments(user).filter(risk=risk).select_related("author")


def _own_open_risks(user: AnyUser) -> QuerySet[Risk]:
    viewer = as_user(user)
    if viewer is None or not viewer.is_portal_staff:
        return Risk.objects.none()
    return (
        visible_risks(viewer)
        .filter(owner=viewer, status=Risk.Status.OPEN)
        .select_related("partner")
        .order_by("next_review", "pk")
    )


def reviews_overdue(user: AnyUser, *, today: dt.date | None = None) -> QuerySet[Risk]:
    """The viewer's own open risks whose review date has passed."""
    today = today or timezone.localdate()
    return _own_open_risks(user).filter(next_review__lt=today)


def reviews_due_soon(user: AnyUser, *, today: dt.date | None = None) -> QuerySet[Risk]:
    """The viewer's own open risks due for review today or within ``DUE_SOON_DAYS`` days."""
    today = today or timezone.localdate()
    return _own_open_risks(user).filter(
        next_review__gte=today, next_review__lte=today + dt.timedelta(days=DUE_SOON_DAYS)
    )


def reviews_waiting(user: AnyUser, *, today: dt.date | None = None) -> QuerySet[Risk]:
    """Overdue and due soon together, for the staff dashboard: one query."""
    today = today or timezone.localdate()
    return _own_open_risks(user).filter(next_review__lte=today + dt.timedelta(days=DUE_SOON_DAYS))

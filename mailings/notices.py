"""Telling a member organisation's user that staff decided their request to join or leave a
network (``partners.services.membership_decide`` asks for this task by name after commit; a
sweep every minute tells whoever a broker outage left waiting). A service mail: sent whatever
the newsletter and digest choices, to the one who asked, in their language, with the network's
name, the decision and a link; nothing else."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from mailings.messages import language_of
from partners.models import MembershipRequest

logger = logging.getLogger(__name__)

TASK = "mailings.tell_request_decisions"


def _message(request: MembershipRequest) -> EmailMessage | None:
    user = request.requested_by
    if user is None or not user.is_active or not user.email:
        return None
    context = {
        "request": request,
        "approved": request.status == MembershipRequest.Status.APPROVED,
        "url": settings.PORTAL_BASE_URL.rstrip("/") + reverse("network-join"),
    }
    with translation.override(language_of(user)):
        subject = render_to_string("mailings/mail/request_decided_subject.txt", context)
        body = render_to_string("mailings/mail/request_decided.txt", context)
    return EmailMessage(" ".join(subject.split()), body, to=[user.email])


def tell_request_decisions(*, limit: int = 200) -> int:
    """Tell the decisions not told yet; returns how many mails went. Each request in its own
    transaction with its row locked (two workers never tell one twice)."""
    waiting = MembershipRequest.objects.filter(
        told_at__isnull=True, decided_at__isnull=False
    ).order_by("pk")
    sent = 0
    connection = get_connection(fail_silently=False)
    for pk in list(waiting.values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            request = (
                MembershipRequest.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("network", "requested_by")
                .filter(pk=pk, told_at__isnull=True)
                .first()
            )
            if request is None:
                continue
            message = _message(request)
            if message is not None:
                connection.send_messages([message])
                sent += 1
            request.told_at = timezone.now()
            request.save(update_fields=["told_at"])
    logger.info("request_decision.told mails=%d", sent)
    return sent

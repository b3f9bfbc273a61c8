"""Writing and sending newsletters, and what each person chooses to receive (docs/mail.md).

Sending records one delivery per recipient in the sender's transaction and asks a worker to
send them after commit, a batch at a time; a sweep every minute sends whatever a broker outage
left waiting. Each delivery is sent in a transaction of its own with its row locked
(``skip_locked``: two workers never send one twice). A failed delivery is retried by the next
batch until ``MAX_ATTEMPTS``; someone who unsubscribed meanwhile is not written to.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from mailings import messages, selectors
from mailings.models import Delivery, MailPreference, Newsletter
from partners.models import Partner
from portal import queue
from portal.models import User

logger = logging.getLogger(__name__)

SEND_TASK = "mailings.send_deliveries"
BATCH = 100
MAX_ATTEMPTS = 5


def _may_write_to(actor: Any, newsletter: Newsletter) -> bool:
    if newsletter.audience == Newsletter.Audience.NETWORK:
        network = newsletter.network_id
        return (
            network is not None and selectors.writable_networks(actor).filter(pk=network).exists()
        )
    district = newsletter.district_id
    return district is not None and selectors.writable_districts(actor).filter(pk=district).exists()


@transaction.atomic
def newsletter_save(*, actor: Any, newsletter: Newsletter) -> Newsletter:
    """Write or change a draft, for an audience the writer may reach."""
    if newsletter.pk is not None and (
        Newsletter.objects.filter(pk=newsletter.pk).values_list("status", flat=True).get()
        != Newsletter.Status.DRAFT
    ):
        raise ValidationError(_("This newsletter has been sent; it can no longer change."))
    if newsletter.audience == Newsletter.Audience.NETWORK:
        newsletter.district = None
    else:
        newsletter.network = None
    if newsletter.author_id is None:
        newsletter.author = actor
    newsletter.full_clean()
    if not _may_write_to(actor, newsletter):
        raise PermissionDenied
    newsletter.save()
    return newsletter


def confidential_names_in(text: str) -> list[str]:
    """The confidential partners a text names. Newsletters go to member organisations, which
    never see a confidential partner (``partners.selectors.visible_partners``): a text naming
    one is not sent."""
    folded = text.casefold()
    return [
        name
        for name in Partner.objects.filter(is_confidential=True).values_list("name", flat=True)
        if re.search(rf"(?<!\w){re.escape(name.casefold())}(?!\w)", folded)
    ]


@transaction.atomic
def newsletter_send(*, actor: Any, newsletter: Newsletter) -> int:
    """Queue the newsletter to everyone of its audience who chose newsletters; returns how many."""
    newsletter = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
    if not _may_write_to(actor, newsletter):
        raise PermissionDenied
    if newsletter.status != Newsletter.Status.DRAFT:
        raise ValidationError(_("This newsletter has been sent already."))
    if names := confidential_names_in(f"{newsletter.subject}\n{newsletter.body}"):
        raise ValidationError(
            _(
                "The text names a confidential partner (%(names)s), whom its readers may not "
                "know of. Take the name out before sending."
            )
            % {"names": ", ".join(names)}
        )
    users = list(selectors.recipients(newsletter).values_list("pk", flat=True))
    if not users:
        raise ValidationError(
            _("Nobody would receive it: no one it is for has chosen to receive newsletters yet.")
        )
    Delivery.objects.bulk_create(
        [Delivery(newsletter=newsletter, user_id=pk) for pk in users], batch_size=1000
    )
    newsletter.status = Newsletter.Status.SENDING
    newsletter.save(update_fields=["status"])
    transaction.on_commit(lambda: queue.enqueue_by_name(SEND_TASK))
    return len(users)


def deliveries_send(*, limit: int = BATCH) -> int:
    """Send up to ``limit`` waiting deliveries; returns how many mails went. More waiting than
    that: the task asks for itself again (batches, so one newsletter never holds a worker)."""
    sent = 0
    failed: Exception | None = None
    waiting = Delivery.objects.filter(status=Delivery.Status.WAITING).order_by("pk")
    pks = list(waiting.values_list("pk", flat=True)[:limit])
    connection = get_connection(fail_silently=False)
    for pk in pks:
        try:
            with transaction.atomic():
                delivery = (
                    Delivery.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("newsletter", "user", "user__mail_preference")
                    .filter(pk=pk, status=Delivery.Status.WAITING)
                    .first()
                )
                if delivery is None:
                    continue  # sent meanwhile, or being sent by another worker
                user = delivery.user
                if not (
                    user.is_active and user.email and selectors.preference_of(user).newsletters
                ):
                    delivery.status = Delivery.Status.WITHDRAWN
                    delivery.save(update_fields=["status"])
                    continue
                connection.send_messages([messages.newsletter_message(delivery.newsletter, user)])
                delivery.status = Delivery.Status.SENT
                delivery.sent_at = timezone.now()
                delivery.save(update_fields=["status", "sent_at"])
                sent += 1
        except Exception as error:  # any mail failure: counted, retried, raised at the end
            Delivery.objects.filter(pk=pk).update(attempts=F("attempts") + 1)
            Delivery.objects.filter(pk=pk, attempts__gte=MAX_ATTEMPTS).update(
                status=Delivery.Status.FAILED
            )
            # The error's type only: a refused recipient's message holds the address.
            logger.error(
                "newsletter.delivery_failed delivery_id=%s error=%s", pk, type(error).__name__
            )
            failed = error
    _finish_sent()
    logger.info("newsletter.sent mails=%d", sent)
    if len(pks) == limit and waiting.exists():
        queue.enqueue_by_name(SEND_TASK)
    if failed is not None:
        raise failed
    return sent


def _finish_sent() -> None:
    """Newsletters with nothing left waiting are sent."""
    Newsletter.objects.filter(status=Newsletter.Status.SENDING).exclude(
        deliveries__status=Delivery.Status.WAITING
    ).update(status=Newsletter.Status.SENT, sent_at=timezone.now())


@transaction.atomic
def preference_save(*, actor: Any, newsletters: bool, weekly_digest: bool) -> MailPreference:
    preference, _created = MailPreference.objects.select_for_update().get_or_create(user=actor)
    preference.newsletters = newsletters
    preference.weekly_digest = weekly_digest
    preference.save()
    return preference


@transaction.atomic
def unsubscribe(*, token: str) -> User | None:
    """One click: the list the token names is no longer sent to its user. None for a token
    that is not ours (nothing changes)."""
    read = messages.read_token(token)
    if read is None:
        return None
    user = User.objects.filter(pk=read[0]).first()
    if user is None:
        return None
    preference, _created = MailPreference.objects.select_for_update().get_or_create(user=user)
    if read[1] == "newsletters":
        preference.newsletters = False
    else:
        preference.weekly_digest = False
    preference.save()
    return user

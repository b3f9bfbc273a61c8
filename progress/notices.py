"""E-mails about a story's review: the partner is told when a story is returned with a question
or selected, and so is the storyteller who left an e-mail address to hear back about it.

A notice is a row written in the review's own transaction (``notice_queue``); a task sends it
after commit, and a sweep every minute sends whatever a broker outage left behind
(``notices_send``). Mails carry the story's reference and a link, never its words, its title or
the reviewer's question: a mailbox is read on shared phones and kept for years. A storyteller's
mail never names the partner, as the public form does not.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from portal import queue
from portal.models import User
from progress.models import ChangeStory, StoryNotice, Storyteller

logger = logging.getLogger(__name__)

TASK = "progress.send_story_notices"
# A notice that failed this often is given up on (a refused address would otherwise be retried
# every minute for ever); the log says so.
MAX_ATTEMPTS = 5
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def notice_queue(*, story: ChangeStory, kind: str) -> StoryNotice:
    """Record, in the caller's transaction, that the people of this story are to be told."""
    notice = StoryNotice.objects.create(story=story, kind=kind)
    transaction.on_commit(lambda: queue.enqueue_by_name(TASK))
    return notice


def mail_language(code: str) -> str:
    """The language to write to someone in: theirs if the portal has it, else the default."""
    code = (code or "")[:2]
    return code if code in LANGUAGE_CODES else settings.LANGUAGE_CODE


def _render(template: str, language: str, context: dict[str, object]) -> tuple[str, str]:
    with translation.override(language):
        subject = render_to_string(f"progress/mail/{template}_subject.txt", context).strip()
        body = render_to_string(f"progress/mail/{template}.txt", context)
    return " ".join(subject.split()), body


def _partner_users(story: ChangeStory) -> Iterable[User]:
    return (
        User.objects.filter(partner_id=story.partner_id, role=User.Role.PARTNER, is_active=True)
        .exclude(email="")
        .order_by("pk")
    )


def _storyteller_address(story: ChangeStory) -> str:
    """The storyteller's contact, if it is an e-mail address: they left it "only if you want
    someone to get back to you about your story", which is what these mails do."""
    storyteller = Storyteller.objects.filter(story=story).first()
    contact = (storyteller.contact if storyteller else "").strip()
    try:
        validate_email(contact)
    except ValidationError:
        return ""
    return contact


def _messages(notice: StoryNotice) -> list[EmailMessage]:
    story = notice.story
    context = {
        "reference": story.reference,
        "kind": notice.kind,
        "url": settings.PORTAL_BASE_URL.rstrip("/") + reverse("story-detail", args=[story.pk]),
    }
    messages = []
    for user in _partner_users(story):
        subject, body = _render("story_notice_partner", mail_language(user.language), context)
        messages.append(EmailMessage(subject, body, to=[user.email]))
    if address := _storyteller_address(story):
        subject, body = _render("story_notice_storyteller", mail_language(story.language), context)
        messages.append(EmailMessage(subject, body, to=[address]))
    return messages


def notices_send(*, limit: int = 200) -> int:
    """Send the notices waiting in the outbox; returns how many mails went.

    Each notice is sent in a transaction of its own with its row locked (``skip_locked``, so two
    workers never send one twice), and marked sent in it. A failure leaves the notice waiting
    for the next run, counts the attempt, and is raised once the others have been tried.
    """
    sent = 0
    failed: Exception | None = None
    waiting = StoryNotice.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
    for pk in list(waiting.order_by("pk").values_list("pk", flat=True)[:limit]):
        try:
            with transaction.atomic():
                notice = (
                    StoryNotice.objects.select_for_update(skip_locked=True)
                    .select_related("story")
                    .filter(pk=pk, sent_at__isnull=True)
                    .first()
                )
                if notice is None:
                    continue  # sent meanwhile, or being sent by another worker
                messages = _messages(notice)
                if messages:
                    get_connection(fail_silently=False).send_messages(messages)
                notice.sent_at = timezone.now()
                notice.recipients = len(messages)
                notice.save(update_fields=["sent_at", "recipients"])
                sent += len(messages)
        except Exception as error:  # any mail failure: recorded, retried, raised at the end
            StoryNotice.objects.filter(pk=pk).update(attempts=F("attempts") + 1)
            # The error's type only: a refused recipient's message holds the address.
            logger.error("story_notice.failed notice_id=%s error=%s", pk, type(error).__name__)
            failed = error
    logger.info("story_notice.sent mails=%d", sent)
    if failed is not None:
        raise failed
    return sent

"""The weekly digest: for each person who chose it, what is new or due for them since the last
one — verified stories they may read, open actions of theirs due soon or overdue, and their
plans' items behind. Everything is read through that person's own selectors
(``progress.selectors.visible_stories``, ``dialogues.selectors.open_actions_for_owner``,
``programs.plans.items_behind``), so a digest holds nothing its reader may not open in the
portal; a week with nothing to say sends nothing. Like the review notices, the mail names
stories by reference with a link, never by their title or words, and counts actions and plan
items with a link to them: a mailbox is read on shared phones and kept for years.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from dialogues.selectors import due_or_overdue, open_actions_for_owner
from mailings import messages
from mailings.models import MailPreference
from portal.models import User
from programs.plans import items_behind
from progress.models import ChangeStory, StoryEvent
from progress.selectors import visible_stories

logger = logging.getLogger(__name__)

TASK = "mailings.send_digests"
# A week, less a margin for the weekly run coming a little early.
INTERVAL = dt.timedelta(days=6, hours=12)
MAX_STORIES = 15


@dataclass
class Digest:
    stories: list[ChangeStory] = field(default_factory=list)
    actions: list[Any] = field(default_factory=list)
    behind: list[Any] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.stories or self.actions or self.behind)


def digest_for(user: User, since: dt.datetime, today: dt.date | None = None) -> Digest:
    verified = StoryEvent.objects.filter(action=StoryEvent.Action.VERIFIED, at__gte=since)
    stories = list(
        visible_stories(user)
        .filter(status=ChangeStory.Status.VERIFIED, pk__in=verified.values("story_id"))
        .order_by("-event_date", "-pk")[:MAX_STORIES]
    )
    actions = list(due_or_overdue(open_actions_for_owner(user))[:20])
    return Digest(stories=stories, actions=actions, behind=items_behind(user, today))


def _absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def digests_send(now: dt.datetime | None = None) -> int:
    """Send the digest to everyone who chose it and has not had one for a week; returns how
    many mails went."""
    now = now or timezone.now()
    due = (
        MailPreference.objects.filter(weekly_digest=True, user__is_active=True)
        .exclude(user__email="")
        .filter(Q(digest_sent_at__isnull=True) | Q(digest_sent_at__lte=now - INTERVAL))
        .select_related("user")
        .order_by("pk")
    )
    connection = get_connection(fail_silently=False)
    sent = 0
    for preference in due:
        user = preference.user
        digest = digest_for(user, since=preference.digest_sent_at or now - dt.timedelta(days=7))
        if digest:
            context = {
                "digest": digest,
                "stories_url": _absolute(reverse("story-list")),
                "dialogues_url": _absolute(reverse("dialogue-list")),
                "plans_url": _absolute(reverse("plan-list")),
                "stories": [
                    (story.reference, _absolute(reverse("story-detail", args=[story.pk])))
                    for story in digest.stories
                ],
            }
            connection.send_messages([messages.digest_message(user, context)])
            sent += 1
        MailPreference.objects.filter(pk=preference.pk).update(digest_sent_at=now)
    logger.info("digest.sent mails=%d", sent)
    return sent

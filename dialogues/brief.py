"""What staff read before the next dialogue with a partner: the last dialogue and its actions,
every open action, the stories told since, and the activities of the last months.

Each part is read through the selectors of the app that owns it, and capped: a partner with
years of stories still prints on a few pages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from dialogues import selectors
from partners.models import Partner
from programs.selectors import visible_activities
from progress.selectors import visible_stories

ACTIVITY_MONTHS = 6
MAX_STORIES = 30
MAX_ACTIVITIES = 30


def brief_context(request: HttpRequest, partner: Partner) -> dict[str, Any]:
    user = request.user
    today = timezone.localdate()
    last = selectors.last_dialogue(user, partner.pk)
    since = last.held_on if last is not None else today - dt.timedelta(days=365)
    open_actions = [
        (action, selectors.flags(action, today))
        for action in selectors.open_actions(user).filter(partner=partner)
    ]
    last_actions = (
        [
            (action, selectors.flags(action, today))
            for action in last.actions.select_related("owner_user").order_by("due_on", "pk")
        ]
        if last is not None
        else []
    )
    stories = (
        visible_stories(user)
        .filter(partner=partner, event_date__gte=since)
        .order_by("-event_date", "-pk")
        .only("pk", "reference", "title", "event_date", "status")[:MAX_STORIES]
    )
    activity_from = today - dt.timedelta(days=30 * ACTIVITY_MONTHS)
    activities = (
        visible_activities(user)
        .filter(Q(partner=partner) | Q(project__partner=partner), date__gte=activity_from)
        .order_by("-date", "-pk")[:MAX_ACTIVITIES]
    )
    return {
        "partner": partner,
        "today": today,
        "last": last,
        "last_actions": last_actions,
        "open_actions": open_actions,
        "stories": stories,
        "stories_since": since,
        "max_stories": MAX_STORIES,
        "activities": activities,
        "activity_from": activity_from,
        "max_activities": MAX_ACTIVITIES,
    }

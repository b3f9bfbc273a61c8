"""Who may see and do what with stories and submission links (the rules: ``portal.access``), and
reads of the Progress Tracker that join across its models."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partners.selectors import visible_partners
from portal.access import (
    as_user,
    get_or_404,
    log_confidential_read,
    own_partner_id,
)
from progress.models import ChangeStory, StoryEvent, SubmissionLink

if TYPE_CHECKING:
    from portal.access import AnyUser

RETURNED_SHOWN = 10


PUBLIC_STORY_STATUSES = (ChangeStory.Status.VERIFIED, ChangeStory.Status.SELECTED)


def story_scope(user: AnyUser, *, quotable_field: str = "consent_quote_internal") -> Q | None:
    """Which stories a viewer may see, as a filter on anything that has a story's partner and
    status: the stories themselves, or the kept counts of them (``reporting``), whose flag of
    consent to quote is ``quotable_field``. None: nothing at all."""
    viewer = as_user(user)
    if viewer is None:
        return None
    if viewer.sees_confidential:
        return Q()
    if viewer.is_portal_staff:
        return Q(partner__is_confidential=False)
    if viewer.is_partner_user:
        return Q(partner_id=own_partner_id(viewer))
    if viewer.is_network_member:
        return Q(
            status__in=PUBLIC_STORY_STATUSES,
            partner__in=visible_partners(viewer).values("pk"),
            **{quotable_field: True},
        )
    return None


def visible_stories(user: AnyUser) -> QuerySet[ChangeStory]:
    scope = story_scope(user)
    stories = ChangeStory.objects.all()
    return stories.none() if scope is None else stories.filter(scope)


EDITABLE_STORY_STATUSES = (ChangeStory.Status.DRAFT, ChangeStory.Status.RETURNED)


def can_edit_story(user: AnyUser, story: ChangeStory) -> bool:
    """Drafts and returned stories, by the partner's own users or by staff who may see them."""
    viewer = as_user(user)
    if viewer is None or story.status not in EDITABLE_STORY_STATUSES:
        return False
    if viewer.is_partner_user:
        return story.partner_id == viewer.partner_id
    return viewer.is_portal_staff and visible_stories(viewer).filter(pk=story.pk).exists()


def can_review_story(user: AnyUser, story: ChangeStory) -> bool:
    """Staff who may see the story review it; officers therefore never review confidential ones."""
    viewer = as_user(user)
    return (
        viewer is not None
        and viewer.is_portal_staff
        and visible_stories(viewer).filter(pk=story.pk).exists()
    )


def can_see_story_history(user: AnyUser, story: ChangeStory) -> bool:
    """The review trail (who reviewed, the questions asked, the reasons for a selection) is the
    business of staff and of the partner whose story it is, not of network members."""
    viewer = as_user(user)
    if viewer is None:
        return False
    if viewer.is_partner_user:
        return story.partner_id == viewer.partner_id
    return viewer.is_portal_staff


def can_withdraw_consent(user: AnyUser, story: ChangeStory) -> bool:
    """The partner (on the storyteller's behalf) or staff who may see the story."""
    viewer = as_user(user)
    if viewer is None:
        return False
    if viewer.is_partner_user:
        return story.partner_id == viewer.partner_id
    return can_review_story(viewer, story)


def visible_submission_links(user: AnyUser) -> QuerySet[SubmissionLink]:
    """The links a viewer may manage: those of the partners whose stories it may see."""
    links = SubmissionLink.objects.all()
    viewer = as_user(user)
    if viewer is None:
        return links.none()
    if viewer.sees_confidential:
        return links
    if viewer.is_portal_staff:
        return links.filter(partner__is_confidential=False)
    if viewer.is_partner_user:
        return links.filter(partner_id=own_partner_id(viewer))
    # Network members see stories only once verified; the links that bring them in are not theirs.
    return links.none()


def get_story_for_user(
    user: AnyUser, pk: object, *, request: HttpRequest | None = None
) -> ChangeStory:
    story = get_or_404(visible_stories(user).select_related("partner"), pk)
    if story.partner.is_confidential:
        log_confidential_read(user, story, request=request)
    return story


def get_submission_link_for_user(
    user: AnyUser, pk: object, *, request: HttpRequest | None = None
) -> SubmissionLink:
    link = get_or_404(visible_submission_links(user).select_related("partner", "project"), pk)
    if link.partner.is_confidential:
        log_confidential_read(user, link, request=request)
    return link


@dataclass(frozen=True)
class ReturnedStory:
    story: ChangeStory
    question: StoryEvent | None


def latest_question(story: ChangeStory) -> StoryEvent | None:
    """The step that returned the story, with the reviewer's question: the latest one."""
    return (
        story.events.filter(action=StoryEvent.Action.RETURNED)
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )


def returned_stories(user: Any, *, partner_id: int) -> list[ReturnedStory]:
    """A partner's stories waiting for its answer, each with the question it was returned with
    (oldest first: the longest wait comes first)."""
    stories = (
        visible_stories(user)
        .filter(partner_id=partner_id, status=ChangeStory.Status.RETURNED)
        .order_by("updated_at", "pk")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=StoryEvent.objects.filter(action=StoryEvent.Action.RETURNED)
                .select_related("actor")
                .order_by("-at", "-pk"),
                to_attr="returned_events",
            )
        )[:RETURNED_SHOWN]
    )
    return [
        ReturnedStory(story, story.returned_events[0] if story.returned_events else None)  # type: ignore[attr-defined]
        for story in stories
    ]


# How people type a list of story references: spaces, commas or semicolons between them.
STORY_REFERENCE_SEPARATORS = re.compile(r"[\s,;]+")


def split_story_references(text: str, *, limit: int) -> list[str]:
    """The references typed in a form field, each once; more than ``limit`` of them is a
    ValidationError for the field (cutting the list short would drop citations unseen)."""
    references = list(dict.fromkeys(p for p in STORY_REFERENCE_SEPARATORS.split(text) if p))
    if len(references) > limit:
        raise ValidationError(
            ngettext(
                "Name at most %(limit)d story; this names %(count)d.",
                "Name at most %(limit)d stories; this names %(count)d.",
                limit,
            )
            % {"limit": limit, "count": len(references)}
        )
    return references


def stories_by_reference(
    user: AnyUser, references: Iterable[str], *, partner: Any = None
) -> list[ChangeStory]:
    """The stories named by reference (of ``partner`` when given), each one the viewer may see,
    in reference order; a reference that names none is a form error on ``story_references``."""
    wanted = {reference.strip().upper() for reference in references if reference.strip()}
    stories = visible_stories(user).filter(reference__in=wanted)
    if partner is not None:
        stories = stories.filter(partner=partner)
    found = {story.reference: story for story in stories}
    missing = sorted(wanted - found.keys())
    if missing:
        message = (
            _("No story you may see has the reference %(references)s.")
            if partner is None
            else _("No story of this partner that you may see has the reference %(references)s.")
        )
        raise ValidationError({"story_references": message % {"references": ", ".join(missing)}})
    return sorted(found.values(), key=lambda story: story.reference)

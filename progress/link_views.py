"""Submission links: managed by partner users and staff, used by rights-holders without accounts.

The public pages (``link_submit``, ``link_thanks``) are the only story pages open to anonymous
visitors. They never show the partner, the project or the link's label: the partner may be
confidential, and the visitor needs to know none of it to tell their story.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from portal.access import denied_as_not_found
from portal.forms import add_validation_error
from portal.models import User
from portal.network import client_address
from portal.pagination import paginate
from progress import links
from progress.link_forms import LinkForm, LinkStoryForm
from progress.models import ChangeStory, SubmissionLink
from progress.selectors import (
    get_submission_link_for_user,
    visible_stories,
    visible_submission_links,
)

LINK_PAGE_SIZE = 25
LATEST_STORIES_SHOWN = 5
RATE_LIMIT_RETRY_AFTER_SECONDS = int(links.RATE_WINDOW.total_seconds())


@dataclass(frozen=True)
class LinkRow:
    link: SubmissionLink
    state: links.LinkState
    state_label: Promise
    public_url: str
    story_count: int
    latest_stories: list[ChangeStory]


def _manager(request: HttpRequest) -> User:
    """Partner users and staff manage links; for anyone else there is nothing here."""
    user = request.user
    if isinstance(user, User) and (user.is_portal_staff or user.is_partner_user):
        return user
    raise Http404


# --- Managing links -----------------------------------------------------------------------------


@require_GET
@never_cache
def link_list(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    latest_stories = visible_stories(user).only(
        "pk", "reference", "title", "status", "submission_link_id"
    )
    queryset = (
        visible_submission_links(user)
        .select_related("partner", "project")
        .annotate(story_count=Count("stories"))
        .prefetch_related(
            Prefetch(
                "stories",
                queryset=latest_stories.order_by("-created_at", "-id")[:LATEST_STORIES_SHOWN],
                to_attr="latest_stories",
            )
        )
        .order_by("-created_at", "-id")
    )
    page = paginate(request, queryset, per_page=LINK_PAGE_SIZE)
    rows = []
    for link in page:
        state = links.link_state(link)
        rows.append(
            LinkRow(
                link=link,
                state=state,
                state_label=links.STATE_LABELS[state],
                public_url=request.build_absolute_uri(reverse("link-submit", args=[link.token])),
                story_count=link.story_count,  # type: ignore[attr-defined]
                latest_stories=link.latest_stories,  # type: ignore[attr-defined]
            )
        )
    return render(request, "progress/link_list.html", {"page": page, "rows": rows})


@require_http_methods(["GET", "POST"])
@never_cache
@denied_as_not_found
def link_create(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    form = LinkForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            links.link_create(
                actor=user,
                partner=form.cleaned_data["partner"],
                project=form.cleaned_data["project"],
                label=form.cleaned_data["label"],
                days=form.cleaned_data["days"],
                max_uses=form.cleaned_data["max_uses"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(
                request, _("The link is ready. Copy its address and share it with storytellers.")
            )
            return redirect("link-list")
    return render(request, "progress/link_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@never_cache
@denied_as_not_found
def link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """First a page that says what revoking does; the revocation itself is the POST from it."""
    user = _manager(request)
    link = get_submission_link_for_user(user, pk, request=request)
    if request.method == "GET":
        if link.revoked_at is not None:
            return redirect("link-list")
        return render(request, "progress/link_revoke.html", {"link": link})
    links.link_revoke(actor=user, link=link)
    messages.success(request, _("The link is revoked. It accepts no more stories."))
    return redirect("link-list")


# --- The public side ----------------------------------------------------------------------------


def _closed(request: HttpRequest, state: links.LinkState) -> HttpResponse:
    # 410 Gone: the address existed and will not work again. A page, not an error.
    return render(request, "progress/link_closed.html", {"state": state}, status=410)


@login_not_required
@require_http_methods(["GET", "POST"])
@never_cache
def link_submit(request: HttpRequest, token: str) -> HttpResponse:
    link = get_object_or_404(SubmissionLink, token=token)
    state = links.link_state(link)
    if state != "open":
        return _closed(request, state)
    form = LinkStoryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not links.link_attempt_record(link=link, address=client_address(request)):
            response = render(request, "progress/link_rate_limited.html", status=429)
            response["Retry-After"] = str(RATE_LIMIT_RETRY_AFTER_SECONDS)
            return response
        if form.is_valid():
            try:
                links.link_submit(
                    link=link,
                    story=form.instance,
                    change_types=form.cleaned_data["change_types"],
                    target_groups=form.cleaned_data["target_groups"],
                    storyteller_name=form.cleaned_data["storyteller_name"],
                    storyteller_contact=form.cleaned_data["storyteller_contact"],
                    form_token=form.cleaned_data["form_token"],
                )
            except links.LinkClosed as closed:
                return _closed(request, closed.state)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                return redirect("link-thanks", token=link.token)
    return render(request, "progress/link_public_form.html", {"form": form, "token": link.token})


@login_not_required
@require_GET
@never_cache
def link_thanks(request: HttpRequest, token: str) -> HttpResponse:
    link = get_object_or_404(SubmissionLink, token=token)
    return render(
        request,
        "progress/link_thanks.html",
        {"token": link.token, "still_open": links.link_state(link) == "open"},
    )

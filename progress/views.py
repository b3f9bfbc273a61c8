from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import exports, pagination
from portal.access import denied_as_not_found
from portal.forms import add_validation_error
from progress import counting, selectors, services
from progress import exports as story_exports
from progress.filters import StoryFilter
from progress.forms import CommentForm, ReviewForm, StoryForm
from progress.models import ChangeStory, ChangeType
from progress.selectors import (
    can_edit_story,
    can_review_story,
    can_see_story_history,
    can_withdraw_consent,
    get_story_for_user,
    visible_stories,
)

STORY_PAGE_SIZE = 25


@require_GET
@never_cache
def story_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    stories = (
        visible_stories(user)
        .select_related("partner", "program")
        .prefetch_related(
            Prefetch("change_types", queryset=ChangeType.objects.order_by("ordering"))
        )
        .order_by("-created_at", "-id")
    )
    filterset = StoryFilter(request.GET, queryset=stories, user=user)
    searching = bool(request.GET.get("q", "").strip())
    rows = filterset.qs
    count = None
    if filterset.form.is_valid():
        count = counting.kept_count(user, counting.active_filters(filterset.form.cleaned_data))
    page = pagination.keyset_paginate(
        request,
        rows,
        per_page=STORY_PAGE_SIZE,
        cap=pagination.SEARCH_COUNT_CAP if searching else None,
        count=count,
    )
    return render(request, "progress/story_list.html", {"filter": filterset, "page": page})


@require_GET
def story_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The story list as it is filtered, as CSV or XLSX (staff and partners' own users)."""
    stories = visible_stories(request.user).order_by("-created_at", "-id")
    return exports.list_download(
        request,
        fmt,
        filterset=StoryFilter(request.GET, queryset=stories, user=request.user),
        filename="stories",
        title=_("Stories"),
        header=story_exports.story_header(),
        rows=story_exports.story_rows,
    )


@require_http_methods(["GET", "POST"])
@never_cache
def story_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (user.is_portal_staff or user.is_partner_user):  # type: ignore[union-attr]
        raise Http404
    story = ChangeStory(**_initial_for(user))
    form = StoryForm(request.POST or None, request.FILES or None, instance=story, user=user)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        return _save(request, form)
    return render(request, "progress/story_form.html", {"form": form, "story": None})


def _initial_for(user: object) -> dict[str, object]:
    return services.story_defaults_for(user)  # type: ignore[arg-type]


@require_http_methods(["GET", "POST"])
@never_cache
def story_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    story = get_story_for_user(user, pk, request=request)
    if not can_edit_story(user, story):
        raise Http404
    form = StoryForm(request.POST or None, request.FILES or None, instance=story, user=user)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        return _save(request, form)
    return render(
        request,
        "progress/story_form.html",
        {"form": form, "story": story, "question": selectors.latest_question(story)},
    )


@denied_as_not_found
def _save(request: HttpRequest, form: StoryForm) -> HttpResponse:
    try:
        story = services.story_save(
            actor=request.user,  # type: ignore[arg-type]
            story=form.instance,
            change_types=form.cleaned_data["change_types"],
            target_groups=form.cleaned_data["target_groups"],
            storyteller_name=form.cleaned_data["storyteller_name"],
            storyteller_contact=form.cleaned_data["storyteller_contact"],
            submit=form.submitting,
            form_token=form.cleaned_data.get("form_token"),
            attachments=form.cleaned_data["attachments"],
        )
    except ValidationError as error:
        add_validation_error(form, error)
        existing = form.instance if form.instance.pk else None
        return render(
            request,
            "progress/story_form.html",
            {
                "form": form,
                "story": existing,
                "question": selectors.latest_question(existing) if existing else None,
            },
        )
    if story.status == ChangeStory.Status.DRAFT:
        messages.success(request, _("Draft saved. You can finish it later."))
    else:
        messages.success(request, _("Thank you. The story is submitted for review."))
    return redirect("story-detail", pk=story.pk)


@require_GET
@never_cache
def story_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    story = get_story_for_user(user, pk, request=request)
    show_history = can_see_story_history(user, story)
    events = story.events.select_related("actor") if show_history else []
    can_review = can_review_story(user, story)
    can_edit = can_edit_story(user, story)
    show_storyteller = can_review or can_edit
    return render(
        request,
        "progress/story_detail.html",
        {
            "story": story,
            "events": events,
            "show_history": show_history,
            "change_types": story.change_types.all(),
            "target_groups": story.target_groups.all(),
            "storyteller": getattr(story, "storyteller", None) if show_storyteller else None,
            "can_review": can_review,
            "can_edit": can_edit,
            "can_withdraw": can_withdraw_consent(user, story)
            and story.consent_withdrawn_at is None,
            "review_actions": _review_actions(story) if can_review else [],
            "review_form": ReviewForm(),
            "comment_form": CommentForm(),
        },
    )


def _review_actions(story: ChangeStory) -> list[tuple[str, str]]:
    labels = dict(ReviewForm.base_fields["action"].choices)  # type: ignore[attr-defined]
    return [
        (action, labels[action])
        for action, (allowed_from, _to) in services.REVIEW_TRANSITIONS.items()
        if story.status in allowed_from
    ]


@require_POST
@denied_as_not_found
def story_review(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    story = get_story_for_user(user, pk, request=request)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the story."))
        return redirect("story-detail", pk=story.pk)
    try:
        services.story_review(
            actor=user,  # type: ignore[arg-type]
            story=story,
            action=form.cleaned_data["action"],
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("story-detail", pk=story.pk)
    messages.success(request, _("Saved."))
    return redirect("story-detail", pk=story.pk)


@require_POST
@denied_as_not_found
def story_comment(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    story = get_story_for_user(user, pk, request=request)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.story_comment(actor=user, story=story, comment=form.cleaned_data["comment"])  # type: ignore[arg-type]
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
    else:
        messages.error(request, _("Write a comment first."))
    return redirect("story-detail", pk=story.pk)


@require_http_methods(["GET", "POST"])
@never_cache
def story_withdraw_consent(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    story = get_story_for_user(user, pk, request=request)
    if not can_withdraw_consent(user, story) or story.consent_withdrawn_at is not None:
        raise Http404
    if request.method == "POST":
        remaining = services.story_withdraw_consent(actor=user, story=story)  # type: ignore[arg-type]
        messages.success(request, _("Consent withdrawn. The storyteller's words are erased."))
        if remaining is None:
            return redirect("story-list")
        return redirect("story-detail", pk=remaining.pk)
    return render(request, "progress/story_withdraw.html", {"story": story})

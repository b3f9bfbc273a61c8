from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dialogues import selectors, services
from dialogues.brief import brief_context
from dialogues.forms import (
    ActionStatusForm,
    CommentForm,
    DialogueFilterForm,
    DialogueForm,
    action_formset,
)
from dialogues.models import AgreedAction, Dialogue
from partners.models import Partner
from partners.selectors import get_partner_for_user, visible_partners
from portal.access import denied_as_not_found
from portal.forms import add_validation_error
from portal.pagination import paginate
from portal.sections import sections_for
from progress.selectors import stories_by_reference, visible_stories


def _reader(request: HttpRequest) -> None:
    user = request.user
    if not (getattr(user, "is_portal_staff", False) or getattr(user, "is_partner_user", False)):
        raise Http404


def _staff(request: HttpRequest) -> None:
    if not getattr(request.user, "is_portal_staff", False):
        raise Http404


@require_GET
def dialogue_list(request: HttpRequest) -> HttpResponse:
    _reader(request)
    user = request.user
    is_staff = getattr(user, "is_portal_staff", False)
    partners = visible_partners(user).order_by("name").only("pk", "name") if is_staff else None
    form = DialogueFilterForm(request.GET or None, partners=partners)
    dialogues = (
        selectors.visible_dialogues(user)
        .select_related("partner")
        .annotate(open_actions=Count("actions", filter=Q(actions__status=AgreedAction.Status.OPEN)))
        .order_by("-held_on", "-pk")
    )
    if form.is_valid():
        if form.cleaned_data.get("partner"):
            dialogues = dialogues.filter(partner=form.cleaned_data["partner"])
        status = form.cleaned_data.get("status")
        if status == "awaiting":
            dialogues = dialogues.exclude(notes="").filter(notes_confirmed_at__isnull=True)
        elif status == "confirmed":
            dialogues = dialogues.filter(notes_confirmed_at__isnull=False)
        elif status == "open_actions":
            dialogues = dialogues.filter(open_actions__gt=0)
    return render(
        request,
        "dialogues/dialogue_list.html",
        {"filter_form": form, "page": paginate(request, dialogues)},
    )


def _dialogue_context(
    request: HttpRequest,
    dialogue: Dialogue,
    *,
    form: Any = None,
    failed_action: int | None = None,
) -> dict[str, Any]:
    user = request.user
    actions = []
    for action in dialogue.actions.select_related("owner_user", "closed_by").order_by(
        "due_on", "pk"
    ):
        status_form = (
            form
            if failed_action == action.pk
            else ActionStatusForm(auto_id=_status_ids(action), initial={"status": action.status})
        )
        actions.append((action, selectors.flags(action), status_form))
    manages = selectors.may_manage(user, dialogue.partner)
    return {
        "dialogue": dialogue,
        "form": form,
        "manages": manages,
        "own_partner": selectors.is_own_partner(user, dialogue.partner_id),
        "actions": actions,
        "staff_participants": dialogue.staff_participants.order_by("username"),
        "partner_participants": dialogue.partner_participants.order_by("username"),
        "stories": visible_stories(user).filter(dialogues=dialogue).order_by("-event_date", "pk"),
        "comments": dialogue.comments.select_related("author"),
        "comment_form": form if isinstance(form, CommentForm) else CommentForm(),
        # What higher apps add (the risks discussed): portal.sections.
        "sections": sections_for("dialogue-detail", request, dialogue),
    }


def _status_ids(action: AgreedAction) -> str:
    # One status form per action on the page: the ids of their fields must differ.
    return f"id_action-{action.pk}-%s"


@require_GET
def dialogue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    dialogue = selectors.get_dialogue_for_user(request.user, pk, request=request)
    return render(request, "dialogues/dialogue_detail.html", _dialogue_context(request, dialogue))


def _formset_errors_to_form(form: DialogueForm, formset: Any) -> None:
    """The error summary at the top of the page reads the dialogue's form: the actions' errors
    are listed there too, each with the action's number."""
    for number, action_form in enumerate(formset.forms, start=1):
        for field, errors in action_form.errors.items():
            label = action_form.fields[field].label if field in action_form.fields else ""
            for error in errors:
                form.add_error(
                    None,
                    _("Action %(number)d: %(field)s — %(error)s")
                    % {"number": number, "field": label, "error": error},
                )
    for error in formset.non_form_errors():
        form.add_error(None, error)


def _choose_partner(request: HttpRequest) -> Partner | None:
    pk = request.GET.get("partner") or request.POST.get("partner")
    if not pk:
        return None
    partner = get_partner_for_user(request.user, pk, request=request)
    if not selectors.may_manage(request.user, partner):
        raise Http404
    return partner


@require_http_methods(["GET", "POST"])
@denied_as_not_found
def dialogue_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Hold a dialogue (with the partner chosen first, and its actions) or edit one."""
    _staff(request)
    user = request.user
    if pk is not None:
        dialogue = selectors.get_dialogue_for_user(user, pk, request=request)
        partner = dialogue.partner
        if not selectors.may_manage(user, partner):
            raise Http404
    else:
        chosen = _choose_partner(request)
        if chosen is None:
            partners = visible_partners(user).order_by("name").only("pk", "name")
            return render(request, "dialogues/dialogue_choose.html", {"partners": partners})
        partner = chosen
        dialogue = Dialogue(partner=partner)
    data = request.POST if request.method == "POST" else None
    form = DialogueForm(data, instance=dialogue, user=user, partner=partner)
    formset, staff = action_formset(data, partner)
    if request.method == "POST":
        form_valid = form.is_valid()
        formset_valid = formset.is_valid()
        if not formset_valid:
            _formset_errors_to_form(form, formset)
        if form_valid and formset_valid:
            drafts = [
                action_form.draft(staff)
                for action_form in formset.forms
                if action_form.has_changed() and action_form.cleaned_data
            ]
            try:
                with_stories = stories_by_reference(
                    request.user, form.cleaned_data["story_references"], partner=partner
                )
                services.dialogue_save(
                    actor=user,
                    dialogue=form.instance,
                    staff_participants=list(form.cleaned_data["staff_participants"]),
                    partner_participants=list(form.cleaned_data["partner_participants"]),
                    stories=with_stories,
                    actions=drafts,
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("The dialogue is saved."))
                return redirect("dialogue-detail", pk=form.instance.pk)
    return render(
        request,
        "dialogues/dialogue_form.html",
        {"form": form, "formset": formset, "dialogue": dialogue, "partner": partner},
    )


@require_POST
@denied_as_not_found
def dialogue_comment(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    dialogue = selectors.get_dialogue_for_user(request.user, pk, request=request)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.dialogue_comment(
                actor=request.user, dialogue=dialogue, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Your comment is added."))
            return redirect("dialogue-detail", pk=dialogue.pk)
    return render(
        request,
        "dialogues/dialogue_detail.html",
        _dialogue_context(request, dialogue, form=form),
    )


@require_POST
@denied_as_not_found
def dialogue_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    dialogue = selectors.get_dialogue_for_user(request.user, pk, request=request)
    try:
        services.notes_confirm(actor=request.user, dialogue=dialogue)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you: the notes are confirmed."))
    return redirect("dialogue-detail", pk=dialogue.pk)


@require_POST
@denied_as_not_found
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    action = selectors.get_action_for_user(request.user, pk)
    form = ActionStatusForm(
        request.POST,
        auto_id=_status_ids(action),
        done_only=not selectors.may_manage(request.user, action.partner),
    )
    if form.is_valid():
        try:
            services.action_set_status(
                actor=request.user,
                action=action,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The action's status is saved."))
            if action.dialogue_id is None:
                return redirect("partner-detail", pk=action.partner_id)
            return redirect("dialogue-detail", pk=action.dialogue_id)
    if action.dialogue_id is None:
        return HttpResponse(
            " ".join(str(error) for errors in form.errors.values() for error in errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    dialogue = selectors.get_dialogue_for_user(request.user, action.dialogue_id, request=request)
    return render(
        request,
        "dialogues/dialogue_detail.html",
        _dialogue_context(request, dialogue, form=form, failed_action=action.pk),
    )


@require_GET
def dialogue_brief(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable page to read before the next dialogue with a partner."""
    _staff(request)
    partner = get_partner_for_user(request.user, pk, request=request)
    if not selectors.may_manage(request.user, partner):
        raise Http404
    context = brief_context(request, partner)
    context["sections"] = sections_for("dialogue-brief", request, partner)
    return render(request, "dialogues/dialogue_brief.html", context)

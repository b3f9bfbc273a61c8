"""Mail pages: one's choices, one-click unsubscribe, newsletters written, previewed, sent and
logged (docs/mail.md)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mailings import messages as mail_messages
from mailings import selectors, services
from mailings.forms import NewsletterForm, PreferenceForm
from mailings.models import Delivery, Newsletter
from portal.access import denied_as_not_found
from portal.forms import add_validation_error, posted
from portal.pagination import paginate


@require_http_methods(["GET", "POST"])
def mail_settings(request: HttpRequest) -> HttpResponse:
    """What the portal may send the signed-in person."""
    user = request.user
    form = PreferenceForm(posted(request), instance=selectors.preference_of(user))  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        services.preference_save(
            actor=user,
            newsletters=form.cleaned_data["newsletters"],
            weekly_digest=form.cleaned_data["weekly_digest"],
        )
        messages.success(request, _("Your choices are saved."))
        return redirect("mail-settings")
    return render(
        request,
        "mailings/settings.html",
        {"form": form, "has_email": bool(getattr(user, "email", ""))},
        status=400 if form.errors else 200,
    )


# A mail program's one-click POST (RFC 8058) carries no CSRF token: the signed URL is the key.
@csrf_exempt
@login_not_required
@require_http_methods(["GET", "POST"])
def mail_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (a link checker opening the URL must not unsubscribe anyone); POST does it."""
    read = mail_messages.read_token(token)
    if read is None:
        return render(request, "mailings/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        services.unsubscribe(token=token)
        return render(request, "mailings/unsubscribe.html", {"done": True, "list": read[1]})
    return render(request, "mailings/unsubscribe.html", {"list": read[1]})


def _writer(request: HttpRequest) -> None:
    if not selectors.may_write(request.user):
        raise Http404


@require_GET
def newsletter_list(request: HttpRequest) -> HttpResponse:
    """The sent log: every newsletter the viewer may read, with its deliveries counted."""
    user = request.user
    if not (getattr(user, "is_portal_staff", False) or getattr(user, "is_network_member", False)):
        raise Http404
    page = paginate(request, selectors.sent_log(selectors.visible_newsletters(user)))
    return render(
        request,
        "mailings/newsletter_list.html",
        {"page": page, "may_write": selectors.may_write(user)},
    )


def _form_page(request: HttpRequest, form: NewsletterForm, heading: str) -> HttpResponse:
    return render(
        request,
        "mailings/newsletter_form.html",
        {"form": form, "heading": heading},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@denied_as_not_found
def newsletter_create(request: HttpRequest) -> HttpResponse:
    _writer(request)
    form = NewsletterForm(posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            newsletter = services.newsletter_save(actor=request.user, newsletter=form.instance)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Saved as a draft. Read it through, then send it."))
            return redirect("newsletter-detail", newsletter.pk)
    return _form_page(request, form, _("Write a newsletter"))


@require_http_methods(["GET", "POST"])
@denied_as_not_found
def newsletter_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _writer(request)
    newsletter = selectors.get_newsletter_for_user(request.user, pk)
    if newsletter.status != Newsletter.Status.DRAFT:
        raise Http404
    form = NewsletterForm(posted(request), instance=newsletter, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.newsletter_save(actor=request.user, newsletter=form.instance)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("newsletter-detail", newsletter.pk)
    return _form_page(request, form, _("Change the newsletter"))


@require_GET
def newsletter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A newsletter as its readers will see it, who it reaches, and once sent, its log."""
    newsletter = selectors.get_newsletter_for_user(request.user, pk)
    deliveries = (
        Delivery.objects.filter(newsletter=newsletter)
        .select_related("user", "user__member_organisation")
        .order_by("user__member_organisation__name", "user__username")
    )
    draft = newsletter.status == Newsletter.Status.DRAFT
    return render(
        request,
        "mailings/newsletter_detail.html",
        {
            "newsletter": newsletter,
            "body_html": mail_messages.as_html(newsletter.body),
            "draft": draft,
            "reaches": selectors.recipients(newsletter).count() if draft else None,
            "audience": selectors.audience(newsletter).count() if draft else None,
            "deliveries": deliveries[:500],
            "may_write": selectors.may_write(request.user),
        },
    )


@require_POST
@denied_as_not_found
def newsletter_send(request: HttpRequest, pk: int) -> HttpResponse:
    _writer(request)
    newsletter = selectors.get_newsletter_for_user(request.user, pk)
    try:
        count = services.newsletter_send(actor=request.user, newsletter=newsletter)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            ngettext(
                "Sending to %(count)d person; the log below fills as the mail goes.",
                "Sending to %(count)d people; the log below fills as the mails go.",
                count,
            )
            % {"count": count},
        )
    return redirect("newsletter-detail", newsletter.pk)

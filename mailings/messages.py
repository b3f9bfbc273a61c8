"""Building the mails: a newsletter's text as written and its HTML (a safe subset of Markdown:
no raw HTML, only web and mail links), each with its recipient's own one-click unsubscribe
address (RFC 8058) and a footer in their language."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

from mailings.models import Newsletter
from portal.models import User
from progress.notices import mail_language

UNSUBSCRIBE_SALT = "mailings.unsubscribe"
LISTS = ("newsletters", "digest")
# Paragraphs, emphasis, lists, links and line breaks; markup typed in the text stays text, and
# markdown-it refuses javascript:, vbscript:, file: and data: links.
_MARKDOWN = MarkdownIt("zero").enable(["emphasis", "link", "list", "newline"])


def as_html(text: str) -> SafeString:
    return mark_safe(_MARKDOWN.render(text))  # noqa: S308 - markdown-it escapes all HTML


def language_of(user: User) -> str:
    return mail_language(user.language)


def unsubscribe_token(user: User, mailing_list: str) -> str:
    return signing.dumps({"u": user.pk, "l": mailing_list}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_token(token: str) -> tuple[int, str] | None:
    """The user and list a token unsubscribes from; None for a token that is not ours."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("l") not in LISTS:
        return None
    user_id = data.get("u")
    return (user_id, data["l"]) if isinstance(user_id, int) else None


def unsubscribe_url(user: User, mailing_list: str) -> str:
    path = reverse("mail-unsubscribe", args=[unsubscribe_token(user, mailing_list)])
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def _message(
    *, user: User, mailing_list: str, subject: str, text: str, html: str
) -> EmailMultiAlternatives:
    url = unsubscribe_url(user, mailing_list)
    message = EmailMultiAlternatives(
        subject,
        text,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def newsletter_message(newsletter: Newsletter, user: User) -> EmailMultiAlternatives:
    url = unsubscribe_url(user, "newsletters")
    context = {"newsletter": newsletter, "body_html": as_html(newsletter.body), "unsubscribe": url}
    with translation.override(language_of(user)):
        text = render_to_string("mailings/mail/newsletter.txt", context)
        html = render_to_string("mailings/mail/newsletter.html", context)
    return _message(
        user=user,
        mailing_list="newsletters",
        subject=" ".join(newsletter.subject.split()),
        text=text,
        html=html,
    )


def digest_message(user: User, context: dict[str, object]) -> EmailMultiAlternatives:
    context = {**context, "unsubscribe": unsubscribe_url(user, "digest"), "user": user}
    with translation.override(language_of(user)):
        subject = " ".join(render_to_string("mailings/mail/digest_subject.txt", context).split())
        text = render_to_string("mailings/mail/digest.txt", context)
        html = render_to_string("mailings/mail/digest.html", context)
    return _message(user=user, mailing_list="digest", subject=subject, text=text, html=html)

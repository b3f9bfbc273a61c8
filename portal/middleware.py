from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation


class RequestSizeLimitMiddleware:
    """Refuses a request whose body is larger than ``MAX_REQUEST_BYTES`` before it is read.

    Django bounds form fields (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but streams files of any size to
    disk; a proxy's limit is a deployment choice this check does not rely on. A body without a
    Content-Length is read by Django as empty, so the declared length is the one to check.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            return render(
                request,
                "413.html",
                {"limit_mb": settings.MAX_REQUEST_BYTES // (1024 * 1024)},
                status=413,
            )
        return self.get_response(request)


class UserLanguageMiddleware:
    """The language a logged-in person chose is theirs on every device, not only in the browser
    where they chose it (the language cookie): after login, their saved choice wins."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user is not None else ""
        if language and user is not None and user.is_authenticated:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


class SecondFactorRequiredMiddleware:
    """Ends any session of an administrator or cleared staff member that skipped the code.

    The login view never creates such a session; this is the guard behind it, so that no other
    path into a session (a future login view, a test helper, a restored cookie) can bypass MFA.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "requires_second_factor", False)
            and not user.is_verified()
        ):
            auth.logout(request)
            return redirect("login")
        return self.get_response(request)


# Session keys of the timeouts below, both in seconds since the epoch.
LOGIN_AT_KEY = "portal_login_at"
LAST_ACTIVITY_KEY = "portal_last_activity_at"
# Last activity is written at most this often, so that browsing does not save the session on
# every request; the idle timeout is therefore exact to within this many seconds.
ACTIVITY_WRITE_INTERVAL = 60


@receiver(user_logged_in)
def _record_login_time(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        now = int(time.time())
        session[LOGIN_AT_KEY] = now
        session[LAST_ACTIVITY_KEY] = now


class SessionTimeoutMiddleware:
    """Ends a session idle for ``SESSION_IDLE_TIMEOUT`` seconds, or ``SESSION_ABSOLUTE_TIMEOUT``
    seconds after login, whichever comes first (ASVS V3.3), and the session of a deactivated
    user. The visitor is sent to the login page, and back to the page asked for after login.

    A session from before this middleware (no login time stored) starts counting now.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            session = request.session
            now = int(time.time())
            login_at = session.setdefault(LOGIN_AT_KEY, now)
            last_activity = session.setdefault(LAST_ACTIVITY_KEY, now)
            if (
                now - login_at >= settings.SESSION_ABSOLUTE_TIMEOUT
                or now - last_activity >= settings.SESSION_IDLE_TIMEOUT
                or not user.is_active
            ):
                auth.logout(request)
                return redirect_to_login(request.get_full_path())
            if now - last_activity >= ACTIVITY_WRITE_INTERVAL:
                session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response the application renders (ASVS V8.2.1).

    Pages here show partner, story and contact data that must not stay in a browser or proxy
    cache after logout. A view that chose its own Cache-Control keeps it. Static files never
    reach this middleware: WhiteNoise, listed before it, answers them with its own caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response

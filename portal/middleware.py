from __future__ import annotations

from collections.abc import Callable

from django.contrib import auth
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


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

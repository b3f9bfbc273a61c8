"""Login in two steps: username and password, then a one-time code where the role needs one."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import match_token, user_has_device

from portal.forms import OneTimeCodeForm
from portal.models import User

logger = logging.getLogger(__name__)

PENDING_USER_KEY = "portal_pending_user_id"
PENDING_BACKEND_KEY = "portal_pending_backend"
PENDING_NEXT_KEY = "portal_pending_next"


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    """Step one. Users who need a second factor are not logged in yet, only remembered."""

    redirect_authenticated_user = True

    def form_valid(self, form: auth_views.AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if not (isinstance(user, User) and user.requires_second_factor):
            return super().form_valid(form)
        # Start from a fresh session so nothing from before the login carries over.
        self.request.session.flush()
        self.request.session[PENDING_USER_KEY] = user.pk
        self.request.session[PENDING_BACKEND_KEY] = user.backend
        self.request.session[PENDING_NEXT_KEY] = _safe_next(
            self.request, self.get_redirect_url() or None
        )
        return redirect("login-otp")


@login_not_required
@sensitive_post_parameters("otp_token")
@csrf_protect
@never_cache
def login_otp(request: HttpRequest) -> HttpResponse:
    """Step two: the one-time code. Only reachable after a correct password."""
    pending_id = request.session.get(PENDING_USER_KEY)
    user = User.objects.filter(pk=pending_id, is_active=True).first() if pending_id else None
    if user is None:
        return redirect("login")
    has_device = user_has_device(user, confirmed=True)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and has_device and form.is_valid():
        device = match_token(user, form.cleaned_data["otp_token"])
        if device is not None:
            next_url = request.session.get(PENDING_NEXT_KEY) or reverse("dashboard")
            auth.login(request, user, backend=request.session[PENDING_BACKEND_KEY])
            otp_login(request, device)
            return HttpResponseRedirect(next_url)
        logger.warning("login.otp_failed user_id=%s", user.pk)
        form.add_error("otp_token", _("That code is not valid. Try the newest one."))
    return render(request, "registration/login_otp.html", {"form": form, "has_device": has_device})


@login_not_required
def admin_login(request: HttpRequest) -> HttpResponse:
    """The Django admin logs in through the portal's own two-step login."""
    next_url = _safe_next(request, request.GET.get("next") or reverse("admin:index"))
    return redirect(f"{reverse('login')}?{urlencode({'next': next_url}, safe='/')}")

"""Login in two steps: username and password, then a one-time code where the role needs one."""

from __future__ import annotations

import logging
from base64 import b32encode
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import qrcode
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathImage

from portal.forms import OneTimeCodeForm, ReplaceAuthenticatorForm
from portal.models import User
from portal.network import client_address
from portal.throttle import throttle_allow

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

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
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


def _pending_user(request: HttpRequest) -> User | None:
    pending_id = request.session.get(PENDING_USER_KEY)
    if not pending_id:
        return None
    return User.objects.filter(pk=pending_id, is_active=True).first()


def _new_device(user: User) -> TOTPDevice:
    """The authenticator being set up: unconfirmed, so unusable, until it gives a valid code."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": gettext_lazy("Authenticator app")}
    )
    return device


def _enrolment(device: TOTPDevice) -> dict[str, str]:
    """What an authenticator app needs: the QR code to scan, and the key to type instead."""
    qr = qrcode.make(device.config_url, image_factory=SvgPathImage, box_size=8)
    return {
        "qr_svg": mark_safe(qr.to_string(encoding="unicode")),  # noqa: S308 - generated here
        "secret": b32encode(device.bin_key).decode(),
    }


def _complete_login(request: HttpRequest, user: User, device: TOTPDevice) -> HttpResponse:
    next_url = request.session.get(PENDING_NEXT_KEY) or reverse("dashboard")
    auth.login(request, user, backend=request.session[PENDING_BACKEND_KEY])
    otp_login(request, device)
    return HttpResponseRedirect(next_url)


@login_not_required
@sensitive_post_parameters("otp_token")
@csrf_protect
@never_cache
def login_otp(request: HttpRequest) -> HttpResponse:
    """Step two: the one-time code. Only reachable after a correct password."""
    user = _pending_user(request)
    if user is None:
        return redirect("login")
    if not user_has_device(user, confirmed=True):
        return redirect("login-otp-setup")
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["otp_token"])
        if isinstance(device, TOTPDevice):
            return _complete_login(request, user, device)
        logger.warning("login.otp_failed user_id=%s", user.pk)
        form.add_error("otp_token", _("That code is not valid. Try the newest one."))
    return render(request, "registration/login_otp.html", {"form": form})


@login_not_required
@sensitive_post_parameters("otp_token")
@csrf_protect
@never_cache
def login_otp_setup(request: HttpRequest) -> HttpResponse:
    """First login of a user who must have a second factor and has none: register one.

    The device stays unconfirmed, and so unusable, until a code from it has been entered.
    """
    user = _pending_user(request)
    if user is None:
        return redirect("login")
    if user_has_device(user, confirmed=True):
        return redirect("login-otp")
    device = _new_device(user)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["otp_token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            logger.info("login.otp_device_registered user_id=%s", user.pk)
            return _complete_login(request, user, device)
        form.add_error("otp_token", _("That code is not valid. Check the clock of your phone."))
    return render(
        request, "registration/login_otp_setup.html", {"form": form, **_enrolment(device)}
    )


@login_not_required
def admin_login(request: HttpRequest) -> HttpResponse:
    """The Django admin logs in through the portal's own two-step login.

    Someone already logged in who may not use the admin (a partner's or a member's user) is sent
    to their overview with a word of why: sending them to the login page would send them straight
    back here, round and round.
    """
    if request.user.is_authenticated:
        messages.info(request, _("The administration pages are for the portal's staff only."))
        return redirect("dashboard")
    next_url = _safe_next(request, request.GET.get("next") or reverse("admin:index"))
    return redirect(f"{reverse('login')}?{urlencode({'next': next_url}, safe='/')}")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset form, with mails rationed per client address and per account.

    Over the address's limit the form says so (the address is the asker's own); over the
    account's limit the usual "sent" page follows without a mail, so that nobody learns whether
    an address has an account by being refused.
    """

    def form_valid(self, form: Any) -> HttpResponse:
        hour = timedelta(hours=1)
        if not throttle_allow(
            scope="reset-address",
            key=client_address(self.request),
            limit=settings.PASSWORD_RESET_PER_ADDRESS_PER_HOUR,
            window=hour,
        ):
            form.add_error(
                None,
                _(
                    "Too many password resets were asked for from your network in the last "
                    "hour. Please try again later."
                ),
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        if not throttle_allow(
            scope="reset-account",
            key=form.cleaned_data["email"].strip().lower(),
            limit=settings.PASSWORD_RESET_PER_ACCOUNT_PER_HOUR,
            window=hour,
        ):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("password", "otp_token")
@csrf_protect
@never_cache
def authenticator_replace(request: HttpRequest) -> HttpResponse:
    """Move the second factor to a new phone: the password again, then a code from the new app.

    Whoever holds an open session (a forgotten browser) must not be able to put their own
    phone in the owner's place (ASVS 6.3): the password is checked through ``authenticate``,
    so failures count toward the lockout like a login's. The old devices go only once the new
    one has produced a valid code, and the session is tied to the new device.
    """
    user = request.user
    if not (isinstance(user, User) and user.requires_second_factor):
        raise Http404
    device = _new_device(user)
    form = ReplaceAuthenticatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        again = auth.authenticate(
            request, username=user.get_username(), password=form.cleaned_data["password"]
        )
        if again is None or again.pk != user.pk:
            logger.warning("authenticator.replace_wrong_password user_id=%s", user.pk)
            form.add_error("password", _("That is not your password."))
        elif not device.verify_token(form.cleaned_data["otp_token"]):
            # Checking the password may have upgraded its stored hash, which would end this
            # session at the next request: keep the session in step with it.
            auth.update_session_auth_hash(request, again)
            form.add_error("otp_token", _("That code is not valid. Check the clock of your phone."))
        else:
            with transaction.atomic():
                TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            auth.update_session_auth_hash(request, again)  # also a new session key
            otp_login(request, device)
            logger.info("authenticator.replaced user_id=%s", user.pk)
            messages.success(
                request, _("Your new authenticator is set up; the old one no longer works.")
            )
            return redirect("dashboard")
    return render(
        request, "registration/authenticator_replace.html", {"form": form, **_enrolment(device)}
    )

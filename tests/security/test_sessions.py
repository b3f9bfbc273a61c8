"""Session lifetime (ASVS V3.3, V3.2.1): idle and absolute timeouts, deactivation, fixation."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from conftest import World
from portal import middleware
from tests.factories import PASSWORD, current_code

START = 1_900_000_000.0


class Clock:
    """Time as the middleware sees it. ``time.time`` is patched module-wide, so not with TOTP."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = START
        monkeypatch.setattr(middleware.time, "time", lambda: self.now)

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


def _login_redirect(path: str) -> str:
    return f"{reverse('login')}?next={path}"


def _logged_in(world: World, clock: Clock, username: str = "officer") -> Client:
    """Logged in through the login view, so that the login time comes from the signal."""
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session[middleware.LOGIN_AT_KEY] == int(START)
    return client


def test_it_has_the_documented_defaults() -> None:
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert settings.SESSION_ABSOLUTE_TIMEOUT == 8 * 60 * 60
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_ABSOLUTE_TIMEOUT


def test_it_ends_a_session_left_idle_too_long(world: World, clock: Clock) -> None:
    client = _logged_in(world, clock)
    clock.advance(settings.SESSION_IDLE_TIMEOUT - 5)
    assert client.get("/partners/").status_code == 200
    clock.advance(settings.SESSION_IDLE_TIMEOUT)
    response = client.get("/partners/")
    assert response.status_code == 302
    assert response["Location"] == _login_redirect("/partners/")
    # Logged out for good: the session no longer holds the user.
    assert "_auth_user_id" not in client.session
    assert client.get("/partners/")["Location"] == _login_redirect("/partners/")


def test_it_keeps_an_active_session_until_the_absolute_timeout(world: World, clock: Clock) -> None:
    client = _logged_in(world, clock)
    step = settings.SESSION_IDLE_TIMEOUT - 60
    elapsed = 0
    while elapsed + step < settings.SESSION_ABSOLUTE_TIMEOUT:
        clock.advance(step)
        elapsed += step
        assert client.get("/partners/").status_code == 200, elapsed
    clock.advance(settings.SESSION_ABSOLUTE_TIMEOUT - elapsed)
    response = client.get("/programmes/")
    assert response.status_code == 302
    assert response["Location"] == _login_redirect("/programmes/")


def test_it_writes_last_activity_at_most_once_a_minute(world: World, clock: Clock) -> None:
    client = _logged_in(world, clock)
    clock.advance(30)
    client.get("/partners/")
    assert client.session[middleware.LAST_ACTIVITY_KEY] == int(START)
    clock.advance(31)
    client.get("/partners/")
    assert client.session[middleware.LAST_ACTIVITY_KEY] == int(START) + 61


def test_it_times_out_a_session_whose_stored_times_are_in_the_past(
    world: World, client_as: Callable[[str], Client]
) -> None:
    client = client_as("staff")
    assert client.get("/partners/").status_code == 200
    session = client.session
    session[middleware.LAST_ACTIVITY_KEY] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 1
    session.save()
    assert client.get("/partners/")["Location"] == _login_redirect("/partners/")

    client = client_as("staff")
    client.get("/partners/")
    session = client.session
    session[middleware.LOGIN_AT_KEY] = int(time.time()) - settings.SESSION_ABSOLUTE_TIMEOUT - 1
    session.save()
    assert client.get("/partners/")["Location"] == _login_redirect("/partners/")


def test_it_counts_from_the_first_request_when_no_login_time_was_stored(
    world: World, client_as: Callable[[str], Client], clock: Clock
) -> None:
    client = client_as("officer")
    session = client.session
    session.pop(middleware.LOGIN_AT_KEY, None)
    session.pop(middleware.LAST_ACTIVITY_KEY, None)
    session.save()
    assert client.get("/partners/").status_code == 200
    assert client.session[middleware.LOGIN_AT_KEY] == int(START)


def test_it_ends_the_sessions_of_a_deactivated_user(
    world: World, client_as: Callable[[str], Client]
) -> None:
    clients = [client_as("officer"), client_as("officer")]
    for client in clients:
        assert client.get("/partners/").status_code == 200
    user = world.users["officer"]
    user.is_active = False
    user.save(update_fields=["is_active"])
    for client in clients:
        assert client.get("/partners/")["Location"] == _login_redirect("/partners/")


def test_it_issues_a_new_session_key_at_each_login_step(world: World) -> None:
    # A session that exists before login, as one planted by an attacker would.
    client = Client()
    client.get(reverse("login"))
    session = client.session
    session["planted"] = True
    session.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value

    response = client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    assert response["Location"] == reverse("login-otp")
    after_password = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after_password != before
    assert "planted" not in client.session

    response = client.post(reverse("login-otp"), {"otp_token": current_code()})
    assert response.status_code == 302
    after_code = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after_code not in (before, after_password)
    assert client.get(reverse("dashboard")).status_code == 200
    assert abs(client.session[middleware.LOGIN_AT_KEY] - time.time()) < 60


def test_it_issues_a_new_session_key_at_a_password_only_login(world: World) -> None:
    client = Client()
    client.get(reverse("login"))
    session = client.session
    session["planted"] = True
    session.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("login"), {"username": "partner", "password": PASSWORD})
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before
    assert client.session.get("_auth_user_id") == str(world.users["partner"].pk)


def test_a_new_authenticator_needs_the_password_again(
    world: World, client_as: Callable[[str], Client]
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    staff = world.users["staff"]
    old = TOTPDevice.objects.get(user=staff, confirmed=True)
    client = client_as("staff")
    url = reverse("authenticator-replace")
    assert client.get(url).status_code == 200
    new = TOTPDevice.objects.get(user=staff, confirmed=False)
    # An open session alone is not enough: without the password nothing changes.
    response = client.post(
        url, {"password": "not-the-password", "otp_token": current_code(new.key)}
    )
    assert "That is not your password." in response.content.decode()
    assert TOTPDevice.objects.filter(pk=old.pk, confirmed=True).exists()
    response = client.post(url, {"password": PASSWORD, "otp_token": "000000"})
    assert "That code is not valid" in response.content.decode()
    # django-otp throttles a device for a second after a wrong code; a person is slower.
    new.refresh_from_db()
    new.throttle_reset()
    response = client.post(url, {"password": PASSWORD, "otp_token": current_code(new.key)})
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert response["Location"] == reverse("dashboard"), response["Location"]
    assert list(TOTPDevice.objects.filter(user=staff).values_list("pk", "confirmed")) == [
        (new.pk, True)
    ]
    # The session goes on, tied to the new device.
    assert client.get(reverse("dashboard")).status_code == 200
    # Accounts without a second factor have no such page.
    assert client_as("officer").get(url).status_code == 404

"""Login in two steps, the second factor for cleared roles, throttling, and the health check."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from conftest import World
from tests import factories
from tests.factories import PASSWORD, current_code


def _password_step(
    client: Client, username: str, password: str = PASSWORD, next_url: str = ""
) -> Any:
    url = reverse("login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": username, "password": password})


def test_it_logs_a_partner_user_in_with_the_password_alone(world: World, client: Client) -> None:
    response = _password_step(client, "partner")
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard"))["Location"] == reverse(
        "partner-detail", args=[world.alpha.pk]
    )


@pytest.mark.parametrize("username", ["admin", "staff"])
def test_it_asks_cleared_users_for_the_code_before_logging_them_in(
    world: World, client: Client, username: str
) -> None:
    response = _password_step(client, username, next_url="/programmes/")
    assert response["Location"] == reverse("login-otp")
    # Not logged in yet: the dashboard still sends the visitor to the login page.
    assert client.get(reverse("dashboard")).status_code == 302
    response = client.post(reverse("login-otp"), {"otp_token": current_code()})
    assert response.status_code == 302
    assert response["Location"] == "/programmes/"
    assert client.get(reverse("dashboard")).status_code == 200


def test_it_refuses_a_wrong_code_with_a_message(world: World, client: Client) -> None:
    _password_step(client, "staff")
    valid = current_code()
    wrong = f"{(int(valid) + 1) % 1_000_000:06d}"
    response = client.post(reverse("login-otp"), {"otp_token": wrong})
    assert response.status_code == 200
    assert "not valid" in response.content.decode()
    assert client.get(reverse("dashboard")).status_code == 302


def test_it_sends_the_code_step_back_to_the_password_step_without_a_password(
    client: Client, db: None
) -> None:
    assert client.get(reverse("login-otp"))["Location"] == reverse("login")


def test_it_ends_a_cleared_session_that_skipped_the_code(world: World, client: Client) -> None:
    client.force_login(world.users["staff"])
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_it_ignores_an_offsite_next_url(world: World, client: Client) -> None:
    _password_step(client, "staff", next_url="https://evil.example/")
    response = client.post(reverse("login-otp"), {"otp_token": current_code()})
    assert response["Location"] == reverse("dashboard")


def test_it_locks_out_after_repeated_failures(
    world: World, client: Client, settings: object
) -> None:
    for _ in range(5):
        response = _password_step(client, "partner", password="wrong password")
        assert response.status_code in (200, 429)
    response = _password_step(client, "partner")
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()


def test_it_sends_the_admin_login_through_the_portal_login(client: Client, db: None) -> None:
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/admin/"


@pytest.mark.parametrize(
    ("role", "expected"),
    [("admin", 200), ("staff", 200), ("officer", 200), ("partner", 302), ("member", 302)],
)
def test_it_opens_the_admin_to_staff_roles_only(
    client_as: Callable[[str], Client], role: str, expected: int
) -> None:
    assert client_as(role).get("/admin/").status_code == expected


def test_it_reports_health_without_login(client: Client, db: None) -> None:
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    broker = "ok" if settings.REDIS_URL else "eager"
    assert response.json() == {"database": "ok", "broker": broker}


def test_it_switches_language_without_login(client: Client, db: None) -> None:
    response = client.post(reverse("set_language"), {"language": "sv", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert "Logga in" in client.get(reverse("login")).content.decode()


def test_it_resets_a_forgotten_password_by_e_mail(
    world: World, client: Client, mailoutbox: list
) -> None:
    user = world.users["partner"]
    response = client.post(reverse("password_reset"), {"email": user.email})
    assert response["Location"] == reverse("password_reset_done")
    assert len(mailoutbox) == 1
    link = next(
        line for line in mailoutbox[0].body.splitlines() if "/accounts/password/reset/" in line
    )
    form_url = client.get(link.replace("http://testserver", ""))["Location"]
    new_password = "a much longer passphrase 2026"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response["Location"] == reverse("password_reset_complete")
    assert _password_step(client, "partner", password=new_password)["Location"] == reverse(
        "dashboard"
    )


def test_it_refuses_a_weak_new_password_with_a_message(
    world: World, client_as: Callable[[str], Client]
) -> None:
    response = client_as("partner").post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "password123", "new_password2": "password123"},
    )
    assert response.status_code == 200
    assert "too common" in response.content.decode()


def test_it_accepts_a_64_character_password(
    world: World, client_as: Callable[[str], Client]
) -> None:
    long_password = "correct horse battery staple " * 2 + "sixty4"
    assert len(long_password) == 64
    response = client_as("partner").post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": long_password, "new_password2": long_password},
    )
    assert response["Location"] == reverse("password_change_done")


def test_it_registers_an_authenticator_at_the_first_cleared_login(
    world: World, client: Client
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    cleared = factories.UserFactory.create(username="newcomer", is_cleared=True)
    assert _password_step(client, "newcomer")["Location"] == reverse("login-otp")
    assert client.get(reverse("login-otp"))["Location"] == reverse("login-otp-setup")
    page = client.get(reverse("login-otp-setup"))
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=cleared)
    assert not device.confirmed
    # A wrong code confirms nothing.
    wrong = f"{(int(current_code(device.key)) + 1) % 1_000_000:06d}"
    assert client.post(reverse("login-otp-setup"), {"otp_token": wrong}).status_code == 200
    device.refresh_from_db()
    assert not device.confirmed
    # django-otp throttles a device after a failure (1 s, doubling); skip the wait.
    device.throttle_reset()
    response = client.post(reverse("login-otp-setup"), {"otp_token": current_code(device.key)})
    assert response["Location"] == reverse("dashboard")
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("dashboard")).status_code == 200


def test_it_does_not_offer_a_new_authenticator_to_a_user_who_has_one(
    world: World, client: Client
) -> None:
    _password_step(client, "staff")
    assert client.get(reverse("login-otp-setup"))["Location"] == reverse("login-otp")


PROXY = "10.0.0.2"


def _through_proxy(client: Client, username: str, password: str, forwarded_for: str) -> Any:
    """A login attempt as a reverse proxy passes it on: from the proxy's address, with the
    address the proxy saw appended to X-Forwarded-For."""
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_it_locks_out_the_attacker_behind_a_proxy_not_the_real_user(
    world: World, settings: Any
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        # The attacker also writes a victim's address into the header; the proxy appends its own
        # view of the attacker, which is the entry that counts.
        _through_proxy(attacker, "admin", "wrong password", "198.51.100.7, 203.0.113.9")
    assert _through_proxy(attacker, "admin", PASSWORD, "203.0.113.9").status_code == 429
    response = _through_proxy(Client(), "admin", PASSWORD, "198.51.100.7")
    assert response.status_code == 302
    assert response["Location"] == reverse("login-otp")


def test_it_ignores_x_forwarded_for_without_a_trusted_proxy(world: World, settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    for index in range(settings.AXES_FAILURE_LIMIT):
        # A different claimed address each time: without a trusted proxy the header counts for
        # nothing, so the attempts add up on the connection's address.
        _through_proxy(Client(), "partner", "wrong password", f"192.0.2.{index}")
    assert _through_proxy(Client(), "partner", PASSWORD, "192.0.2.99").status_code == 429


def test_it_rations_password_reset_mails_per_account_without_saying_so(
    world: World, client: Client, mailoutbox: list, settings: Any
) -> None:
    email = world.users["partner"].email
    sent = []
    for index in range(settings.PASSWORD_RESET_PER_ACCOUNT_PER_HOUR + 3):
        response = client.post(
            reverse("password_reset"), {"email": email}, REMOTE_ADDR=f"192.0.2.{index}"
        )
        # Refused or not, the same page: nobody learns whether the address has an account.
        assert response["Location"] == reverse("password_reset_done")
        sent.append(len(mailoutbox))
    assert len(mailoutbox) == settings.PASSWORD_RESET_PER_ACCOUNT_PER_HOUR
    print(f"password reset: {len(sent)} asked for one account, {len(mailoutbox)} mails sent")


def test_it_rations_password_resets_per_client_address_with_a_message(
    world: World, client: Client, mailoutbox: list, settings: Any
) -> None:
    for index in range(settings.PASSWORD_RESET_PER_ADDRESS_PER_HOUR):
        client.post(reverse("password_reset"), {"email": f"nobody{index}@example.org"})
    response = client.post(reverse("password_reset"), {"email": world.users["partner"].email})
    assert response.status_code == 429
    assert "Too many password resets" in response.content.decode()
    assert mailoutbox == []


@pytest.mark.parametrize("role", ["partner", "member"])
def test_it_sends_a_user_without_admin_access_to_the_overview_not_round_in_circles(
    client_as: Callable[[str], Client], role: str
) -> None:
    # The test client raises RedirectCycleError on a loop.
    response = client_as(role).get("/admin/", follow=True)
    assert response.status_code == 200
    assert len(response.redirect_chain) <= 4
    assert "for the portal&#x27;s staff only" in response.content.decode()

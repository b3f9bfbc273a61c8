"""Every page built so far, as every demo role: allowed, 404 outside scope, login for anonymous."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from conftest import ROLES, World
from portal.models import AccessLog
from tests.results import builders as results_builders

OK, NOT_FOUND, TO_OWN_PARTNER = 200, 404, "own-partner"
STAFF_ROLES = ("admin", "staff", "officer")
PARTNER_ROLES = ("partner", "partner2", "secret")


def _expect(**per_role: object) -> dict[str, object]:
    return {role: per_role.get(role, per_role.get("default")) for role in ROLES}


# (url name, object attribute on World or None, expected outcome per role)
PAGES: list[tuple[str, str | None, dict[str, object]]] = [
    ("dashboard", None, _expect(default=OK, **dict.fromkeys(PARTNER_ROLES, TO_OWN_PARTNER))),
    ("partner-list", None, _expect(default=OK)),
    (
        "partner-detail",
        "alpha",
        _expect(default=NOT_FOUND, **dict.fromkeys((*STAFF_ROLES, "partner", "member"), OK)),
    ),
    (
        "partner-detail",
        "beta",
        _expect(default=NOT_FOUND, **dict.fromkeys((*STAFF_ROLES, "partner2", "member"), OK)),
    ),
    ("partner-detail", "hidden", _expect(default=NOT_FOUND, admin=OK, staff=OK, secret=OK)),
    ("program-list", None, _expect(default=OK)),
    ("program-detail", "program", _expect(default=OK)),
    (
        "project-detail",
        "alpha_project",
        _expect(default=NOT_FOUND, **dict.fromkeys((*STAFF_ROLES, "partner", "member"), OK)),
    ),
    ("project-detail", "hidden_project", _expect(default=NOT_FOUND, admin=OK, staff=OK, secret=OK)),
    ("network-list", None, _expect(default=OK)),
    ("iati-check", None, _expect(default=NOT_FOUND, **dict.fromkeys(STAFF_ROLES, OK))),
    ("story-list", None, _expect(default=OK)),
    ("link-list", None, _expect(default=OK, member=NOT_FOUND)),
    ("link-create", None, _expect(default=OK, member=NOT_FOUND)),
    ("story-create", None, _expect(default=OK, member=NOT_FOUND)),
    (
        "story-detail",
        "alpha_story",
        _expect(default=NOT_FOUND, **dict.fromkeys((*STAFF_ROLES, "partner", "member"), OK)),
    ),
    ("story-detail", "hidden_story", _expect(default=NOT_FOUND, admin=OK, staff=OK, secret=OK)),
    (
        "network-detail",
        "network",
        _expect(default=NOT_FOUND, **dict.fromkeys((*STAFF_ROLES, "member"), OK)),
    ),
]

CASES = [
    pytest.param(name, attr, role, expected[role], id=f"{name}-{attr or 'list'}-{role}")
    for name, attr, expected in PAGES
    for role in ROLES
]


def _url(world: World, name: str, attr: str | None) -> str:
    if attr is None:
        return reverse(name)
    return reverse(name, args=[getattr(world, attr).pk])


@pytest.mark.parametrize(("name", "attr", "role", "expected"), CASES)
def test_it_answers_each_role_as_the_rules_say(
    world: World,
    client_as: Callable[[str], Client],
    name: str,
    attr: str | None,
    role: str,
    expected: object,
) -> None:
    response = client_as(role).get(_url(world, name, attr))
    if expected == TO_OWN_PARTNER:
        assert response.status_code == 302
        assert response["Location"] == reverse(
            "partner-detail", args=[world.users[role].partner_id]
        )
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(
    ("name", "attr"), sorted({(name, attr) for name, attr, _ in PAGES}, key=str)
)
def test_it_sends_anonymous_visitors_to_the_login_page(
    world: World, client: Client, name: str, attr: str | None
) -> None:
    url = _url(world, name, attr)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("url", ["/partners/not-a-number/", "/partners/99999999/", "/projects/0/"])
def test_it_answers_404_for_unknown_ids(client_as: Callable[[str], Client], url: str) -> None:
    assert client_as("staff").get(url).status_code == 404


def test_it_refuses_writes_on_read_only_pages(
    world: World, client_as: Callable[[str], Client]
) -> None:
    assert client_as("staff").post(reverse("partner-list")).status_code == 405


def test_it_logs_each_read_of_a_confidential_record(
    world: World, client_as: Callable[[str], Client]
) -> None:
    client_as("staff").get(reverse("partner-detail", args=[world.hidden.pk]))
    client_as("staff").get(reverse("project-detail", args=[world.hidden_project.pk]))
    client_as("staff").get(reverse("partner-detail", args=[world.alpha.pk]))
    logged = sorted(AccessLog.objects.values_list("user__username", "object_type", "object_id"))
    assert logged == [
        ("staff", "partners.partner", str(world.hidden.pk)),
        ("staff", "programs.project", str(world.hidden_project.pk)),
    ]


@pytest.mark.parametrize("role", ["officer", "partner", "partner2", "member"])
def test_it_never_shows_a_confidential_partner_to_the_uncleared(
    world: World, client_as: Callable[[str], Client], role: str
) -> None:
    client = client_as(role)
    secrets = [
        "Story of Hidden Rainbow Union",
        "Hidden Rainbow Union",
        "Contact of Hidden Rainbow Union",
        "Izmir",
        world.hidden_project.title,
    ]
    for name, attr, _ in PAGES:
        for query in ("", "?q=Hidden", "?q=Rainbow&country=TR", "?focus_area=democracy"):
            response = client.get(_url(world, name, attr) + query, follow=True)
            body = response.content.decode()
            for secret in secrets:
                assert secret not in body, f"{secret!r} leaked on {name} for {role}"


def test_it_shows_cleared_staff_the_confidential_partner_with_a_warning(
    world: World, client_as: Callable[[str], Client]
) -> None:
    response = client_as("staff").get(reverse("partner-list"))
    assert "Hidden Rainbow Union" in response.content.decode()
    detail = client_as("staff").get(reverse("partner-detail", args=[world.hidden.pk]))
    assert world.hidden.pseudonym in detail.content.decode()


def test_it_shows_a_partner_user_only_its_own_organisation(
    world: World, client_as: Callable[[str], Client]
) -> None:
    body = client_as("partner").get(reverse("partner-list")).content.decode()
    assert "Frente de Mujeres Alfa" in body
    assert "Sindicato Beta" not in body


def test_it_filters_partners_by_country_kind_status_and_search(
    world: World, client_as: Callable[[str], Client]
) -> None:
    client = client_as("officer")
    body = client.get(reverse("partner-list"), {"country": "CO"}).content.decode()
    assert "Sindicato Beta" in body and "Frente de Mujeres Alfa" not in body
    body = client.get(reverse("partner-list"), {"q": "mujeres"}).content.decode()
    assert "Frente de Mujeres Alfa" in body and "Sindicato Beta" not in body
    body = client.get(reverse("partner-list"), {"status": "ended"}).content.decode()
    assert "Frente de Mujeres Alfa" not in body


def test_it_offers_only_countries_the_viewer_may_see_in_the_filter(
    world: World, client_as: Callable[[str], Client]
) -> None:
    officer_body = client_as("officer").get(reverse("partner-list")).content.decode()
    staff_body = client_as("staff").get(reverse("partner-list")).content.decode()
    assert 'value="TR"' not in officer_body
    assert 'value="TR"' in staff_body


def test_it_reports_a_bad_filter_value_as_a_form_error(
    world: World, client_as: Callable[[str], Client]
) -> None:
    response = client_as("officer").get(reverse("partner-list"), {"kind": "<script>", "page": "x"})
    assert response.status_code == 200
    assert b"<script>" not in response.content


# A project's results report of 2025: its partner's own users and the staff who see the project
# (officers not a confidential partner's); never another partner or a network member.
REPORT_PAGES = [
    (
        "alpha_project",
        _expect(default=NOT_FOUND, **dict.fromkeys((*STAFF_ROLES, "partner"), OK)),
    ),
    ("hidden_project", _expect(default=NOT_FOUND, admin=OK, staff=OK, secret=OK)),
]


@pytest.mark.parametrize(
    ("attr", "role", "expected"),
    [(attr, role, expected[role]) for attr, expected in REPORT_PAGES for role in ROLES],
)
def test_it_opens_a_results_report_to_whom_the_rules_say(
    world: World, client_as: Callable[[str], Client], attr: str, role: str, expected: int
) -> None:
    results_builders.report_framework(world)
    url = reverse("result-report", args=[getattr(world, attr).pk, "2025"])
    assert client_as(role).get(url).status_code == expected
    anonymous = Client().get(url)
    assert anonymous["Location"] == f"{reverse('login')}?next={url}"

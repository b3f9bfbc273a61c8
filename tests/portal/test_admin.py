"""The Django admin obeys the same access rules as the pages."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from conftest import World

CONFIDENTIAL_WORDS = ("Hidden Rainbow Union", "Contact of Hidden Rainbow Union", "Izmir")


def _changelists() -> list[str]:
    return [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]


@pytest.mark.parametrize("role", ["admin", "staff", "officer"])
def test_it_opens_every_changelist_a_staff_role_may_use(
    world: World, client_as: Callable[[str], Client], role: str
) -> None:
    client = client_as(role)
    for url in _changelists():
        response = client.get(url)
        # 403 where the role has no permission for that model (users, access log for staff).
        assert response.status_code in (200, 403), url
        if role == "officer":
            body = response.content.decode()
            for word in CONFIDENTIAL_WORDS:
                assert word not in body, f"{word!r} on {url}"


def test_it_keeps_officers_away_from_users_and_the_access_log(
    world: World, client_as: Callable[[str], Client]
) -> None:
    client = client_as("officer")
    assert client.get(reverse("admin:portal_user_changelist")).status_code == 403
    assert client.get(reverse("admin:portal_accesslog_changelist")).status_code == 403


def test_it_answers_404_for_a_confidential_partner_in_the_officer_admin(
    world: World, client_as: Callable[[str], Client]
) -> None:
    client = client_as("officer")
    url = reverse("admin:partners_partner_change", args=[world.hidden.pk])
    # The admin redirects to its index with a "doesn't exist" message for unknown objects.
    response = client.get(url)
    assert response.status_code == 302
    assert "Hidden Rainbow Union" not in client.get(response["Location"]).content.decode()


def test_it_leaves_confidential_partners_out_of_officer_choice_lists(
    world: World, client_as: Callable[[str], Client]
) -> None:
    client = client_as("officer")
    body = client.get(reverse("admin:programs_project_add")).content.decode()
    assert "Hidden Rainbow Union" not in body
    autocomplete = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "programs",
            "model_name": "project",
            "field_name": "partner",
            "term": "Hidden",
        },
    )
    assert autocomplete.status_code == 200
    assert autocomplete.json()["results"] == []


def test_it_shows_cleared_staff_everything(
    world: World, client_as: Callable[[str], Client]
) -> None:
    body = client_as("staff").get(reverse("admin:partners_partner_changelist")).content.decode()
    assert "Hidden Rainbow Union" in body


def test_it_offers_officers_no_delete(world: World, client_as: Callable[[str], Client]) -> None:
    client = client_as("officer")
    url = reverse("admin:programs_program_delete", args=[world.program.pk])
    assert client.get(url).status_code == 403


def _partner_form(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Nueva Alianza",
        "kind": "csos",
        "status": "active",
        "country": "GT",
        "region": "",
        "website": "",
        "description": "",
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    data.update(overrides)
    return data


def test_it_shows_no_pseudonym_before_the_partner_is_saved(
    world: World, client_as: Callable[[str], Client]
) -> None:
    body = client_as("admin").get(reverse("admin:partners_partner_add")).content.decode()
    assert "field-pseudonym" not in body


def test_it_takes_the_region_from_the_country_or_asks_for_it_in_words(
    world: World, client_as: Callable[[str], Client]
) -> None:
    from partners.models import Partner

    client = client_as("admin")
    kind = Partner.Kind.values[0]
    response = client.post(reverse("admin:partners_partner_add"), _partner_form(kind=kind))
    assert response.status_code == 302, response.content.decode()[:3000]
    partner = Partner.objects.get(name="Nueva Alianza")
    assert partner.region == "latam"
    assert partner.pseudonym.startswith("Partner ")
    response = client.post(
        reverse("admin:partners_partner_add"),
        _partner_form(kind=kind, name="Polar station", country="AQ"),
    )
    assert response.status_code == 200
    assert "No region is known for Antarctica: choose the region." in response.content.decode()

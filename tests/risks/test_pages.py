"""The register's pages: recording, editing, reassessing through the forms; bad input as form
errors or a 400 with a reason; and the queries of each page pinned, measured at two sizes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from risks.models import Risk, RiskReassessment
from tests import factories
from tests.risks.conftest import Register


def _form(register: Register, **overrides: Any) -> dict[str, Any]:
    data = {
        "partner": register.world.beta.pk,
        "project": register.world.beta_project.pk,
        "title": "Strike fund misused",
        "category": "financial",
        "likelihood": "2",
        "impact": "4",
        "description": "Cash kept at the office.",
        "mitigation": "Monthly bank reconciliation.",
        "owner": register.world.users["officer"].pk,
        "next_review": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_staff_record_a_risk_through_the_form(
    register: Register, client_as: Callable[[str], Client]
) -> None:
    response = client_as("officer").post(reverse("risk-create"), _form(register))
    risk = Risk.objects.get(title="Strike fund misused")
    assert response["Location"] == reverse("risk-detail", args=[risk.pk])
    assert (risk.score, risk.created_by, risk.project) == (
        8,
        register.world.users["officer"],
        register.world.beta_project,
    )


@pytest.mark.parametrize(
    "overrides",
    [
        {"likelihood": "6"},
        {"impact": "0"},
        {"likelihood": "x"},
        {"partner": "hidden"},
        {"project": "alpha"},
        {"owner": "partner"},
        {"next_review": "not a date"},
        {"title": ""},
        {"category": "weather"},
    ],
)
def test_bad_input_is_a_form_error_and_saves_nothing(
    register: Register, client_as: Callable[[str], Client], overrides: dict[str, str]
) -> None:
    values = {
        "hidden": register.world.hidden.pk,  # an officer may not choose it
        "alpha": register.world.alpha_project.pk,  # another partner's project
        "partner": register.world.users["partner"].pk,  # not staff
    }
    data = _form(register, **{key: values.get(value, value) for key, value in overrides.items()})
    before = Risk.objects.count()
    response = client_as("officer").post(reverse("risk-create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "error-summary" in response.content.decode()
    assert Risk.objects.count() == before


def test_editing_keeps_likelihood_impact_and_partner(
    register: Register, client_as: Callable[[str], Client]
) -> None:
    client = client_as("staff")
    url = reverse("risk-edit", args=[register.alpha.pk])
    page = client.get(url).content.decode()
    assert 'name="likelihood"' not in page and 'name="partner"' not in page
    data = _form(
        register,
        partner=None,
        likelihood="1",
        impact="1",
        project=register.world.alpha_project.pk,
        title="Smear campaign, now online",
    )
    response = client.post(url, data)
    assert response.status_code == 302
    risk = Risk.objects.get(pk=register.alpha.pk)
    assert (risk.title, risk.likelihood, risk.impact, risk.partner) == (
        "Smear campaign, now online",
        3,
        4,
        register.world.alpha,
    )


def test_reassessing_through_the_form_shows_the_history(
    register: Register, client_as: Callable[[str], Client]
) -> None:
    client = client_as("officer")
    url = reverse("risk-reassess", args=[register.alpha.pk])
    unchanged = client.post(url, {"likelihood": "3", "impact": "4"})
    assert unchanged.status_code == 200 and unchanged.context["form"].errors
    off_scale = client.post(url, {"likelihood": "7", "impact": "4"})
    assert off_scale.status_code == 200 and off_scale.context["form"].errors
    assert not RiskReassessment.objects.exists()
    response = client.post(url, {"likelihood": "5", "impact": "4", "note": "Escalating."})
    assert response.status_code == 302
    body = client.get(response["Location"]).content.decode()
    assert "12 → <strong>20</strong>" in body
    assert "officer" in body and "Escalating." in body


def test_close_and_share_answer_a_bad_value_with_a_400_and_a_reason(
    register: Register, client_as: Callable[[str], Client]
) -> None:
    client = client_as("staff")
    for name, data in (("risk-status", {"status": "maybe"}), ("risk-share", {"shared": "2"})):
        response = client.post(reverse(name, args=[register.alpha.pk]), data)
        assert response.status_code == 400
        assert "not understood" in response.content.decode()
    assert Risk.objects.get(pk=register.alpha.pk).status == Risk.Status.OPEN
    client.post(reverse("risk-status", args=[register.alpha.pk]), {"status": "closed"})
    assert Risk.objects.get(pk=register.alpha.pk).status == Risk.Status.CLOSED


def test_the_register_filters_by_partner_category_status_and_overdue_review(
    register: Register, client_as: Callable[[str], Client]
) -> None:
    overdue = factories.RiskFactory.create(
        partner=register.world.beta, next_review=dt.date.today() - dt.timedelta(days=1)
    )
    client = client_as("staff")

    def titles(query: str) -> set[str]:
        page = client.get(f"{reverse('risk-list')}?{query}").context["page"]
        return {risk.title for risk in page}

    assert titles(f"partner={register.world.alpha.pk}") == {
        register.alpha.title,
        register.alpha_unshared.title,
    }
    assert titles("category=security") == {register.beta.title, register.hidden.title}
    assert titles("review=overdue") == {overdue.title}
    assert titles("status=closed") == set()


# --- Queries --------------------------------------------------------------------------------------


def _grow(register: Register, count: int) -> None:
    staff = register.world.users["staff"]
    for index in range(count):
        for partner in (register.world.alpha, register.world.beta, register.world.hidden):
            risk = factories.RiskFactory.create(
                partner=partner,
                project=register.world.alpha_project if partner == register.world.alpha else None,
                owner=staff,
                shared_with_partner=True,
                category=["security", "political", "conflict"][index % 3],
                likelihood=1 + index % 5,
                impact=1 + (index * 2) % 5,
                next_review=dt.date.today() + dt.timedelta(days=index % 20 - 5),
            )
            RiskReassessment.objects.create(
                risk=register.alpha,
                assessed_by=staff,
                old_likelihood=1,
                old_impact=1,
                new_likelihood=2,
                new_impact=2,
            )
            risk.comments.create(author=staff, text="More.")
            register.alpha.comments.create(author=staff, text="More on Alpha.")


# (role, url name, the page's own queries after the session's). Cleared staff's session costs 3
# (session, user, second-factor device), others' 2.
PAGES = [
    # a count, the partners and programmes of the filter, a page of risks with their partners
    # and owners
    ("staff", "risk-list", 4),
    # the programmes of the filter, then the matrix, then the region and category table
    ("staff", "risk-heat-map", 3),
    # an officer's map: the same, and the count of what they may not open
    ("officer", "risk-heat-map", 4),
    # the risk with its partner, project and owner; the access log row (confidential only: not
    # here); its history; its comments
    ("staff", "risk-detail", 3),
    ("partner", "risk-detail", 2),
    # a partner's users have no partner or programme to choose: a count and a page
    ("partner", "risk-list", 2),
]


@pytest.mark.parametrize(("role", "name", "queries"), PAGES)
def test_its_pages_run_a_constant_number_of_queries(
    register: Register,
    client_as: Callable[[str], Client],
    django_assert_num_queries: DjangoAssertNumQueries,
    role: str,
    name: str,
    queries: int,
) -> None:
    client = client_as(role)
    url = reverse(name, args=[register.alpha.pk] if name == "risk-detail" else [])
    session = 3 if role == "staff" else 2
    for grow in (0, 30):
        _grow(register, grow)
        with django_assert_num_queries(session + queries):
            assert client.get(url).status_code == 200


# The pages of lower apps that show risks: their queries with and without many risks are equal.
SECTION_PAGES = [
    ("staff", "partner-detail"),
    ("partner", "partner-detail"),
    ("staff", "project-detail"),
    ("staff", "dashboard"),
]


@pytest.mark.parametrize(("role", "name"), SECTION_PAGES)
def test_the_sections_run_a_constant_number_of_queries(
    register: Register,
    client_as: Callable[[str], Client],
    django_assert_num_queries: DjangoAssertNumQueries,
    role: str,
    name: str,
) -> None:
    client = client_as(role)
    args = {
        "partner-detail": [register.world.alpha.pk],
        "project-detail": [register.world.alpha_project.pk],
        "dashboard": [],
    }[name]
    url = reverse(name, args=args)
    client.get(url)  # warm caches (content types, translations)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(register, 30)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
    assert SECTION_QUERIES[(role, name)] == _risk_queries(small.captured_queries)


SECTION_QUERIES = {
    # the partner's open risks (one query, sliced)
    ("staff", "partner-detail"): 1,
    ("partner", "partner-detail"): 1,
    # the project's risks
    ("staff", "project-detail"): 1,
    # the user's reviews due
    ("staff", "dashboard"): 1,
}


def _risk_queries(captured: list[dict[str, str]]) -> int:
    return sum(1 for query in captured if '"risks_risk"' in query["sql"])


def test_the_register_lists_open_risks_first_by_their_next_review(
    register: Register, client_as: Callable[[str], Client]
) -> None:
    closed = factories.RiskFactory.create(
        partner=register.world.beta,
        status=Risk.Status.CLOSED,
        next_review=dt.date.today() - dt.timedelta(days=100),
    )
    page = client_as("staff").get(reverse("risk-list")).context["page"]
    risks = list(page)
    assert risks[-1] == closed
    open_reviews = [risk.next_review for risk in risks[:-1]]
    assert open_reviews == sorted(open_reviews)

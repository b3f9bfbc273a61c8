"""Who reads which risks (DESIGN §4): roles against own, foreign and confidential partners' risks,
and an officer who meets no word of the confidential partner's risks anywhere."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from portal.models import AccessLog
from risks import services
from risks.models import Risk
from risks.selectors import countable_risks, reviews_due_soon, reviews_overdue, visible_risks
from tests import factories
from tests.risks.conftest import Register


def _titles(register: Register, role: str) -> set[str]:
    return set(visible_risks(register.world.users[role]).values_list("title", flat=True))


def test_each_role_reads_the_risks_the_rules_give_it(register: Register) -> None:
    every = {register.alpha.title, register.alpha_unshared.title, register.beta.title}
    assert _titles(register, "admin") == {*every, register.hidden.title}
    assert _titles(register, "staff") == {*every, register.hidden.title}
    assert _titles(register, "officer") == every
    assert _titles(register, "partner") == {register.alpha.title}  # shared, own
    assert _titles(register, "partner2") == {register.beta.title}
    assert _titles(register, "secret") == {register.hidden.title}
    assert _titles(register, "member") == set()


def test_officers_count_every_risk_partners_and_members_count_none(register: Register) -> None:
    assert countable_risks(register.world.users["officer"]).count() == 4
    for role in ("partner", "secret", "member"):
        assert not countable_risks(register.world.users[role]).exists()


@pytest.mark.parametrize(
    ("role", "risk", "status"),
    [
        ("officer", "hidden", 404),
        ("officer", "alpha", 200),
        ("partner", "alpha", 200),
        ("partner", "alpha_unshared", 404),
        ("partner", "beta", 404),
        ("partner", "hidden", 404),
        ("secret", "hidden", 200),
        ("member", "alpha", 404),
    ],
)
def test_the_risk_page_is_a_404_outside_the_viewers_scope(
    register: Register, client_as: Callable[[str], Client], role: str, risk: str, status: int
) -> None:
    pk = getattr(register, risk).pk
    assert client_as(role).get(reverse("risk-detail", args=[pk])).status_code == status


def test_cleared_staff_reading_a_confidential_risk_is_logged(
    register: Register, client_as: Callable[[str], Client]
) -> None:
    client_as("staff").get(reverse("risk-detail", args=[register.hidden.pk]))
    assert AccessLog.objects.filter(
        object_type="risks.risk", object_id=str(register.hidden.pk), user__username="staff"
    ).exists()


def _hidden_words(register: Register) -> list[str]:
    return [
        register.world.hidden.name,
        register.hidden.title,
        "Izmir",  # in its description and mitigation
        register.world.hidden_project.title,
        register.world.hidden.pseudonym,  # not even the pseudonym: counts only
    ]


def test_an_officer_meets_no_word_of_a_confidential_partners_risks(
    register: Register, client_as: Callable[[str], Client]
) -> None:
    services.risk_comment(
        actor=register.world.users["secret"], risk=register.hidden, text="Izmir again."
    )
    services.risk_reassess(
        actor=register.world.users["staff"],
        risk=register.hidden,
        likelihood=4,
        impact=5,
        note="Izmir calmer.",
    )
    officer = client_as("officer")
    urls = [
        reverse("risk-list"),
        reverse("risk-list") + "?category=security&status=open",
        reverse("risk-list") + "?likelihood=4&impact=5",
        reverse("risk-list") + "?region=mena",
        reverse("risk-heat-map"),
        reverse("risk-heat-map") + "?region=mena&category=security",
        reverse("risk-detail", args=[register.hidden.pk]),
        reverse("risk-edit", args=[register.hidden.pk]),
        reverse("risk-reassess", args=[register.hidden.pk]),
        reverse("risk-create"),
        reverse("dashboard"),
        reverse("partner-detail", args=[register.world.alpha.pk]),
        reverse("project-detail", args=[register.world.alpha_project.pk]),
        reverse("admin:risks_risk_changelist"),
        reverse("admin:risks_risk_changelist") + "?q=office",
        reverse("admin:risks_riskreassessment_changelist"),
        reverse("admin:risks_riskcomment_changelist"),
        reverse("admin:risks_risk_change", args=[register.hidden.pk]),
        reverse("admin:risks_risk_add"),
    ]
    for url in urls:
        response = officer.get(url)
        assert response.status_code in (200, 302, 404), url
        body = response.content.decode()
        for word in _hidden_words(register):
            assert word not in body, f"{word!r} on {url}"
    # ... and yet the heat map counts the confidential risk, in its region and category.
    heat = officer.get(reverse("risk-heat-map") + "?region=mena").content.decode()
    assert 'data-row="mena-security"' in heat
    assert 'data-testid="heat-not-listed"' in heat


def test_the_officers_heat_map_cells_lead_to_no_confidential_risk(
    register: Register, client_as: Callable[[str], Client]
) -> None:
    officer = client_as("officer")
    # The confidential risk is alone in its cell (5, 5): the officer's grid leaves it out (its
    # score would show), the counts by region and category keep it, and the list is empty.
    body = officer.get(reverse("risk-heat-map")).content.decode()
    assert 'data-cell="5-5"><a href=' not in body
    assert 'data-testid="heat-not-listed"' in body
    cleared = client_as("staff").get(reverse("risk-heat-map")).content.decode()
    assert 'data-cell="5-5"><a href=' in cleared
    listed = officer.get(reverse("risk-list") + "?status=open&likelihood=5&impact=5")
    assert register.hidden.title not in listed.content.decode()
    assert listed.context["page"].paginator.count == 0


def test_partner_users_read_their_shared_risks_and_comment(
    register: Register, client_as: Callable[[str], Client]
) -> None:
    partner = client_as("partner")
    body = partner.get(reverse("risk-list")).content.decode()
    assert register.alpha.title in body
    for other in (register.alpha_unshared, register.beta, register.hidden):
        assert other.title not in body
    response = partner.post(
        reverse("risk-comment", args=[register.alpha.pk]), {"text": "The campaign has begun."}
    )
    assert response.status_code == 302
    page = partner.get(response["Location"]).content.decode()
    assert "The campaign has begun." in page
    assert 'data-testid="risk-history"' not in page  # staff's working record
    # Partner pages show the shared risks only; its heat map and forms are staff's.
    partner_page = partner.get(reverse("partner-detail", args=[register.world.alpha.pk]))
    assert register.alpha.title in partner_page.content.decode()
    assert register.alpha_unshared.title not in partner_page.content.decode()
    assert partner.get(reverse("risk-heat-map")).status_code == 404


def test_an_empty_comment_is_a_form_error(
    register: Register, client_as: Callable[[str], Client]
) -> None:
    response = client_as("partner").post(
        reverse("risk-comment", args=[register.alpha.pk]), {"text": "  "}
    )
    assert response.status_code == 200
    assert "error-summary" in response.content.decode() or response.context["comment_form"].errors


def test_the_dashboard_lists_the_users_own_reviews_overdue_and_due_soon(
    register: Register, client_as: Callable[[str], Client]
) -> None:
    import datetime as dt

    staff = register.world.users["staff"]
    today = dt.date.today()
    overdue = factories.RiskFactory.create(
        partner=register.world.beta, owner=staff, next_review=today - dt.timedelta(days=3)
    )
    soon = factories.RiskFactory.create(
        partner=register.world.beta, owner=staff, next_review=today + dt.timedelta(days=14)
    )
    later = factories.RiskFactory.create(
        partner=register.world.beta, owner=staff, next_review=today + dt.timedelta(days=15)
    )
    closed = factories.RiskFactory.create(
        partner=register.world.beta,
        owner=staff,
        next_review=today - dt.timedelta(days=3),
        status=Risk.Status.CLOSED,
    )
    others = factories.RiskFactory.create(
        partner=register.world.beta,
        owner=register.world.users["officer"],
        next_review=today - dt.timedelta(days=3),
    )
    assert list(reviews_overdue(staff)) == [overdue]
    assert list(reviews_due_soon(staff)) == [soon]
    body = client_as("staff").get(reverse("dashboard")).content.decode()
    assert overdue.title in body and soon.title in body
    for absent in (later, closed, others):
        assert absent.title not in body


def test_the_admin_records_a_risk_through_the_service_and_refuses_bad_choices(
    register: Register, client_as: Callable[[str], Client]
) -> None:
    import datetime as dt

    client = client_as("staff")
    url = reverse("admin:risks_risk_add")
    data = {
        "partner": register.world.hidden.pk,
        "title": "Recorded in the admin",
        "category": "security",
        "likelihood": "2",
        "impact": "2",
        "next_review": (dt.date.today() + dt.timedelta(days=10)).isoformat(),
        "status": "open",
        "owner": register.world.users["officer"].pk,  # may not read a confidential risk
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "cleared staff" in response.content.decode()
    for bad in ({"likelihood": "6"}, {"project": register.world.beta_project.pk}):
        assert client.post(url, {**data, "owner": "", **bad}).status_code == 200
    assert not Risk.objects.filter(title="Recorded in the admin").exists()
    response = client.post(url, {**data, "owner": register.world.users["staff"].pk})
    assert response.status_code == 302
    risk = Risk.objects.get(title="Recorded in the admin")
    assert risk.created_by == register.world.users["staff"]  # through the service
    # Once recorded, its scores change only by reassessment.
    change = client.get(reverse("admin:risks_risk_change", args=[risk.pk])).content.decode()
    assert 'name="likelihood"' not in change
    # The history rows are read-only.
    assert client.get(reverse("admin:risks_riskreassessment_add")).status_code == 403

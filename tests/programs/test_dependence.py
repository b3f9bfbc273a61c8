"""Funder dependence (issue #14, item 7), worked by hand: each funder's share of the grants,
each programme's shares, and with one funder chosen the programmes and partners it carries;
an officer's figures leave the confidential partner out."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.test import Client

from conftest import World
from programs.dependence import dependence
from programs.models import Grant, Project
from programs.services import grant_save
from tests import factories

URL = "/programmes/funders/"


def _funding(world: World) -> dict[str, Any]:
    """P1 (the world's programme): Sida 800, own funds 200. P2: Sida 500.
    Alpha: P1 project 100, P2 project 50. Beta: P1 project 200. Hidden: P1 project 300.
    A completed project of Beta's in P2 does not count."""
    sida = factories.FunderFactory.create(name="Sida")
    own = factories.FunderFactory.create(name="Own funds", kind="own")
    second = factories.ProgramFactory.create(title="Second programme")
    staff = world.users["staff"]
    for program, funder, amount in (
        (world.program, sida, 800),
        (world.program, own, 200),
        (second, sida, 500),
    ):
        grant_save(
            actor=staff, grant=Grant(program=program, funder=funder, amount_sek=Decimal(amount))
        )
    for project, budget in (
        (world.alpha_project, 100),
        (world.beta_project, 200),
        (world.hidden_project, 300),
    ):
        Project.objects.filter(pk=project.pk).update(budget_sek=Decimal(budget))
    factories.ProjectFactory.create(program=second, partner=world.alpha, budget_sek=Decimal(50))
    factories.ProjectFactory.create(
        program=second, partner=world.beta, budget_sek=Decimal(999), status="completed"
    )
    return {"sida": sida, "own": own, "second": second}


def test_shares_worked_by_hand(world: World) -> None:
    funding = _funding(world)
    sida, own = funding["sida"], funding["own"]
    figures = dependence(world.users["staff"], sida.pk)
    lines = {line.funder.pk: line for line in figures.funders}
    assert lines[sida.pk].amount_sek == 1300 and lines[sida.pk].programs == 2
    assert lines[sida.pk].share == Decimal(1300) / Decimal(1500)
    assert lines[own.pk].share == Decimal(200) / Decimal(1500)
    assert [line.funder for line in figures.funders] == [sida, own]
    programs = {line.program.pk: line for line in figures.programs}
    assert programs[world.program.pk].share_of(sida.pk) == Decimal("0.8")
    assert programs[funding["second"].pk].cells == [Decimal(1), None]
    # The grant also makes the funder one of the programme's funders.
    assert set(world.program.funders.all()) == {sida, own}

    hit = {exposure.pk: exposure for exposure in figures.partners_hit}
    # Alpha: 100 x 0.8 + 50 x 1 = 130 of 150.
    assert hit[world.alpha.pk].at_risk_sek == 130 and hit[world.alpha.pk].base_sek == 150
    # Beta: 200 x 0.8 = 160 of 200 (its completed project is not current).
    assert hit[world.beta.pk].at_risk_sek == 160 and hit[world.beta.pk].base_sek == 200
    assert hit[world.hidden.pk].share == Decimal("0.8")
    assert figures.partners_hit[0].pk == world.alpha.pk  # most dependent first
    programs_hit = {exposure.pk: exposure for exposure in figures.programs_hit}
    assert programs_hit[funding["second"].pk].share == 1
    assert programs_hit[world.program.pk].at_risk_sek == 800

    own_funds = dependence(world.users["staff"], own.pk)
    # Alpha: 100 x 0.2 = 20 of 150; the second programme has no own funds.
    assert {e.pk: e.at_risk_sek for e in own_funds.partners_hit}[world.alpha.pk] == 20


def test_the_page_is_staffs_and_an_officer_meets_no_confidential_partner(
    world: World, client_as: Callable[[str], Client]
) -> None:
    funding = _funding(world)
    query = {"funder": funding["sida"].pk}
    officer = client_as("officer").get(URL, query)
    assert officer.status_code == 200
    page = officer.content.decode()
    assert world.alpha.name in page and world.beta.name in page
    for secret in (world.hidden.name, world.hidden.pseudonym):
        assert secret not in page
    assert world.hidden.name in client_as("staff").get(URL, query).content.decode()
    for role in ("partner", "member", "secret"):
        assert client_as(role).get(URL).status_code == 404
    assert client_as("staff").get(URL, {"funder": "nonsense"}).status_code == 400


DEPENDENCE_QUERIES = 8


def test_the_page_reads_a_fixed_number_of_queries(
    world: World, client_as: Callable[[str], Client], django_assert_num_queries: Any
) -> None:
    funding = _funding(world)
    staff = client_as("staff")
    with django_assert_num_queries(DEPENDENCE_QUERIES):
        staff.get(URL, {"funder": funding["sida"].pk})
    for number in range(4):
        program = factories.ProgramFactory.create(title=f"More {number}")
        Grant.objects.create(program=program, funder=funding["own"], amount_sek=Decimal(10))
        factories.ProjectFactory.create(program=program, partner=world.beta)
    with django_assert_num_queries(DEPENDENCE_QUERIES):
        staff.get(URL, {"funder": funding["sida"].pk})

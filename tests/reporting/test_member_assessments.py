"""A network member's view of the self-assessments (issue #12, item 3): one fixed table per
period, under the disclosure rule, attacked like the story report (tests/security/
test_disclosure.py): for every figure shown, an integer program over everything the member can
read (every period's page, and the number of partners in its networks that its dashboard states)
looks for the least and the greatest count that fit. None may be pinned to one value."""

from __future__ import annotations

import html
import math
import random
from collections import defaultdict
from collections.abc import Callable

import numpy as np
import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries
from scipy.optimize import LinearConstraint

from assessments.models import Answer, Assessment
from assessments.selectors import BANDS
from conftest import World
from partners.models import Partner
from reporting import assessment_figures
from reporting.suppression import Relation, propagate, protect
from tests import factories
from tests.security.test_disclosure import FIGURE, PERIOD_OPTION, _pinned, _range

URL = "/reports/self-assessments/"


def _new_network_partners(world: World, count: int, prefix: str) -> list[Partner]:
    made = [factories.PartnerFactory.create(name=f"{prefix} partner {n}") for n in range(count)]
    world.network.partners.add(*made)
    return made


def _network_partners(world: World, count: int) -> list[Partner]:
    """The network's partners topped up to ``count``: alpha, beta and new ones."""
    return [world.alpha, world.beta, *_new_network_partners(world, count - 2, "Network")]


def _build(
    world: World, *, seed: int, partners: int, years: tuple[int, ...], complete: bool = False
) -> None:
    """Rounds for most of the network's partners each year (every one if ``complete``: then
    the count of partners in the networks bounds the figures hardest), drafts for some, and
    rounds of a confidential partner and a partner outside the network, which count nowhere."""
    rng = random.Random(seed)
    questionnaire = factories.make_questionnaire(dimensions=3, statements=2)
    network = _network_partners(world, partners)
    outsider = factories.PartnerFactory.create(name="Outside the network")
    for year in years:
        for partner in network:
            roll = 1.0 if complete else rng.random()
            if roll < 0.15:
                continue
            factories.make_assessment(
                partner=partner,
                questionnaire=questionnaire,
                year=year,
                submitted=roll > 0.25,
                scores={f"d{d}": [rng.choice((1, 2, 2, 3, 3, 3, 4, 5))] for d in (1, 2, 3)},
            )
        for other in (world.hidden, outsider):
            factories.make_assessment(partner=other, questionnaire=questionnaire, year=year)


def _truth(world: World) -> tuple[dict[str, int], dict[tuple[str, str, int], int]]:
    """By hand: the submitted rounds of the network's partners that are not confidential."""
    counted = Assessment.objects.filter(
        status=Assessment.Status.SUBMITTED,
        partner__in=world.network.partners.filter(is_confidential=False),
    )
    assessed: dict[str, int] = defaultdict(int)
    bands: dict[tuple[str, str, int], int] = defaultdict(int)
    for assessment in counted:
        assessed[assessment.period_label] += 1
        scores: dict[str, list[int]] = defaultdict(list)
        for answer in Answer.objects.filter(assessment=assessment).select_related(
            "statement__dimension"
        ):
            scores[answer.statement.dimension.key].append(answer.score)
        for key, values in scores.items():
            band = min(5, math.floor(sum(values) / len(values)))
            bands[(assessment.period_label, key, band)] += 1
    return dict(assessed), dict(bands)


def _read(client: Client) -> tuple[list[str], dict[str, str]]:
    first = client.get(URL).content.decode()
    periods = PERIOD_OPTION.findall(first.split('name="period"', 1)[1].split("</select>", 1)[0])
    published: dict[str, str] = {}
    for period in periods:
        page = client.get(URL, {"period": period}).content.decode()
        for key, display in FIGURE.findall(page):
            display = html.unescape(display).strip()
            assert published.setdefault(key, display) == display, key
    return periods, published


def _attack(
    published: dict[str, str], network_partners: int, truth: np.ndarray, index: dict[str, int]
) -> list[str]:
    """Per period, the unknowns are the partners that assessed themselves and each dimension's
    band counts; each dimension's bands add up to the first, which is at most the partners of
    the member's networks. Returns the figures pinned to their true value."""
    keys = sorted(published)
    rows, low, high = [], [], []
    for key in keys:
        row = np.zeros(len(index))
        row[index[key]] = 1
        bottom, top = _range(published[key])
        rows.append(row)
        low.append(bottom)
        high.append(top)
    ties = []
    for key, position in index.items():
        kind, period, *rest = key.split("|")
        if kind == "assessed":
            bound = np.zeros(len(index))
            bound[position] = 1
            ties.append((bound, 0, network_partners))
        elif rest[1] == "1":  # once per dimension: its bands equal the partners assessed
            tie = np.zeros(len(index))
            for band in BANDS:
                tie[index[f"band|{period}|{rest[0]}|{band}"]] = 1
            tie[index[f"assessed|{period}"]] = -1
            ties.append((tie, 0, 0))
    figures = np.array(rows)
    assert np.all(figures @ truth >= low) and np.all(figures @ truth <= high)
    constraints = [
        LinearConstraint(figures, low, high),
        LinearConstraint(
            np.array([t[0] for t in ties]), [t[1] for t in ties], [t[2] for t in ties]
        ),
    ]
    recovered = []
    for number, key in enumerate(keys):
        if published[key] == "0":
            continue
        if _pinned(figures[number], constraints, round(figures[number] @ truth)):
            recovered.append(f"{key} = {figures[number] @ truth:.0f} (shown {published[key]})")
    return recovered


@pytest.mark.parametrize(
    ("seed", "partners", "complete"),
    [(1, 6, False), (2, 7, False), (3, 9, False), (4, 12, False), (5, 5, True), (6, 7, True)],
)
def test_no_count_a_member_sees_can_be_worked_out_from_the_others(
    world: World, client_as: Callable[[str], Client], seed: int, partners: int, complete: bool
) -> None:
    _build(world, seed=seed, partners=partners, years=(2024, 2025), complete=complete)
    periods, published = _read(client_as("member"))
    assert periods == ["2025", "2024"]
    assessed, bands = _truth(world)
    index: dict[str, int] = {}
    truth: list[int] = []
    for period in periods:
        index[f"assessed|{period}"] = len(truth)
        truth.append(assessed.get(period, 0))
        if assessed.get(period, 0) < 5:
            continue  # only the count is published then
        for dimension in ("d1", "d2", "d3"):
            for band in BANDS:
                index[f"band|{period}|{dimension}|{band}"] = len(truth)
                truth.append(bands.get((period, dimension, band), 0))
    # What the page shows is exactly the figures the attacker models, and nothing exact.
    assert set(published) == set(index)
    recovered = _attack(published, partners, np.array(truth, dtype=float), index)
    hidden = sum(display == "hidden" for display in published.values())
    print(
        f"self-assessment disclosure (seed {seed}, {partners} partners): "
        f"{len(published)} figures, {hidden} hidden, {len(recovered)} recovered"
    )
    assert not recovered, recovered


def test_it_counts_only_the_networks_partners_that_are_not_confidential(
    world: World, client_as: Callable[[str], Client]
) -> None:
    questionnaire = factories.make_questionnaire(dimensions=2, statements=1)
    network = _network_partners(world, 8)
    for partner in network[:6]:
        factories.make_assessment(partner=partner, questionnaire=questionnaire, year=2025)
    factories.make_assessment(  # a draft
        partner=network[6],
        questionnaire=questionnaire,
        year=2025,
        submitted=False,
    )
    factories.make_assessment(partner=world.hidden, questionnaire=questionnaire, year=2025)
    outsider = factories.PartnerFactory.create()
    factories.make_assessment(partner=outsider, questionnaire=questionnaire, year=2025)
    publication, dimensions = assessment_figures.member_assessment_publication(
        world.users["member"]
    )
    assert publication.values[assessment_figures.assessed_key("2025")] == 6
    assert publication.values[assessment_figures.NETWORK_PARTNERS] == 8
    assert [key for key, _name in dimensions] == ["d1", "d2"]
    assert publication.values[assessment_figures.band_key("2025", "d1", 3)] == 6
    page = client_as("member").get(URL).content.decode()
    assert 'data-figure="band|2025|d1|3"' in page
    assert "of the 8 partners in your networks" in page
    assert world.hidden.name not in page and outsider.name not in page


def test_fewer_than_five_partners_show_only_their_count(
    world: World, client_as: Callable[[str], Client]
) -> None:
    questionnaire = factories.make_questionnaire(dimensions=2, statements=1)
    for partner in _network_partners(world, 6)[:4]:
        factories.make_assessment(partner=partner, questionnaire=questionnaire, year=2025)
    page = client_as("member").get(URL).content.decode()
    assert 'data-figure="assessed|2025">&lt;5<' in page
    assert 'data-figure="band|' not in page
    assert "would show each partner" in page


def test_a_period_not_in_the_list_is_a_form_error(
    world: World, client_as: Callable[[str], Client]
) -> None:
    response = client_as("member").get(URL, {"period": "1999"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_staff_are_sent_to_their_distribution_and_others_find_nothing(
    world: World, client_as: Callable[[str], Client]
) -> None:
    response = client_as("officer").get(URL)
    assert response.status_code == 302 and response["Location"] == "/assessments/distribution/"
    assert client_as("partner").get(URL).status_code == 404


def test_it_runs_the_same_number_of_queries_whatever_the_data(
    world: World,
    client_as: Callable[[str], Client],
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    client = client_as("member")
    questionnaire = factories.make_questionnaire(dimensions=3, statements=2)
    network = _network_partners(world, 6)
    for partner in network:
        factories.make_assessment(partner=partner, questionnaire=questionnaire, year=2024)
    # Session and user; the periods, band counts, partners assessed, dimension names and
    # partners in the networks.
    with django_assert_num_queries(7):
        assert client.get(URL).status_code == 200
    for partner in _new_network_partners(world, 24, "More"):
        for year in (2024, 2025):
            factories.make_assessment(partner=partner, questionnaire=questionnaire, year=year)
    with django_assert_num_queries(7):
        assert client.get(URL).status_code == 200


def test_a_figure_known_exactly_bounds_the_others_but_is_never_hidden() -> None:
    # Four partners in the networks, all four assessed ("<5") and all in one band ("<5"): the
    # band is the partners assessed, at most four: not pinned. With one partner it would be.
    one = {("k",): 1, ("n",): 1, ("b", 1): 1, ("b", 2): 0}
    relations = [
        Relation(("k",), (("n",),), "share", 1),
        Relation(("n",), (("b", 1), ("b", 2))),
    ]
    exact = frozenset({("k",)})
    hidden = protect(one, relations, exact)
    assert ("k",) not in hidden
    ranges = propagate(one, relations, set(hidden), exact)
    assert ranges.low[("k",)] == ranges.high[("k",)] == 1
    four = {("k",): 4, ("n",): 4, ("b", 1): 4, ("b", 2): 0}
    assert protect(four, relations, exact) == frozenset()
    assert propagate(four, relations, set(), exact).pinned(four) == [("k",)]

"""The attacker of issue #9 item 2: a network member recovering hidden counts by arithmetic.

The member requests every page its report form allows, reads every published figure, and — as
an attacker who knows how the tables are built — writes down what each figure means: a sum of
unknown counts (stories per half-year, partner, programme and teller; change types and target
groups per half-year) lying in the range the figure's display allows:

- "0" is exactly 0, "<5" is 1 to 4, "hidden" is at least 1 (zeros are never hidden);
- a number r is r - 2 to r + 2 (and at least 5): the nearest multiple of five.

Every tie the pages hold is in those sums at once: a year is its halves, all time its years,
the headline each table's rows, the dashboard's figure the report's;
and, from the story form, every story has at least one change type. For every figure that is not
an exact zero, an integer linear program (HiGHS, through scipy) finds the least and the greatest
count consistent with everything published: that is differences of ranges, totals minus rows
and both combined, and more. A figure is recovered when the two meet: then the attacker knows
the count exactly. The test fails on any recovery, and prints how much it tried.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import random
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from scipy.optimize import Bounds, LinearConstraint, OptimizeResult, milp
from scipy.sparse import lil_matrix

from conftest import World
from progress.models import ChangeStory, ChangeType, TargetGroup
from reporting import aggregates
from tests import factories

FIGURE = re.compile(r'data-figure="([^"]+)"[^>]*>([^<]*)<')
PERIOD_OPTION = re.compile(r'<option value="([^"]*)"')
HIDDEN, SMALL = "hidden", "<5"
# The attacker's only assumption beyond the pages: no half-year has this many stories.
ENOUGH = 10_000


@dataclass
class Network:
    """The member's network as the test built it; the attacker knows all but the counts."""

    partner_country: dict[int, str]
    type_count: int
    group_count: int


def _build(world: World, *, seed: int, stories: int) -> Network:
    """Small counts everywhere: six partners in four countries, three years, four programmes."""
    rng = random.Random(seed)
    partners = [world.alpha, world.beta]
    for name, country in (("Peru", "PE"), ("Bolivia", "BO"), ("Quiché", "GT"), ("Cauca", "CO")):
        partner = factories.PartnerFactory.create(name=f"Cooperativa {name}", country=country)
        world.network.partners.add(partner)
        partners.append(partner)
    outsider = factories.PartnerFactory.create(name="Not in the network", country="PE")
    extra = [factories.ProgramFactory.create(title=f"Network programme {n}") for n in (1, 2)]
    world.network.programs.add(*extra)
    elsewhere = factories.ProgramFactory.create(title="Another network's programme")
    programmes = [world.program, *extra, elsewhere, None]
    types = list(ChangeType.objects.all())
    groups = list(TargetGroup.objects.all())
    roles = [role for role, _label in ChangeStory.SubmitterRole.choices]
    counted = (ChangeStory.Status.VERIFIED, ChangeStory.Status.SELECTED)
    for story in (world.alpha_story, world.beta_story, world.hidden_story):
        story.change_types.add(types[0])  # as the story form requires before submitting
    for index in range(stories):
        # Mostly what members count; some they must not: not quotable, not verified, not theirs.
        partner = rng.choices(partners, weights=[6, 3, 4, 1, 2, 1])[0]
        if index % 11 == 0:
            partner = rng.choice([world.hidden, outsider])
        story = factories.StoryFactory.create(
            partner=partner,
            program=rng.choices(programmes, weights=[5, 3, 1, 1, 1])[0],
            event_date=dt.date(rng.choice([2023, 2024, 2025]), rng.randint(1, 12), 15),
            submitter_role=rng.choices(roles, weights=[5, 3, 1])[0],
            significance=rng.randint(1, 5),
            consent_quote_internal=rng.random() < 0.85,
            status=rng.choices(
                [*counted, ChangeStory.Status.SUBMITTED, ChangeStory.Status.DRAFT],
                weights=[16, 2, 1, 1],
            )[0],
        )
        story.change_types.add(*rng.sample(types, rng.choice([1, 1, 2, 3])))
        story.target_groups.add(*rng.sample(groups, rng.choice([0, 1, 1, 2])))
    aggregates.rebuild_all()
    return Network(
        partner_country={partner.pk: str(partner.country) for partner in partners},
        type_count=len(types),
        group_count=len(groups),
    )


def _figures(page: str) -> dict[str, str]:
    return {key: html.unescape(text).strip() for key, text in FIGURE.findall(page)}


def _range(display: str) -> tuple[float, float]:
    if display == "0":
        return 0, 0
    if display == SMALL:
        return 1, 4
    if display == HIDDEN:
        return 1, ENOUGH
    shown = int(re.sub(r"[^0-9]", "", display))
    assert shown % 5 == 0, display  # anything else would be an exact count
    return max(5, shown - 2), shown + 2


@dataclass
class Attack:
    """The attacker's unknowns and what the published figures say about them."""

    network: Network
    halves: list[tuple[int, int]]
    partners: list[int]
    programmes: list[str]
    roles: list[str]
    types: list[str]
    groups: list[str]
    index: dict[tuple[object, ...], int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for half in self.halves:
            for partner in self.partners:
                for programme in self.programmes:
                    for role in self.roles:
                        self.index[("story", half, partner, programme, role)] = len(self.index)
            for change_type in self.types:
                self.index[("type", half, change_type)] = len(self.index)
            for group in self.groups:
                self.index[("group", half, group)] = len(self.index)

    def halves_of(self, period: str) -> list[tuple[int, int]]:
        if period == "all":
            return self.halves
        if "-H" in period:
            year, half = period.split("-H")
            return [(int(year), int(half))]
        return [(int(period), 1), (int(period), 2)]

    def unknowns(self, key: str) -> list[int]:
        """The unknown counts a figure is the sum of, read from what its row and column say."""
        dimension, period, *row = key.split("|")
        halves = set(self.halves_of(period))
        if dimension in ("type", "group"):
            return [
                position
                for (kind, half, *rest), position in self.index.items()
                if kind == dimension and half in halves and str(rest[0]) == row[0]
            ]
        selected = []
        for (kind, half, *rest), position in self.index.items():
            if kind != "story" or half not in halves:
                continue
            partner, programme, role = rest
            assert isinstance(partner, int)
            if (
                dimension == "stories"
                or (dimension == "partner" and str(partner) == row[0])
                or (dimension == "country" and self.network.partner_country[partner] == row[0])
                or (dimension == "programme" and programme == row[0])
                or (dimension == "teller" and role == row[0])
            ):
                selected.append(position)
        return selected

    def truth(self) -> np.ndarray:
        """What the attacker is after: the real counts, from the stories themselves."""
        counts = np.zeros(len(self.index))
        for story in ChangeStory.objects.prefetch_related("change_types", "target_groups"):
            if (
                story.status not in (ChangeStory.Status.VERIFIED, ChangeStory.Status.SELECTED)
                or not story.consent_quote_internal
                or story.partner_id not in self.network.partner_country
            ):
                continue
            assert story.event_date is not None
            half = (story.event_date.year, 1 if story.event_date.month <= 6 else 2)
            programme = str(story.program_id or 0)
            counts[
                self.index[("story", half, story.partner_id, programme, story.submitter_role)]
            ] += 1
            for change_type in story.change_types.all():
                counts[self.index[("type", half, str(change_type.pk))]] += 1
            for group in story.target_groups.all():
                counts[self.index[("group", half, str(group.pk))]] += 1
        return counts

    def story_form_rules(self) -> LinearConstraint:
        """Every story has one to all change types, and at most every target group."""
        rows = lil_matrix((3 * len(self.halves), len(self.index)))
        for number, half in enumerate(self.halves):
            for (kind, at, *_rest), position in self.index.items():
                if at != half:
                    continue
                if kind == "story":
                    rows[3 * number, position] = -1
                    rows[3 * number + 1, position] = self.network.type_count
                    rows[3 * number + 2, position] = self.network.group_count
                elif kind == "type":
                    rows[3 * number, position] = 1
                    rows[3 * number + 1, position] = -1
                else:
                    rows[3 * number + 2, position] = -1
        return LinearConstraint(rows.tocsr(), 0, np.inf)


def _read_every_page(client: Client) -> tuple[int, int, dict[str, str], list[str]]:
    """Every page the member's form allows, and the dashboard; each figure key with its display."""
    first = client.get(reverse("report")).content.decode()
    periods = PERIOD_OPTION.findall(first.split('name="period"', 1)[1].split("</select>", 1)[0])
    pages = [client.get(reverse("report"), {"period": code}).content.decode() for code in periods]
    pages.append(client.get(reverse("dashboard")).content.decode())
    published: dict[str, str] = {}
    read = 0
    for page in pages:
        for key, display in FIGURE.findall(page):
            read += 1
            display = html.unescape(display).strip()
            # The same figure is shown the same way wherever it appears.
            assert published.setdefault(key, display) == display, key
    return len(periods), read, published, periods


def _solve(
    objective: np.ndarray, constraints: list[LinearConstraint], *, integral: bool
) -> OptimizeResult:
    return milp(
        objective,
        constraints=constraints,
        integrality=np.ones(len(objective)) if integral else None,
        bounds=Bounds(0, ENOUGH),
    )


def _pinned(figure: np.ndarray, constraints: list[LinearConstraint], real: int) -> bool:
    """Whether the published figures leave this figure a single possible whole value.

    The attacker's question is the least and the greatest value over whole counts that fit
    everything published. Answered in steps, each exact: the linear program's least and
    greatest (rounded inwards: counts are whole) bound them; where those leave room on one side
    of the real value (the real counts always fit), an integer program looks for whole counts
    with a value on that side. One found, the figure is not pinned; none on either side, it is.
    """
    least = _solve(figure, constraints, integral=False)
    most = _solve(-figure, constraints, integral=False)
    assert least.status == 0 and most.status == 0, (least.message, most.message)
    sides: list[tuple[float, float]] = []
    if math.floor(-most.fun + 1e-6) > real:
        sides.append((real + 1, np.inf))
    if math.ceil(least.fun - 1e-6) < real:
        sides.append((-np.inf, real - 1))
    for low, high in sides:
        beside = [*constraints, LinearConstraint(figure[np.newaxis, :], low, high)]
        result = _solve(np.zeros(len(figure)), beside, integral=True)
        assert result.status in (0, 2), result.message  # found, or proved impossible
        if result.status == 0:
            return False
    return True


def _moved(
    figures: np.ndarray, low: np.ndarray, high: np.ndarray, truth: np.ndarray, rules: np.ndarray
) -> np.ndarray:
    """The figures that a one-story change in the counts moves while keeping every figure shown
    the same: for those, that other data set is the proof that they are not pinned.

    The changes tried: one more in any count, one fewer in any count, or one moved from a count
    to another. Whatever cannot be proved this way goes to the solver (``_pinned``).
    """
    values, checks = figures @ truth, rules @ truth
    moved = np.zeros(len(figures), dtype=bool)
    for donor in [None, *np.flatnonzero(truth >= 1)]:
        change = figures.copy()  # column j: one more in count j ...
        rule_change = rules.copy()
        if donor is not None:  # ... and one fewer in the donor
            change -= figures[:, [donor]]
            rule_change -= rules[:, [donor]]
            change = np.hstack([change, -figures[:, [donor]]])
            rule_change = np.hstack([rule_change, -rules[:, [donor]]])
        after = values[:, np.newaxis] + change
        fits = np.all((after >= low[:, np.newaxis]) & (after <= high[:, np.newaxis]), axis=0)
        fits &= np.all(checks[:, np.newaxis] + rule_change >= 0, axis=0)
        moved |= np.any(change[:, fits] != 0, axis=1)
    return moved


def _attack(network: Network, published: dict[str, str], periods: list[str]) -> dict[str, int]:
    years = sorted({int(code[:4]) for code in periods if code != "all"})
    rows: dict[str, set[str]] = defaultdict(set)
    for key in published:
        dimension, _period, *row = key.split("|")
        if row:
            rows[dimension].add(row[0])
    attack = Attack(
        network=network,
        halves=[(year, half) for year in years for half in (1, 2)],
        partners=sorted(int(partner) for partner in rows["partner"]),
        programmes=sorted(rows["programme"]),
        roles=sorted(rows["teller"]),
        types=sorted(rows["type"]),
        groups=sorted(rows["group"]),
    )
    keys = sorted(published)
    matrix = lil_matrix((len(keys), len(attack.index)))
    low: list[float] = []
    high: list[float] = []
    for number, key in enumerate(keys):
        for position in attack.unknowns(key):
            matrix[number, position] = 1
        bottom, top = _range(published[key])
        low.append(bottom)
        high.append(top)
    figures = matrix.tocsr()
    truth = attack.truth()
    # The attacker's model must hold for the real counts, or its conclusions mean nothing.
    assert np.all(figures @ truth >= low) and np.all(figures @ truth <= high)
    rules = attack.story_form_rules()
    assert np.all(rules.A @ truth >= 0)
    # An unknown inside a figure shown as 0 is 0: the attacker drops it (the solver is faster).
    zero = np.asarray(figures[[n for n, key in enumerate(keys) if high[n] == 0]].sum(axis=0))
    unknown = np.flatnonzero(zero.ravel() == 0)
    figures, truth = figures[:, unknown], truth[unknown]
    rule_matrix = rules.A[:, unknown]
    constraints = [LinearConstraint(figures, low, high), LinearConstraint(rule_matrix, 0)]
    moved = _moved(figures.toarray(), np.array(low), np.array(high), truth, rule_matrix.toarray())
    tally = {"suppressed": 0, "rounded": 0, "hidden": 0, "solved": 0, "recovered": 0}
    recovered = []
    for number, key in enumerate(keys):
        display = published[key]
        if display == "0":
            continue
        tally[{SMALL: "suppressed", HIDDEN: "hidden"}.get(display, "rounded")] += 1
        if moved[number]:
            continue
        tally["solved"] += 1
        figure = figures[number].toarray().ravel()
        if _pinned(figure, constraints, round(figure @ truth)):
            recovered.append(f"{key} = {figure @ truth:.0f} (shown {display})")
    tally["recovered"] = len(recovered)
    assert not recovered, recovered
    return tally


@pytest.mark.parametrize(("seed", "stories"), [(1, 45), (2, 110)])
def test_no_count_a_member_sees_can_be_worked_out_from_the_others(
    world: World, client_as: Callable[[str], Client], seed: int, stories: int
) -> None:
    network = _build(world, seed=seed, stories=stories)
    combinations, read, published, periods = _read_every_page(client_as("member"))
    # All time, and each year from the first story's to the last, and its two halves.
    years = sorted({code[:4] for code in periods if code != "all"})
    assert periods[0] == "all" and len(periods) == 1 + 3 * len(years) and "2023" in years
    tally = _attack(network, published, periods)
    print(
        f"disclosure (seed {seed}, {stories} stories): {combinations} filter combinations "
        f"requested, {read} figures read ({len(published)} different), "
        f"{tally['suppressed']} suppressed, "
        f"{tally['rounded']} rounded and {tally['hidden']} hidden cells attacked "
        f"({tally['solved']} by the solver, the others disproved by a one-story change), "
        f"{tally['recovered']} recovered"
    )


def test_a_member_gets_the_same_tables_whatever_else_the_address_asks_for(
    world: World, client_as: Callable[[str], Client]
) -> None:
    _build(world, seed=3, stories=40)
    client = client_as("member")
    everything = _figures(client.get(reverse("report")).content.decode())
    # The filters other viewers have are not fields of the member's form: never read.
    forbidden = {
        "month_from": "2025-05",
        "month_to": "2025-05",
        "partner": str(world.beta.pk),
        "country": "CO",
        "program": str(world.program.pk),
        "focus_area": "democracy",
    }
    response = client.get(reverse("report"), forbidden)
    assert response.status_code == 200
    assert _figures(response.content.decode()) == everything
    # A period that is not on the list is a form error, and the report is the all-time one.
    response = client.get(reverse("report"), {"period": "2025-05"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Select a valid choice." in page and _figures(page) == everything
    year = _figures(client.get(reverse("report"), {"period": "2025"}).content.decode())
    assert year != everything and "stories|2025" in year


def test_the_dashboard_and_the_report_give_the_same_figure_under_the_same_label(
    world: World, client_as: Callable[[str], Client]
) -> None:
    _build(world, seed=4, stories=60)
    client = client_as("member")
    dashboard = client.get(reverse("dashboard")).content.decode()
    report = client.get(reverse("report")).content.decode()
    label = "verified stories that may be quoted"
    assert label in dashboard and label in report
    assert _figures(dashboard)["stories|all"] == _figures(report)["stories|all"]
    # The set they count is the one the member may read: the story list's.
    readable = ChangeStory.objects.filter(
        status__in=(ChangeStory.Status.VERIFIED, ChangeStory.Status.SELECTED),
        consent_quote_internal=True,
        partner__in=world.network.partners.filter(is_confidential=False),
    ).count()
    assert _figures(report)["stories|all"] == str(5 * ((readable + 2) // 5))


STORY_LINK = re.compile(r'<a href="(/stories/\?[^"]+)" data-figure="([^"]+)">([^<]+)</a>')
RESULT_COUNT = re.compile(r'data-testid="result-count">\s*([0-9,\s\xa0]+) stor')


def test_a_members_figure_leads_to_the_stories_it_counts(
    world: World, client_as: Callable[[str], Client]
) -> None:
    """Each figure's list holds the stories the member may read, and the figure is their
    number rounded: the figures count exactly what the member may read, nothing more."""
    _build(world, seed=5, stories=60)
    client = client_as("member")
    links = [
        link
        for period in ("all", "2025")
        for link in STORY_LINK.findall(
            client.get(reverse("report"), {"period": period}).content.decode()
        )
    ]
    assert len(links) > 10
    for href, key, shown in links:
        listing = client.get(html.unescape(href)).content.decode()
        found = RESULT_COUNT.search(listing)
        assert found, href
        count = int(re.sub(r"[^0-9]", "", found.group(1)))
        assert str(5 * ((count + 2) // 5)) == shown, (key, count, shown)


def test_a_members_pages_run_the_same_number_of_queries_whatever_the_data(
    world: World, client_as: Callable[[str], Client]
) -> None:
    # All of a member's figures come from three grouped queries over the aggregates, however
    # many stories, partners and years there are.
    client = client_as("member")
    before = {}
    for name in ("report", "dashboard"):
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse(name))
        before[name] = len(queries)
    _build(world, seed=6, stories=80)
    for name in ("report", "dashboard"):
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse(name))
        assert len(queries) == before[name], name

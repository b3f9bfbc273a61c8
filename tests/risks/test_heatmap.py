"""The heat map: every figure equals a direct count over the risks the viewer may count, its
filters refuse what they do not offer, and it is drawn as SVG beside its tables."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import World
from risks.filters import HeatMapFilterForm
from risks.heatmap import band, draw, heat_map
from risks.models import SCALE, Category, Risk
from tests import factories
from tests.risks.conftest import Register

RISK = st.fixed_dictionaries(
    {
        "partner": st.sampled_from(["alpha", "beta", "hidden"]),
        "with_project": st.booleans(),
        "category": st.sampled_from(Category.values),
        "likelihood": st.sampled_from(list(SCALE)),
        "impact": st.sampled_from(list(SCALE)),
        "status": st.sampled_from(Risk.Status.values),
    }
)
FILTERS = st.fixed_dictionaries(
    {},
    optional={
        "region": st.sampled_from(["latam", "mena", "africa"]),
        "category": st.sampled_from(Category.values),
        "program": st.just("world"),
    },
)


class _Rollback(Exception):
    pass


def _expected(
    world: World, specs: list[dict[str, Any]], filters: dict[str, Any], *, cleared: bool
) -> Any:
    """The figures computed directly from what was generated, without the database."""
    partners = {"alpha": world.alpha, "beta": world.beta, "hidden": world.hidden}
    counted = [
        spec
        for spec in specs
        if spec["status"] == Risk.Status.OPEN
        and filters.get("region") in (None, partners[spec["partner"]].region)
        and filters.get("category") in (None, spec["category"])
        and ("program" not in filters or spec["with_project"])
    ]
    # The grid: what the viewer may read (officers: no confidential partner's score).
    matrix = Counter(
        (spec["likelihood"], spec["impact"])
        for spec in counted
        if cleared or spec["partner"] != "hidden"
    )
    table: dict[tuple[str, str], tuple[int, int | None]] = {}
    for spec in counted:
        key = (partners[spec["partner"]].region, spec["category"])
        count, highest = table.get(key, (0, None))
        # The highest score is over what the viewer may read: no confidential score for officers.
        if cleared or spec["partner"] != "hidden":
            score = spec["likelihood"] * spec["impact"]
            highest = score if highest is None else max(highest, score)
        table[key] = (count + 1, highest)
    confidential = sum(1 for spec in counted if spec["partner"] == "hidden")
    return matrix, table, confidential


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    specs=st.lists(RISK, max_size=25),
    filters=FILTERS,
    role=st.sampled_from(["admin", "staff", "officer"]),
)
def test_every_figure_equals_a_direct_count(
    world: World, specs: list[dict[str, Any]], filters: dict[str, Any], role: str
) -> None:
    projects = {
        "alpha": world.alpha_project,
        "beta": world.beta_project,
        "hidden": world.hidden_project,
    }
    partners = {"alpha": world.alpha, "beta": world.beta, "hidden": world.hidden}
    if "program" in filters:
        filters = {**filters, "program": world.program}
    try:
        with transaction.atomic():
            for spec in specs:
                factories.RiskFactory.create(
                    partner=partners[spec["partner"]],
                    project=projects[spec["partner"]] if spec["with_project"] else None,
                    category=spec["category"],
                    likelihood=spec["likelihood"],
                    impact=spec["impact"],
                    status=spec["status"],
                )
            user = world.users[role]
            heat = heat_map(user, filters)
            matrix, table, confidential = _expected(
                world, specs, filters, cleared=user.sees_confidential
            )
            assert heat.matrix == dict(matrix)
            assert heat.total == sum(matrix.values()) + heat.not_listed
            assert {
                (row.region, row.category): (row.count, row.highest_score) for row in heat.rows
            } == table
            # Officers are told how many of the counts they cannot open; cleared staff open all.
            assert heat.not_listed == (0 if user.sees_confidential else confidential)
            # The grid shows the same numbers, likelihood 5 on top.
            assert [likelihood for likelihood, _cells in heat.grid] == [5, 4, 3, 2, 1]
            grid_total = sum(count for _l, cells in heat.grid for _i, count, _h in cells)
            assert grid_total == heat.total - heat.not_listed
            assert sum(row.count for row in heat.rows) == heat.total
            raise _Rollback
    except _Rollback:
        pass


def test_partners_and_members_count_nothing(register: Register) -> None:
    for role in ("partner", "secret", "member"):
        heat = heat_map(register.world.users[role], {})
        assert heat.total == 0 and heat.rows == []


def test_bad_filters_are_form_errors_not_failures(
    register: Register, client_as: Callable[[str], Client]
) -> None:
    client = client_as("officer")
    for query in (
        "region=atlantis",
        "category=weather",
        "program=999999",
        "program=abc",
        "region=latam&program=-1",
        "region=%00",
    ):
        response = client.get(f"{reverse('risk-heat-map')}?{query}")
        assert response.status_code == 200, query
        assert response.context["form"].errors, query
    # A bad value is left out; the good ones still narrow the map.
    form = HeatMapFilterForm(
        {"region": "latam", "category": "weather"}, user=register.world.users["staff"]
    )
    assert form.filters() == {"region": "latam"}


def test_the_register_refuses_bad_filters_with_form_errors(
    register: Register, client_as: Callable[[str], Client]
) -> None:
    client = client_as("staff")
    for query in ("likelihood=9", "impact=x", "review=someday", "partner=0", "status=maybe"):
        response = client.get(f"{reverse('risk-list')}?{query}")
        assert response.status_code == 200, query
        assert response.context["filter"].form.errors, query


def test_it_draws_the_matrix_with_a_cell_per_likelihood_and_impact(register: Register) -> None:
    heat = heat_map(register.world.users["staff"], {})
    chart = draw(heat)
    assert len(chart.shapes) == 25
    linked = [shape for shape in chart.shapes if shape.href]
    assert len(linked) == len(heat.matrix)  # only cells with risks are links
    assert {shape.css for shape in chart.shapes} == {"h0", "h1", "h2", "h3", "h4"}
    assert band(25) == "h4" and band(1) == "h0" and band(12) == "h2"


def test_the_page_shows_the_heat_map_and_reassessing_changes_it(
    register: Register, client_as: Callable[[str], Client]
) -> None:
    client = client_as("staff")
    body = client.get(reverse("risk-heat-map")).content.decode()
    assert "<svg" in body
    assert 'data-cell="3-4"><a href=' in body  # Alpha's shared risk
    client.post(
        reverse("risk-reassess", args=[register.alpha.pk]),
        {"likelihood": "1", "impact": "4", "note": "Calmer."},
    )
    after = client.get(reverse("risk-heat-map")).content.decode()
    assert 'data-cell="3-4">0<' in after
    assert 'data-cell="1-4"><a href=' in after

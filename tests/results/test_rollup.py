"""The arithmetic of results, proved against direct computations over random figures."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from results.models import TOTAL, Direction, Measure
from results.rollup import (
    Amount,
    Cell,
    combine,
    disagreements,
    progress_to_target,
    roll_up,
    target_reached,
)

COUNTS = st.integers(min_value=0, max_value=10_000).map(Decimal)
SHARES = st.integers(min_value=1, max_value=5_000).flatmap(
    lambda denominator: st.tuples(st.integers(0, denominator), st.just(denominator))
)


def test_it_adds_counts_and_ignores_missing_values() -> None:
    amounts = [Amount(value=Decimal(3)), Amount(), Amount(value=Decimal(4))]
    assert combine(Measure.COUNT, amounts) == Amount(value=Decimal(7))
    assert combine(Measure.SUM, []) == Amount()


def test_it_rolls_a_percentage_up_from_its_parts_not_the_mean_of_shares() -> None:
    small = Amount(numerator=Decimal(9), denominator=Decimal(10))  # 90 %
    large = Amount(numerator=Decimal(100), denominator=Decimal(1000))  # 10 %
    rolled = combine(Measure.PERCENTAGE, [small, large])
    assert rolled == Amount(numerator=Decimal(109), denominator=Decimal(1010))
    assert rolled.result(Measure.PERCENTAGE) == Decimal(10900) / Decimal(1010)
    assert rolled.result(Measure.PERCENTAGE) != Decimal(50)


def test_a_qualitative_indicator_has_no_figure() -> None:
    assert (
        combine(Measure.QUALITATIVE, [Amount(value=Decimal(1))]).result(Measure.QUALITATIVE) is None
    )


@given(values=st.lists(COUNTS, max_size=30))
def test_it_sums_counts_as_a_direct_sum(values: list[Decimal]) -> None:
    rolled = combine(Measure.COUNT, [Amount(value=v) for v in values])
    assert rolled.value == (sum(values, Decimal(0)) if values else None)


@given(shares=st.lists(SHARES, min_size=1, max_size=30))
def test_it_computes_a_percentage_from_summed_numerators_and_denominators(
    shares: list[tuple[int, int]],
) -> None:
    rolled = combine(
        Measure.PERCENTAGE,
        [Amount(numerator=Decimal(n), denominator=Decimal(d)) for n, d in shares],
    )
    numerator = sum(n for n, _ in shares)
    denominator = sum(d for _, d in shares)
    assert rolled.result(Measure.PERCENTAGE) == Decimal(numerator) * 100 / Decimal(denominator)
    assert 0 <= (rolled.result(Measure.PERCENTAGE) or 0) <= 100


CELLS = st.lists(
    st.tuples(
        st.integers(1, 3),  # period
        st.integers(1, 4),  # project
        st.sampled_from([TOTAL, "1.3", "1.4", "2.3", "2.4"]),
        COUNTS,
    ),
    max_size=40,
    unique_by=lambda cell: cell[:3],
)


@given(cells=CELLS)
def test_a_roll_up_equals_the_direct_sum_per_period_and_combination(
    cells: list[tuple[int, int, str, Decimal]],
) -> None:
    rolled = roll_up(
        Measure.SUM,
        [Cell(period, project, key, Amount(value=v)) for period, project, key, v in cells],
    )
    expected: dict[tuple[int, str], Decimal] = {}
    for period, _project, key, value in cells:
        expected[(period, key)] = expected.get((period, key), Decimal(0)) + value
    assert {key: amount.value for key, amount in rolled.items()} == expected


@given(cells=CELLS)
def test_disagreements_list_exactly_the_periods_whose_parts_miss_their_total(
    cells: list[tuple[int, int, str, Decimal]],
) -> None:
    found = disagreements(
        Measure.COUNT,
        [Cell(period, project, key, Amount(value=v)) for period, project, key, v in cells],
    )
    totals: dict[tuple[int, int], Decimal] = {}
    parts: dict[tuple[int, int], Decimal] = {}
    for period, project, key, value in cells:
        bucket = totals if key == TOTAL else parts
        bucket[(period, project)] = bucket.get((period, project), Decimal(0)) + value
    expected = sorted(
        pair for pair, summed in parts.items() if totals.get(pair, Decimal(0)) != summed
    )
    assert [(d.period_id, d.project_id) for d in found] == expected


def test_percentages_disagree_when_their_counts_do() -> None:
    def share(n: int, d: int) -> Amount:
        return Amount(numerator=Decimal(n), denominator=Decimal(d))

    cells = [
        Cell(1, 1, TOTAL, share(5, 10)),
        Cell(1, 1, "1", share(1, 2)),
        Cell(1, 1, "2", share(4, 8)),  # 5 of 10 in all: agrees
        Cell(2, 1, TOTAL, share(5, 10)),
        Cell(2, 1, "1", share(1, 2)),
        Cell(2, 1, "2", share(1, 2)),  # the same 50 %, but 2 of 4: disagrees
    ]
    assert [(d.period_id, d.project_id) for d in disagreements(Measure.PERCENTAGE, cells)] == [
        (2, 1)
    ]


def test_progress_runs_from_the_baseline_towards_the_target_either_way() -> None:
    up = progress_to_target(
        baseline=Decimal(10), target=Decimal(30), actual=Decimal(20), direction=Direction.INCREASE
    )
    down = progress_to_target(
        baseline=Decimal(40), target=Decimal(20), actual=Decimal(35), direction=Direction.DECREASE
    )
    assert up == Decimal(50)
    assert down == Decimal(25)
    assert progress_to_target(
        baseline=None, target=Decimal(0), actual=Decimal(0), direction=Direction.DECREASE
    ) == Decimal(100)
    assert (
        progress_to_target(
            baseline=None, target=None, actual=Decimal(3), direction=Direction.INCREASE
        )
        is None
    )
    assert target_reached(target=Decimal(20), actual=Decimal(18), direction=Direction.DECREASE)
    assert not target_reached(target=Decimal(20), actual=Decimal(18), direction=Direction.INCREASE)


@given(
    baseline=COUNTS,
    target=COUNTS,
    actual=COUNTS,
    direction=st.sampled_from([Direction.INCREASE, Direction.DECREASE]),
)
def test_reaching_the_target_is_full_progress(
    baseline: Decimal, target: Decimal, actual: Decimal, direction: str
) -> None:
    progress = progress_to_target(
        baseline=baseline, target=target, actual=target, direction=direction
    )
    assert progress == Decimal(100)
    moved = progress_to_target(baseline=baseline, target=target, actual=actual, direction=direction)
    assert moved is not None
    if target != baseline:
        assert moved == (actual - baseline) * 100 / (target - baseline)

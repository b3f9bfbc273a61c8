"""The rule for network members' figures (reporting.disclosure): ranges, and what gets hidden."""

from __future__ import annotations

import pytest

from reporting import disclosure, suppression
from reporting.disclosure import Relation


@pytest.mark.parametrize(
    ("count", "shown", "meaning"),
    [
        (0, 0, (0, 0)),
        (1, 0, (1, 4)),
        (4, 0, (1, 4)),
        (5, 5, (5, 7)),
        (7, 5, (5, 7)),
        (8, 10, (8, 12)),
        (12, 10, (8, 12)),
        (13, 15, (13, 17)),
        (1234, 1235, (1233, 1237)),
    ],
)
def test_it_rounds_to_the_nearest_five_and_hides_one_to_four(
    count: int, shown: int, meaning: tuple[int, int]
) -> None:
    assert suppression.published_range(count) == meaning
    if count >= 5:
        assert disclosure.rounded(count) == shown


def test_it_hides_nothing_when_no_tie_pins_a_count() -> None:
    # 12 = 6 + 6: "10" = "5" + "5" leaves each half anywhere from 5 to 7.
    values = {"year": 12, "first": 6, "second": 6}
    assert disclosure.protect(values, [Relation("year", ("first", "second"))]) == frozenset()


def test_it_hides_the_total_that_would_pin_its_parts() -> None:
    # 8 = 4 + 4: "10" (8 to 12) over "<5" and "<5" (at most 4 each) pins all three.
    values = {"year": 8, "first": 4, "second": 4}
    hidden = disclosure.protect(values, [Relation("year", ("first", "second"))])
    assert hidden == {"year"}
    # Four partners with one story each, and a headline of "<5": the same, one level up.
    values = {"all": 4, **{f"partner {n}": 1 for n in range(4)}}
    relation = Relation("all", tuple(f"partner {n}" for n in range(4)))
    assert disclosure.protect(values, [relation]) == {"all"}


def test_it_follows_a_pin_through_a_hidden_total_to_the_figure_that_bounds_it() -> None:
    # The headline hidden because of its four partners is still "at most 4" through its only
    # teller: that row goes too (a hidden figure tells only "at least one").
    values = {"headline": 4, "teller": 4, **{f"partner {n}": 1 for n in range(4)}}
    relations = [
        Relation("headline", tuple(f"partner {n}" for n in range(4))),
        Relation("headline", ("teller",)),
    ]
    hidden = disclosure.protect(values, relations)
    assert {"headline", "teller"} <= hidden
    assert not suppression.propagate(values, relations, set(hidden)).pinned(values)


def test_it_never_hides_a_zero() -> None:
    values = {"year": 4, "first": 4, "second": 0}
    hidden = disclosure.protect(values, [Relation("year", ("first", "second"))])
    assert "second" not in hidden


def test_it_does_not_fail_on_a_tie_the_data_breaks() -> None:
    # Two stories without a change type (entered past the form) under an "at most the types"
    # tie: nothing to hide would help; the page still renders, with the figure hidden.
    values = {"stories": 2, "type": 0}
    relations = [Relation("stories", ("type",), "at_most")]
    assert disclosure.protect(values, relations) == {"stories"}

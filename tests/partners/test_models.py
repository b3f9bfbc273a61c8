from __future__ import annotations

import re
from unittest import mock

from partners import models
from tests.factories import PartnerFactory


def test_it_gives_each_partner_a_distinct_readable_pseudonym(db: None) -> None:
    first, second = PartnerFactory.create(), PartnerFactory.create()
    assert re.fullmatch(r"Partner [2-9A-HJKMNP-Z]{5}", first.pseudonym)
    assert first.pseudonym != second.pseudonym


def test_it_draws_again_when_a_pseudonym_is_taken(db: None) -> None:
    taken = PartnerFactory.create().pseudonym
    taken_code = taken.removeprefix("Partner ")
    draws = iter(list(taken_code) + list("ABCDE"))
    with mock.patch.object(models.secrets, "choice", side_effect=lambda _alphabet: next(draws)):
        assert models.new_pseudonym() == "Partner ABCDE"


def test_it_maps_countries_to_regions() -> None:
    from partners.regions import region_for_country

    assert region_for_country("GT") == "latam"
    assert region_for_country("ps") == "mena"
    assert region_for_country("XX") == ""

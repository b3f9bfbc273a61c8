"""The browser walk as the Swedish organisation's staff: see tests/e2e/walk.py."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.e2e.conftest import DemoSite
from tests.e2e.walk import walk_role


@pytest.mark.parametrize("role", ["admin", "staff", "officer"])
def test_every_page_passes_axe_and_fits_a_phone(
    browser: Browser, demo_site: DemoSite, role: str
) -> None:
    walk = walk_role(browser, demo_site, role)
    print(walk.summary())
    assert not walk.problems, "\n".join([walk.summary(), *walk.problems])

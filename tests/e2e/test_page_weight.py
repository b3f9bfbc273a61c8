"""What the forms that partners and storytellers fill in weigh on the wire, in production.

The demo site (tests/e2e/conftest.py) runs with DEBUG off: pages gzip-compressed by Django,
static files hashed, compressed and cached for a year by WhiteNoise. Chromium counts the bytes
it receives per request (the DevTools protocol's ``encodedDataLength``: headers and the body as
sent, compressed). A first visit starts with an empty cache; the next visit is the same page
opened again, as someone coming back to the form does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from playwright.sync_api import Browser, CDPSession, Page

from tests.e2e.conftest import DemoSite, screenshot
from tests.e2e.walk import log_in, make_links

FIRST_VISIT_BUDGET = 150_000
NEXT_VISIT_BUDGET = 30_000
YEAR = 365 * 24 * 60 * 60
HASHED_STATIC = re.compile(r"/static/.+\.[0-9a-f]{12}\.(css|js)$")


@dataclass
class Request:
    url: str
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    from_cache: bool = False
    received: int = 0  # bytes on the wire: headers and the (compressed) body


class Transfer:
    """The requests of one page load as the browser's network layer saw them."""

    def __init__(self, cdp: CDPSession) -> None:
        self.requests: dict[str, Request] = {}
        self.cdp = cdp
        self.handlers = {
            "Network.requestWillBeSent": self._sent,
            "Network.responseReceived": self._response,
            "Network.requestServedFromCache": self._cached,
            "Network.loadingFinished": self._finished,
        }

    def _sent(self, event: dict[str, Any]) -> None:
        self.requests.setdefault(event["requestId"], Request(event["request"]["url"]))

    def _response(self, event: dict[str, Any]) -> None:
        request = self.requests.setdefault(event["requestId"], Request(event["response"]["url"]))
        response = event["response"]
        request.status = response["status"]
        request.headers = {key.lower(): value for key, value in response["headers"].items()}
        request.from_cache = request.from_cache or bool(
            response.get("fromDiskCache") or response.get("fromPrefetchCache")
        )

    def _cached(self, event: dict[str, Any]) -> None:
        self.requests[event["requestId"]].from_cache = True

    def _finished(self, event: dict[str, Any]) -> None:
        self.requests[event["requestId"]].received = int(event["encodedDataLength"])

    def __enter__(self) -> Transfer:
        for name, handler in self.handlers.items():
            self.cdp.on(name, handler)
        return self

    def __exit__(self, *exc: object) -> None:
        for name, handler in self.handlers.items():
            self.cdp.remove_listener(name, handler)

    @property
    def total(self) -> int:
        return sum(request.received for request in self.requests.values())

    @property
    def from_network(self) -> list[Request]:
        return [request for request in self.requests.values() if not request.from_cache]


def _visit(page: Page, cdp: CDPSession, url: str) -> Transfer:
    with Transfer(cdp) as transfer:
        response = page.goto(url, wait_until="load")
        assert response is not None and response.status == 200, url
        # loadingFinished of the last subresource can follow the load event by a moment.
        page.wait_for_load_state("networkidle")
    return transfer


def _weigh(page: Page, url: str, name: str) -> tuple[Transfer, Transfer]:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    # An empty cache, the session kept: a first visit by someone logged in.
    cdp.send("Network.clearBrowserCache")
    first = _visit(page, cdp, url)
    screenshot(page, f"weight-{name}")
    following = _visit(page, cdp, url)
    return first, following


def _check(name: str, url: str, first: Transfer, following: Transfer) -> str:
    html = next(request for request in first.requests.values() if request.url == url)
    assert html.headers.get("content-encoding") == "gzip", f"{name}: the page is not compressed"
    assert "accept-encoding" in html.headers.get("vary", "").lower()
    static = [request for request in first.requests.values() if "/static/" in request.url]
    assert static, f"{name}: no static files loaded"
    for request in static:
        assert HASHED_STATIC.search(request.url), f"{request.url} has no content hash in its name"
        assert request.headers.get("content-encoding") in ("gzip", "br"), request.url
        cache_control = request.headers.get("cache-control", "")
        max_age = re.search(r"max-age=(\d+)", cache_control)
        assert max_age and int(max_age.group(1)) >= YEAR, f"{request.url}: {cache_control}"
        assert "immutable" in cache_control, f"{request.url}: {cache_control}"
    # The next visit asks the network for the page only: the static files come from the cache.
    assert [request.url for request in following.from_network] == [url]
    assert first.total <= FIRST_VISIT_BUDGET, f"{name}: first visit {first.total:,} bytes"
    assert following.total <= NEXT_VISIT_BUDGET, f"{name}: next visit {following.total:,} bytes"
    return (
        f"page weight of the {name}: first visit {first.total:,} bytes in "
        f"{len(first.from_network)} requests (page {html.received:,}, static "
        f"{sum(r.received for r in static):,}), next visit {following.total:,} bytes "
        f"in {len(following.from_network)} request (budgets {FIRST_VISIT_BUDGET:,} and "
        f"{NEXT_VISIT_BUDGET:,})"
    )


@pytest.fixture
def partner_page(browser: Browser, demo_site: DemoSite) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    page = context.new_page()
    log_in(page, demo_site, "partner")
    yield page
    context.close()


def test_the_story_form_is_light_on_a_first_and_a_next_visit(
    partner_page: Page, demo_site: DemoSite
) -> None:
    url = f"{demo_site.base_url}/stories/new/"
    first, following = _weigh(partner_page, url, "story-form")
    print(_check("story form (demo partner)", url, first, following))


def test_the_public_link_form_is_light_on_a_first_and_a_next_visit(
    browser: Browser, demo_site: DemoSite
) -> None:
    token = make_links(browser, demo_site)["open"]
    url = f"{demo_site.base_url}/s/{token}/"
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="es-ES")
    try:
        first, following = _weigh(context.new_page(), url, "link-form")
    finally:
        context.close()
    print(_check("public submission-link form", url, first, following))


def test_collected_static_files_are_readable_by_the_server_user(demo_site: DemoSite) -> None:
    # The image collects them as root and serves them as another user (Dockerfile).
    files = [path for path in demo_site.static_root.rglob("*") if path.is_file()]
    assert files
    unreadable = [path for path in files if not path.stat().st_mode & 0o004]
    assert not unreadable, unreadable[:5]

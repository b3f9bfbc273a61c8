"""A bounded, deterministic crawl of the portal as one logged-in user.

From a list of start URLs it follows every same-site link (click-throughs, pagination,
downloads) and submits every GET form with each option of each of its lists, breadth first. Each
response is handed to a check. The leak crawl and the demo walk both use it.
"""

from __future__ import annotations

import io
import zipfile
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve
from lxml import html as lxml_html

# Links a crawl must not follow: they change state or leave the portal's pages.
SKIP_PREFIXES = ("/accounts/logout/", "/static/", "/i18n/")


def response_text(response: object) -> str:
    """The body as text: HTML, JSON, CSV, XML, and the XML inside an XLSX file."""
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    else:
        body = response.content  # type: ignore[attr-defined]
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist())
    return body.decode("utf-8", errors="replace")


def links_and_forms(url: str, body: str) -> list[str]:
    """Same-site links, and each GET form with each option of each of its lists."""
    try:
        tree = lxml_html.fromstring(body)
    except Exception:  # not HTML (CSV, JSON, XML): nothing to follow
        return []
    found = [urljoin(url, href) for href in tree.xpath("//a/@href")]
    for form in tree.xpath("//form"):
        if (form.get("method") or "get").lower() != "get":
            continue
        action = urljoin(url, form.get("action") or url)
        for select in form.xpath(".//select[@name]"):
            for value in select.xpath("./option/@value"):
                if value:
                    found.append(f"{action.split('?')[0]}?{urlencode({select.get('name'): value})}")
    return found


def _route(path: str, query: str) -> str:
    """The URL pattern a path belongs to, with the names of its query parameters: variants are
    counted per pattern and filter, not per path, so that a list of 300 stories costs a handful
    of detail pages, not 300, while each filter of the list is still tried. The Django admin's
    sort orders and facets multiply without end: there, the pattern alone counts."""
    try:
        route = resolve(path).route or path
    except Resolver404:
        route = path
    if path.startswith("/admin/"):
        return route
    return route + "?" + ",".join(sorted({name for name, _value in parse_qsl(query)}))


@dataclass
class Crawl:
    """What a crawl met: the paths it opened, per URL pattern, and the statuses it got."""

    seen: list[str] = field(default_factory=list)
    variants: dict[str, int] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=dict)


def crawl(
    client: Client,
    start: Iterable[str],
    check: Callable[[str, object, str], None],
    *,
    max_pages: int,
    max_variants: int,
    by_route: bool = False,
    follow_redirects: bool = False,
    skip: tuple[str, ...] = SKIP_PREFIXES,
) -> Crawl:
    """Open ``start`` and what it links to; ``check(path, response, body)`` on every response.

    ``max_variants`` bounds how many paths (or, with ``by_route``, how many paths of one URL
    pattern) are opened, so that click-throughs and filter values do not multiply without end.
    """
    result = Crawl()
    queue = deque(start)
    opened: set[str] = set()
    while queue and len(opened) < max_pages:
        url = queue.popleft()
        parts = urlsplit(url)
        if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
            continue  # mailto:, tel:, other sites
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if parts.path.startswith(skip) or path in opened:
            continue
        key = _route(parts.path, parts.query) if by_route else parts.path
        if result.variants.get(key, 0) >= max_variants:
            continue
        result.variants[key] = result.variants.get(key, 0) + 1
        opened.add(path)
        result.seen.append(path)
        response = client.get(path)
        status = response.status_code
        result.statuses[status] = result.statuses.get(status, 0) + 1
        body = response_text(response)
        check(path, response, body)
        if status == 200 and "text/html" in response.get("Content-Type", ""):
            queue.extend(links_and_forms(path, body))
        elif status in (301, 302) and follow_redirects:
            queue.append(urljoin(path, response["Location"]))
    return result

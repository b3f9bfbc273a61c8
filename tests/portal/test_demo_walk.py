"""The demo walk: what every newcomer meets first, walked as every demo role.

``seed_demo`` fills the database as ``make demo`` does; then, for each demo login, a crawl starts
at the landing page and follows every link, filter option and pagination link (bounded per URL
pattern, breadth first, so the same pages every run). It fails on any server error, on a link
the portal offers that answers 404, on any page without a ``<main>`` landmark, and on any name,
contact or place of a confidential partner reaching a role that may not know it.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from lxml import html as lxml_html

from conftest import login
from partners.models import Partner, PartnerContact
from portal.models import User
from programs.models import Activity
from progress.models import ChangeStory
from tests.crawl import crawl

ROLES = ("admin", "staff", "officer", "partner", "partner2", "secret", "member")
MAX_PAGES_PER_ROLE = 800
MAX_VARIANTS_PER_PATTERN = 2


def _secrets_of(partner: Partner) -> set[str]:
    """What identifies a confidential partner: its name, its contacts, the places its stories
    name (those no story or activity of another partner names too)."""
    contacts = PartnerContact.objects.filter(partner=partner)
    places = set(
        ChangeStory.objects.filter(partner=partner)
        .exclude(locality="")
        .values_list("locality", flat=True)
    )
    places -= set(ChangeStory.objects.exclude(partner=partner).values_list("locality", flat=True))
    places -= set(Activity.objects.values_list("place", flat=True))
    return {
        partner.name,
        *contacts.exclude(name="").values_list("name", flat=True),
        *contacts.exclude(email="").values_list("email", flat=True),
        *places,
    }


def _forbidden_words(user: User) -> set[str]:
    words: set[str] = set()
    if user.sees_confidential:
        return words
    for partner in Partner.objects.filter(is_confidential=True):
        if user.is_partner_user and user.partner_id == partner.pk:
            continue  # a confidential partner's own users know who they are
        words |= _secrets_of(partner)
    return words


def _has_main_landmark(body: str) -> bool:
    tree = lxml_html.fromstring(body)
    return bool(tree.xpath("//main | //*[@role='main']"))


@pytest.fixture
def demo(db: None, settings: object) -> None:
    settings.DEBUG = True  # type: ignore[attr-defined]  # seed_demo refuses production settings
    call_command("seed_demo", verbosity=0)
    settings.DEBUG = False  # type: ignore[attr-defined]  # pages as production renders them


def _walk(role: str) -> tuple[list[str], str]:
    """The failures met walking the demo as ``role``, and one line of figures."""
    user = User.objects.get(username=role)
    forbidden = _forbidden_words(user)
    assert role in ("admin", "staff") or forbidden, f"no confidential partner to hide from {role}"
    failures: list[str] = []

    def check(path: str, response: object, body: str) -> None:
        status = response.status_code  # type: ignore[attr-defined]
        if status >= 500:
            failures.append(f"{role}: {status} on {path}")
            return
        if status == 404:
            # Every path walked is a link or a form option the portal itself offered.
            failures.append(f"{role}: a link to a page that answers 404: {path}")
        failures.extend(f"{role}: {word!r} on {path}" for word in forbidden if word in body)
        content_type = response.get("Content-Type", "")  # type: ignore[attr-defined]
        if status == 200 and "text/html" in content_type and not _has_main_landmark(body):
            failures.append(f"{role}: no <main> on {path}")

    walked = crawl(
        # Server errors are recorded and the walk goes on, so one run names every broken page.
        login(Client(raise_request_exception=False), user),
        ["/"],
        check,
        max_pages=MAX_PAGES_PER_ROLE,
        max_variants=MAX_VARIANTS_PER_PATTERN,
        by_route=True,
        follow_redirects=True,
    )
    # The landing page must lead somewhere: a walk that stops at once proves nothing.
    assert len(walked.variants) > 5, f"{role} walked only {walked.seen}"
    figures = (
        f"{role}: {len(walked.seen)} pages, {len(walked.variants)} URL patterns and filters, "
        f"{dict(sorted(walked.statuses.items()))}"
    )
    return failures, figures


def test_every_demo_role_walks_the_demo_without_an_error_a_leak_or_a_page_without_main(
    demo: None,
) -> None:
    failures: list[str] = []
    figures: list[str] = []
    for role in ROLES:
        role_failures, role_figures = _walk(role)
        failures += role_failures
        figures.append(role_figures)
    print("demo walk: " + "; ".join(figures))
    assert not failures, "\n".join(failures)

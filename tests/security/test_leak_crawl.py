"""Leak crawl: the confidential partner's name, contacts and locality reach no uncleared viewer.

As an officer, both partners' users who are not the confidential partner's, and a network
member, the crawl opens every URL of the authorisation matrix with every object it names
(own, foreign, confidential — the 404 pages included), then follows every same-site link it
finds (click-throughs, pagination, downloads) and submits every GET form with each option of
each of its lists (every filter value the viewer is offered). Each body is searched — HTML,
JSON, CSV, and the XML inside XLSX files — and so is every log line written meanwhile.
"""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.test import Client
from django.urls import reverse

from conftest import World, login
from progress.models import ChangeType, TargetGroup
from reporting import aggregates
from tests import factories
from tests.crawl import SKIP_PREFIXES, crawl
from tests.results import builders as results_builders
from tests.security.test_url_matrix import EXPECTATIONS, NO_OBJECT

UNCLEARED = ("officer", "partner", "partner2", "member")
MAX_PAGES_PER_ROLE = 500
# Click-through links and filter values multiply: a handful of variants of each page is enough
# to meet every kind of content it shows, and keeps the crawl to seconds per role.
MAX_VARIANTS_PER_PATH = 12


@pytest.fixture
def exposed(world: World) -> World:
    """The confidential partner present everywhere data can show: figures, activities, links."""
    participation = ChangeType.objects.get(code="participation-decision-making")
    women = TargetGroup.objects.get(code="women")
    for story in (world.alpha_story, world.beta_story, world.hidden_story):
        story.change_types.add(participation)
        story.target_groups.add(women)
    for index in range(6):
        story = factories.StoryFactory.create(
            partner=world.hidden,
            program=world.program,
            project=world.hidden_project,
            locality="Izmir",
            title=f"Izmir story {index}",
            event_date=dt.date(2025, 1 + index, 1),
        )
        story.change_types.add(participation)
    plan = factories.ActivityPlanFactory.create(program=world.program)
    planned = factories.PlannedActivityFactory.create(plan=plan, project=world.hidden_project)
    factories.ActivityFactory.create(project=world.hidden_project, planned=planned, place="Izmir")
    factories.ActivityFactory.create(project=world.alpha_project, planned=planned)
    # A dialogue with the confidential partner whose words name its town, and one with Alpha.
    hidden_dialogue = factories.DialogueFactory.create(
        partner=world.hidden, project=world.hidden_project, notes="Met in Izmir.", agenda="Izmir"
    )
    hidden_dialogue.stories.add(world.hidden_story)
    factories.AgreedActionFactory.create(
        dialogue=hidden_dialogue,
        description="Move the Izmir office",
        owner_is_partner=False,
        owner_user=world.users["staff"],
    )
    factories.DialogueCommentFactory.create(dialogue=hidden_dialogue, text="Izmir is calm.")
    factories.AgreedActionFactory.create(dialogue__partner=world.alpha)
    # Risks: the confidential partner's exposure risk, reassessed and commented, beside a
    # visible one in the same category, so that the heat map and the register show both.
    hidden_risk = factories.RiskFactory.create(
        partner=world.hidden,
        project=world.hidden_project,
        title="Members in Izmir exposed",
        description="The list of members in Izmir.",
        mitigation="Keep the Izmir list offline.",
        category="security",
        likelihood=5,
        impact=5,
        shared_with_partner=True,
    )
    hidden_risk.reassessments.create(
        old_likelihood=4, old_impact=5, new_likelihood=5, new_impact=5, note="Izmir raids."
    )
    hidden_risk.comments.create(author=world.users["secret"], text="Izmir is calm today.")
    factories.RiskFactory.create(
        partner=world.alpha,
        project=world.alpha_project,
        category="security",
        shared_with_partner=True,
    )
    # A results framework the confidential project reports on, and an indicator of its own.
    results_builders.world_framework(world)
    results_builders.indicator(
        world.program, project=world.hidden_project, title="Izmir households reached"
    )
    aggregates.rebuild_all()
    return world


def _secrets(world: World) -> list[str]:
    return [world.hidden.name, *(c.name for c in world.hidden.contacts.all()), "Izmir"]


def _start_urls(world: World) -> list[str]:
    urls = ["/"]
    for name, page in EXPECTATIONS.items():
        for kind in page.get:
            if page.args is None and kind == NO_OBJECT:
                urls.append(reverse(name))
            elif page.args is not None:
                args, _obj = page.args(world, kind)
                urls.append(reverse(name, args=args))
    return urls


@pytest.mark.parametrize("role", UNCLEARED)
def test_no_page_export_error_or_log_line_names_the_confidential_partner(
    exposed: World, role: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = login(Client(), exposed.users[role])
    secrets = _secrets(exposed)

    def check(path: str, response: object, body: str) -> None:
        assert response.status_code < 500, path  # type: ignore[attr-defined]
        for secret in secrets:
            assert secret not in body, f"{secret!r} in {path} as {role}"

    walked = crawl(
        client,
        _start_urls(exposed),
        check,
        max_pages=MAX_PAGES_PER_ROLE,
        max_variants=MAX_VARIANTS_PER_PATH,
        skip=(*SKIP_PREFIXES, "/admin/"),
    )
    logged = caplog.text
    for secret in secrets:
        assert secret not in logged, f"{secret!r} in the logs while crawling as {role}"
    assert len(walked.seen) > 40
    print(
        f"leak crawl as {role}: {len(walked.seen)} responses over {len(walked.variants)} paths "
        f"{dict(sorted(walked.statuses.items()))}, "
        f"{len(caplog.records)} log records, {len(secrets)} secrets, 0 found"
    )

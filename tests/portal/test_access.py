"""The selectors of portal.access, role by role, on the shared world."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from conftest import World
from partners.selectors import (
    get_partner_for_user,
    partner_country_label,
    partner_label,
    visible_contacts,
    visible_networks,
    visible_partners,
)
from programs.selectors import visible_programs
from progress.models import ChangeStory
from progress.selectors import get_story_for_user, visible_stories
from tests import factories


def _names(queryset: object) -> set[str]:
    return {str(obj) for obj in queryset}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", {"Frente de Mujeres Alfa", "Sindicato Beta", "Hidden Rainbow Union"}),
        ("staff", {"Frente de Mujeres Alfa", "Sindicato Beta", "Hidden Rainbow Union"}),
        ("officer", {"Frente de Mujeres Alfa", "Sindicato Beta"}),
        ("partner", {"Frente de Mujeres Alfa"}),
        ("partner2", {"Sindicato Beta"}),
        ("secret", {"Hidden Rainbow Union"}),
        ("member", {"Frente de Mujeres Alfa", "Sindicato Beta"}),
    ],
)
def test_it_scopes_partners_by_role(world: World, role: str, expected: set[str]) -> None:
    assert _names(visible_partners(world.users[role])) == expected


def test_it_shows_nothing_to_anonymous_or_deactivated_users(world: World) -> None:
    staff = world.users["staff"]
    staff.is_active = False
    for user in (AnonymousUser(), staff):
        assert not visible_partners(user).exists()
        assert not visible_stories(user).exists()
        assert not visible_programs(user).exists()


def test_it_shows_members_only_verified_stories_they_may_quote(world: World) -> None:
    member = world.users["member"]
    factories.StoryFactory.create(partner=world.alpha, status=ChangeStory.Status.SUBMITTED)
    factories.StoryFactory.create(partner=world.alpha, consent_quote_internal=False)
    selected = factories.StoryFactory.create(partner=world.beta, status=ChangeStory.Status.SELECTED)
    visible = set(visible_stories(member))
    assert visible == {world.alpha_story, world.beta_story, selected}


def test_it_forgets_a_member_who_left_the_network(world: World) -> None:
    member = world.users["member"]
    world.network.memberships.update(left_on="2025-12-31")
    assert not visible_partners(member).exists()
    assert not visible_networks(member).exists()


def test_it_keeps_contacts_from_network_members(world: World) -> None:
    assert not visible_contacts(world.users["member"]).exists()
    assert visible_contacts(world.users["partner"]).get().partner == world.alpha


def test_it_answers_404_outside_scope_and_for_malformed_ids(world: World) -> None:
    with pytest.raises(Http404):
        get_partner_for_user(world.users["officer"], world.hidden.pk)
    with pytest.raises(Http404):
        get_partner_for_user(world.users["staff"], "1 OR 1=1")
    assert get_story_for_user(world.users["secret"], world.hidden_story.pk) == world.hidden_story


def test_it_pseudonymises_confidential_partners_for_those_who_may_not_identify_them(
    world: World,
) -> None:
    hidden = world.hidden
    for role in ("officer", "partner", "member"):
        user = world.users[role]
        assert partner_label(hidden, user) == hidden.pseudonym
        assert partner_country_label(hidden, user) == "Middle East and North Africa"
    for role in ("staff", "admin", "secret"):
        assert partner_label(hidden, world.users[role]) == "Hidden Rainbow Union"
    assert partner_country_label(hidden, world.users["staff"]) == "Türkiye"
    assert partner_label(world.alpha, world.users["officer"]) == "Frente de Mujeres Alfa"

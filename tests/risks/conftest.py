"""A small register on the shared world: a risk of each partner, the confidential one's a
security and exposure risk, Alpha's shared with its users."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from conftest import World
from risks.models import Category, Risk
from tests import factories


@dataclass
class Register:
    world: World
    alpha: Risk  # shared with Alpha's users
    alpha_unshared: Risk
    beta: Risk  # shared with Beta's users
    hidden: Risk  # the confidential partner's


@pytest.fixture
def register(world: World) -> Register:
    staff, officer = world.users["staff"], world.users["officer"]
    alpha = factories.RiskFactory.create(
        partner=world.alpha,
        project=world.alpha_project,
        title="Smear campaign against the front leaders",
        category=Category.REPUTATIONAL,
        likelihood=3,
        impact=4,
        owner=officer,
        shared_with_partner=True,
    )
    alpha_unshared = factories.RiskFactory.create(
        partner=world.alpha,
        title="Treasurer without a deputy",
        category=Category.FINANCIAL,
        likelihood=2,
        impact=3,
        owner=staff,
    )
    beta = factories.RiskFactory.create(
        partner=world.beta,
        title="Union leaders threatened before the strike",
        category=Category.SECURITY,
        likelihood=4,
        impact=4,
        shared_with_partner=True,
    )
    hidden = factories.RiskFactory.create(
        partner=world.hidden,
        project=world.hidden_project,
        title="Members exposed if the Izmir office list leaks",
        description="The office in Izmir keeps a paper list of members.",
        mitigation="Move the list to an encrypted drive kept outside Izmir.",
        category=Category.SECURITY,
        likelihood=5,
        impact=5,
        owner=staff,
        shared_with_partner=True,
    )
    return Register(
        world=world, alpha=alpha, alpha_unshared=alpha_unshared, beta=beta, hidden=hidden
    )

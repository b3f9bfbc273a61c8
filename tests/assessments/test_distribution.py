"""The distribution across partners equals a direct computation over the submitted assessments
the viewer may count (issue #12, item 3)."""

from __future__ import annotations

import math
from collections import defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.models import Answer, Assessment
from assessments.selectors import BANDS, distribution
from conftest import World
from portal.models import User
from tests import factories

# Per partner (of the world's three and two more): whether its round is submitted, and a score
# per statement (two dimensions of two statements).
ROUND = st.tuples(st.booleans(), st.lists(st.integers(1, 5), min_size=4, max_size=4))


def _direct(
    viewer: User, period: str, region: str, program_id: int | None
) -> dict[str, tuple[int, ...]]:
    """Band counts by hand: the answers of every submitted round a staff member may count (all,
    confidential partners' included), or a network member (its networks' partners that are not
    confidential; nobody else counts any), grouped in Python."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(BANDS))
    rounds = Assessment.objects.filter(status=Assessment.Status.SUBMITTED, period_label=period)
    if viewer.is_network_member:
        assert viewer.member_organisation is not None
        rounds = rounds.filter(
            partner__networks__members=viewer.member_organisation,
            partner__is_confidential=False,
        ).distinct()
    elif not viewer.is_portal_staff:
        rounds = rounds.none()
    if region:
        rounds = rounds.filter(partner__region=region)
    for assessment in rounds:
        if (
            program_id is not None
            and not assessment.partner.projects.filter(program_id=program_id).exists()
        ):
            continue
        scores: dict[str, list[int]] = defaultdict(list)
        for answer in Answer.objects.filter(assessment=assessment).select_related(
            "statement__dimension"
        ):
            scores[answer.statement.dimension.key].append(answer.score)
        for key, values in scores.items():
            mean = sum(values) / len(values)
            counts[key][min(5, math.floor(mean)) - 1] += 1
    return {key: tuple(value) for key, value in counts.items()}


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rounds=st.lists(ROUND, min_size=5, max_size=5),
    region=st.sampled_from(["", "latam", "mena"]),
    by_program=st.booleans(),
)
def test_the_distribution_equals_a_direct_count(
    world: World, rounds: list[tuple[bool, list[int]]], region: str, by_program: bool
) -> None:
    # The world's three partners have a project in its programme; the two more have none.
    program_id = world.program.pk if by_program else None
    Assessment.objects.all().delete()
    questionnaire = factories.make_questionnaire(dimensions=2, statements=2)
    partners = [world.alpha, world.beta, world.hidden]
    while len(partners) < len(rounds):
        partners.append(factories.PartnerFactory.create(region="africa"))
    for partner, (submitted, scores) in zip(partners, rounds, strict=False):
        factories.make_assessment(
            partner=partner,
            questionnaire=questionnaire,
            year=2025,
            submitted=submitted,
            scores={"d1": scores[:2], "d2": scores[2:]},
        )
    for role in ("staff", "officer", "partner", "member"):
        viewer = world.users[role]
        rows = distribution(viewer, period_label="2025", region=region, program_id=program_id)
        shown = {row.key: row.counts for row in rows if row.total}
        assert shown == _direct(viewer, "2025", region, program_id), role

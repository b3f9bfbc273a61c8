"""The partners that tell the demo's stories, and what each is likely to tell.

Each partner that tells stories gets slots, the places a story of theirs can belong to (one of
its projects, one of its programmes, or neither), each with the weights of the story templates
in that context (``template_weight``), and a share of all stories (``story_weight`` in
``demo/data/organisations.toml``).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from demo.records import DemoData, PartnerSeed, StoryData, StoryTemplate
from demo.world import DemoWorld
from partners.models import Partner
from partners.regions import Region, region_for_country
from programs.models import FocusArea, Program, Project


@dataclass(frozen=True)
class StorySlot:
    """Where a story can belong: a partner's project, its programme only, or neither."""

    project_id: int | None
    program_id: int | None
    start: date
    end: date
    # Cumulative weights over the positive and the negative templates, for ``random.choices``.
    positive_weights: tuple[float, ...]
    negative_weights: tuple[float, ...]
    women_youth: bool


@dataclass(frozen=True)
class StoryPartner:
    """A partner that tells stories, with what a story of theirs draws from."""

    partner_id: int
    country: str
    latin_america: bool
    localities: tuple[str, ...]
    storytellers: tuple[str, ...]
    domain: str
    submitted_by_id: int
    project_slots: tuple[StorySlot, ...]
    program_slots: tuple[StorySlot, ...]
    general_slot: StorySlot


def template_weight(
    template: StoryTemplate, texts: StoryData, *, focus_area: str, kind: str, country: str
) -> float:
    """How likely a storyteller in this context tells this kind of event.

    Encodes patterns worth finding in the dashboards: women and youth programmes lean to women,
    youth and participation; Latin American partners to collective action; unions to collective
    and economic gains; capacity programmes to organisational change.
    """
    if template.kinds and kind not in template.kinds:
        return 0.0
    tags = template.tags
    weight = 1.0
    if focus_area == FocusArea.WOMEN_YOUTH and tags & {"women", "youth"}:
        weight *= 3
    if focus_area == FocusArea.WOMEN_YOUTH and "participation" in tags:
        weight *= 1.5
    if focus_area == FocusArea.CAPACITY and "capacity" in tags:
        weight *= 5
    if focus_area == FocusArea.DEMOCRACY and tags & {"participation", "collective"}:
        weight *= 1.5
    if region_for_country(country) == Region.LATIN_AMERICA and "collective" in tags:
        weight *= 2.5
    if kind == Partner.Kind.TRADE_UNION and tags & {"collective", "economic"}:
        weight *= 2
    if kind in (Partner.Kind.POLITICAL_PARTY, Partner.Kind.PARTY_AFFILIATED) and (
        "participation" in tags
    ):
        weight *= 2.5
    if kind == Partner.Kind.WOMENS_ORGANISATION and "women" in tags:
        weight *= 2
    if kind == Partner.Kind.YOUTH_ORGANISATION and "youth" in tags:
        weight *= 3
    if "indigenous" in tags and country not in texts.indigenous_contexts:
        weight *= 0.1
    return weight


def story_partners(
    world: DemoWorld,
    data: DemoData,
    *,
    positive: Sequence[StoryTemplate],
    negative: Sequence[StoryTemplate],
) -> tuple[list[StoryPartner], list[int]]:
    """The partners that tell stories, with their slots, and their cumulative weights.

    ``positive`` and ``negative`` are the templates a story draws from, in that order.
    """
    submitter_of = {
        user.partner_id: user.pk for user in world.users.values() if user.partner_id is not None
    }
    staff_id = world.users["staff"].pk
    result: list[StoryPartner] = []
    weights: list[int] = []
    for spec in data.partners:
        if spec.story_weight == 0:
            continue
        partner = world.partners[spec.name]
        projects = [world.projects[p.key] for p in spec.projects]
        programs = {project.program_id: project.program for project in projects}

        slot = functools.partial(story_slot, data, spec, templates=(positive, negative))
        project_slots = [slot(project=project, program=project.program) for project in projects]
        program_slots = [slot(project=None, program=program) for program in programs.values()]
        general = slot(project=None, program=None)
        if general is None:
            continue
        result.append(
            StoryPartner(
                partner_id=partner.pk,
                country=spec.country,
                latin_america=region_for_country(spec.country) == Region.LATIN_AMERICA,
                localities=spec.localities,
                storytellers=data.storytellers.get(spec.country, ()),
                domain=spec.website.removeprefix("https://"),
                submitted_by_id=submitter_of.get(partner.pk, staff_id),
                project_slots=tuple(s for s in project_slots if s is not None),
                program_slots=tuple(s for s in program_slots if s is not None),
                general_slot=general,
            )
        )
        weights.append(spec.story_weight)
    return result, list(itertools.accumulate(weights))


def story_slot(
    data: DemoData,
    spec: PartnerSeed,
    *,
    project: Project | None,
    program: Program | None,
    templates: tuple[Sequence[StoryTemplate], Sequence[StoryTemplate]],
) -> StorySlot | None:
    """A partner's slot, or None where it has no days (a project that has not started)."""
    start = max(data.stories_from, spec.start or data.stories_from)
    end = min(data.anchor, spec.end or data.anchor)
    if project is not None:
        start, end = max(start, project.start_date), min(end, project.end_date)
    if start > end:
        return None
    focus_area = program.focus_area if program is not None else ""

    def cumulative(candidates: Sequence[StoryTemplate]) -> tuple[float, ...]:
        weights = (
            template_weight(
                template, data.stories, focus_area=focus_area, kind=spec.kind, country=spec.country
            )
            for template in candidates
        )
        return tuple(itertools.accumulate(weights))

    positive, negative = templates
    return StorySlot(
        project_id=project.pk if project is not None else None,
        program_id=program.pk if program is not None else None,
        start=start,
        end=end,
        positive_weights=cumulative(positive),
        negative_weights=cumulative(negative),
        women_youth=focus_area == FocusArea.WOMEN_YOUTH,
    )

"""The demo's activity plans and the activities held, from ``demo/data/activities.toml``.

The plans come from the file; how many times each planned item was held by the anchor date,
when, where and with whom is drawn from the seed, so that follow-up shows gaps and surpluses
as well as targets met.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from demo.records import DemoData, PartnerSeed
from partners.models import MemberOrganisation, Partner
from programs import followup
from programs.models import (
    Activity,
    ActivityFormat,
    ActivityKind,
    ActivityPlan,
    PlannedActivity,
    Program,
    Project,
)


def random_day(generator: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=generator.randint(0, max(0, (end - start).days)))


def held_count(
    generator: random.Random, target: int, start: date, end: date, *, anchor: date
) -> int:
    """How many times a planned activity was held by the anchor date.

    Mostly as planned, sometimes one short or one extra, and proportionally fewer for a window
    that is still running: follow-up should show gaps as well as targets met.
    """
    last = min(end, anchor - timedelta(days=1))
    if last < start:
        return 0
    elapsed = ((last - start).days + 1) / ((end - start).days + 1)
    return max(0, round(target * elapsed) + generator.choice((-1, 0, 0, 0, 0, 1)))


class ActivityDrawer:
    """Draws the head counts and places of held activities."""

    def __init__(self, data: DemoData, generator: random.Random) -> None:
        self.generator = generator
        self.participant_ranges = data.activities.participants
        self.swedish_places = data.activities.swedish_places
        self.partner_of_project: dict[str, PartnerSeed] = {
            project.key: partner for partner in data.partners for project in partner.projects
        }

    def participants(self, kind: str, project_key: str | None) -> dict[str, int]:
        generator = self.generator
        fewest, most = self.participant_ranges[kind]
        total = generator.randint(fewest, most)
        partner = self.partner_of_project.get(project_key or "")
        women_share = 0.5
        youth_share = generator.uniform(0.1, 0.35)
        if partner is not None and partner.kind == Partner.Kind.WOMENS_ORGANISATION:
            women_share = 0.85
        if kind == ActivityKind.POLITICIAN_SCHOOL or (
            partner is not None and partner.kind == Partner.Kind.YOUTH_ORGANISATION
        ):
            youth_share = generator.uniform(0.6, 0.95)
        other = generator.choice((0, 0, 0, 1, 2)) if total > 10 else 0
        women_range = (women_share - 0.1, min(1.0, women_share + 0.1))
        women = round((total - other) * generator.uniform(*women_range))
        return {
            "participants_women": women,
            "participants_men": total - other - women,
            "participants_other": other,
            # Never more young people than participants: the model enforces it too.
            "participants_youth": min(total, round(total * youth_share)),
        }

    def place(self, activity_format: str, project_key: str | None) -> str:
        if activity_format == ActivityFormat.DIGITAL:
            return "Online"
        if project_key is not None:
            return self.generator.choice(self.partner_of_project[project_key].localities)
        return self.generator.choice(self.swedish_places)


def seed_activities(
    data: DemoData,
    generator: random.Random,
    programs: dict[str, Program],
    projects: dict[str, Project],
    members: dict[str, MemberOrganisation],
) -> int:
    """The plans, their planned items and what was held of them; returns how many were held."""
    drawer = ActivityDrawer(data, generator)
    held = 0
    plans: dict[tuple[str, int], ActivityPlan] = {}
    for plan_spec in data.activities.plans:
        unit = members[plan_spec.member] if plan_spec.member else None
        own_partner = Partner.objects.get(name=plan_spec.partner) if plan_spec.partner else None
        plan, _ = ActivityPlan.objects.update_or_create(
            year=plan_spec.year,
            member_organisation=unit,
            partner=own_partner,
            title=plan_spec.title,
            defaults={
                "program": programs[plan_spec.program] if plan_spec.program else None,
                # A branch's plan files under its district's, listed before it in the file.
                "parent": plans.get((plan_spec.parent, plan_spec.year))
                if plan_spec.parent
                else None,
            },
        )
        if plan_spec.member:
            plans[(plan_spec.member, plan_spec.year)] = plan
        for item in plan_spec.items:
            project = projects[item.project] if item.project else None
            planned, _ = PlannedActivity.objects.update_or_create(
                plan=plan,
                title=item.title,
                defaults={
                    "kind": item.kind,
                    "target_count": item.target,
                    "format": item.format,
                    "quarter": item.quarter,
                    "project": project,
                    "responsible": item.responsible,
                    "date": item.on,
                },
            )
            start, end = followup.window(plan_spec.year, item.quarter)
            count = held_count(generator, item.target, start, end, anchor=data.anchor)
            if item.held is not None:
                count = item.held
            last = min(end, data.anchor - timedelta(days=1))
            dates = sorted(random_day(generator, start, last) for _ in range(count))
            for number, held_on in enumerate(dates, start=1):
                title = item.title if number == 1 else f"{item.title}, session {number}"
                Activity.objects.update_or_create(
                    planned=planned,
                    title=title,
                    defaults={
                        "project": project,
                        "partner": project.partner if project else own_partner,
                        "member_organisation": unit,
                        "kind": item.kind,
                        "date": held_on,
                        "place": drawer.place(item.format, item.project),
                        "format": item.format,
                        **drawer.participants(item.kind, item.project),
                    },
                )
                held += 1
    for extra in data.activities.unplanned:
        project = projects[extra.project] if extra.project else None
        Activity.objects.update_or_create(
            planned=None,
            title=extra.title,
            date=extra.on,
            defaults={
                "project": project,
                "partner": project.partner if project else None,
                "member_organisation": members[extra.member] if extra.member else None,
                "kind": extra.kind,
                "place": drawer.place(extra.format, extra.project),
                "format": extra.format,
                **drawer.participants(extra.kind, extra.project),
            },
        )
        held += 1
    return held

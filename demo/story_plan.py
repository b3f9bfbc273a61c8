"""What each demo story says: story number ``index`` drawn the same way every time.

The planner turns the story templates of ``demo/data/stories.toml`` into concrete stories for
the demo's partners: which project, which event, in which language, how the storyteller
classified it, and the status its review has reached. It writes nothing; ``demo.stories``
takes a planned story through the services or inserts it in bulk.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

from django.conf import settings

from demo.activities import random_day
from demo.data_files import DemoDataError
from demo.records import DemoData, StoryTemplate
from demo.story_partners import StoryPartner, StorySlot, story_partners
from demo.world import DemoWorld
from progress.models import ChangeStory, ChangeType, TargetGroup

Status = ChangeStory.Status
STORY_REFERENCE_PREFIX = "DEMO-"
# Stories still waiting for someone: recent, and never about a project long over.
PENDING_STATUSES = frozenset({Status.DRAFT, Status.SUBMITTED, Status.RETURNED})
FINAL_STATUSES = (Status.VERIFIED, Status.SELECTED, Status.ARCHIVED)


def story_reference(index: int) -> str:
    return f"{STORY_REFERENCE_PREFIX}{index + 1:06d}"


@dataclass
class PlannedStory:
    story: ChangeStory  # unsaved; its status is the one its review has reached
    change_type_ids: list[int]
    target_group_ids: list[int]
    storyteller: tuple[str, str] | None  # (name, contact)


class StoryPlanner:
    """Plans story number ``index`` the same way every time, whatever else exists."""

    def __init__(self, world: DemoWorld, data: DemoData, seed: int) -> None:
        self.seed = seed
        self.data = data
        self.texts = data.stories
        self.positive = tuple(
            t for t in self.texts.templates if t.direction == ChangeStory.Direction.POSITIVE
        )
        self.negative = tuple(
            t for t in self.texts.templates if t.direction == ChangeStory.Direction.NEGATIVE
        )
        self.statuses = tuple(Status.values)
        self.status_weights = tuple(
            itertools.accumulate(self.texts.status_weights[s] for s in self.statuses)
        )
        self.final_status_weights = tuple(self.texts.status_weights[s] for s in FINAL_STATUSES)
        # Read once: ``Choices.values`` builds a new list on every call, a million times over.
        self.contribution_levels = tuple(ChangeStory.Contribution.values)
        self.partners, self.partner_weights = story_partners(
            world, data, positive=self.positive, negative=self.negative
        )
        self.change_type_ids = dict(ChangeType.objects.values_list("code", "pk"))
        self.target_group_ids = dict(TargetGroup.objects.values_list("code", "pk"))
        used = {code for template in self.texts.templates for code in template.change_types}
        if missing := used - set(self.change_type_ids):
            raise DemoDataError(f"Change types missing (run migrate): {', '.join(sorted(missing))}")
        self.timezone = ZoneInfo(settings.TIME_ZONE)
        self.cutoff = datetime.combine(data.anchor, clock(12), tzinfo=self.timezone)

    # --- one story --------------------------------------------------------------------------

    def plan(self, index: int) -> PlannedStory:
        # Its own generator per story: a story does not change when others are added or exist.
        generator = random.Random(f"{self.seed}:story:{index}")
        if index < len(self.partners):
            # The first stories visit every partner once, verified, so even ``--stories 20``
            # shows each partner (confidential ones included) in lists and dashboards.
            partner = self.partners[index]
            status: str = Status.VERIFIED
        else:
            partner = generator.choices(self.partners, cum_weights=self.partner_weights)[0]
            status = generator.choices(self.statuses, cum_weights=self.status_weights)[0]
        slot = self.pick_slot(generator, partner)
        if status in PENDING_STATUSES and slot.end < self.data.anchor - timedelta(days=150):
            # An ended project has no stories still waiting for review.
            status = generator.choices(FINAL_STATUSES, weights=self.final_status_weights)[0]
        negative = generator.random() < 0.1
        templates = self.negative if negative else self.positive
        weights = slot.negative_weights if negative else slot.positive_weights
        template = generator.choices(templates, cum_weights=weights)[0]

        event_date = self.pick_event_date(generator, slot, status)
        role, mode = self.pick_role(generator)
        language = self.pick_language(generator, partner, role)
        place = generator.choice(partner.localities)
        values = {"place": place, "number": generator.randint(12, 60)}
        text = template.text(language)
        translation = ""
        if language != "en" and status not in PENDING_STATUSES and generator.random() < 0.6:
            translation = template.en.narrative.format_map(values)
        significance = self.pick_significance(generator, negative)
        contribution = generator.choices(
            self.contribution_levels,
            weights=(30, 55, 15) if negative else (8, 55, 37),
        )[0]
        consent_quote = generator.random() < 0.85
        story = ChangeStory(
            reference=story_reference(index),
            title=text.title.format_map(values),
            narrative=text.narrative.format_map(values),
            language=language,
            translation=translation,
            event_date=event_date,
            country=partner.country,
            locality=place if generator.random() < 0.9 else "",
            partner_id=partner.partner_id,
            project_id=slot.project_id,
            program_id=slot.program_id,
            submitter_role=role,
            collection_mode=mode,
            submitted_by_id=partner.submitted_by_id,
            who_changed=template.who_changed,
            direction=template.direction,
            significance=significance,
            significance_reason=self.significance_reason(
                generator, language, significance, negative
            ),
            contribution=contribution,
            contribution_text=generator.choice(
                self.texts.contribution_texts[language][contribution]
            ),
            # Storing needs consent; a draft may still be waiting for it.
            consent_store=status != Status.DRAFT or generator.random() < 0.7,
            consent_quote_internal=consent_quote,
            consent_publish=consent_quote and generator.random() < 0.3,
            status=status,
            submitted_at=(
                None if status == Status.DRAFT else self.submission_time(generator, event_date)
            ),
        )
        change_types = self.pick_change_types(generator, template)
        target_groups = self.pick_target_groups(generator, template, slot, partner)
        return PlannedStory(
            story=story,
            change_type_ids=[self.change_type_ids[code] for code in change_types],
            target_group_ids=[
                self.target_group_ids[code]
                for code in target_groups
                if code in self.target_group_ids
            ],
            storyteller=self.pick_storyteller(generator, partner, role),
        )

    @staticmethod
    def pick_slot(generator: random.Random, partner: StoryPartner) -> StorySlot:
        draw = generator.random()
        if draw < 0.8 and partner.project_slots:
            return generator.choice(partner.project_slots)
        if draw < 0.95 and partner.program_slots:
            return generator.choice(partner.program_slots)
        return partner.general_slot

    @staticmethod
    def pick_event_date(generator: random.Random, slot: StorySlot, status: str) -> date:
        if status in PENDING_STATUSES:
            # Stories still in review happened recently.
            start = max(slot.start, slot.end - timedelta(days=120))
            return random_day(generator, start, slot.end)
        # Reviewed stories need a few weeks between event and verification.
        return random_day(generator, slot.start, max(slot.start, slot.end - timedelta(days=21)))

    @staticmethod
    def pick_role(generator: random.Random) -> tuple[str, str]:
        """Who told the story (``SubmitterRole``) and how it was collected (``CollectionMode``)."""
        draw = generator.random()
        if draw < 0.45:
            # Rights-holders write themselves (submission link) or are interviewed.
            entered_self = generator.random() < 0.4
            return ChangeStory.SubmitterRole.RIGHTS_HOLDER, (
                ChangeStory.CollectionMode.SELF_ENTERED
                if entered_self
                else ChangeStory.CollectionMode.INTERVIEW
            )
        if draw < 0.85:
            return ChangeStory.SubmitterRole.PARTNER, ChangeStory.CollectionMode.SELF_ENTERED
        return ChangeStory.SubmitterRole.STAFF, ChangeStory.CollectionMode.STAFF

    @staticmethod
    def pick_language(generator: random.Random, partner: StoryPartner, role: str) -> str:
        if role == ChangeStory.SubmitterRole.STAFF:
            # Swedish staff write up field visits in Swedish about half of the time.
            if generator.random() < 0.5:
                return "sv"
            return "es" if partner.latin_america else "en"
        if partner.latin_america:
            return "es" if generator.random() < 0.85 else "en"
        return "en"

    def pick_significance(self, generator: random.Random, negative: bool) -> int:
        if negative:
            return generator.choice((2, 3, 3, 4, 4, 5))
        return generator.choices((1, 2, 3, 4, 5), weights=self.texts.significance_weights)[0]

    def significance_reason(
        self, generator: random.Random, language: str, significance: int, negative: bool
    ) -> str:
        reasons = self.texts.significance_reasons[language]
        if negative:
            return generator.choice(reasons["negative"])
        band = "low" if significance <= 2 else "mid" if significance == 3 else "high"
        return generator.choice(reasons[band])

    @staticmethod
    def pick_change_types(generator: random.Random, template: StoryTemplate) -> list[str]:
        codes = [template.change_types[0]]
        if len(template.change_types) > 1 and (
            template.direction == ChangeStory.Direction.NEGATIVE or generator.random() < 0.35
        ):
            codes.append(generator.choice(template.change_types[1:]))
        return codes

    def pick_target_groups(
        self,
        generator: random.Random,
        template: StoryTemplate,
        slot: StorySlot,
        partner: StoryPartner,
    ) -> list[str]:
        groups = [code for code in template.target_groups if generator.random() < 0.85]
        if slot.women_youth:
            groups += [code for code in ("women", "youth") if generator.random() < 0.4]
        if partner.country in self.texts.indigenous_contexts and generator.random() < 0.3:
            groups.append("indigenous-peoples")
        if generator.random() < 0.05:
            groups.append("persons-with-disabilities")
        return sorted(set(groups))[:3]

    @staticmethod
    def pick_storyteller(
        generator: random.Random, partner: StoryPartner, role: str
    ) -> tuple[str, str] | None:
        if (
            role != ChangeStory.SubmitterRole.RIGHTS_HOLDER
            or not partner.storytellers
            or generator.random() >= 0.4
        ):
            return None
        name = generator.choice(partner.storytellers)
        contact = generator.choice(("via the local coordinator", f"stories@{partner.domain}"))
        return name, contact

    def submission_time(self, generator: random.Random, event_date: date) -> datetime:
        day = event_date + timedelta(days=generator.randint(2, 45))
        moment = datetime.combine(
            day, clock(generator.randint(8, 17), generator.randint(0, 59)), tzinfo=self.timezone
        )
        return max(
            datetime.combine(event_date, clock(8), tzinfo=self.timezone),
            min(moment, self.cutoff),
        )

"""The demo's partner dialogues (``demo/data/dialogues.toml``), held through the dialogues'
services as staff and the partners' users would: the dialogue with its actions, then the
partner's confirmation, the comments, and the actions closed since.

Dates are relative to the day the seed runs, unlike the rest of the demo (its fixed anchor): an
action due next week must stay due next week whenever the demo is opened. A dialogue is found
again by its partner and agenda, so a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from demo.data_files import DemoDataError, _entries, _read, _record, _require, _without
from demo.records import choice_of
from dialogues import services
from dialogues.models import AgreedAction, Dialogue
from partners.models import Partner
from portal.models import User
from programs.models import Project
from progress.models import ChangeStory

FILE = "dialogues.toml"
PARTNER_OWNS = "partner"


@dataclass(frozen=True)
class ActionSeed:
    description: str
    owner: str
    due_in_days: int
    status: str = choice_of(AgreedAction.Status, default="open")
    reason: str = ""


@dataclass(frozen=True)
class CommentSeed:
    author: str
    text: str


@dataclass(frozen=True)
class DialogueSeed:
    partner: str
    days_ago: int
    agenda: str
    notes: str
    format: str = choice_of(Dialogue.Format)
    project: str = ""
    staff: tuple[str, ...] = ()
    partner_users: tuple[str, ...] = ()
    others: tuple[str, ...] = ()
    confirmed: bool = False
    stories: int = 0
    actions: tuple[ActionSeed, ...] = field(default=())
    comments: tuple[CommentSeed, ...] = field(default=())


def dialogue_seeds() -> tuple[DialogueSeed, ...]:
    seeds = []
    for number, entry in enumerate(_entries(_read(FILE), "dialogue"), start=1):
        where = f"demo/data/{FILE}, dialogue {number} ({entry.get('partner')!r})"
        actions = tuple(_record(ActionSeed, a, where) for a in _entries(entry, "action"))
        comments = tuple(_record(CommentSeed, c, where) for c in _entries(entry, "comment"))
        seeds.append(
            _record(
                DialogueSeed,
                _without(entry, "action", "comment"),
                where,
                actions=actions,
                comments=comments,
            )
        )
    return tuple(seeds)


def _user(username: str, where: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise DemoDataError(f"{where}: no login called {username!r} in demo/data/logins.toml.")
    return user


def seed_dialogues() -> int:
    """Hold the demo's dialogues that are not there yet; returns how many were held."""
    seeds = dialogue_seeds()
    partners = {partner.name: partner for partner in Partner.objects.all()}
    _require((seed.partner for seed in seeds), partners, "partner", f"demo/data/{FILE}")
    held = 0
    for seed in seeds:
        partner = partners[seed.partner]
        if Dialogue.objects.filter(partner=partner, agenda=seed.agenda).exists():
            continue
        with transaction.atomic():
            _hold(seed, partner)
        held += 1
    return held


def _hold(seed: DialogueSeed, partner: Partner) -> None:
    where = f"demo/data/{FILE}, dialogue with {seed.partner!r}"
    today = timezone.localdate()
    writer = _user("staff", where)
    project = (
        Project.objects.filter(partner=partner, title=seed.project).first()
        if seed.project
        else None
    )
    stories = list(
        ChangeStory.objects.filter(
            partner=partner,
            status__in=(ChangeStory.Status.VERIFIED, ChangeStory.Status.SELECTED),
        ).order_by("-event_date", "reference")[: seed.stories]
    )
    drafts = [
        services.ActionDraft(
            description=action.description,
            due_on=today + dt.timedelta(days=action.due_in_days),
            owner_user=None if action.owner == PARTNER_OWNS else _user(action.owner, where),
        )
        for action in seed.actions
    ]
    dialogue = services.dialogue_save(
        actor=writer,
        dialogue=Dialogue(
            partner=partner,
            project=project,
            held_on=today - dt.timedelta(days=seed.days_ago),
            format=seed.format,
            other_participants="\n".join(seed.others),
            agenda=seed.agenda,
            notes=seed.notes,
        ),
        staff_participants=[_user(name, where) for name in seed.staff],
        partner_participants=[_user(name, where) for name in seed.partner_users],
        stories=stories,
        actions=drafts,
    )
    if seed.confirmed and seed.partner_users:
        services.notes_confirm(actor=_user(seed.partner_users[0], where), dialogue=dialogue)
    for comment in seed.comments:
        services.dialogue_comment(
            actor=_user(comment.author, where), dialogue=dialogue, text=comment.text
        )
    for action, spec in zip(dialogue.actions.order_by("pk"), seed.actions, strict=True):
        if spec.status != AgreedAction.Status.OPEN:
            services.action_set_status(
                actor=writer, action=action, status=spec.status, reason=spec.reason
            )

"""Reading the demo's data files (``demo/data/*.toml``) into the records of ``demo.records``.

TOML, read with the standard library's ``tomllib``: comments, multi-line strings and dates,
and no dependency. ``demo_data()`` reads the files once per process and checks them: unknown
or missing keys, values outside a model's choices and references to names that no file defines
stop the seed with a message naming the file and the entry, before anything is written.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Collection, Iterable
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.management.base import CommandError

from demo.records import (
    ActivityData,
    ContactSeed,
    ContributionSeed,
    DemoData,
    FunderSeed,
    Logins,
    MemberSeed,
    MembershipRequestSeed,
    MembershipSeed,
    NetworkSeed,
    PartnerSeed,
    PlannedSeed,
    PlanSeed,
    PledgeSeed,
    ProgramSeed,
    ProjectSeed,
    StoryData,
    StoryTemplate,
    StoryText,
    UnplannedSeed,
    UserSeed,
)
from partners.models import Partner
from programs.models import ActivityKind
from progress.models import ChangeStory

DATA_DIR = Path(__file__).resolve().parent / "data"
LANGUAGES = ("en", "sv", "es")  # every story template is told in each of them

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

Table = dict[str, Any]
Record = TypeVar("Record", bound="DataclassInstance")


class DemoDataError(CommandError):
    """A data file that does not describe a consistent demo world."""


def _read(name: str) -> Table:
    try:
        with (DATA_DIR / name).open("rb") as file:
            return tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise DemoDataError(f"demo/data/{name}: {error}") from None


def _frozen(value: Any) -> Any:
    """TOML arrays as tuples: records are immutable, and hashable where they need to be."""
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    return value


def _record(kind: type[Record], table: Table, where: str, **nested: Any) -> Record:
    """One record from one TOML table; ``nested`` holds its sub-records, already built."""
    values = {key: _frozen(value) for key, value in table.items() if key not in nested}
    try:
        record = kind(**values, **nested)
    except TypeError as error:  # an unknown key, or a missing one
        raise DemoDataError(f"{where}: {error}") from None
    for field in fields(record):
        choices = field.metadata.get("choices")
        value = getattr(record, field.name)
        if choices is not None and value not in choices.values:
            raise DemoDataError(
                f"{where}: {field.name} = {value!r} is not one of {', '.join(choices.values)}."
            )
    return record


def _without(table: Table, *keys: str) -> Table:
    """The table without its sub-tables, which the caller builds into records of their own."""
    return {key: value for key, value in table.items() if key not in keys}


def _entries(table: Table, key: str) -> list[Table]:
    entries = table.get(key, [])
    return entries if isinstance(entries, list) else [entries]


def _require(names: Iterable[str | None], known: Collection[str], what: str, where: str) -> None:
    for name in names:
        if name is not None and name not in known:
            raise DemoDataError(f"{where}: no {what} called {name!r} in demo/data/.")


def _partners(table: Table) -> tuple[PartnerSeed, ...]:
    partners = []
    for number, entry in enumerate(_entries(table, "partner"), start=1):
        where = f"demo/data/organisations.toml, partner {number} ({entry.get('name')!r})"
        contacts = tuple(_record(ContactSeed, c, where) for c in _entries(entry, "contact"))
        projects = tuple(_record(ProjectSeed, p, where) for p in _entries(entry, "project"))
        partners.append(
            _record(
                PartnerSeed,
                _without(entry, "contact", "project"),
                where,
                contacts=contacts,
                projects=projects,
            )
        )
    return tuple(partners)


def _template(entry: Table, where: str) -> StoryTemplate:
    texts = {language: _record(StoryText, entry.get(language, {}), where) for language in LANGUAGES}
    kinds = frozenset(entry.get("kinds", ()))
    _require(kinds, Partner.Kind.values, "partner kind", where)
    return _record(
        StoryTemplate,
        entry,
        where,
        tags=frozenset(entry.get("tags", ())),
        kinds=kinds,
        **texts,
    )


def _stories(table: Table) -> StoryData:
    where = "demo/data/stories.toml"
    if set(table.get("status_weights", {})) != set(ChangeStory.Status.values):
        raise DemoDataError(f"{where}: status_weights needs a weight for each status.")
    templates = tuple(
        _template(entry, f"{where}, template {number}")
        for number, entry in enumerate(_entries(table, "template"), start=1)
    )
    return _record(
        StoryData,
        _without(table, "template"),
        where,
        templates=templates,
        status_weights=dict(table["status_weights"]),
        indigenous_contexts=frozenset(table.get("indigenous_contexts", ())),
        significance_reasons=_texts_by_language(table.get("significance_reasons", {})),
        contribution_texts=_texts_by_language(table.get("contribution_texts", {})),
    )


def _texts_by_language(table: Table) -> dict[str, dict[str, tuple[str, ...]]]:
    return {
        language: {key: tuple(texts) for key, texts in table.get(language, {}).items()}
        for language in LANGUAGES
    }


def _activities(table: Table) -> ActivityData:
    where = "demo/data/activities.toml"
    plans = tuple(
        _record(
            PlanSeed,
            _without(plan, "item"),
            f"{where}, plan {number}",
            items=tuple(
                _record(PlannedSeed, item, f"{where}, plan {number}")
                for item in _entries(plan, "item")
            ),
        )
        for number, plan in enumerate(_entries(table, "plan"), start=1)
    )
    participants = {kind: tuple(bounds) for kind, bounds in table.get("participants", {}).items()}
    _require(ActivityKind.values, participants, "participants range for the kind", where)
    return _record(
        ActivityData,
        _without(table, "plan", "unplanned"),
        where,
        plans=plans,
        participants=participants,
        unplanned=tuple(
            _record(UnplannedSeed, entry, f"{where}, unplanned {number}")
            for number, entry in enumerate(_entries(table, "unplanned"), start=1)
        ),
    )


def _networks(table: Table) -> tuple[NetworkSeed, ...]:
    networks = []
    for number, entry in enumerate(_entries(table, "network"), start=1):
        where = f"demo/data/networks.toml, network {number}"
        members = tuple(_record(MembershipSeed, m, where) for m in _entries(entry, "member"))
        networks.append(_record(NetworkSeed, _without(entry, "member"), where, members=members))
    return tuple(networks)


@functools.cache
def demo_data() -> DemoData:
    """Every data file, read and checked (once per process: the files do not change)."""
    world = _read("demo.toml")
    organisations = _read("organisations.toml")
    programmes = _read("programmes.toml")
    logins = _read("logins.toml")
    networks = _read("networks.toml")
    funding = "demo/data/networks.toml"
    data = DemoData(
        anchor=world["anchor"],
        stories_from=world["stories_from"],
        program_start=world["program_start"],
        program_end=world["program_end"],
        iati_organisation=world["iati_organisation"],
        partners=_partners(organisations),
        storytellers={
            country: tuple(names)
            for country, names in organisations.get("storytellers", {}).items()
        },
        funders=tuple(
            _record(FunderSeed, entry, "demo/data/programmes.toml, funder")
            for entry in _entries(programmes, "funder")
        ),
        programs=tuple(
            _record(ProgramSeed, entry, f"demo/data/programmes.toml, {entry.get('code')!r}")
            for entry in _entries(programmes, "programme")
        ),
        logins=_record(
            Logins,
            _without(logins, "user"),
            "demo/data/logins.toml",
            users=tuple(
                _record(UserSeed, entry, f"demo/data/logins.toml, {entry.get('username')!r}")
                for entry in _entries(logins, "user")
            ),
        ),
        member_organisations=tuple(
            _record(MemberSeed, entry, f"{funding}, member organisation")
            for entry in _entries(networks, "member_organisation")
        ),
        networks=_networks(networks),
        contributions=tuple(
            _record(ContributionSeed, entry, f"{funding}, contribution {number}")
            for number, entry in enumerate(_entries(networks, "contribution"), start=1)
        ),
        monthly_pledges=tuple(
            _record(PledgeSeed, entry, f"{funding}, monthly pledge {number}")
            for number, entry in enumerate(_entries(networks, "monthly_pledge"), start=1)
        ),
        membership_requests=tuple(
            _record(MembershipRequestSeed, entry, f"{funding}, membership request {number}")
            for number, entry in enumerate(_entries(networks, "membership_request"), start=1)
        ),
        activities=_activities(_read("activities.toml")),
        stories=_stories(_read("stories.toml")),
    )
    check_references(data)
    return data


def check_references(data: DemoData) -> None:
    """Every name one entry gives for another must be defined somewhere in the files."""
    partners = {partner.name: partner for partner in data.partners}
    programs = {program.code for program in data.programs}
    projects = {project.key for partner in data.partners for project in partner.projects}
    members = {member.name for member in data.member_organisations}
    networks = {network.name for network in data.networks}
    for partner in data.partners:
        for project in partner.projects:
            _require([project.program], programs, "programme", f"project {project.key!r}")
    for program in data.programs:
        where = f"programme {program.code!r}"
        _require(program.funders, {funder.name for funder in data.funders}, "funder", where)
        _require(program.grants, program.funders, "funder of the programme", where)
        users = {user.username for user in data.logins.users}
        _require([program.responsible], users, "login", where)
    for user in data.logins.users:
        _require([user.partner], partners, "partner", f"login {user.username!r}")
        _require([user.member_organisation], members, "member organisation", user.username)
    for network in data.networks:
        where = f"network {network.name!r}"
        _require(network.partners, partners, "partner", where)
        _require(network.programs, programs, "programme", where)
        _require([m.name for m in network.members], members, "member organisation", where)
        if any(partners[name].is_confidential for name in network.partners):
            # Network members see their networks' partners: a confidential one would be exposed.
            raise DemoDataError(f"{where} lists a confidential partner.")
    gifts: list[ContributionSeed | PledgeSeed] = [*data.contributions, *data.monthly_pledges]
    for gift in gifts:
        where = f"contribution of {gift.member or gift.donor!r}"
        if bool(gift.member) == bool(gift.donor):
            raise DemoDataError(f"{where}: give a member organisation or a donor, not both.")
        _require([gift.member], members, "member organisation", where)
        _require([gift.network], networks, "network", where)
        _require([gift.program], programs, "programme", where)
    for member in data.member_organisations:
        _require([member.parent], members, "member organisation", f"parent of {member.name}")
    for asked in data.membership_requests:
        _require([asked.member], members, "member organisation", "membership request")
        _require([asked.network], {n.name for n in data.networks}, "network", "membership request")
    for plan in data.activities.plans:
        _require([plan.program], programs, "programme", f"{plan.title}")
        items = [item.project for item in plan.items]
        _require(items, projects, "project", f"{plan.title}")
        _require([plan.member, plan.parent], members, "member organisation", plan.title)
        _require([plan.partner], partners, "partner", plan.title)
        if sum(bool(unit) for unit in (plan.member, plan.partner, plan.team)) != 1:
            raise DemoDataError(f"{plan.title}: give one of member, partner or team.")
    _require([extra.project for extra in data.activities.unplanned], projects, "project", "")
    _require([extra.member for extra in data.activities.unplanned], members, "member", "")

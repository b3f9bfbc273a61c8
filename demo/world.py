"""The demo's organisations, programmes, logins and networks, from the data files.

Rows are looked up by their natural keys (partner name, programme title, username, ...) and
updated in place, so a second run changes nothing that a first run made, and puts back what
someone changed while trying the demo out (a password, a pseudonym excepted).
"""

from __future__ import annotations

import base64
import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.activities import seed_activities
from demo.data_files import demo_data
from demo.records import ContributionSeed, DemoData, PartnerSeed, PledgeSeed, ProjectSeed
from partners.models import (
    PSEUDONYM_ALPHABET,
    PSEUDONYM_LENGTH,
    MemberOrganisation,
    MembershipRequest,
    NetworkMembership,
    Partner,
    PartnerContact,
    SolidarityNetwork,
)
from partners.regions import region_for_country
from portal.models import User
from programs.models import Funder, Grant, Program, Project
from solidarity.models import Contribution


@dataclass
class DemoWorld:
    """What the stories are told about and by."""

    partners: dict[str, Partner]  # by name
    programs: dict[str, Program]  # by code
    projects: dict[str, Project]  # by key
    users: dict[str, User]  # by username


def section_random(seed: int, section: str) -> random.Random:
    """One generator per section, so that adding data to one section leaves the others as they
    were (a single shared stream would shift every later value)."""
    return random.Random(f"{seed}:{section}")


def seed_world(seed: int) -> DemoWorld:
    data = demo_data()
    partners = seed_partners(data, section_random(seed, "partners"))
    members = seed_member_organisations(data)
    users = seed_users(data, partners, members)
    programs = seed_programs(data, seed_funders(data), users)
    projects = seed_projects(data, partners, programs)
    networks = seed_networks(data, partners, programs, members)
    seed_contributions(data, members, networks, programs)
    seed_membership_requests(data, members, networks, users)
    seed_activities(data, section_random(seed, "activities"), programs, projects, members)
    return DemoWorld(partners=partners, programs=programs, projects=projects, users=users)


def pseudonym(generator: random.Random) -> str:
    # Drawn from the seed rather than ``secrets`` so that screenshots and browser tests can rely
    # on it; only demo partners get one this way.
    letters = (generator.choice(PSEUDONYM_ALPHABET) for _ in range(PSEUDONYM_LENGTH))
    return "Partner " + "".join(letters)


def seed_partners(data: DemoData, generator: random.Random) -> dict[str, Partner]:
    partners: dict[str, Partner] = {}
    for spec in data.partners:
        # Drawn on every run and used on the first: keeps the stream the same for what follows.
        code = pseudonym(generator)
        while Partner.objects.filter(pseudonym=code).exclude(name=spec.name).exists():
            code = pseudonym(generator)
        fields = {
            "kind": spec.kind,
            "country": spec.country,
            "region": region_for_country(spec.country),
            "status": spec.status,
            "partnership_start": spec.start,
            "partnership_end": spec.end,
            "website": spec.website,
            "description": spec.description,
            "is_confidential": spec.is_confidential,
        }
        partner, _ = Partner.objects.update_or_create(
            name=spec.name,
            defaults=fields,
            # The pseudonym is set once and never changes: people remember it.
            create_defaults={**fields, "pseudonym": code},
        )
        for position, contact in enumerate(spec.contacts):
            PartnerContact.objects.update_or_create(
                partner=partner,
                name=contact.name,
                defaults={
                    "position": contact.position,
                    "email": contact.email,
                    "is_primary": position == 0,
                },
            )
        partners[spec.name] = partner
    return partners


def seed_funders(data: DemoData) -> dict[str, Funder]:
    return {
        spec.name: Funder.objects.update_or_create(
            name=spec.name, defaults={"kind": spec.kind, "iati_ref": spec.iati_ref}
        )[0]
        for spec in data.funders
    }


def seed_member_organisations(data: DemoData) -> dict[str, MemberOrganisation]:
    members = {
        spec.name: MemberOrganisation.objects.update_or_create(
            name=spec.name,
            defaults={
                "kind": spec.kind,
                "org_number": spec.org_number,
                "municipality": spec.municipality,
                "website": spec.website,
            },
        )[0]
        for spec in data.member_organisations
    }
    # Branches once every organisation exists: a branch may come before its district.
    for spec in data.member_organisations:
        parent = members[spec.parent] if spec.parent else None
        if members[spec.name].parent_id != (parent.pk if parent else None):
            members[spec.name].parent = parent
            members[spec.name].save(update_fields=["parent"])
    return members


def seed_users(
    data: DemoData, partners: dict[str, Partner], members: dict[str, MemberOrganisation]
) -> dict[str, User]:
    users: dict[str, User] = {}
    logins = data.logins
    device_key = base64.b32decode(logins.totp_secret).hex()  # django-otp keeps the key as hex
    for spec in logins.users:
        user, _ = User.objects.update_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@example.org",
                "role": spec.role,
                "is_active": True,
                "is_superuser": spec.is_superuser,
                "is_staff": spec.is_staff,
                "is_cleared": spec.is_cleared,
                "partner": partners[spec.partner] if spec.partner else None,
                "member_organisation": (
                    members[spec.member_organisation] if spec.member_organisation else None
                ),
            },
        )
        # Reset on every run: someone may have changed a demo password while trying things out.
        user.set_password(logins.password)
        user.save(update_fields=["password"])
        if spec.totp:
            TOTPDevice.objects.update_or_create(
                user=user,
                name=logins.device_name,
                defaults={
                    "key": device_key,
                    "confirmed": True,
                    # A re-seed also forgets failed attempts and the last code used.
                    "throttling_failure_count": 0,
                    "throttling_failure_timestamp": None,
                    "last_t": -1,
                },
            )
        users[spec.username] = user
    return users


def seed_programs(
    data: DemoData, funders: dict[str, Funder], users: dict[str, User]
) -> dict[str, Program]:
    programs: dict[str, Program] = {}
    for spec in data.programs:
        program, _ = Program.objects.update_or_create(
            title=spec.title,
            defaults={
                "focus_area": spec.focus_area,
                "description": spec.description,
                "start_date": data.program_start,
                "end_date": data.program_end,
                "budget_sek": Decimal(spec.budget_sek),
                "responsible_staff": users[spec.responsible],
                "dac_sector_codes": list(spec.dac_sector_codes),
                "iati_identifier": f"{data.iati_organisation}-{spec.code}",
            },
        )
        program.funders.set([funders[name] for name in spec.funders])
        for name, amount in spec.grants.items():
            Grant.objects.update_or_create(
                program=program, funder=funders[name], defaults={"amount_sek": Decimal(amount)}
            )
        programs[spec.code] = program
    return programs


def project_period(spec: ProjectSeed, partner: PartnerSeed, program: Program) -> tuple[date, date]:
    """A project runs inside both its programme and the partnership, unless set explicitly."""
    start = spec.start or max(program.start_date, partner.start or program.start_date)
    end = spec.end or min(program.end_date, partner.end or program.end_date)
    return start, max(start, end)


def seed_projects(
    data: DemoData, partners: dict[str, Partner], programs: dict[str, Program]
) -> dict[str, Project]:
    projects: dict[str, Project] = {}
    for partner_spec in data.partners:
        for spec in partner_spec.projects:
            program = programs[spec.program]
            start, end = project_period(spec, partner_spec, program)
            project, _ = Project.objects.update_or_create(
                program=program,
                partner=partners[partner_spec.name],
                title=spec.title,
                defaults={
                    "description": spec.description,
                    "status": spec.status,
                    "start_date": start,
                    "end_date": end,
                    "budget_sek": Decimal(spec.budget_sek),
                },
            )
            projects[spec.key] = project
    return projects


def seed_networks(
    data: DemoData,
    partners: dict[str, Partner],
    programs: dict[str, Program],
    members: dict[str, MemberOrganisation],
) -> dict[str, SolidarityNetwork]:
    networks: dict[str, SolidarityNetwork] = {}
    for spec in data.networks:
        network, _ = SolidarityNetwork.objects.update_or_create(
            name=spec.name,
            defaults={
                "theme": spec.theme,
                "description": spec.description,
                # django-countries' type hints miss that a multiple field takes a list.
                "countries": list(spec.countries),  # type: ignore[misc]
            },
        )
        # The data files are checked to link no confidential partner (``check_references``):
        # network members see their networks' partners.
        network.partners.set([partners[name] for name in spec.partners])
        network.programs.set([programs[code] for code in spec.programs])
        for membership in spec.members:
            NetworkMembership.objects.update_or_create(
                network=network,
                member_organisation=members[membership.name],
                defaults={"joined_on": membership.joined_on, "left_on": None},
            )
        networks[spec.name] = network
    return networks


def monthly_dates(first: date, until: date) -> list[date]:
    dates: list[date] = []
    current = first
    while current <= until:
        dates.append(current)
        year, month = divmod(current.month, 12)
        current = current.replace(year=current.year + year, month=month + 1)
    return dates


def seed_membership_requests(
    data: DemoData,
    members: dict[str, MemberOrganisation],
    networks: dict[str, SolidarityNetwork],
    users: dict[str, User],
) -> None:
    """Requests waiting for staff, asked by the first login of each member organisation."""
    for spec in data.membership_requests:
        member = members[spec.member]
        MembershipRequest.objects.get_or_create(
            network=networks[spec.network],
            member_organisation=member,
            status=MembershipRequest.Status.PENDING,
            defaults={
                "kind": spec.kind,
                "note": spec.note,
                "requested_by": next(
                    (u for u in users.values() if u.member_organisation_id == member.pk), None
                ),
            },
        )


def seed_contributions(
    data: DemoData,
    members: dict[str, MemberOrganisation],
    networks: dict[str, SolidarityNetwork],
    programs: dict[str, Program],
) -> int:
    def contributor(spec: ContributionSeed | PledgeSeed) -> dict[str, Any]:
        return {
            "member_organisation": members[spec.member] if spec.member else None,
            "donor_name": spec.donor,
            "network": networks[spec.network] if spec.network else None,
            "program": programs[spec.program] if spec.program else None,
        }

    specs = list(data.contributions)
    for spec in specs:
        # No natural key on the model; everything that identifies a gift is the lookup.
        Contribution.objects.update_or_create(
            kind=spec.kind,
            date=spec.on,
            **contributor(spec),
            defaults={
                "amount_sek": Decimal(spec.amount_sek) if spec.amount_sek is not None else None,
                # From the TOML float through its shortest repr: 24.5 is Decimal("24.5").
                "hours": Decimal(str(spec.hours)) if spec.hours is not None else None,
                "note": spec.note,
                "status": spec.status,
            },
        )
    payments = 0
    for pledge in data.monthly_pledges:
        row, _created = Contribution.objects.update_or_create(
            kind=Contribution.Kind.MONTHLY_PLEDGE,
            date=pledge.first,
            **contributor(pledge),
            defaults={"amount_sek": Decimal(pledge.amount_sek), "ends_on": pledge.last},
        )
        until = min(day for day in (pledge.last, pledge.paid_until, data.anchor) if day)
        for paid_on in monthly_dates(pledge.first, until):
            Contribution.objects.update_or_create(
                kind=Contribution.Kind.PLEDGE_PAYMENT,
                pledge=row,
                date=paid_on,
                **contributor(pledge),
                defaults={"amount_sek": Decimal(pledge.amount_sek)},
            )
            payments += 1
    return len(specs) + len(data.monthly_pledges) + payments

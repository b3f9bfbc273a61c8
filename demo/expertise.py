"""The demo's expertise needs and offers, from ``demo/data/expertise.toml``: open, for the
staff login to match. A later run puts the words back."""

from __future__ import annotations

from dataclasses import dataclass

from demo.data_files import DemoDataError, _entries, _read, _record
from partners.models import MemberOrganisation, Partner, SolidarityNetwork
from solidarity.models import ExpertiseNeed, ExpertiseOffer

DATA_FILE = "expertise.toml"


@dataclass(frozen=True)
class NeedSeed:
    partner: str
    title: str
    description: str = ""
    network: str | None = None


@dataclass(frozen=True)
class OfferSeed:
    member: str
    title: str
    description: str = ""
    hours: int | None = None


def expertise_data() -> tuple[tuple[NeedSeed, ...], tuple[OfferSeed, ...]]:
    table = _read(DATA_FILE)
    needs = tuple(
        _record(NeedSeed, entry, f"{DATA_FILE}, need {number}")
        for number, entry in enumerate(_entries(table, "need"), start=1)
    )
    offers = tuple(
        _record(OfferSeed, entry, f"{DATA_FILE}, offer {number}")
        for number, entry in enumerate(_entries(table, "offer"), start=1)
    )
    return needs, offers


def seed_expertise() -> None:
    needs, offers = expertise_data()
    for need in needs:
        partner = Partner.objects.get(name=need.partner)
        if partner.is_confidential:
            raise DemoDataError(f"{DATA_FILE}: {need.title!r} is a confidential partner's need.")
        ExpertiseNeed.objects.update_or_create(
            partner=partner,
            title=need.title,
            defaults={
                "description": need.description,
                "network": SolidarityNetwork.objects.get(name=need.network)
                if need.network
                else None,
            },
        )
    for offer in offers:
        ExpertiseOffer.objects.update_or_create(
            member_organisation=MemberOrganisation.objects.get(name=offer.member),
            title=offer.title,
            defaults={"description": offer.description, "hours": offer.hours},
        )

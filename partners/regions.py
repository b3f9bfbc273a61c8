"""World regions used wherever a confidential partner's country must not be shown."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    AFRICA = "africa", _("Sub-Saharan Africa")
    MENA = "mena", _("Middle East and North Africa")
    ASIA = "asia", _("Asia and the Pacific")
    EUROPE = "europe", _("Europe and Central Asia")
    LATIN_AMERICA = "latam", _("Latin America and the Caribbean")
    NORTH_AMERICA = "north_america", _("North America")


_REGION_COUNTRIES: dict[Region, str] = {
    Region.AFRICA: (
        "AO BF BI BJ BW CD CF CG CI CM CV DJ ER ET GA GH GM GN GQ GW KE KM LR LS MG ML MR MU MW "
        "MZ NA NE NG RW SC SD SL SN SO SS ST SZ TD TG TZ UG ZA ZM ZW"
    ),
    Region.MENA: "AE BH DZ EG EH IL IQ IR JO KW LB LY MA OM PS QA SA SY TN TR YE",
    Region.ASIA: (
        "AF AU BD BN BT CN FJ HK ID IN JP KH KP KR LA LK MM MN MV MY NP NZ PG PH PK SB SG TH TL "
        "TW VN VU WS"
    ),
    Region.EUROPE: (
        "AL AM AT AZ BA BE BG BY CH CY CZ DE DK EE ES FI FR GB GE GR HR HU IE IS IT KG KZ LT LU "
        "LV MD ME MK MT NL NO PL PT RO RS RU SE SI SK TJ TM UA UZ XK"
    ),
    Region.LATIN_AMERICA: (
        "AR BO BR BS BZ CL CO CR CU DO EC GT GY HN HT JM MX NI PA PE PY SR SV TT UY VE"
    ),
    Region.NORTH_AMERICA: "CA US",
}
COUNTRY_REGION: dict[str, Region] = {
    code: region for region, codes in _REGION_COUNTRIES.items() for code in codes.split()
}


def region_for_country(country_code: str) -> str:
    """The region of an ISO 3166 alpha-2 code, or an empty string when it is not mapped."""
    region = COUNTRY_REGION.get(str(country_code).upper())
    return region.value if region else ""

"""What solidarity adds to the pages of lower apps (``portal.sections``): a network's pooled
giving."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from partners.models import SolidarityNetwork
from portal.sections import Section, register_section
from solidarity.selectors import network_pooled


def network_giving(request: HttpRequest, network: SolidarityNetwork) -> dict[str, Any]:
    end = timezone.localdate()
    start = end - dt.timedelta(days=365)
    return {
        "pooled": network_pooled(network.pk, start, end),
        "network": network,
        "ledger": getattr(request.user, "is_portal_staff", False),
    }


def register() -> None:
    register_section(
        "network-detail",
        Section(network_giving, {"main": "solidarity/_network_giving.html"}, order=10),
    )

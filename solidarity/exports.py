"""The ledger as CSV and XLSX (through ``portal.exports``: formula-safe, streamed), in the
layout the import reads back (``solidarity.imports``): one row per contribution, the member
organisation by name, the network by name, the programme by its title."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import QuerySet

from solidarity.models import Contribution

COLUMNS = (
    "id",
    "date",
    "ends_on",
    "kind",
    "member_organisation",
    "donor_name",
    "amount_sek",
    "hours",
    "network",
    "programme",
    "pledge_id",
    "status",
    "note",
)


def rows(contributions: QuerySet[Contribution]) -> Iterator[Sequence[Any]]:
    for row in (
        contributions.select_related("member_organisation", "network", "program")
        .order_by("date", "pk")
        .iterator(chunk_size=2000)
    ):
        yield (
            row.pk,
            row.date,
            row.ends_on,
            row.kind,
            row.member_organisation.name if row.member_organisation else "",
            row.donor_name,
            row.amount_sek,
            row.hours,
            row.network.name if row.network else "",
            row.program.title if row.program else "",
            row.pledge_id,
            row.status,
            row.note,
        )

"""Every write of the partners' side that something else depends on.

The report figures copy a partner's country and region into their cells; a change to either
marks that partner's figures stale in the same transaction (``portal.outbox``), whoever makes it:
the admin saves through here (``portal.admin_scoping.register_writes``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from partners.models import Contribution, Partner
from portal import outbox

# What the figures copy from a partner.
COPIED_BY_FIGURES = frozenset({"country", "region"})


@transaction.atomic
def partner_save(*, actor: Any, partner: Partner, changed_fields: Iterable[str]) -> Partner:
    """Save a partner; a new one has no figures yet, an existing one's go stale if what they
    copy changed."""
    new = partner.pk is None
    partner.save()
    if not new and COPIED_BY_FIGURES & set(changed_fields):
        for subject in outbox.SUBJECTS:
            outbox.mark_stale(subject=subject, keys=[partner.pk])
    if not new and "is_confidential" in set(changed_fields):
        # The results' kept sums hold a confidential partner's figures apart (``results.kept``).
        outbox.mark_stale(subject=outbox.RESULTS, keys=[None])
    return partner


@transaction.atomic
def partner_delete(*, actor: Any, partner: Partner) -> None:
    # Its figures go with it (their rows cascade); its stories and projects protect it.
    partner.delete()


@transaction.atomic
def contribution_save(
    *, actor: Any, contribution: Contribution, changed_fields: Iterable[str]
) -> Contribution:
    contribution.full_clean()
    contribution.save()
    return contribution


@transaction.atomic
def contribution_delete(*, actor: Any, contribution: Contribution) -> None:
    contribution.delete()

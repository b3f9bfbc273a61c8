"""Funder dependence (issue #14, item 7): which programmes and partners depend on which funder,
and how much, so staff see who is hit when a grant is cut.

A programme's grants (``programs.Grant``) give each funder's share of what the programme
receives. A project is paid from its programme's money: its budget counts against each funder
in the programme's shares. A partner's dependence on a funder is what its current projects
(planned or active) take from that funder over their budgets together. A programme without
grants recorded has no shares: its projects count as "not recorded", never as anyone's.

Worked by hand in ``tests/programs/test_dependence.py``. Everything is read through the
viewer's selectors: an officer's figures leave out the confidential partners' projects.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from partners.models import Partner
from programs.models import Funder, Program, Project
from programs.selectors import visible_grants, visible_programs, visible_projects

if TYPE_CHECKING:
    from portal.access import AnyUser

ZERO = Decimal(0)
CURRENT = (Project.Status.PLANNED, Project.Status.ACTIVE)


def share(part: Decimal, whole: Decimal) -> Decimal:
    return part / whole if whole else ZERO


@dataclass
class FunderLine:
    funder: Funder
    amount_sek: Decimal
    programs: int
    share: Decimal  # of all grants the viewer sees


@dataclass
class ProgramLine:
    program: Program
    granted_sek: Decimal
    by_funder: dict[int, Decimal]  # funder id → amount
    cells: list[Decimal | None] = field(default_factory=list)  # shares, in the funders' order

    def share_of(self, funder_id: int) -> Decimal:
        return share(self.by_funder.get(funder_id, ZERO), self.granted_sek)


@dataclass
class Exposure:
    """What one programme or partner stands to lose with one funder's money."""

    name: str
    pk: int
    at_risk_sek: Decimal
    base_sek: Decimal  # the programme's grants, or the partner's current project budgets

    @property
    def share(self) -> Decimal:
        return share(self.at_risk_sek, self.base_sek)


@dataclass
class Dependence:
    funders: list[FunderLine]
    programs: list[ProgramLine]
    unrecorded: list[Program]  # programmes without grants
    chosen: Funder | None = None
    programs_hit: list[Exposure] = field(default_factory=list)
    partners_hit: list[Exposure] = field(default_factory=list)


def dependence(user: AnyUser, funder_id: int | None = None) -> Dependence:
    programs = list(visible_programs(user).order_by("title"))
    grants = list(visible_grants(user).select_related("funder").order_by("pk"))
    by_program: dict[int, dict[int, Decimal]] = defaultdict(dict)
    funders: dict[int, Funder] = {}
    for grant in grants:
        by_program[grant.program_id][grant.funder_id] = grant.amount_sek
        funders[grant.funder_id] = grant.funder
    total = sum((grant.amount_sek for grant in grants), ZERO)
    funder_lines = sorted(
        (
            FunderLine(
                funder=funder,
                amount_sek=sum((g.amount_sek for g in grants if g.funder_id == pk), ZERO),
                programs=sum(1 for g in grants if g.funder_id == pk),
                share=ZERO,
            )
            for pk, funder in funders.items()
        ),
        key=lambda line: (-line.amount_sek, line.funder.name),
    )
    for funder_line in funder_lines:
        funder_line.share = share(funder_line.amount_sek, total)
    order = [funder_line.funder.pk for funder_line in funder_lines]
    program_lines = []
    for program in programs:
        amounts = by_program.get(program.pk)
        if not amounts:
            continue
        line = ProgramLine(program, sum(amounts.values(), ZERO), amounts)
        line.cells = [line.share_of(pk) if pk in amounts else None for pk in order]
        program_lines.append(line)
    result = Dependence(
        funders=funder_lines,
        programs=program_lines,
        unrecorded=[program for program in programs if program.pk not in by_program],
    )
    if funder_id is None or funder_id not in funders:
        return result
    result.chosen = funders[funder_id]
    shares = {line.program.pk: line.share_of(funder_id) for line in program_lines}
    result.programs_hit = sorted(
        (
            Exposure(
                line.program.title, line.program.pk, line.by_funder[funder_id], line.granted_sek
            )
            for line in program_lines
            if funder_id in line.by_funder
        ),
        key=lambda exposure: (-exposure.share, -exposure.at_risk_sek, exposure.name),
    )
    at_risk: dict[int, Decimal] = defaultdict(lambda: ZERO)
    base: dict[int, Decimal] = defaultdict(lambda: ZERO)
    partners: dict[int, Partner] = {}
    for project in visible_projects(user).filter(status__in=CURRENT).select_related("partner"):
        partners[project.partner_id] = project.partner
        base[project.partner_id] += project.budget_sek
        at_risk[project.partner_id] += project.budget_sek * shares.get(project.program_id, ZERO)
    result.partners_hit = sorted(
        (
            Exposure(partners[pk].name, pk, at_risk[pk], base[pk])
            for pk in partners
            if at_risk[pk] > 0
        ),
        key=lambda exposure: (-exposure.share, -exposure.at_risk_sek, exposure.name),
    )
    return result

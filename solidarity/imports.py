"""Reading contributions from a spreadsheet in the download's layout (``solidarity.exports``).

Staff download the ledger as XLSX, add rows or correct them, and upload it; or fill a fresh
sheet with the same header. A row with an ``id`` corrects that row of the ledger (unchanged rows
are left alone); a row without one is new. The member organisation is named as in the portal,
the network by its name, the programme by its title, the kind and status by their code or their
label. Every row is checked on its own with the model's own validation, and every bad row is
named with its row number and the reason; then the file is saved whole or not at all, so a
corrected file can simply be uploaded again without doubling what the first attempt saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _

from partners.models import MemberOrganisation, SolidarityNetwork
from portal import spreadsheets
from portal.models import User
from programs.models import Program
from solidarity import services
from solidarity.models import Contribution

MAX_ROWS = 5_000
REQUIRED = ("date", "kind", "member_organisation", "donor_name", "amount_sek", "hours")
EDITABLE = (
    "kind",
    "date",
    "ends_on",
    "member_organisation_id",
    "donor_name",
    "amount_sek",
    "hours",
    "network_id",
    "program_id",
    "pledge_id",
    "status",
    "note",
)


@dataclass(frozen=True)
class Problem:
    row: int  # the spreadsheet's row number, the header being row 1
    message: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _choice(value: Any, choices: list[tuple[str, Any]], unknown: str) -> str:
    """A choice given by its code or its label (in any case)."""
    text = _text(value).casefold()
    for code, label in choices:
        if text in (code.casefold(), str(label).casefold()):
            return code
    raise ValidationError(unknown % {"value": _text(value)})


class _Reader:
    """The lookups every row needs, read once per file."""

    def __init__(self) -> None:
        self.members = {m.name.casefold(): m for m in MemberOrganisation.objects.all()}
        self.networks = {n.name.casefold(): n for n in SolidarityNetwork.objects.all()}
        titles: dict[str, list[Program]] = {}
        for program in Program.objects.all():
            titles.setdefault(program.title.casefold(), []).append(program)
        # Two programmes with one title cannot be told apart by it: such a title finds none.
        self.programs = {title: found[0] for title, found in titles.items() if len(found) == 1}
        self.existing: dict[int, Contribution] = {}
        self.pledges: dict[int, Contribution] = {}

    def preload(self, rows: list[tuple[int, dict[str, Any]]]) -> None:
        ids: set[int] = set()
        pledge_ids: set[int] = set()
        for _number, data in rows:
            for key, into in (("id", ids), ("pledge_id", pledge_ids)):
                try:
                    if (pk := spreadsheets.integer(data.get(key))) is not None:
                        into.add(pk)
                except ValueError:
                    pass  # named with its row below
        self.existing = Contribution.objects.in_bulk(list(ids))
        self.pledges = Contribution.objects.filter(kind=Contribution.Kind.MONTHLY_PLEDGE).in_bulk(
            list(pledge_ids)
        )

    def _named(self, value: Any, table: dict[str, Any], unknown: str) -> Any:
        text = _text(value)
        if not text:
            return None
        found = table.get(text.casefold())
        if found is None:
            raise ValidationError(unknown % {"name": text})
        return found

    def row(self, data: dict[str, Any]) -> tuple[Contribution, bool]:
        """The row as a contribution to save, and whether it changes anything."""
        try:
            pk = spreadsheets.integer(data.get("id"))
            pledge_id = spreadsheets.integer(data.get("pledge_id"))
        except ValueError:
            raise ValidationError(_("An id is not a whole number.")) from None
        contribution = Contribution() if pk is None else self.existing.get(pk)
        if contribution is None:
            raise ValidationError(_("There is no contribution %(id)s.") % {"id": pk})
        before = {name: getattr(contribution, name) for name in EDITABLE}
        try:
            contribution.date = spreadsheets.date(data.get("date"))
            ends_on = data.get("ends_on")
            contribution.ends_on = None if ends_on in (None, "") else spreadsheets.date(ends_on)
        except (TypeError, ValueError):
            raise ValidationError(_("A date is not a date (YYYY-MM-DD).")) from None
        try:
            contribution.amount_sek = spreadsheets.number(data.get("amount_sek"))
            contribution.hours = spreadsheets.number(data.get("hours"))
        except ValueError:
            raise ValidationError(_("An amount or the hours are not a number.")) from None
        contribution.kind = _choice(
            data.get("kind"),
            Contribution.Kind.choices,
            _("“%(value)s” is not a kind of contribution."),
        )
        status = data.get("status")
        contribution.status = (
            _choice(status, Contribution.Status.choices, _("“%(value)s” is not a status."))
            if _text(status)
            else Contribution.Status.CONFIRMED
        )
        member = self._named(
            data.get("member_organisation"),
            self.members,
            _("There is no member organisation called “%(name)s”."),
        )
        contribution.member_organisation = member
        contribution.donor_name = _text(data.get("donor_name"))[:200]
        contribution.network = self._named(
            data.get("network"), self.networks, _("There is no network called “%(name)s”.")
        )
        contribution.program = self._named(
            data.get("programme"),
            self.programs,
            _("No programme, or more than one, has the title “%(name)s”."),
        )
        contribution.note = _text(data.get("note"))[:255]
        if pledge_id is not None and pledge_id not in self.pledges:
            raise ValidationError(_("There is no monthly pledge %(id)s.") % {"id": pledge_id})
        contribution.pledge = self.pledges.get(pledge_id) if pledge_id is not None else None
        # The relations were looked up above; the model's clean covers its constraints' rules
        # (the database checks them once more when the file is saved).
        contribution.full_clean(
            exclude=["member_organisation", "network", "program", "pledge"],
            validate_constraints=False,
        )
        after = {name: getattr(contribution, name) for name in EDITABLE}
        return contribution, pk is None or after != before


def _message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        labels = {f.name: str(f.verbose_name) for f in Contribution._meta.fields}
        return " ".join(
            f"{labels.get(name, name)}: {message}"
            for name, messages in error.message_dict.items()
            for message in messages
        )
    return " ".join(error.messages)


def import_contributions(*, actor: User, upload: IO[bytes]) -> ImportResult:
    """Check every row of ``upload`` and, when none is bad, save them all (see the module)."""
    rows = spreadsheets.read_sheet(upload, required=REQUIRED, max_rows=MAX_ROWS)
    reader = _Reader()
    reader.preload(rows)
    result = ImportResult()
    to_save: list[Contribution] = []
    seen: set[int] = set()
    for number, data in rows:
        try:
            contribution, changed = reader.row(data)
        except ValidationError as error:
            result.problems.append(Problem(number, _message(error)))
            continue
        if contribution.pk is not None:
            if contribution.pk in seen:
                result.problems.append(Problem(number, _("This id is in the file twice.")))
                continue
            seen.add(contribution.pk)
        if not changed:
            result.unchanged += 1
        elif contribution.pk is None:
            result.created += 1
            to_save.append(contribution)
        else:
            result.updated += 1
            to_save.append(contribution)
    if result.problems:
        result.created = result.updated = 0
        return result
    try:
        services.contributions_import(actor=actor, rows=to_save)
    except IntegrityError:
        result.created = result.updated = 0
        result.problems.append(Problem(0, _("The database refused the file; nothing was saved.")))
    return result

"""Checking an activity file as IATI's validator would: XSD, codelists and business rules."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.utils import timezone
from lxml import etree

from reporting.iati.result_rules import one_year_on, parse_date, result_rules
from reporting.iati.xml import XML_LANG

# --- Validating -----------------------------------------------------------------------------------

# (XPath of a coded attribute, its codelist)
CODED_ATTRIBUTES: tuple[tuple[str, str], ...] = (
    ("//iati-activity/activity-status/@code", "ActivityStatus"),
    ("//iati-activity/activity-date/@type", "ActivityDateType"),
    ("//participating-org/@role", "OrganisationRole"),
    ("//participating-org/@type", "OrganisationType"),
    ("//reporting-org/@type", "OrganisationType"),
    ("//iati-activity/sector/@vocabulary", "SectorVocabulary"),
    ("//transaction/sector/@vocabulary", "SectorVocabulary"),
    ("//recipient-country/@code", "Country"),
    ("//iati-activity/@default-currency", "Currency"),
    ("//value/@currency", "Currency"),
    ("//iati-activity/@xml:lang", "Language"),
    ("//narrative/@xml:lang", "Language"),
    ("//budget/@type", "BudgetType"),
    ("//budget/@status", "BudgetStatus"),
    ("//indicator/@measure", "IndicatorMeasure"),
    ("//result/@type", "ResultType"),
    ("//iati-activity/description/@type", "DescriptionType"),
)
SWEDISH_ORG_REF = re.compile(r"^SE-ON-\d{6}-?\d{4}$")


@cache
def _codelist(path: Path) -> tuple[frozenset[str], frozenset[str]]:
    """The active and the withdrawn codes of a codelist file."""
    active: set[str] = set()
    withdrawn: set[str] = set()
    for item in etree.parse(str(path)).iterfind(".//codelist-item"):
        code = (item.findtext("code") or "").strip()
        (withdrawn if item.get("status") == "withdrawn" else active).add(code)
    return frozenset(active), frozenset(withdrawn)


@cache
def _schema(path: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(path)))


def _sums_to_100(values: Iterable[str]) -> bool:
    try:
        total = sum((Decimal(value) for value in values), Decimal(0))
    except ArithmeticError:
        return False
    return abs(total - 100) < Decimal("0.01")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file, and the element it is about (``None``: the file)."""

    message: str
    element: etree._Element | None = None
    kind: str = "rule"  # "schema", "codelist" or "rule"

    @property
    def line(self) -> int | None:
        return self.element.sourceline if self.element is not None else None


def schema_files_present(schema_dir: str | Path) -> bool:
    return (Path(schema_dir) / "schemas" / "iati-activities-schema.xsd").is_file()


def problems(
    tree: etree._ElementTree | etree._Element | bytes,
    schema_dir: str | Path | None,
    *,
    today: datetime.date | None = None,
) -> list[Problem]:
    """Everything wrong with an activity file: XSD and codelists (where ``schema_dir`` holds
    them), and the business rules (always). Parse from bytes to have line numbers."""
    if isinstance(tree, bytes):
        tree = etree.fromstring(tree)
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    found: list[Problem] = []
    if schema_dir is not None and schema_files_present(schema_dir):
        folder = Path(schema_dir)
        schema = _schema(folder / "schemas" / "iati-activities-schema.xsd")
        if not schema.validate(root):
            by_line = {element.sourceline: element for element in root.iter()}
            found += [
                Problem(
                    f"XSD line {error.line}: {error.message}", by_line.get(error.line), "schema"
                )
                for error in schema.error_log
            ]
        found += _codelist_errors(root, folder / "codelists")
    found += _rule_errors(root, today or timezone.localdate())
    return found


def validate(
    tree: etree._ElementTree | etree._Element | bytes,
    schema_dir: str | Path,
    *,
    today: datetime.date | None = None,
) -> list[str]:
    """Everything wrong with an activity file, as text: XSD, codelists and business rules."""
    return [problem.message for problem in problems(tree, schema_dir, today=today)]


def _codelist_errors(root: etree._Element, folder: Path) -> list[Problem]:
    errors = []
    namespaces = {"xml": "http://www.w3.org/XML/1998/namespace"}
    for xpath, name in CODED_ATTRIBUTES:
        active, withdrawn = _codelist(folder / f"{name}.xml")
        for value in root.xpath(xpath, namespaces=namespaces):
            if str(value) not in active:
                state = "withdrawn" if str(value) in withdrawn else "not"
                errors.append(
                    Problem(
                        f"{xpath}: {value!r} is {state} in the {name} codelist",
                        value.getparent(),
                        "codelist",
                    )
                )
    sectors_active, sectors_withdrawn = _codelist(folder / "Sector.xml")
    for sector in root.iter("sector"):
        if sector.get("vocabulary", "1") != "1":
            continue
        code = sector.get("code", "")
        if code in sectors_withdrawn:
            errors.append(
                Problem(
                    f"sector {code!r} is withdrawn from the Sector codelist", sector, "codelist"
                )
            )
        elif code not in sectors_active:
            errors.append(
                Problem(f"sector {code!r} is not in the Sector codelist", sector, "codelist")
            )
    return errors


def _rule_errors(root: etree._Element, today: datetime.date) -> list[Problem]:
    errors: list[Problem] = []
    seen: set[str] = set()
    for activity in root.iterfind("iati-activity"):
        identifier = (activity.findtext("iati-identifier") or "").strip()
        where = identifier or f"activity at line {activity.sourceline}"

        def fail(message: str, element: etree._Element = activity, where: str = where) -> None:
            errors.append(Problem(f"{where}: {message}", element))

        ref = activity.find("reporting-org")
        ref_value = ref.get("ref", "") if ref is not None else ""
        if not identifier:
            fail("no iati-identifier")
        elif not ref_value or not identifier.startswith(ref_value):
            fail(f"the identifier does not start with the reporting-org ref {ref_value!r}")
        if identifier in seen:
            fail("the identifier is used twice")
        seen.add(identifier)
        if ref_value and not SWEDISH_ORG_REF.match(ref_value):
            fail(f"the reporting-org ref {ref_value!r} is not SE-ON-<organisation number>")
        if not activity.get("default-currency"):
            fail("no default-currency")
        if not activity.get(XML_LANG):
            fail("no default language (xml:lang)")

        dates: dict[str, datetime.date] = {}
        for element in activity.iterfind("activity-date"):
            when = parse_date(element.get("iso-date"))
            if when is not None:
                dates.setdefault(element.get("type", ""), when)
        if "1" not in dates and "2" not in dates:
            fail("no start date (planned or actual)")
        for kind, label in (("2", "start"), ("4", "end")):
            if kind in dates and dates[kind] > today:
                fail(f"the actual {label} date is in the future")
        for start_type, end_type in (("1", "3"), ("2", "4")):
            if start_type in dates and end_type in dates and dates[end_type] < dates[start_type]:
                fail("an end date is before its start date")

        _percentage_rules(activity, fail)

        has_sector = activity.find("sector") is not None
        transaction_sectors = activity.find("transaction/sector") is not None
        if has_sector and transaction_sectors:
            fail("sectors are on both the activity and its transactions")
        if not has_sector and not transaction_sectors:
            fail("no sector")
        for transaction_date in activity.iterfind("transaction/transaction-date"):
            when = parse_date(transaction_date.get("iso-date"))
            if when and when > today:
                fail("a transaction date is in the future")

        for budget in activity.iterfind("budget"):
            start = parse_date(_attribute(budget, "period-start", "iso-date"))
            end = parse_date(_attribute(budget, "period-end", "iso-date"))
            if start is None or end is None:
                continue
            if end < start:
                fail(f"the budget period {start}–{end} ends before it starts", budget)
            elif end >= one_year_on(start):
                fail(f"the budget period {start}–{end} is longer than a year", budget)

        result_rules(activity, today, fail)
    return errors


def _attribute(parent: etree._Element, tag: str, name: str) -> str | None:
    element = parent.find(tag)
    return element.get(name) if element is not None else None


def _percentage_rules(activity: etree._Element, fail: Callable[[str], None]) -> None:
    by_vocabulary: dict[str, list[str]] = {}
    for sector in activity.iterfind("sector"):
        by_vocabulary.setdefault(sector.get("vocabulary", "1"), []).append(
            sector.get("percentage", "100")
        )
    for vocabulary, percentages in by_vocabulary.items():
        if not _sums_to_100(percentages):
            fail(f"sector percentages of vocabulary {vocabulary} do not sum to 100")
    places = activity.findall("recipient-country") + activity.findall("recipient-region")
    with_shares = places and (len(places) > 1 or places[0].get("percentage") is not None)
    if with_shares and not _sums_to_100(place.get("percentage", "0") for place in places):
        fail("recipient country and region percentages do not sum to 100")

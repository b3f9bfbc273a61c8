"""Reading an uploaded XLSX in an export's layout: the first sheet's rows as dicts by the
header's keys, and the cell parsers every importer needs (``results.reports.imports``,
``solidarity.imports``). A file that is not a workbook, lacks a column of the layout or is too
long is refused as a whole with the reason; a bad cell is the importer's to name by row."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

MAX_ROWS = 20_000
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def read_sheet(
    upload: IO[bytes], *, required: Sequence[str], max_rows: int = MAX_ROWS
) -> list[tuple[int, dict[str, Any]]]:
    """The first sheet's rows as dicts by the header's keys, with their row numbers.

    Raises ValidationError for a file that is not a workbook in the export's layout."""
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ValidationError(
            _("The file is not an XLSX workbook. Download the XLSX and fill it in.")
        ) from error
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [str(cell).strip() if cell is not None else "" for cell in next(rows, ())]
        missing = [key for key in required if key not in header]
        if missing:
            raise ValidationError(
                _("The first sheet lacks the columns %(columns)s of the export's layout.")
                % {"columns": ", ".join(missing)}
            )
        read: list[tuple[int, dict[str, Any]]] = []
        for number, values in enumerate(rows, start=2):
            if all(value in (None, "") for value in values):
                continue
            if len(read) >= max_rows:
                raise ValidationError(
                    _("The file has more than %(limit)d rows: split it.") % {"limit": max_rows}
                )
            read.append((number, dict(zip(header, values, strict=False))))
        return read
    finally:
        workbook.close()


def integer(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError from None
    if number != number.to_integral_value() or not 0 < number < 2**63:
        raise ValueError
    return int(number)


def date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def number(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        parsed = Decimal(str(value).strip().replace(" ", ""))
    except InvalidOperation:
        raise ValueError from None
    if not parsed.is_finite() or abs(parsed) >= Decimal(10) ** 14:
        raise ValueError
    return parsed

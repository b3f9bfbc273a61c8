"""CSV and XLSX downloads that stream their rows and neutralise spreadsheet formulas.

Every cell passes through ``neutralise``: text that a spreadsheet would read as a formula (it
begins with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or a line feed — OWASP's list)
gets a leading apostrophe, so a story titled ``=HYPERLINK(…)`` stays text in Excel, LibreOffice
and Google Sheets. Numbers and dates stay typed.

CSV comes in two dialects: commas (what other programs expect) and, for Excel in Swedish and
other languages that write decimals with a comma, semicolons with decimal commas
(``SEMICOLON_CSV``), which such an Excel opens in columns; elsewhere it opens commas as one
column. File names say what was downloaded: the list, the day, and the filters chosen (by value
or id, never a name: a partner's name is not for a file name that travels by e-mail).

CSV is written row by row to the response (``StreamingHttpResponse``): memory stays flat
whatever the number of rows. XLSX is written by openpyxl in write-only mode, which keeps rows
in a temporary file rather than in memory; a selection larger than ``XLSX_MAX_ROWS`` is
refused with a message pointing to CSV, because building it would hold the request for
minutes and Excel itself stops at about a million rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Model, QuerySet
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils import timezone

from portal.access import may_download

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
# Characters XML 1.0 cannot hold (openpyxl's own pattern misses the noncharacters and lone
# surrogates).
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
XLSX_MAX_ROWS = 100_000
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
SEMICOLON_CSV = "semicolon.csv"
FORMATS = ("csv", SEMICOLON_CSV, "xlsx")
# The URL patterns' group for the format, in the order of FORMATS.
FORMAT_PATTERN = r"(?P<fmt>csv|semicolon\.csv|xlsx)"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Cell = str | int | float | Decimal | dt.date | None


def neutralise(value: Any) -> Cell:
    """The cell as a spreadsheet may safely hold it."""
    if value is None or isinstance(value, bool):
        return "" if value is None else ("yes" if value else "no")
    if isinstance(value, int | float | Decimal | dt.date):
        return value  # typed values are never evaluated as formulas
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


class _Echo:
    """A file-like object whose ``write`` returns the line, for ``csv.writer`` to stream."""

    def write(self, value: str) -> str:
        return value


def _decimal_comma(value: Cell) -> Cell:
    if isinstance(value, float | Decimal):
        return str(value).replace(".", ",")
    return value


def _csv_lines(
    header: Sequence[str], rows: Iterable[Sequence[Any]], *, delimiter: str = ","
) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=delimiter)
    cell: Callable[[Any], Cell] = neutralise
    if delimiter == ";":

        def cell(value: Any) -> Cell:
            return _decimal_comma(neutralise(value))

    yield "\ufeff"  # a byte-order mark, so that Excel opens UTF-8 as UTF-8
    yield writer.writerow([cell(value) for value in header])
    for row in rows:
        yield writer.writerow([cell(value) for value in row])


def _disposition(filename: str) -> str:
    return f'attachment; filename="{filename}"'


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]], *, delimiter: str = ","
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        _csv_lines(header, rows, delimiter=delimiter), content_type=CSV_CONTENT_TYPE
    )
    response["Content-Disposition"] = _disposition(f"{filename}.csv")
    response["Cache-Control"] = "no-store"
    return response


# A further sheet of a workbook: its title, header and rows (a key to the columns, for one).
Sheet = tuple[str, Sequence[str], Iterable[Sequence[Any]]]


def xlsx_response(
    filename: str,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    more_sheets: Sequence[Sheet] = (),
) -> FileResponse:
    from openpyxl import Workbook

    def cell(value: Any) -> Cell:
        # XML cannot hold most control characters nor U+FFFE/U+FFFF; drop them first, then
        # neutralise, so that what is left cannot begin like a formula either.
        if isinstance(value, str):
            value = XML_ILLEGAL.sub("", value)
        return neutralise(value)

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])  # Excel's limit on sheet names
    sheet.append([cell(value) for value in header])
    for row in rows:
        sheet.append([cell(value) for value in row])
    for sheet_title, sheet_header, sheet_rows in more_sheets:
        extra = workbook.create_sheet(title=sheet_title[:31])
        extra.append([cell(value) for value in sheet_header])
        for row in sheet_rows:
            extra.append([cell(value) for value in row])
    # Spooled: small files stay in memory, large ones go to disk; deleted when closed.
    output = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - closed by FileResponse
    workbook.save(output)
    output.seek(0)
    response = FileResponse(
        output, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_CONTENT_TYPE
    )
    response["Cache-Control"] = "no-store"
    return response


def _filter_value(value: Any) -> str:
    """A chosen filter's value as it may stand in a file name (empty: not chosen)."""
    if value is None or value is False or value == "":
        return ""
    if isinstance(value, slice):  # a date range from django-filter
        return "-".join(_filter_value(end) or "" for end in (value.start, value.stop)).strip("-")
    if isinstance(value, Model):
        return str(value.pk)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | QuerySet):
        return "+".join(_filter_value(item) for item in value)
    return "yes" if value is True else str(value)


def filename_for(base: str, form: Any) -> str:
    """``stories_2026-11-30_status-verified_country-GT``: the list, today, the filters chosen."""
    parts = [base, timezone.localdate().isoformat()]
    if form.is_bound and form.is_valid():
        for name, value in form.cleaned_data.items():
            if text := _filter_value(value):
                parts.append(f"{name}-{text}")
    return re.sub(r"[^A-Za-z0-9._+-]+", "-", "_".join(parts))[:150]


def download(
    request: Any,
    fmt: str,
    *,
    form: Any,
    filename: str,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    count: Callable[[], int],
    more_sheets: Sequence[Sheet] = (),
) -> Any:
    """The rows as ``fmt`` (one of ``FORMATS``), selected by the filters in ``form``.

    A filter that does not validate is a 400 naming it: a download must never silently ignore
    one. An XLSX too large to build gets a page saying so; ``count`` is asked only for XLSX,
    before any row is read: one COUNT is cheaper than building most of a file to throw away.
    ``more_sheets`` go into the XLSX only (a CSV has one table).
    """
    from django.shortcuts import render

    if form.is_bound and not form.is_valid():
        return render(request, "portal/export_invalid.html", {"form": form}, status=400)
    filename = filename_for(filename, form)
    if fmt in ("csv", SEMICOLON_CSV):
        return csv_response(filename, header, rows, delimiter=";" if fmt == SEMICOLON_CSV else ",")
    if count() <= XLSX_MAX_ROWS:
        return xlsx_response(filename, title, header, rows, more_sheets=more_sheets)
    return render(
        request,
        "portal/export_too_large.html",
        {
            "limit": XLSX_MAX_ROWS,
            "csv_url": request.get_full_path().replace(".xlsx", ".csv", 1),
        },
        status=400,
    )


def list_download(
    request: Any,
    fmt: str,
    *,
    filterset: Any,
    filename: str,
    title: str,
    header: Sequence[str],
    rows: Callable[[Any], Iterable[Sequence[Any]]],
) -> Any:
    """A list page's download: the rows its filters select, for the viewers who may download
    (``may_download``; for anyone else the file does not exist)."""
    if not may_download(request.user):
        raise Http404
    return download(
        request,
        fmt,
        form=filterset.form,
        filename=filename,
        title=title,
        header=header,
        rows=rows(filterset.qs),
        count=filterset.qs.count,
    )

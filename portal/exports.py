"""CSV and XLSX downloads that stream their rows and neutralise spreadsheet formulas.

Every cell passes through ``neutralise``: text that a spreadsheet would read as a formula (it
begins with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or a line feed — OWASP's list)
gets a leading apostrophe, so a story titled ``=HYPERLINK(…)`` stays text in Excel, LibreOffice
and Google Sheets. Numbers and dates stay typed.

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

from django.http import FileResponse, StreamingHttpResponse

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
# Characters XML 1.0 cannot hold (openpyxl's own pattern misses the noncharacters and lone
# surrogates).
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
XLSX_MAX_ROWS = 100_000
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
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


def _csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a byte-order mark, so that Excel opens UTF-8 as UTF-8
    yield writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


def _disposition(filename: str) -> str:
    return f'attachment; filename="{filename}"'


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_lines(header, rows), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = _disposition(f"{filename}.csv")
    response["Cache-Control"] = "no-store"
    return response


def xlsx_response(
    filename: str, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
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
    # Spooled: small files stay in memory, large ones go to disk; deleted when closed.
    output = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - closed by FileResponse
    workbook.save(output)
    output.seek(0)
    response = FileResponse(
        output, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_CONTENT_TYPE
    )
    response["Cache-Control"] = "no-store"
    return response


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
) -> Any:
    """The rows as ``fmt`` (csv or xlsx), selected by the filters in ``form``.

    A filter that does not validate is a 400 naming it: a download must never silently ignore
    one. An XLSX too large to build gets a page saying so; ``count`` is asked only for XLSX,
    before any row is read: one COUNT is cheaper than building most of a file to throw away.
    """
    from django.shortcuts import render

    if form.is_bound and not form.is_valid():
        return render(request, "portal/export_invalid.html", {"form": form}, status=400)
    if fmt == "csv":
        return csv_response(filename, header, rows)
    if count() <= XLSX_MAX_ROWS:
        return xlsx_response(filename, title, header, rows)
    return render(
        request,
        "portal/export_too_large.html",
        {
            "limit": XLSX_MAX_ROWS,
            "csv_url": request.get_full_path().replace(".xlsx", ".csv", 1),
        },
        status=400,
    )

"""Importing actuals from the export's XLSX (issue #13, item 7): good rows are saved as drafts
of their reports, each bad one is named with its row and reason, nothing else changes."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from conftest import World
from results.models import TOTAL, Actual, Report, ReportEntry
from results.reports import services as report_services
from tests.results import builders

HEADER = [
    "indicator_id",
    "period_start",
    "period_end",
    "project_id",
    "combination",
    "actual_value",
    "actual_numerator",
    "actual_denominator",
]


def _xlsx(rows: list[list[Any]], header: list[str] = HEADER) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    return SimpleUploadedFile("actuals.xlsx", data.getvalue())


def _upload(client: Client, world: World, upload: SimpleUploadedFile) -> tuple[int, str]:
    response = client.post(reverse("results-import", args=[world.program.pk]), {"workbook": upload})
    return response.status_code, response.content.decode()


def test_good_rows_are_saved_and_each_bad_one_is_named(
    world: World, client_as: Callable[[str], Client]
) -> None:
    f = builders.report_framework(world)
    trained, share = f.trained, f.share
    women, men = str(f.dimensions.women.pk), str(f.dimensions.men.pk)
    alpha, beta = world.alpha_project.pk, world.beta_project.pk
    rows = [
        [trained.pk, "2025-01-01", "2025-12-31", alpha, "", 12, None, None],  # row 2: good
        [trained.pk, "2025-01-01", "2025-12-31", alpha, women, 7, None, None],  # 3: good
        [trained.pk, "2025-01-01", "2025-12-31", alpha, men, 5, None, None],  # 4: good
        [share.pk, "2025-01-01", "2025-12-31", alpha, "", None, 3, 4],  # 5: good
        [share.pk, "2025-01-01", "2025-12-31", alpha, "", None, 2, 4],  # 6: twice
        [trained.pk, "2025-01-01", "2025-12-31", beta, "", 9, None, None],  # 7: not theirs
        [trained.pk, "2024-01-01", "2024-12-31", alpha, women, 1, None, None],  # 8: no period
        [trained.pk, "2025-01-01", "2025-12-31", alpha, "999999", 1, None, None],  # 9: combination
        [trained.pk, "2025-01-01", "2025-12-31", alpha, "", "many", None, None],  # 10: text
        [share.pk, "2025-01-01", "2025-12-31", alpha, women, None, 5, 4],  # 11: 5 of 4
        [trained.pk, "2025-01-01", "2025-12-31", None, "", 50, None, None],  # programme row
        [trained.pk, "2025-01-01", "2025-12-31", beta, "", None, None, None],  # empty: nothing
    ]
    status, page = _upload(client_as("partner"), world, _xlsx(rows))
    assert status == 200
    assert "4 rows saved, as drafts of 1 report(s)." in page
    assert "6 rows were not saved" in page
    problems = {
        int(row): html.unescape(text)
        for row, text in re.findall(
            r'<th scope="row" class="number fw-normal">(\d+)</th><td>([^<]*)</td>', page
        )
    }
    assert set(problems) == {6, 7, 8, 9, 10, 11}
    assert "on row 5" in problems[6]
    assert f"project {beta}" in problems[7] and "Sindicato" not in page
    assert "no period" in problems[8]
    assert "Choose one value" in problems[9]
    assert "not a number" in problems[10]
    assert "numerator" in problems[11]
    report = Report.objects.get(project=world.alpha_project)
    assert report.status == Report.Status.DRAFT
    saved = {
        (a.period.indicator_id, a.combination): (a.value, a.numerator, a.denominator, a.status)
        for a in Actual.objects.filter(project=world.alpha_project).select_related("period")
    }
    assert saved == {
        (trained.pk, TOTAL): (Decimal(12), None, None, "draft"),
        (trained.pk, women): (Decimal(7), None, None, "draft"),
        (trained.pk, men): (Decimal(5), None, None, "draft"),
        (share.pk, TOTAL): (None, Decimal(3), Decimal(4), "draft"),
    }
    assert not Actual.objects.filter(project=world.beta_project).exists()


def test_an_approved_report_is_left_as_it_is_and_its_rows_say_why(
    world: World, client_as: Callable[[str], Client]
) -> None:
    f = builders.report_framework(world)
    staff = world.users["staff"]
    period = builders.period(f.trained)
    report_services.report_save(
        actor=world.users["partner"],
        project=world.alpha_project,
        start=period.start,
        end=period.end,
        entries=[
            report_services.EntryInput(
                period,
                [report_services.FigureInput(TOTAL, value=Decimal(10))],
                comment="Counted at the door.",
                stories=[world.alpha_story],
            ),
            report_services.EntryInput(
                builders.period(f.share),
                [report_services.FigureInput(TOTAL, numerator=Decimal(1), denominator=Decimal(2))],
            ),
            report_services.EntryInput(builders.period(f.voice), [], comment="They speak up."),
        ],
        submit=True,
    )
    report = Report.objects.get()
    report_services.report_review(actor=staff, report=report, action="approved")
    rows = [[f.trained.pk, "2025-01-01", "2025-12-31", world.alpha_project.pk, "", 99, None, None]]
    _status, page = _upload(client_as("partner"), world, _xlsx(rows))
    assert "0 rows saved" in page and "An approved report is locked." in page
    assert (
        Actual.objects.get(project=world.alpha_project, period=period, combination=TOTAL).value
        == 10
    )


def test_an_import_keeps_the_comment_and_the_cited_stories(
    world: World, client_as: Callable[[str], Client]
) -> None:
    f = builders.report_framework(world)
    period = builders.period(f.trained)
    report_services.report_save(
        actor=world.users["partner"],
        project=world.alpha_project,
        start=period.start,
        end=period.end,
        entries=[
            report_services.EntryInput(
                period,
                [report_services.FigureInput(TOTAL, value=Decimal(10))],
                comment="Counted at the door.",
                stories=[world.alpha_story],
            )
        ],
    )
    rows = [[f.trained.pk, "2025-01-01", "2025-12-31", world.alpha_project.pk, "", 11, None, None]]
    _upload(client_as("partner"), world, _xlsx(rows))
    entry = ReportEntry.objects.get(period=period)
    assert entry.comment == "Counted at the door."
    assert list(entry.stories.all()) == [world.alpha_story]
    assert (
        Actual.objects.get(period=period, project=world.alpha_project, combination=TOTAL).value
        == 11
    )


def test_the_exported_workbook_reads_back(world: World, client_as: Callable[[str], Client]) -> None:
    f = builders.report_framework(world)
    client = client_as("partner")
    response = client.get(reverse("program-results-export", args=[world.program.pk, "xlsx"]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    column = {key: index for index, key in enumerate(header)}
    filled = 0
    for cells in sheet.iter_rows(min_row=2):
        if (
            cells[column["project_id"]].value == world.alpha_project.pk
            and cells[column["indicator_id"]].value == f.trained.pk
            and not cells[column["combination"]].value
        ):
            cells[column["actual_value"]].value = 21
            filled += 1
    assert filled == 1
    data = io.BytesIO()
    book.save(data)
    status, page = _upload(client, world, SimpleUploadedFile("back.xlsx", data.getvalue()))
    assert status == 200 and "1 row saved" in page
    assert Actual.objects.get(project=world.alpha_project, combination=TOTAL).value == 21


def test_a_file_that_is_not_a_workbook_is_a_form_error(
    world: World, client_as: Callable[[str], Client]
) -> None:
    status, page = _upload(
        client_as("staff"), world, SimpleUploadedFile("actuals.xlsx", b"not a zip at all")
    )
    assert status == 400 and "not an XLSX workbook" in page
    status, page = _upload(client_as("staff"), world, _xlsx([], header=["something", "else"]))
    assert status == 400 and "lacks the columns" in page
    assert not Actual.objects.exists()


def test_members_and_strangers_cannot_import(
    world: World, client_as: Callable[[str], Client]
) -> None:
    url = reverse("results-import", args=[world.program.pk])
    assert client_as("member").get(url).status_code == 404
    assert client_as("partner").get(url).status_code == 200
    assert client_as("officer").get(url).status_code == 200

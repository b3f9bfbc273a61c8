"""Downloads: who gets which rows, formulas neutralised, streaming, and refused bad filters."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.http import FileResponse, StreamingHttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import World
from portal import exports
from progress.models import ChangeType
from reporting import aggregates
from tests import factories
from tests.security.payloads import FORMULA_PAYLOADS, PAYLOADS

CONFIDENTIAL = ("Hidden Rainbow Union", "Contact of Hidden Rainbow Union", "Izmir")


def _csv(response: Any, fmt: str = "csv") -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse), "a CSV download streams its rows"
    body = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[arg-type]
    assert body.startswith("\ufeff")
    delimiter = ";" if fmt == exports.SEMICOLON_CSV else ","
    return list(csv.reader(io.StringIO(body[1:]), delimiter=delimiter))


def _xlsx(response: Any) -> list[list[object]]:
    assert isinstance(response, FileResponse)
    content = b"".join(response.streaming_content)  # type: ignore[arg-type]
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.fixture
def counted(world: World) -> World:
    other = ChangeType.objects.get(code="other")
    for story in (world.alpha_story, world.beta_story, world.hidden_story):
        story.change_types.add(other)
    aggregates.rebuild_all()
    return world


@pytest.mark.parametrize("name", ["story-export", "activity-export", "report-figures-export"])
@pytest.mark.parametrize("role", ["officer", "partner", "partner2"])
def test_no_download_for_the_uncleared_holds_a_confidential_partner(
    counted: World, client_as: Callable[[str], Client], name: str, role: str
) -> None:
    factories.ActivityFactory.create(project=counted.hidden_project, place="Izmir")
    client = client_as(role)
    for fmt in exports.FORMATS:
        response = client.get(reverse(name, args=[fmt]))
        assert response.status_code == 200
        assert response["Cache-Control"] == "no-store"
        rows = _xlsx(response) if fmt == "xlsx" else _csv(response, fmt)
        text = repr(rows)
        for secret in CONFIDENTIAL:
            assert secret not in text, (name, fmt, secret)


def test_an_officer_gets_confidential_figures_under_pseudonym_and_region(
    counted: World, client_as: Callable[[str], Client]
) -> None:
    rows = _csv(client_as("officer").get(reverse("report-figures-export", args=["csv"])))
    header, body = rows[0], rows[1:]
    partner, country, region = (header.index(c) for c in ("Partner", "Country", "Region"))
    hidden = [row for row in body if row[partner] == counted.hidden.pseudonym]
    assert hidden and all(row[country] == "" for row in hidden)
    assert {row[region] for row in hidden} == {"Middle East and North Africa"}
    # Cleared staff get the name and the country.
    staff = _csv(client_as("staff").get(reverse("report-figures-export", args=["csv"])))
    assert any(row[partner] == counted.hidden.name for row in staff[1:])


def test_a_partner_downloads_only_its_own_stories(
    counted: World, client_as: Callable[[str], Client]
) -> None:
    rows = _csv(client_as("partner").get(reverse("story-export", args=["csv"])))
    partner = rows[0].index("Partner")
    assert {row[partner] for row in rows[1:]} == {counted.alpha.name}


def test_network_members_get_no_download(
    counted: World, client_as: Callable[[str], Client]
) -> None:
    client = client_as("member")
    for name in ("story-export", "activity-export", "report-figures-export"):
        assert client.get(reverse(name, args=["csv"])).status_code == 404


def test_every_cell_that_starts_like_a_formula_is_neutralised(
    world: World, client_as: Callable[[str], Client]
) -> None:
    # The whole bad-input corpus goes in: only the formula payloads need a prefix, and no
    # other payload may come out starting like a formula either.
    for _name, payload in PAYLOADS:
        title = payload if len(payload) <= 200 and "\x00" not in payload else "Long or NUL"
        factories.StoryFactory.create(
            partner=world.alpha, title=title, narrative=payload.replace("\x00", "")
        )
    client = client_as("staff")
    checked = 0
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("story-export", args=[fmt]))
        rows = _csv(response) if fmt == "csv" else _xlsx(response)
        for row in rows:
            for cell in row:
                if isinstance(cell, str) and cell:
                    checked += 1
                    assert not cell.startswith(exports.FORMULA_TRIGGERS), (fmt, cell)
        titles = {row[1] for row in rows[1:]}
        assert {f"'{payload}" for payload in FORMULA_PAYLOADS} <= titles
    print(f"exports: {len(PAYLOADS)} payloads in stories, {checked} text cells checked")


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "\n=1", '=HYPERLINK("http://x")'],
)
def test_neutralise_prefixes_each_formula_trigger(value: str) -> None:
    assert exports.neutralise(value) == "'" + value


def test_neutralise_keeps_numbers_and_dates_typed() -> None:
    import datetime as dt

    assert exports.neutralise(-5) == -5
    assert exports.neutralise(dt.date(2026, 1, 2)) == dt.date(2026, 1, 2)
    assert exports.neutralise(None) == ""
    assert exports.neutralise("a-b") == "a-b"


def test_a_download_with_a_bad_filter_is_refused_with_the_reason(
    counted: World, client_as: Callable[[str], Client]
) -> None:
    client = client_as("staff")
    response = client.get(reverse("story-export", args=["csv"]), {"status": "<script>"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    response = client.get(
        reverse("report-figures-export", args=["xlsx"]),
        {"month_from": "2026-05", "month_to": "2026-01"},
    )
    assert response.status_code == 400
    assert "The last month comes before the first." in response.content.decode()


def test_an_xlsx_too_large_to_build_points_to_csv(
    counted: World, client_as: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 2)
    response = client_as("staff").get(reverse("story-export", args=["xlsx"]), {"counted": "1"})
    assert response.status_code == 400
    assert reverse("story-export", args=["csv"]) + "?counted=1" in response.content.decode()


def test_the_semicolon_csv_opens_in_columns_in_excel_with_decimal_commas(
    counted: World, client_as: Callable[[str], Client]
) -> None:
    response = client_as("staff").get(reverse("activity-export", args=[exports.SEMICOLON_CSV]))
    body = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[attr-defined]
    header = body[1:].splitlines()[0]
    assert header.count(";") >= 3 and "," not in header
    lines = list(exports._csv_lines(["amount"], [[Decimal("1.5")]], delimiter=";"))
    assert lines[-1].strip() == "1,5"


def test_a_downloaded_file_is_named_after_the_list_the_day_and_the_filters(
    counted: World, client_as: Callable[[str], Client]
) -> None:
    client = client_as("officer")
    response = client.get(
        reverse("story-export", args=["csv"]),
        {"status": "verified", "partner": str(counted.alpha.pk), "event_date_after": "2026-01-01"},
    )
    disposition = response["Content-Disposition"]
    today = timezone.localdate().isoformat()
    assert f'filename="stories_{today}_' in disposition
    assert "status-verified" in disposition
    assert f"partner-{counted.alpha.pk}" in disposition
    assert "2026-01-01" in disposition
    # Ids, never names: a file name travels in e-mails.
    assert counted.alpha.name.split()[0] not in disposition

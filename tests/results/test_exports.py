"""The results downloads: what each role's file holds, its layout, and formula safety."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from conftest import World
from results.exports import COLUMNS, FIGURE_COLUMNS
from results.models import Measure
from tests.results import builders


def _content(response: Any) -> bytes:
    streaming = getattr(response, "streaming_content", None)
    return b"".join(streaming if streaming is not None else response)


def _rows(client: Client, url: str) -> list[dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Cache-Control"] == "no-store"
    text = _content(response).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _program_csv(world: World) -> str:
    return reverse("program-results-export", args=[world.program.pk, "csv"])


def _programme_total(
    rows: list[dict[str, str]], period_start: str = "2025-01-01"
) -> dict[str, str]:
    (row,) = [
        r
        for r in rows
        if not r["project_id"] and not r["combination"] and r["period_start"] == period_start
    ]
    return row


def test_staff_read_every_project_and_the_programme_rows(
    world: World, client_as: Callable[[str], Client]
) -> None:
    indicator = builders.world_framework(world)
    builders.actual(builders.period(indicator, 2026), world.alpha_project, 7, status="submitted")
    rows = _rows(client_as("staff"), _program_csv(world))
    total = _programme_total(rows)
    assert Decimal(total["target_value"]) == 100
    assert Decimal(total["actual_value"]) == 60  # 10 + 20 + 30, approved
    assert total["status"] == ""
    assert total["measure"] == "count" and total["direction"] == "increase"
    projects = {r["project"] for r in rows if r["project_id"]}
    assert projects == {
        p.title for p in (world.alpha_project, world.beta_project, world.hidden_project)
    }
    # The submitted 2026 figure is a project row with its status, never in the programme's.
    (submitted,) = [r for r in rows if r["status"] == "submitted"]
    assert submitted["project_id"] == str(world.alpha_project.pk)
    assert Decimal(submitted["actual_value"]) == 7
    assert _programme_total(rows, "2026-01-01")["actual_value"] == ""
    # A total not yet reported is a row too, to be filled in.
    beta_2026 = [
        r
        for r in rows
        if r["project_id"] == str(world.beta_project.pk) and r["period_start"] == "2026-01-01"
    ]
    assert len(beta_2026) == 1 and beta_2026[0]["actual_value"] == ""


def test_officers_count_a_confidential_partner_in_totals_but_never_meet_it(
    world: World, client_as: Callable[[str], Client]
) -> None:
    builders.world_framework(world)
    response = client_as("officer").get(_program_csv(world))
    text = _content(response).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert Decimal(_programme_total(rows)["actual_value"]) == 60
    assert str(world.hidden_project.pk) not in {r["project_id"] for r in rows}
    for secret in ("Hidden Rainbow", "Turkey", "Türkiye", "Izmir", world.hidden.pseudonym):
        assert secret not in text
    # Nor in the XLSX.
    workbook = load_workbook(
        io.BytesIO(_content(client_as("officer").get(_program_csv(world).replace(".csv", ".xlsx"))))
    )
    cells = " ".join(
        str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row
    )
    assert "Hidden Rainbow" not in cells and "Türkiye" not in cells
    hidden = reverse("project-results-export", args=[world.hidden_project.pk, "csv"])
    assert client_as("officer").get(hidden).status_code == 404


def test_partner_users_read_their_own_projects_only(
    world: World, client_as: Callable[[str], Client]
) -> None:
    builders.world_framework(world)
    response = client_as("partner").get(_program_csv(world))
    text = _content(response).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["project_id"] for r in rows} == {"", str(world.alpha_project.pk)}
    assert Decimal(_programme_total(rows)["actual_value"]) == 10  # its own, as on its page
    assert "Sindicato Beta" not in text and "Hidden" not in text
    other = reverse("project-results-export", args=[world.beta_project.pk, "csv"])
    assert client_as("partner").get(other).status_code == 404


def test_members_and_visitors_download_nothing(
    world: World, client_as: Callable[[str], Client]
) -> None:
    builders.world_framework(world)
    assert client_as("member").get(_program_csv(world)).status_code == 404
    response = Client().get(_program_csv(world))
    assert response.status_code == 302 and "login" in response["Location"]
    page = client_as("member").get(reverse("program-results", args=[world.program.pk]))
    assert _program_csv(world) not in page.content.decode()


def test_the_results_pages_link_their_downloads(
    world: World, client_as: Callable[[str], Client]
) -> None:
    builders.world_framework(world)
    page = client_as("staff").get(reverse("program-results", args=[world.program.pk]))
    assert _program_csv(world) in page.content.decode()
    project = client_as("partner").get(reverse("project-results", args=[world.alpha_project.pk]))
    url = reverse("project-results-export", args=[world.alpha_project.pk, "xlsx"])
    assert url in project.content.decode()


def test_a_project_file_holds_its_own_targets_and_the_programme_s_none(
    world: World, client_as: Callable[[str], Client]
) -> None:
    builders.world_framework(world)
    own = builders.indicator(
        world.program, title="Cooperatives registered", project=world.alpha_project
    )
    builders.target(builders.period(own), 4)
    builders.actual(builders.period(own), world.alpha_project, 3, status="returned")
    url = reverse("project-results-export", args=[world.alpha_project.pk, "csv"])
    rows = _rows(client_as("partner"), url)
    assert {r["project_id"] for r in rows} == {str(world.alpha_project.pk)}
    programme = [r for r in rows if r["indicator"] == "People trained"]
    assert programme and all(r["target_value"] == "" for r in programme)
    (own_2025,) = [
        r
        for r in rows
        if r["indicator"] == "Cooperatives registered" and r["period_start"] == "2025-01-01"
    ]
    assert Decimal(own_2025["target_value"]) == 4
    assert Decimal(own_2025["actual_value"]) == 3 and own_2025["status"] == "returned"


def test_disaggregations_read_as_one_column_per_dimension(
    world: World, client_as: Callable[[str], Client]
) -> None:
    d = builders.dimensions()
    indicator = builders.world_framework(world)
    indicator.dimensions.set([d.sex, d.age])
    first = builders.period(indicator)
    builders.actual(first, world.alpha_project, 6, values=(d.women, d.youth))
    builders.actual(first, world.alpha_project, 4, values=(d.men, d.youth))
    rows = _rows(client_as("staff"), _program_csv(world))
    header = list(rows[0])
    assert header[: len(COLUMNS)] == [key for key, _label in COLUMNS]
    assert header[-len(FIGURE_COLUMNS) :] == [key for key, _label in FIGURE_COLUMNS]
    assert {"dimension_sex", "dimension_age"} <= set(header)
    women = [r for r in rows if r["dimension_sex"] == "Women" and not r["project_id"]]
    assert len(women) == 1
    assert women[0]["dimension_age"] == "Youth (15 to 29)"
    assert Decimal(women[0]["actual_value"]) == 6
    alpha = [
        r
        for r in rows
        if r["project_id"] == str(world.alpha_project.pk) and r["period_start"] == "2025-01-01"
    ]
    # The total first, then the parts in the order of their values.
    assert [r["dimension_sex"] for r in alpha] == ["", "Women", "Men"]


def test_a_percentage_is_computed_from_its_parts(
    world: World, client_as: Callable[[str], Client]
) -> None:
    indicator = builders.indicator(
        world.program,
        measure=Measure.PERCENTAGE,
        title="Groups with a woman in the lead",
        projects=[world.alpha_project, world.beta_project],
        baseline_numerator=Decimal(1),
        baseline_denominator=Decimal(8),
    )
    first = builders.period(indicator)
    builders.actual(first, world.alpha_project, numerator=9, denominator=10)
    builders.actual(first, world.beta_project, numerator=100, denominator=1000)
    rows = _rows(client_as("staff"), _program_csv(world))
    total = _programme_total(rows)
    assert Decimal(total["actual_numerator"]) == 109
    assert Decimal(total["actual_denominator"]) == 1010
    assert total["actual_percentage"] == "10.79"
    assert total["baseline_percentage"] == "12.50"


@pytest.mark.parametrize("fmt", ["csv", "semicolon.csv", "xlsx"])
def test_a_title_that_looks_like_a_formula_comes_out_inert(
    world: World, client_as: Callable[[str], Client], fmt: str
) -> None:
    builders.indicator(
        world.program,
        title='=HYPERLINK("http://evil.example","Click")',
        projects=[world.alpha_project],
    )
    response = client_as("staff").get(
        reverse("program-results-export", args=[world.program.pk, fmt])
    )
    assert response.status_code == 200
    if fmt == "xlsx":
        workbook = load_workbook(io.BytesIO(_content(response)))
        assert workbook.sheetnames == ["Results", "Labels"]
        titles = {row[5] for row in workbook["Results"].iter_rows(min_row=2, values_only=True)}
        assert titles == {'\'=HYPERLINK("http://evil.example","Click")'}
        labels = dict(workbook["Labels"].iter_rows(min_row=2, values_only=True))
        assert labels["actual_percentage"] == "Actual in per cent"
    else:
        text = _content(response).decode("utf-8-sig")
        assert "'=HYPERLINK" in text
        assert not any(
            line.startswith("=") or ",=" in line or ";=" in line for line in text.splitlines()
        )

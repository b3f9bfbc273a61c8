"""The ledger's pages: who sees which rows, a member reports a collection and staff confirm it,
staff record and correct rows, the downloads are formula-safe and the import saves a file whole
or names every bad row and saves nothing."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from conftest import World
from solidarity.exports import COLUMNS
from solidarity.models import Contribution
from tests import factories

TODAY = dt.date.today()
URL = "/contributions/"


def _ours(world: World) -> Any:
    return world.users["member"].member_organisation


def test_staff_see_the_ledger_members_their_own_others_nothing(
    world: World, client_as: Callable[[str], Client]
) -> None:
    ours = factories.ContributionFactory.create(
        member_organisation=_ours(world), amount_sek=Decimal(1234), network=world.network
    )
    theirs = factories.ContributionFactory.create(amount_sek=Decimal(4321))
    donor = factories.ContributionFactory.create(
        member_organisation=None, donor_name="Gunilla Privat", amount_sek=Decimal(999)
    )
    staff = client_as("staff").get(URL).content.decode()
    for row in (ours, theirs, donor):
        assert f'data-contribution="{row.pk}"' in staff
    member = client_as("member").get(URL)
    assert member.status_code == 200
    page = member.content.decode()
    assert f'data-contribution="{ours.pk}"' in page
    assert "4,321" not in page and "Gunilla Privat" not in page
    for role in ("partner", "secret"):
        assert client_as(role).get(URL).status_code == 404
    assert Client().get(URL).status_code == 302


def test_a_member_reports_a_collection_and_staff_confirm_it(
    world: World, client_as: Callable[[str], Client]
) -> None:
    member = client_as("member")
    form = member.get("/contributions/report/").content.decode()
    assert "One-off gift" not in form  # members report collections and study circles only
    response = member.post(
        "/contributions/report/",
        {
            "kind": "collection",
            "member_organisation": _ours(world).pk,
            "date": TODAY.isoformat(),
            "amount_sek": "2 450",
            "network": world.network.pk,
            "note": "Collected at the spring meeting",
        },
    )
    assert response.status_code == 400  # "2 450" is not a number: said, nothing saved
    assert not Contribution.objects.exists()
    response = member.post(
        "/contributions/report/",
        {
            "kind": "collection",
            "member_organisation": _ours(world).pk,
            "date": TODAY.isoformat(),
            "amount_sek": "2450",
            "network": world.network.pk,
            "note": "Collected at the spring meeting",
        },
    )
    assert response.status_code == 302
    reported = Contribution.objects.get()
    assert reported.status == Contribution.Status.REPORTED
    assert reported.reported_by == world.users["member"]
    page = member.get(URL).content.decode()
    assert "Your reports waiting for staff" in page
    assert ">0<" in page.split('data-testid="received-sek"')[1][:30]  # not counted yet

    staff = client_as("staff")
    assert "Reported by members, waiting for you" in staff.get(URL).content.decode()
    # A member cannot confirm their own report.
    assert (
        member.post(f"/contributions/{reported.pk}/decide/", {"action": "confirm"}).status_code
        == 404
    )
    assert (
        staff.post(f"/contributions/{reported.pk}/decide/", {"action": "confirm"}).status_code
        == 302
    )
    reported.refresh_from_db()
    assert reported.status == Contribution.Status.CONFIRMED
    assert reported.decided_by == world.users["staff"]
    assert ">2,450<" in member.get(URL).content.decode().split('data-testid="received-sek"')[1][:30]
    # Deciding twice says so.
    again = staff.post(f"/contributions/{reported.pk}/decide/", {"action": "decline"}, follow=True)
    assert "confirmed or declined already" in again.content.decode()


def test_a_member_reports_only_for_its_own_units(
    world: World, client_as: Callable[[str], Client]
) -> None:
    other = factories.MemberOrganisationFactory.create()
    response = client_as("member").post(
        "/contributions/report/",
        {
            "kind": "study_circle",
            "member_organisation": other.pk,
            "date": TODAY.isoformat(),
            "hours": "10",
            "network": world.network.pk,
        },
    )
    assert response.status_code == 400
    assert not Contribution.objects.exists()


def test_staff_record_a_pledge_and_its_payment(
    world: World, client_as: Callable[[str], Client]
) -> None:
    staff = client_as("staff")
    response = staff.post(
        "/contributions/new/",
        {
            "kind": "monthly",
            "date": "2026-01-25",
            "ends_on": "2025-12-25",
            "member_organisation": _ours(world).pk,
            "amount_sek": "500",
            "network": world.network.pk,
        },
    )
    assert response.status_code == 400
    assert "A pledge ends after it starts." in response.content.decode()
    response = staff.post(
        "/contributions/new/",
        {
            "kind": "monthly",
            "date": "2026-01-25",
            "member_organisation": _ours(world).pk,
            "amount_sek": "500",
            "network": world.network.pk,
        },
    )
    assert response.status_code == 302
    pledge = Contribution.objects.get()
    response = staff.post(
        "/contributions/new/",
        {
            "kind": "pledge_payment",
            "date": "2026-02-25",
            "pledge": pledge.pk,
            "donor_name": "Somebody else",  # taken from the pledge instead
            "amount_sek": "500",
            "program": world.program.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    payment = Contribution.objects.get(kind="pledge_payment")
    assert payment.member_organisation == pledge.member_organisation
    assert payment.donor_name == "" and payment.network == world.network
    assert client_as("member").get("/contributions/new/").status_code == 404


def test_the_download_is_formula_safe_and_reads_back(
    world: World, client_as: Callable[[str], Client]
) -> None:
    row = factories.ContributionFactory.create(
        member_organisation=_ours(world), note="=HYPERLINK(1)", network=world.network
    )
    response = client_as("staff").get("/contributions/download.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active  # type: ignore[attr-defined]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == COLUMNS
    assert rows[1][0] == row.pk and rows[1][-1] == "'=HYPERLINK(1)"
    csv = client_as("member").get("/contributions/download.csv")
    assert csv.status_code == 200
    assert client_as("partner").get("/contributions/download.csv").status_code == 404


def _workbook(*rows: dict[str, Any]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([row.get(column) for column in COLUMNS])
    content = io.BytesIO()
    book.save(content)
    return SimpleUploadedFile(
        "contributions.xlsx",
        content.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def test_the_import_names_every_bad_row_and_saves_nothing_then_saves_the_fixed_file(
    world: World, client_as: Callable[[str], Client]
) -> None:
    existing = factories.ContributionFactory.create(
        member_organisation=_ours(world), amount_sek=Decimal(100), network=world.network
    )
    good = {
        "date": "2026-03-01",
        "kind": "gift",
        "member_organisation": _ours(world).name,
        "amount_sek": 250,
        "network": world.network.name,
    }
    staff = client_as("staff")
    response = staff.post(
        "/contributions/import/",
        {
            "workbook": _workbook(
                good,
                {**good, "kind": "a goat"},
                {**good, "amount_sek": None},
                {**good, "network": "No such network"},
                {**good, "donor_name": "Both given"},
                {**good, "date": "yesterday"},
                {"id": 999999, **good},
            )
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count('<tr><th scope="row"') == 6
    for number in range(3, 9):
        assert f'<th scope="row" class="number fw-normal">{number}</th>' in page
    assert Contribution.objects.count() == 1  # the good row waits for the rest

    response = staff.post(
        "/contributions/import/",
        {
            "workbook": _workbook(
                good,
                {**good, "kind": "Workplace collection", "amount_sek": "75.50"},
                {
                    "id": existing.pk,
                    "date": existing.date.isoformat(),
                    "kind": "collection",
                    "member_organisation": _ours(world).name,
                    "amount_sek": 150,
                    "network": world.network.name,
                },
            )
        },
    )
    assert response.status_code == 200, response.content.decode()[-3000:]
    assert "2 new, 1 corrected, 0 unchanged" in response.content.decode()
    existing.refresh_from_db()
    assert existing.amount_sek == Decimal(150)
    assert Contribution.objects.filter(kind="collection", amount_sek=Decimal("75.50")).exists()
    assert client_as("member").get("/contributions/import/").status_code == 404


@pytest.mark.parametrize("content", [b"not a workbook", b""])
def test_the_import_refuses_what_is_not_a_workbook(
    world: World, client_as: Callable[[str], Client], content: bytes
) -> None:
    upload = SimpleUploadedFile("x.xlsx", content)
    response = client_as("staff").post("/contributions/import/", {"workbook": upload})
    assert response.status_code == 400
    assert not Contribution.objects.exists()


def test_a_bad_period_is_a_message(world: World, client_as: Callable[[str], Client]) -> None:
    response = client_as("staff").get(URL, {"start": "2026-05-01", "end": "2026-01-01"})
    assert response.status_code == 400
    assert "The period ends before it starts." in response.content.decode()
    response = client_as("staff").get("/contributions/download.csv", {"start": "nonsense"})
    assert response.status_code == 400


LEDGER_QUERIES = 14


def test_the_ledger_page_reads_a_fixed_number_of_queries(
    world: World,
    client_as: Callable[[str], Client],
    django_assert_num_queries: Any,
) -> None:
    staff = client_as("staff")
    factories.ContributionFactory.create(member_organisation=_ours(world), network=world.network)
    with django_assert_num_queries(LEDGER_QUERIES):
        staff.get(URL)
    for _number in range(5):
        pledge = factories.ContributionFactory.create(
            kind=Contribution.Kind.MONTHLY_PLEDGE, date=TODAY.replace(day=1)
        )
        factories.ContributionFactory.create(
            kind=Contribution.Kind.PLEDGE_PAYMENT,
            pledge=pledge,
            member_organisation=pledge.member_organisation,
            network=pledge.network,
        )
    with django_assert_num_queries(LEDGER_QUERIES):
        staff.get(URL)

"""The report page, the review, the evidence download and the unlock, per role; where reports
show (the partner's page, the staff dashboard, the project's results page)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from conftest import World
from portal.models import AccessLog
from programs.models import Project
from progress import attachments
from results.models import TOTAL, Actual, Report, ReportAttachment, ReportEvent
from results.reports import evidence
from results.reports import services as reports
from tests.results import builders
from tests.results.test_reports import END, START, _entries

SPAN = "2025"


def _url(project: Project, name: str = "result-report", span: str = SPAN) -> str:
    return reverse(name, args=[project.pk, span])


def _fields(framework: builders.ReportFramework, **overrides: str) -> dict[str, str]:
    d = framework.dimensions
    trained, share, voice = framework.periods()
    data = {
        f"p{trained.pk}-total-value": "10",
        f"p{trained.pk}-{d.women.pk}-value": "6",
        f"p{trained.pk}-{d.men.pk}-value": "4",
        f"p{share.pk}-total-numerator": "3",
        f"p{share.pk}-total-denominator": "4",
        f"p{voice.pk}-comment": "They speak first now.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def framework(world: World) -> builders.ReportFramework:
    return builders.report_framework(world)


def test_each_role_meets_the_page_it_may_open(
    world: World, framework: builders.ReportFramework, client_as: Callable[[str], Client]
) -> None:
    own, hidden = _url(world.alpha_project), _url(world.hidden_project)
    page = client_as("partner").get(own)
    assert page.status_code == 200
    assert 'data-testid="report-form"' in page.content.decode()
    for role, url in (
        ("partner2", own),
        ("member", own),
        ("officer", hidden),
        ("partner", hidden),
    ):
        assert client_as(role).get(url).status_code == 404, role
    assert client_as("officer").get(own).status_code == 200
    assert client_as("staff").get(hidden).status_code == 200
    assert AccessLog.objects.filter(
        object_type="programs.project", object_id=str(world.hidden_project.pk)
    ).exists()
    anonymous = Client().get(own)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    # A span nobody reports on, or that is no span at all.
    assert client_as("partner").get(_url(world.alpha_project, span="2024")).status_code == 404
    assert client_as("partner").get(_url(world.alpha_project, span="2025-h3")).status_code == 404


def test_the_partner_submits_staff_return_the_partner_answers_staff_approve(
    world: World, framework: builders.ReportFramework, client_as: Callable[[str], Client]
) -> None:
    partner, staff = client_as("partner"), client_as("staff")
    url = _url(world.alpha_project)
    response = partner.post(url, {**_fields(framework), "submit": ""})
    assert response.status_code == 302
    report = Report.objects.get(project=world.alpha_project)
    assert report.status == "submitted"
    page = staff.get(url).content.decode()
    assert "Return with a question" in page and 'data-testid="report-form"' not in page
    review = _url(world.alpha_project, "result-report-review")
    refused = staff.post(review, {"action": "returned", "comment": ""})
    assert refused.status_code == 200
    assert "Write the question for the partner." in refused.content.decode()
    assert partner.post(review, {"action": "approved"}).status_code == 404
    staff.post(review, {"action": "returned", "comment": "Were the men counted twice?"})
    page = partner.get(url).content.decode()
    assert "Were the men counted twice?" in page
    assert "Your answer to the question" in page
    partner.post(url, {**_fields(framework), "message": "No, they were not.", "submit": ""})
    staff.post(review, {"action": "approved"})
    report.refresh_from_db()
    assert report.status == "approved"
    page = partner.get(url).content.decode()
    assert 'data-testid="report-form"' not in page
    assert "No, they were not." in page and "Approved" in page
    # Locked: a post changes nothing and says why.
    total = Actual.objects.get(
        project=world.alpha_project,
        combination=TOTAL,
        value__isnull=False,
        period=framework.periods()[0],
    )
    changed = _fields(framework, **{f"p{framework.periods()[0].pk}-total-value": "99"})
    locked = partner.post(url, {**changed, "save": ""}, follow=True)
    assert "An approved report is locked." in locked.content.decode()
    assert 'data-testid="report-form"' not in locked.content.decode()
    total.refresh_from_db()
    assert total.value == 10


def test_parts_that_do_not_add_up_come_back_as_a_form_error(
    world: World, framework: builders.ReportFramework, client_as: Callable[[str], Client]
) -> None:
    trained = framework.periods()[0]
    women = f"p{trained.pk}-{framework.dimensions.women.pk}-value"
    response = client_as("partner").post(
        _url(world.alpha_project), {**_fields(framework, **{women: "5"}), "submit": ""}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "error-summary" in page
    assert "The parts add up to 9; the total is 10" in page
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("total-value", "2.5", "A count is a whole number"),
        ("total-value", "ten", "Enter a number."),
        ("share-numerator", "5", "The numerator lies between zero and the denominator."),
        ("stories", "S-NOSUCH", "No story of this partner that you may see"),
        # More citations than a report takes: said, never cut short unseen.
        ("stories", " ".join(f"S-{n:06d}" for n in range(21)), "Name at most 20 stories"),
    ],
)
def test_bad_input_is_a_form_error_and_writes_nothing(
    world: World,
    framework: builders.ReportFramework,
    client_as: Callable[[str], Client],
    field: str,
    value: str,
    message: str,
) -> None:
    trained, share, _voice = framework.periods()
    name = {
        "total-value": f"p{trained.pk}-total-value",
        "share-numerator": f"p{share.pk}-total-numerator",
        "stories": f"p{trained.pk}-stories",
    }[field]
    response = client_as("partner").post(
        _url(world.alpha_project), {**_fields(framework, **{name: value}), "save": ""}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Report.objects.exists() and not Actual.objects.exists()


def test_a_foreign_or_unverified_story_cannot_be_cited(
    world: World, framework: builders.ReportFramework, client_as: Callable[[str], Client]
) -> None:
    trained = framework.periods()[0]
    name = f"p{trained.pk}-stories"
    partner = client_as("partner")
    response = partner.post(
        _url(world.alpha_project), {**_fields(framework, **{name: world.beta_story.reference})}
    )
    assert "No story of this partner" in response.content.decode()
    world.alpha_story.status = "submitted"
    world.alpha_story.save()
    response = partner.post(
        _url(world.alpha_project), {**_fields(framework, **{name: world.alpha_story.reference})}
    )
    assert "Only verified stories may be cited" in response.content.decode()
    assert not Report.objects.exists()


def _png() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (16, 12), (10, 120, 40)).save(output, "PNG")
    return output.getvalue()


def test_evidence_is_checked_on_upload_and_served_to_those_who_see_the_report(
    world: World,
    framework: builders.ReportFramework,
    client_as: Callable[[str], Client],
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    trained = framework.periods()[0]
    files = f"p{trained.pk}-files"
    partner = client_as("partner")
    fake = io.BytesIO(b"MZ\x90\x00 not a picture")
    fake.name = "list.png"
    refused = partner.post(_url(world.alpha_project), {**_fields(framework), files: fake})
    assert refused.status_code == 200
    assert "errorlist" in refused.content.decode() or "invalid-feedback" in refused.content.decode()
    assert not ReportAttachment.objects.exists()
    photo = io.BytesIO(_png())
    photo.name = "participants.png"
    partner.post(
        _url(world.alpha_project),
        {
            **_fields(framework, **{f"p{trained.pk}-stories": world.alpha_story.reference}),
            files: photo,
        },
    )
    attachment = ReportAttachment.objects.get()
    download = reverse("result-evidence", args=[attachment.pk])
    page = partner.get(_url(world.alpha_project)).content.decode()
    assert download in page and world.alpha_story.reference in page
    served = partner.get(download)
    assert served.status_code == 200
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Cache-Control"] == "private, no-store"
    for role in ("partner2", "member"):
        assert client_as(role).get(download).status_code == 404
    assert client_as("officer").get(download).status_code == 200
    hidden = reports.report_save(
        actor=world.users["secret"],
        project=world.hidden_project,
        start=START,
        end=END,
        entries=_entries(framework),
    )
    entry = hidden.entries.get(period=trained)
    hidden_file = evidence.store(
        entry, attachments.process_upload(SimpleUploadedFile("x.png", _png()))
    )
    hidden_url = reverse("result-evidence", args=[hidden_file.pk])
    assert client_as("officer").get(hidden_url).status_code == 404
    assert client_as("staff").get(hidden_url).status_code == 200


def test_reports_due_show_on_the_partners_page_returned_first(
    world: World, framework: builders.ReportFramework, client_as: Callable[[str], Client]
) -> None:
    other = builders.indicator(world.program, projects=[world.alpha_project], years=(2024,))
    assert other.periods.exists()
    report = reports.report_save(
        actor=world.users["partner"],
        project=world.alpha_project,
        start=START,
        end=END,
        entries=_entries(framework),
        submit=True,
    )
    reports.report_review(
        actor=world.users["staff"], report=report, action="returned", comment="Check the men."
    )
    page = client_as("partner").get(reverse("partner-detail", args=[world.alpha.pk]))
    body = page.content.decode()
    assert 'data-testid="reports-due"' in body
    # Only its own projects: the programme's indicators are reported on by others too.
    assert "Sindicato Beta" not in body and "Hidden" not in body
    assert _url(world.beta_project) not in body
    returned_at = body.index(_url(world.alpha_project))
    assert returned_at < body.index(_url(world.alpha_project, span="2024"))
    staff_view = client_as("staff").get(reverse("partner-detail", args=[world.alpha.pk]))
    assert 'data-testid="reports-due"' not in staff_view.content.decode()


def test_submitted_reports_wait_on_the_dashboard_of_staff_who_may_review_them(
    world: World, framework: builders.ReportFramework, client_as: Callable[[str], Client]
) -> None:
    for user, project in (("partner", world.alpha_project), ("secret", world.hidden_project)):
        reports.report_save(
            actor=world.users[user],
            project=project,
            start=START,
            end=END,
            entries=_entries(framework),
            submit=True,
        )
    staff = client_as("staff").get(reverse("dashboard")).content.decode()
    assert _url(world.alpha_project) in staff and _url(world.hidden_project) in staff
    officer = client_as("officer").get(reverse("dashboard")).content.decode()
    assert _url(world.alpha_project) in officer
    assert _url(world.hidden_project) not in officer
    assert "Hidden Rainbow" not in officer


def test_the_project_results_page_links_each_period_to_its_report(
    world: World, framework: builders.ReportFramework, client_as: Callable[[str], Client]
) -> None:
    reports.report_save(
        actor=world.users["partner"],
        project=world.alpha_project,
        start=START,
        end=END,
        entries=_entries(framework),
        submit=True,
    )
    page = client_as("partner").get(reverse("project-results", args=[world.alpha_project.pk]))
    body = page.content.decode()
    assert _url(world.alpha_project) in body
    assert "submitted" in body.split('data-testid="project-reports"')[1]


def test_cleared_staff_unlock_an_approved_report_in_the_admin_with_a_reason(
    world: World, framework: builders.ReportFramework, client_as: Callable[[str], Client]
) -> None:
    report = reports.report_save(
        actor=world.users["partner"],
        project=world.alpha_project,
        start=START,
        end=END,
        entries=_entries(framework),
        submit=True,
    )
    reports.report_review(actor=world.users["staff"], report=report, action="approved")
    url = reverse("admin:results_report_unlock", args=[report.pk])
    assert client_as("officer").get(url).status_code == 404
    assert client_as("officer").post(url, {"reason": "Typo."}).status_code == 404
    admin = client_as("staff")
    change = admin.get(reverse("admin:results_report_change", args=[report.pk]))
    assert change.status_code == 200 and url in change.content.decode()
    refused = admin.post(url, {"reason": ""})
    assert refused.status_code == 200 and "errorlist" in refused.content.decode()
    report.refresh_from_db()
    assert report.status == "approved"
    done = admin.post(url, {"reason": "The total has a typo."})
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.status == "returned"
    event = ReportEvent.objects.filter(report=report).last()
    assert event is not None and (event.action, event.comment) == (
        "unlocked",
        "The total has a typo.",
    )
    assert set(
        Actual.objects.filter(project=world.alpha_project).values_list("status", flat=True)
    ) == {"returned"}
    assert Actual.objects.filter(combination=TOTAL).exists()

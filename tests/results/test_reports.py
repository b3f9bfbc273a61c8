"""Reporting actuals (issue #13, step 2): the services — every step and its history, who may
take it, the lock and the unlock, evidence, totals against their parts, bad input."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from conftest import World
from programs.models import Project
from progress import attachments
from progress.models import ChangeStory
from results import selectors, services
from results.models import TOTAL, Actual, Report, ReportAttachment, ReportEvent
from results.reports import services as reports
from results.reports.services import EntryInput, FigureInput
from tests import factories
from tests.results import builders

START, END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


def _entries(
    framework: builders.ReportFramework,
    *,
    total: int = 10,
    women: int | None = 6,
    men: int | None = 4,
    share: tuple[int, int] | None = (3, 4),
    voice: str = "They speak first now.",
    **extra: Any,
) -> list[EntryInput]:
    d = framework.dimensions
    trained, share_period, voice_period = framework.periods()
    figures = [FigureInput(TOTAL, value=Decimal(total))]
    for value, number in ((d.women, women), (d.men, men)):
        if number is not None:
            figures.append(FigureInput(str(value.pk), value=Decimal(number)))
    return [
        EntryInput(period=trained, figures=figures, **extra),
        EntryInput(
            period=share_period,
            figures=[]
            if share is None
            else [FigureInput(TOTAL, numerator=Decimal(share[0]), denominator=Decimal(share[1]))],
        ),
        EntryInput(period=voice_period, comment=voice),
    ]


def _save(actor: Any, project: Project, entries: list[EntryInput], **options: Any) -> Report:
    return reports.report_save(
        actor=actor, project=project, start=START, end=END, entries=entries, **options
    )


def _history(report: Report) -> list[tuple[str, str, str]]:
    return list(
        ReportEvent.objects.filter(report=report).values_list(
            "action", "to_status", "actor__username"
        )
    )


def _counted(world: World) -> set[int]:
    return set(selectors.counted_actuals(world.users["staff"]).values_list("pk", flat=True))


def test_a_report_goes_from_draft_to_approved_with_every_step_in_its_history(
    world: World,
) -> None:
    framework = builders.report_framework(world)
    partner, staff = world.users["partner"], world.users["staff"]
    report = _save(partner, world.alpha_project, _entries(framework))
    assert report.status == Report.Status.DRAFT
    actuals = Actual.objects.filter(project=world.alpha_project)
    assert actuals.count() == 4  # trained: total, women, men; the share's total
    assert set(actuals.values_list("status", flat=True)) == {"draft"}
    report = _save(partner, world.alpha_project, [], submit=True)
    assert report.status == Report.Status.SUBMITTED
    with pytest.raises(ValidationError) as error:
        reports.report_review(actor=staff, report=report, action="returned")
    assert "comment" in error.value.message_dict
    reports.report_review(
        actor=staff, report=report, action="returned", comment="Were the men counted twice?"
    )
    assert set(actuals.values_list("status", flat=True)) == {"returned"}
    report = _save(
        partner,
        world.alpha_project,
        _entries(framework, total=9, women=6, men=3),
        submit=True,
        message="Yes: one man took two courses.",
    )
    assert report.status == Report.Status.SUBMITTED
    assert not _counted(world) & set(actuals.values_list("pk", flat=True))
    reports.report_review(actor=staff, report=report, action="approved")
    assert set(actuals.values_list("status", flat=True)) == {"approved"}
    assert set(actuals.values_list("pk", flat=True)) <= _counted(world)
    assert _history(report) == [
        ("saved", "draft", "partner"),
        ("submitted", "submitted", "partner"),
        ("returned", "returned", "staff"),
        ("resubmitted", "submitted", "partner"),
        ("approved", "approved", "staff"),
    ]
    events = ReportEvent.objects.filter(report=report)
    assert events.get(action="returned").comment == "Were the men counted twice?"
    assert events.get(action="resubmitted").comment == "Yes: one man took two courses."
    assert actuals.get(combination=TOTAL, period=framework.periods()[0]).value == 9


def test_an_approved_report_is_locked_until_unlocked_with_a_reason(world: World) -> None:
    framework = builders.report_framework(world)
    partner, staff = world.users["partner"], world.users["staff"]
    report = _save(partner, world.alpha_project, _entries(framework), submit=True)
    report = reports.report_review(actor=staff, report=report, action="approved")
    with pytest.raises(ValidationError):
        _save(partner, world.alpha_project, _entries(framework, total=12, women=8))
    with pytest.raises(ValidationError):
        _save(staff, world.alpha_project, [], submit=True)
    total = Actual.objects.get(
        project=world.alpha_project, period=framework.periods()[0], combination=TOTAL
    )
    total.value = Decimal(99)
    with pytest.raises(ValidationError):
        services.actual_save(actor=staff, actual=total)
    with pytest.raises(ValidationError):
        services.actual_delete(actor=staff, actual=total)
    total.refresh_from_db()
    assert total.value == 10
    with pytest.raises(ValidationError):
        reports.report_review(actor=staff, report=report, action="returned", comment="Why?")
    for refused in ("officer", "partner"):
        with pytest.raises(PermissionDenied):
            reports.report_unlock(actor=world.users[refused], report=report, reason="A typo.")
    with pytest.raises(ValidationError) as error:
        reports.report_unlock(actor=staff, report=report, reason="  ")
    assert "reason" in error.value.message_dict
    report = reports.report_unlock(actor=staff, report=report, reason="The total has a typo.")
    assert report.status == Report.Status.RETURNED
    assert total.pk not in _counted(world)
    event = ReportEvent.objects.filter(report=report).last()
    assert event is not None
    assert (event.action, event.from_status, event.comment) == (
        "unlocked",
        "approved",
        "The total has a typo.",
    )
    with pytest.raises(ValidationError):
        reports.report_unlock(actor=staff, report=report, reason="Again.")
    _save(partner, world.alpha_project, _entries(framework, total=11, women=7), submit=True)
    total.refresh_from_db()
    assert (total.value, total.status) == (11, "submitted")


def test_only_the_partners_own_users_and_the_staff_who_see_the_project_enter_figures(
    world: World,
) -> None:
    framework = builders.report_framework(world)
    entries = _entries(framework)
    for role, project in (
        ("partner2", world.alpha_project),
        ("partner", world.hidden_project),
        ("officer", world.hidden_project),
        ("member", world.alpha_project),
    ):
        with pytest.raises(PermissionDenied):
            _save(world.users[role], project, entries)
    assert not Report.objects.exists() and not Actual.objects.exists()
    _save(world.users["secret"], world.hidden_project, _entries(framework))
    _save(world.users["officer"], world.beta_project, _entries(framework))
    _save(world.users["staff"], world.hidden_project, _entries(framework, total=11, women=7))
    # A period of an indicator the project does not report on is not the project's to fill.
    other = builders.indicator(world.program, projects=[world.beta_project], years=(2025,))
    with pytest.raises(PermissionDenied):
        _save(
            world.users["partner"],
            world.alpha_project,
            [EntryInput(builders.period(other), [FigureInput(TOTAL, value=Decimal(1))])],
        )


def test_only_staff_who_see_the_project_review_a_submitted_report(world: World) -> None:
    framework = builders.report_framework(world)
    hidden = _save(world.users["secret"], world.hidden_project, _entries(framework))
    with pytest.raises(ValidationError):  # a draft is not reviewed
        reports.report_review(actor=world.users["staff"], report=hidden, action="approved")
    hidden = _save(world.users["secret"], world.hidden_project, [], submit=True)
    for role in ("officer", "secret", "partner", "member"):
        with pytest.raises(PermissionDenied):
            reports.report_review(actor=world.users[role], report=hidden, action="approved")
    with pytest.raises(ValidationError):
        reports.report_review(actor=world.users["staff"], report=hidden, action="verified")
    reports.report_review(actor=world.users["staff"], report=hidden, action="approved")


def test_a_submit_whose_parts_do_not_add_up_says_which_and_by_how_much(world: World) -> None:
    framework = builders.report_framework(world)
    partner = world.users["partner"]
    # A draft may disagree for a while: figures are entered bit by bit.
    _save(partner, world.alpha_project, _entries(framework, total=10, women=6, men=3))
    with pytest.raises(ValidationError) as error:
        _save(partner, world.alpha_project, [], submit=True)
    message = " ".join(error.value.messages)
    assert "People trained (2025)" in message
    assert "The parts add up to 9; the total is 10" in message
    report = Report.objects.get()
    assert report.status == Report.Status.DRAFT
    assert not ReportEvent.objects.filter(action="submitted").exists()
    # Without parts a total stands alone.
    _save(partner, world.alpha_project, _entries(framework, women=None, men=None), submit=True)


def test_a_submit_needs_every_total_and_a_qualitative_account(world: World) -> None:
    framework = builders.report_framework(world)
    with pytest.raises(ValidationError) as error:
        _save(
            world.users["partner"],
            world.alpha_project,
            _entries(framework, share=None, voice=""),
            submit=True,
        )
    message = " ".join(error.value.messages)
    assert "Groups led by a woman (2025): Give the total." in message
    assert "How women describe their voice (2025): Write what was achieved." in message
    # Nothing half-written: the refused submit left no report and no figure.
    assert not Report.objects.exists() and not Actual.objects.exists()


@pytest.mark.parametrize(
    ("figure", "expected"),
    [
        ({"value": Decimal("2.5")}, "whole number"),
        ({"value": Decimal(-1)}, "whole number"),
        ({"numerator": Decimal(1)}, "numerator"),
    ],
)
def test_a_figure_that_does_not_fit_is_refused_by_name(
    world: World, figure: dict[str, Decimal], expected: str
) -> None:
    framework = builders.report_framework(world)
    entries = [EntryInput(framework.periods()[0], [FigureInput(TOTAL, **figure)])]
    with pytest.raises(ValidationError) as error:
        _save(world.users["partner"], world.alpha_project, entries)
    assert "People trained (2025)" in " ".join(error.value.messages)
    assert expected in " ".join(error.value.messages)
    assert not Report.objects.exists()


def test_percentage_parts_add_up_by_numerator_and_denominator(world: World) -> None:
    framework = builders.report_framework(world)
    framework.share.dimensions.set([framework.dimensions.sex])
    d = framework.dimensions
    _trained, share, _voice = framework.periods()
    entries = _entries(framework)
    entries[1] = EntryInput(
        share,
        [
            FigureInput(TOTAL, numerator=Decimal(3), denominator=Decimal(4)),
            FigureInput(str(d.women.pk), numerator=Decimal(2), denominator=Decimal(2)),
            FigureInput(str(d.men.pk), numerator=Decimal(1), denominator=Decimal(3)),
        ],
    )
    with pytest.raises(ValidationError) as error:
        _save(world.users["partner"], world.alpha_project, entries, submit=True)
    assert "3 of 5; the total is 3 of 4" in " ".join(error.value.messages)


def _png(name: str = "list.png") -> attachments.ProcessedAttachment:
    output = io.BytesIO()
    Image.new("RGB", (16, 12), (200, 40, 40)).save(output, "PNG")
    return attachments.process_upload(
        SimpleUploadedFile(name, output.getvalue(), content_type="image/png")
    )


def test_evidence_is_a_checked_document_or_a_verified_story_of_the_partner(
    world: World, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    framework = builders.report_framework(world)
    partner = world.users["partner"]
    draft = factories.StoryFactory.create(
        partner=world.alpha, project=world.alpha_project, status=ChangeStory.Status.DRAFT
    )
    for story in (draft, world.beta_story):
        with pytest.raises(ValidationError) as error:
            _save(partner, world.alpha_project, _entries(framework, stories=[story]))
        assert "Only a verified story of the project's partner" in " ".join(error.value.messages)
    report = _save(
        partner,
        world.alpha_project,
        _entries(framework, stories=[world.alpha_story], uploads=[_png(), _png("b.png")]),
    )
    entry = report.entries.get(period=framework.periods()[0])
    assert list(entry.stories.all()) == [world.alpha_story]
    stored = list(entry.attachments.all())
    assert [(a.kind, a.content_type, a.original_name) for a in stored] == [
        ("photo", "image/png", "list.png"),
        ("photo", "image/png", "b.png"),
    ]
    assert all(str(a.file.name).startswith("results-evidence/") for a in stored)
    with pytest.raises(ValidationError) as error:
        _save(partner, world.alpha_project, _entries(framework, uploads=[_png()] * 4))
    assert "At most 5" in " ".join(error.value.messages)
    assert entry.attachments.count() == 2
    # Removing names the entry's own documents only.
    other = _save(
        world.users["partner2"], world.beta_project, _entries(framework, uploads=[_png()])
    )
    foreign = ReportAttachment.objects.get(entry__report=other)
    _save(partner, world.alpha_project, _entries(framework, remove=[stored[0].pk, foreign.pk]))
    assert list(entry.attachments.all()) == [stored[1]]
    assert ReportAttachment.objects.filter(pk=foreign.pk).exists()


@pytest.mark.parametrize(("status", "saved"), [("draft", True), ("submitted", False)])
def test_two_first_saves_at_once_share_one_report(
    world: World, monkeypatch: pytest.MonkeyPatch, status: str, saved: bool
) -> None:
    """The second of two first saves found no report when it looked, and the first made one
    before it wrote its own: it takes that one (or is refused if it was submitted), no 500."""
    framework = builders.report_framework(world)
    made = Report.objects.create(project=world.alpha_project, start=START, end=END, status=status)
    real = reports._locked_report
    calls = iter([None])  # the first look finds nothing; later ones see the report

    def locked(*args: Any) -> Report | None:
        return None if next(calls, False) is None else real(*args)

    monkeypatch.setattr(reports, "_locked_report", locked)
    if saved:
        report = _save(world.users["partner"], world.alpha_project, _entries(framework))
        assert report.pk == made.pk
        assert Actual.objects.filter(project=world.alpha_project).count() == 4
    else:
        with pytest.raises(ValidationError, match="waits for review"):
            _save(world.users["partner"], world.alpha_project, _entries(framework))
    assert Report.objects.count() == 1

"""The register's writes: each checks its actor, each reassessment leaves its history row, and
nothing half-done is saved."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from risks import services
from risks.models import Category, Risk, RiskComment, RiskReassessment
from tests.risks.conftest import Register


def _new_risk(register: Register, **fields: object) -> Risk:
    values: dict[str, object] = {
        "partner": register.world.alpha,
        "title": "Offices searched by the police",
        "category": Category.SECURITY,
        "likelihood": 2,
        "impact": 5,
        "next_review": dt.date.today() + dt.timedelta(days=30),
    }
    values.update(fields)
    return Risk(**values)


def test_it_records_a_risk_with_who_recorded_it(register: Register) -> None:
    officer = register.world.users["officer"]
    risk = services.risk_save(actor=officer, risk=_new_risk(register, owner=officer))
    assert risk.pk is not None
    assert risk.created_by == officer
    assert risk.score == 10


@pytest.mark.parametrize("role", ["partner", "member", "secret"])
def test_it_lets_only_staff_record_risks(register: Register, role: str) -> None:
    with pytest.raises(PermissionDenied):
        services.risk_save(actor=register.world.users[role], risk=_new_risk(register))
    assert not Risk.objects.filter(title="Offices searched by the police").exists()


def test_an_officer_cannot_record_or_edit_a_confidential_partners_risk(register: Register) -> None:
    officer = register.world.users["officer"]
    with pytest.raises(PermissionDenied):
        services.risk_save(actor=officer, risk=_new_risk(register, partner=register.world.hidden))
    register.hidden.title = "Changed by an officer"
    with pytest.raises(PermissionDenied):
        services.risk_save(actor=officer, risk=register.hidden)


def test_it_refuses_another_partners_project_and_an_uncleared_owner(register: Register) -> None:
    staff = register.world.users["staff"]
    with pytest.raises(ValidationError) as error:
        services.risk_save(
            actor=staff, risk=_new_risk(register, project=register.world.beta_project)
        )
    assert "project" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.risk_save(
            actor=staff,
            risk=_new_risk(
                register, partner=register.world.hidden, owner=register.world.users["officer"]
            ),
        )
    assert "owner" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.risk_save(
            actor=staff, risk=_new_risk(register, owner=register.world.users["partner"])
        )


@pytest.mark.parametrize(("likelihood", "impact"), [(0, 3), (3, 6), (-1, -1)])
def test_it_refuses_values_off_the_scale(register: Register, likelihood: int, impact: int) -> None:
    with pytest.raises(ValidationError):
        services.risk_save(
            actor=register.world.users["staff"],
            risk=_new_risk(register, likelihood=likelihood, impact=impact),
        )


def test_an_edit_cannot_change_the_score_behind_the_historys_back(register: Register) -> None:
    risk = Risk.objects.get(pk=register.alpha.pk)
    risk.likelihood = 1
    with pytest.raises(ValidationError):
        services.risk_save(actor=register.world.users["staff"], risk=risk)
    assert Risk.objects.get(pk=risk.pk).likelihood == 3


def test_a_reassessment_writes_its_history_row(register: Register) -> None:
    officer = register.world.users["officer"]
    row = services.risk_reassess(
        actor=officer, risk=register.alpha, likelihood=5, impact=4, note="Campaign started."
    )
    risk = Risk.objects.get(pk=register.alpha.pk)
    assert (risk.likelihood, risk.impact, risk.score) == (5, 4, 20)
    assert (row.old_likelihood, row.old_impact, row.new_likelihood, row.new_impact) == (3, 4, 5, 4)
    assert (row.old_score, row.new_score) == (12, 20)
    assert row.assessed_by == officer
    assert list(RiskReassessment.objects.filter(risk=risk)) == [row]


@pytest.mark.parametrize(("likelihood", "impact"), [(3, 4), (0, 4), (3, 9)])
def test_a_reassessment_without_a_change_or_off_the_scale_is_refused(
    register: Register, likelihood: int, impact: int
) -> None:
    with pytest.raises(ValidationError):
        services.risk_reassess(
            actor=register.world.users["staff"],
            risk=register.alpha,
            likelihood=likelihood,
            impact=impact,
        )
    assert not RiskReassessment.objects.exists()
    assert Risk.objects.get(pk=register.alpha.pk).score == 12


@pytest.mark.parametrize("role", ["officer", "partner", "secret"])
def test_only_staff_who_may_read_the_risk_reassess_it(register: Register, role: str) -> None:
    with pytest.raises(PermissionDenied):
        services.risk_reassess(
            actor=register.world.users[role], risk=register.hidden, likelihood=1, impact=1
        )
    assert Risk.objects.get(pk=register.hidden.pk).score == 25


def test_close_reopen_share_and_unshare(register: Register) -> None:
    staff = register.world.users["staff"]
    services.risk_set_status(actor=staff, risk=register.alpha, status=Risk.Status.CLOSED)
    assert Risk.objects.get(pk=register.alpha.pk).status == Risk.Status.CLOSED
    services.risk_set_status(actor=staff, risk=register.alpha, status=Risk.Status.OPEN)
    assert Risk.objects.get(pk=register.alpha.pk).status == Risk.Status.OPEN
    with pytest.raises(ValidationError):
        services.risk_set_status(actor=staff, risk=register.alpha, status="maybe")
    services.risk_share(actor=staff, risk=register.alpha, shared=False)
    assert not Risk.objects.get(pk=register.alpha.pk).shared_with_partner
    with pytest.raises(PermissionDenied):
        services.risk_share(actor=register.world.users["partner"], risk=register.alpha, shared=True)


def test_partner_users_comment_on_their_own_shared_risks_only(register: Register) -> None:
    partner = register.world.users["partner"]
    comment = services.risk_comment(actor=partner, risk=register.alpha, text=" We saw it too. ")
    assert comment.text == "We saw it too."
    assert comment.author == partner
    for risk in (register.alpha_unshared, register.beta, register.hidden):
        with pytest.raises(PermissionDenied):
            services.risk_comment(actor=partner, risk=risk, text="Not ours.")
    with pytest.raises(PermissionDenied):
        services.risk_comment(actor=register.world.users["member"], risk=register.alpha, text="x")
    with pytest.raises(ValidationError):
        services.risk_comment(actor=partner, risk=register.alpha, text="   ")
    assert RiskComment.objects.count() == 1


def test_no_risk_text_reaches_the_logs_or_the_audit_trail(
    register: Register, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    staff = register.world.users["staff"]
    risk = services.risk_save(
        actor=staff,
        risk=_new_risk(
            register,
            partner=register.world.hidden,
            title="Secret title of Izmir",
            description="Secret description",
            mitigation="Secret mitigation",
        ),
    )
    risk.description = "Secret description, changed"
    services.risk_save(actor=staff, risk=risk)
    services.risk_reassess(actor=staff, risk=risk, likelihood=4, impact=5, note="Secret note")
    services.risk_comment(
        actor=register.world.users["secret"],
        risk=services.risk_share(actor=staff, risk=risk, shared=True),
        text="Secret comment",
    )
    entries = LogEntry.objects.filter(
        content_type__in=ContentType.objects.get_for_models(
            Risk, RiskReassessment, RiskComment
        ).values()
    )
    assert entries.count() >= 4
    trail = " ".join(f"{entry.changes} {entry.object_repr}" for entry in entries)
    for text in ("Secret", "Izmir"):
        assert text not in trail
        assert text not in caplog.text
    assert "[redacted]" in trail

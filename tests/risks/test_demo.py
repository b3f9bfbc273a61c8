"""The demo's risk register: a confidential partner's exposure risk on top, reviews overdue for
`staff` and `officer`, two of the `partner` login's risks shared with it, one commented."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db.models import F

from demo.risks import risk_data
from portal.models import User
from risks.models import SCORE, Category, Risk, RiskComment, RiskReassessment
from risks.selectors import reviews_overdue, visible_risks


@pytest.fixture
def demo(db: None, settings: object) -> None:
    settings.DEBUG = True  # type: ignore[attr-defined]
    call_command("seed_demo", stories=0, verbosity=0)


def test_the_demo_register_is_what_the_issue_asks_for(demo: None) -> None:
    assert Risk.objects.count() == len(risk_data())
    top = Risk.objects.annotate(rank=SCORE).order_by("-rank").first()
    assert top is not None
    assert top.partner.is_confidential and top.category == Category.SECURITY
    assert top.score == 25
    assert not Risk.objects.exclude(pk=top.pk).filter(likelihood=5, impact=5).exists()
    # Reassessed several times, each with its history row, the risk's values the last one's.
    assert RiskReassessment.objects.count() >= 5
    for risk in Risk.objects.filter(reassessments__isnull=False).distinct():
        last = risk.reassessments.order_by("-assessed_at").first()
        assert last is not None
        assert (last.new_likelihood, last.new_impact) == (risk.likelihood, risk.impact)
    for username in ("staff", "officer"):
        assert reviews_overdue(User.objects.get(username=username)).exists()
    partner = User.objects.get(username="partner")
    shared = visible_risks(partner)
    assert shared.count() == 2
    assert RiskComment.objects.filter(risk__in=shared, author=partner).count() == 1
    # Regions: the register spans them.
    assert Risk.objects.values("partner__region").distinct().count() >= 4
    assert (
        Risk.objects.filter(next_review__lt=dt.date.today()).exclude(status=F("status")).count()
        == 0
    )


def test_a_second_run_changes_no_risk(demo: None) -> None:
    columns = [field.attname for field in Risk._meta.concrete_fields if field.name != "updated_at"]
    before = list(Risk.objects.order_by("pk").values_list(*columns))
    history = RiskReassessment.objects.count()
    call_command("seed_demo", stories=0, verbosity=0)
    assert list(Risk.objects.order_by("pk").values_list(*columns)) == before
    assert RiskReassessment.objects.count() == history

"""The demo's self-assessments: the questionnaire in three languages, two rounds for most
partners moving different ways, the `partner` login's draft of this year, staff comments."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from assessments.models import Assessment, DimensionComment, Questionnaire, Statement
from assessments.selectors import partner_history
from demo import assessments as demo_assessments
from demo.data_files import DemoDataError
from partners.models import Partner
from portal.models import User


@pytest.fixture
def demo(db: None, settings: object) -> None:
    settings.DEBUG = True  # type: ignore[attr-defined]
    call_command("seed_demo", stories=5, verbosity=0)


def test_the_demo_has_the_questionnaire_rounds_a_draft_and_comments(demo: None) -> None:
    questionnaire = Questionnaire.objects.get(published=True)
    dimensions = list(questionnaire.dimensions.all())
    assert len(dimensions) == 6
    assert all(d.name_sv and d.name_es for d in dimensions)
    for dimension in dimensions:
        assert 3 <= dimension.statements.count() <= 4
    assert not Statement.objects.filter(text_sv="").exists()

    year = timezone.localdate().year
    submitted = Assessment.objects.filter(status=Assessment.Status.SUBMITTED)
    with_two = {
        partner_id
        for partner_id in submitted.values_list("partner_id", flat=True)
        if submitted.filter(partner_id=partner_id).count() == 2
    }
    assert len(with_two) > Partner.objects.count() / 2
    assert set(submitted.values_list("period_label", flat=True)) == {str(year - 2), str(year - 1)}
    assert submitted.filter(partner__is_confidential=True).exists()

    staff = User.objects.get(username="staff")
    directions = set()
    for partner in Partner.objects.filter(pk__in=with_two):
        directions |= {c.direction for c in partner_history(staff, partner).changes()}
    assert {"up", "down"} <= directions

    partner_user = User.objects.get(username="partner")
    draft = Assessment.objects.get(partner=partner_user.partner, period_label=str(year))
    assert draft.status == Assessment.Status.DRAFT and draft.answers.exists()
    assert DimensionComment.objects.count() >= 3

    counts = (Assessment.objects.count(), DimensionComment.objects.count())
    call_command("seed_demo", stories=5, verbosity=0)
    assert (Assessment.objects.count(), DimensionComment.objects.count()) == counts


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"round": [{"partner": "X", "trend": "sideways"}]}, "unknown trend"),
        (
            {"comment": [{"partner": "X", "dimension": "nowhere", "author": "staff", "text": "."}]},
            "unknown dimension",
        ),
    ],
)
def test_a_mistake_in_the_data_file_names_the_file(
    monkeypatch: pytest.MonkeyPatch, change: dict[str, object], message: str
) -> None:
    data = demo_assessments._read("assessments.toml")
    monkeypatch.setattr(demo_assessments, "_read", lambda name: {**data, **change})
    with pytest.raises(DemoDataError, match=message) as error:
        demo_assessments.load()
    assert "demo/data/assessments.toml" in str(error.value)

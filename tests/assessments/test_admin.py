"""The questionnaire in the admin: edited by staff until published, through the services; then
fixed, and a new version is a copy. Assessments and comments are read-only there."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from assessments.models import Dimension, Questionnaire, Statement
from conftest import World
from tests import factories
from tests.portal.test_admin_scoping import _change_url, _form_post


def test_staff_edit_a_questionnaire_until_it_is_published(
    world: World, client_as: Callable[[str], Client]
) -> None:
    draft = factories.make_questionnaire(published=False, dimensions=1, statements=1)
    dimension = draft.dimensions.get()
    officer = client_as("officer")
    url = _change_url(dimension)

    def rename(name: str, value: str) -> str:
        return "Governance" if name == "name_en" else value

    response = officer.post(url, _form_post(officer, url, rename))
    assert response.status_code == 302, response.content.decode()[:2000]
    dimension.refresh_from_db()
    assert dimension.name_en == "Governance"

    url = _change_url(draft)

    def publish(name: str, value: str) -> str:
        return "on" if name == "published" else value

    data = _form_post(officer, url, publish)
    data["published"] = "on"
    response = officer.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert draft.published and draft.published_at is not None
    # Published: the admin shows it read-only and refuses a change.
    response = officer.post(url, data)
    assert response.status_code == 403
    response = officer.post(_change_url(dimension), {"name_en": "Other"})
    assert response.status_code == 403
    dimension.refresh_from_db()
    assert dimension.name_en == "Governance"


def test_an_empty_questionnaire_is_not_published_from_the_admin(
    world: World, client_as: Callable[[str], Client]
) -> None:
    empty = factories.make_questionnaire(published=False, dimensions=1, statements=0)
    staff = client_as("staff")
    url = _change_url(empty)
    data = _form_post(staff, url, lambda name, value: value)
    data["published"] = "on"
    response = staff.post(url, data)
    assert response.status_code == 200
    assert "at least one statement" in response.content.decode()
    empty.refresh_from_db()
    assert not empty.published


def test_the_admin_action_makes_a_new_version(
    world: World, client_as: Callable[[str], Client]
) -> None:
    published = factories.make_questionnaire(dimensions=2, statements=2)
    response = client_as("staff").post(
        reverse("admin:assessments_questionnaire_changelist"),
        {"action": "new_version", "_selected_action": [published.pk]},
    )
    assert response.status_code == 302
    copy = Questionnaire.objects.get(version=2)
    assert not copy.published
    assert Dimension.objects.filter(questionnaire=copy).count() == 2
    assert Statement.objects.filter(dimension__questionnaire=copy).count() == 4


def test_assessments_are_read_only_and_scoped_in_the_admin(
    world: World, client_as: Callable[[str], Client]
) -> None:
    questionnaire = factories.make_questionnaire()
    hidden = factories.make_assessment(partner=world.hidden, questionnaire=questionnaire)
    officer, staff = client_as("officer"), client_as("staff")
    assert officer.get(_change_url(hidden)).status_code == 302  # not in its list: back to it
    page = staff.get(_change_url(hidden))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()

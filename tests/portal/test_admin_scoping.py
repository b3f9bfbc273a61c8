"""What an attacker found in the admin (issue #9): history, saves and filters of scoped admins.

- Editing a visible programme or plan through its inline of a confidential partner's project or
  planned activity wrote that record's title into a history an officer reads.
- An officer's save of a network dropped the confidential partners it was not shown.
- ``?projects=<id>`` or ``?stories=<id>`` on a list told an officer whether a confidential record
  existed and what it hung on.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib import admin
from django.db.models import Model
from django.test import Client, RequestFactory
from django.urls import reverse
from lxml import html as lxml_html

from assessments.models import Answer, Assessment, DimensionComment
from conftest import World
from dialogues.models import AgreedAction, Dialogue, DialogueComment
from portal import admin_scoping
from programs.models import Activity, PlannedActivity
from progress.models import ChangeType
from results.models import Actual, Indicator, Report
from tests import factories
from tests.results import builders as results_builders

INLINE_FIELD = re.compile(r"^[\w]+-\d+-\w+$")


@pytest.fixture
def planned(world: World) -> World:
    """A visible plan holding a planned activity of the confidential partner's project, and a
    visible activity that counts toward it."""
    plan = factories.ActivityPlanFactory.create(program=world.program, title="Visible plan")
    secret_item = factories.PlannedActivityFactory.create(
        plan=plan, project=world.hidden_project, title="Secret organisers' school in Izmir"
    )
    factories.PlannedActivityFactory.create(plan=plan, project=world.alpha_project)
    factories.ActivityFactory.create(project=world.alpha_project, planned=secret_item)
    # A story as the admin form requires it: classified.
    participation = ChangeType.objects.get(code="participation-decision-making")
    for story in (world.alpha_story, world.beta_story, world.hidden_story):
        story.change_types.add(participation)
    return world


def _secrets(world: World) -> list[str]:
    return [
        world.hidden.name,
        world.hidden_project.title,
        world.hidden_story.title,
        "Secret organisers' school in Izmir",
        "Izmir",
        *(contact.name for contact in world.hidden.contacts.all()),
    ]


def _change_url(obj: Model, view: str = "change") -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}", args=[obj.pk])


def _form_post(client: Client, url: str, edit: Callable[[str, str], str]) -> dict[str, Any]:
    """The change form's current values, each passed through ``edit(name, value)``."""
    body = client.get(url).content.decode()
    # The admin's change form, not the logout form of its header.
    (form,) = lxml_html.fromstring(body).xpath("//form[@method='post'][@novalidate]")
    data: dict[str, Any] = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(edit(name, value))
    data["_save"] = "Save"
    return data


def _officer_request(world: World) -> Any:
    request = RequestFactory().get("/admin/")
    request.user = world.users["officer"]
    return request


def test_an_edit_through_every_inline_leaves_no_confidential_title_in_officers_history(
    planned: World, client_as: Callable[[str], Client]
) -> None:
    admin_client, officer = client_as("admin"), client_as("officer")
    officer_request = _officer_request(planned)
    secrets = _secrets(planned)
    edited = histories = 0
    for model, model_admin in admin.site._registry.items():
        if not model_admin.inlines:
            continue
        for obj in model_admin.get_queryset(officer_request):
            url = _change_url(obj)

            def edit(name: str, value: str) -> str:
                # Every text field of every inline row changes, so every row enters the message.
                if INLINE_FIELD.match(name) and name.endswith(("title", "name", "place")):
                    return f"{value} (edited)"
                return value

            response = admin_client.post(url, _form_post(admin_client, url, edit))
            assert response.status_code == 302, (model, response.content.decode()[:2000])
            edited += 1
            body = officer.get(_change_url(obj, "history")).content.decode()
            histories += 1
            for secret in secrets:
                assert secret not in body, f"{secret!r} in the history of {model.__name__}"
    index = officer.get(reverse("admin:index")).content.decode()
    assert all(secret not in index for secret in secrets)
    assert edited >= 3  # the programme, the plan and the network at least
    print(f"admin history: {edited} objects edited through their inlines, {histories} read")


def _scoped_many_to_many() -> set[tuple[type[Model], str]]:
    return {
        (model, field.name)
        for model in admin.site._registry
        for field in model._meta.many_to_many
        if admin_scoping.selector_for(field.related_model) is not None
    }


def test_an_officers_save_keeps_every_scoped_many_to_many_row_it_was_not_shown(
    planned: World, client_as: Callable[[str], Client]
) -> None:
    officer = client_as("officer")
    officer_request = _officer_request(planned)
    # An analysis holding a confidential partner's story or risk is itself hidden from the
    # officer (analyses.selectors), even written past the service that would have cleared it:
    # there is nothing the officer opens and could drop the row from.
    analysis = factories.AnalysisFactory.create(region="latam")
    analysis.stories.add(planned.hidden_story)
    # A risk of a partner the officer sees, noted in a dialogue with the confidential partner
    # (past the service, which refuses another partner's dialogue: as an older row could be).
    linked_risk = factories.RiskFactory.create(partner=planned.alpha)
    hidden_dialogue = factories.DialogueFactory.create(partner=planned.hidden)
    linked_risk.dialogues.add(hidden_dialogue)
    risk_analysis = factories.AnalysisFactory.create(region="latam")
    hidden_risk = factories.RiskFactory.create(partner=planned.hidden)
    risk_analysis.risks.add(hidden_risk)
    for hidden_parent in (analysis, risk_analysis):
        assert officer.get(_change_url(hidden_parent)).status_code != 200
    hidden_parents = {(type(analysis), "stories"), (type(analysis), "risks")}
    # Likewise a dialogue with a partner the officer sees, linked to a confidential story.
    dialogue = factories.DialogueFactory.create(partner=planned.alpha)
    dialogue.stories.add(planned.hidden_story)
    # An indicator of the programme that the confidential partner's project contributes to.
    indicator = results_builders.world_framework(planned)
    hidden_rows = {
        # (model, field) → (an object the officer may open, a row of its field it may not see)
        (type(indicator), "projects"): (indicator, planned.hidden_project.pk),
        (type(planned.network), "partners"): (planned.network, planned.hidden.pk),
        (type(linked_risk), "dialogues"): (linked_risk, hidden_dialogue.pk),
        (type(dialogue), "stories"): (dialogue, planned.hidden_story.pk),
    }
    covered = {key for key in _scoped_many_to_many() if key in hidden_rows or key in hidden_parents}
    uncovered = _scoped_many_to_many() - covered
    # A field narrowed only for selectors that hide nothing from officers needs no fixture.
    for model, name in uncovered:
        related = model._meta.get_field(name).related_model
        selector = admin_scoping.selector_for(related)  # type: ignore[arg-type]
        assert selector is not None
        hidden = related._default_manager.exclude(  # type: ignore[union-attr]
            pk__in=selector(officer_request.user).values("pk")
        )
        assert not hidden.exists(), f"add a case for {model.__name__}.{name}"
    for (model, name), (obj, hidden_pk) in hidden_rows.items():
        before = set(getattr(obj, name).values_list("pk", flat=True))
        assert hidden_pk in before
        url = _change_url(obj)
        response = officer.post(url, _form_post(officer, url, lambda _name, value: value))
        assert response.status_code == 302, response.content.decode()[:2000]
        assert set(getattr(obj, name).values_list("pk", flat=True)) == before, (model, name)


def test_an_officers_save_keeps_a_foreign_key_to_what_it_may_not_see_without_naming_it(
    planned: World, client_as: Callable[[str], Client]
) -> None:
    officer = client_as("officer")
    activity = Activity.objects.get(planned__project=planned.hidden_project)
    secret_item = activity.planned
    url = _change_url(activity)
    body = officer.get(url).content.decode()
    assert "Secret organisers" not in body
    response = officer.post(url, _form_post(officer, url, lambda _name, value: value))
    assert response.status_code == 302, response.content.decode()[:2000]
    activity.refresh_from_db()
    assert activity.planned == secret_item


def _confidential_relations() -> list[tuple[type[Model], str]]:
    """Every (listed model, relation name) whose target may be a confidential partner's record."""
    found = []
    for model in admin.site._registry:
        for field in model._meta.get_fields():
            if field.is_relation and field.related_model is not None:
                name = field.name
                if admin_scoping.lookup_reaches_confidential(model, name):
                    found.append((model, name))
    return found


def _assessment_record(world: World, model: type[Model]) -> Model:
    """A confidential partner's self-assessment, one of its answers, or a comment on it."""
    questionnaire = factories.make_questionnaire(name=f"For {model.__name__}")
    assessment = factories.make_assessment(
        partner=world.hidden, questionnaire=questionnaire, year=2000 + Assessment.objects.count()
    )
    if model is Assessment:
        return assessment
    if model is Answer:
        return assessment.answers.get(statement__dimension__key="d1", statement__ordering=1)
    return DimensionComment.objects.create(
        assessment=assessment, dimension=questionnaire.dimensions.get(key="d1"), text="A comment."
    )


def _object_of(world: World, model: type[Model]) -> Model:
    """A confidential partner's record of the given model, made if the world has none."""
    for obj in (world.hidden, world.hidden_project, world.hidden_story):
        if isinstance(obj, model):
            return obj
    if model is PlannedActivity:
        return factories.PlannedActivityFactory.create(project=world.hidden_project)
    if model is Activity:
        return factories.ActivityFactory.create(project=world.hidden_project)
    if model in (Assessment, Answer, DimensionComment):
        return _assessment_record(world, model)
    if model is Indicator:
        return results_builders.indicator(world.program, project=world.hidden_project)
    if model is Actual:
        made = results_builders.indicator(world.program, projects=[world.hidden_project])
        return results_builders.actual(results_builders.period(made), world.hidden_project, 5)
    if model is Report:
        made = results_builders.indicator(world.program, projects=[world.hidden_project])
        period = results_builders.period(made)
        return Report.objects.create(
            project=world.hidden_project, start=period.start, end=period.end
        )
    if model in (Dialogue, AgreedAction, DialogueComment):
        dialogue = factories.DialogueFactory.create(partner=world.hidden)
        if model is AgreedAction:
            return factories.AgreedActionFactory.create(dialogue=dialogue)
        if model is DialogueComment:
            return factories.DialogueCommentFactory.create(dialogue=dialogue)
        return dialogue
    return model._default_manager.filter(
        **{
            next(
                f"{field.name}__in"
                for field in model._meta.concrete_fields
                if field.related_model in (type(world.hidden), type(world.hidden_story))
            ): [world.hidden.pk, world.hidden_story.pk]
        }
    ).first() or factories.ContactFactory.create(partner=world.hidden)


def test_officers_cannot_filter_a_list_through_a_relation_to_confidential_records(
    planned: World, client_as: Callable[[str], Client]
) -> None:
    officer, admin_client = client_as("officer"), client_as("admin")
    relations = _confidential_relations()
    names = {(model.__name__, name) for model, name in relations}
    # The lookups the attacker used.
    assert {("Program", "projects"), ("ChangeType", "stories"), ("TargetGroup", "stories")} <= names
    tried = 0
    for model, name in relations:
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        if admin_client.get(changelist).status_code != 200:
            continue
        target = model._meta.get_field(name).related_model
        confidential = _object_of(planned, target)  # type: ignore[arg-type]
        existing = officer.get(changelist, {name: confidential.pk})
        missing = officer.get(changelist, {name: 987654})
        if existing.status_code == 403:
            continue  # the officer has no access to this list at all
        # Refused alike whether the record exists or not: nothing to tell them apart.
        assert existing.status_code == missing.status_code == 400, (model, name)
        tried += 1
    allowed = admin_client.get(
        reverse("admin:programs_program_changelist"), {"projects": planned.hidden_project.pk}
    )
    assert allowed.status_code == 200
    assert planned.program.title in allowed.content.decode()
    assert tried >= 5
    print(f"admin lookups: {tried} relations to confidential records refused to officers")

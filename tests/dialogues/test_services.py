"""Partner dialogues (issue #12, item 1): who sees them, and what each role may write."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import World
from dialogues import selectors, services
from dialogues.models import AgreedAction, Dialogue
from tests import factories

TODAY = dt.date.today()


@pytest.fixture
def dialogues(world: World) -> dict[str, Dialogue]:
    """A dialogue with each partner of the world, each with one open action of the partner's."""
    made = {}
    for kind, partner in (("own", world.alpha), ("foreign", world.beta), ("hidden", world.hidden)):
        dialogue = factories.DialogueFactory.create(partner=partner)
        factories.AgreedActionFactory.create(dialogue=dialogue)
        factories.DialogueCommentFactory.create(dialogue=dialogue)
        made[kind] = dialogue
    return made


VISIBLE = {
    "admin": {"own", "foreign", "hidden"},
    "staff": {"own", "foreign", "hidden"},
    "officer": {"own", "foreign"},
    "partner": {"own"},
    "partner2": {"foreign"},
    "secret": {"hidden"},
    "member": set(),
}


@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_it_shows_each_role_the_dialogues_actions_and_comments_of_its_scope(
    world: World, dialogues: dict[str, Dialogue], role: str
) -> None:
    user = world.users[role]
    expected = {dialogues[kind].pk for kind in VISIBLE[role]}
    assert set(selectors.visible_dialogues(user).values_list("pk", flat=True)) == expected
    assert set(selectors.visible_actions(user).values_list("dialogue", flat=True)) == expected
    assert set(selectors.visible_comments(user).values_list("dialogue", flat=True)) == expected
    for kind, dialogue in dialogues.items():
        if kind in VISIBLE[role]:
            assert selectors.get_dialogue_for_user(user, dialogue.pk) == dialogue
        else:
            with pytest.raises(Http404):
                selectors.get_dialogue_for_user(user, dialogue.pk)


def test_it_shows_anonymous_visitors_nothing(dialogues: dict[str, Dialogue]) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert not selectors.visible_dialogues(AnonymousUser()).exists()
    assert not selectors.visible_actions(AnonymousUser()).exists()


def test_it_logs_cleared_staff_reading_a_confidential_partner_s_dialogue(
    world: World, dialogues: dict[str, Dialogue]
) -> None:
    from portal.models import AccessLog

    selectors.get_dialogue_for_user(world.users["staff"], dialogues["hidden"].pk)
    selectors.get_dialogue_for_user(world.users["staff"], dialogues["own"].pk)
    assert list(AccessLog.objects.values_list("object_type", "object_id")) == [
        ("dialogues.dialogue", str(dialogues["hidden"].pk))
    ]


def test_it_holds_a_dialogue_with_two_actions(world: World) -> None:
    staff = world.users["officer"]
    dialogue = services.dialogue_save(
        actor=staff,
        dialogue=Dialogue(
            partner=world.alpha, held_on=TODAY, format=Dialogue.Format.DIGITAL, notes="Notes"
        ),
        staff_participants=[staff],
        partner_participants=[world.users["partner"]],
        stories=[world.alpha_story],
        actions=[
            services.ActionDraft("Send the budget", TODAY + dt.timedelta(days=10)),
            services.ActionDraft("Visit the district", TODAY + dt.timedelta(days=30), staff),
        ],
    )
    assert dialogue.created_by == staff
    assert list(dialogue.stories.all()) == [world.alpha_story]
    owners = {(a.owner_is_partner, a.owner_user_id) for a in dialogue.actions.all()}
    assert owners == {(True, None), (False, staff.pk)}
    assert all(action.partner == world.alpha for action in dialogue.actions.all())


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("partner_participants", "partner2"),  # another partner's user
        ("staff_participants", "partner"),  # not staff
        ("stories", "beta_story"),  # another partner's story
    ],
)
def test_it_refuses_participants_and_stories_of_others(
    world: World, field: str, value: str
) -> None:
    chosen: Any = getattr(world, value) if value.endswith("story") else world.users[value]
    arguments: dict[str, Any] = {field: [chosen]}
    with pytest.raises(ValidationError) as raised:
        services.dialogue_save(
            actor=world.users["staff"],
            dialogue=Dialogue(partner=world.alpha, held_on=TODAY, format="visit"),
            **arguments,
        )
    assert field in raised.value.message_dict
    assert not Dialogue.objects.exists()


def test_officers_neither_hold_nor_name_on_a_confidential_partner_s_dialogue(
    world: World,
) -> None:
    with pytest.raises(PermissionDenied):
        services.dialogue_save(
            actor=world.users["officer"],
            dialogue=Dialogue(partner=world.hidden, held_on=TODAY, format="visit"),
        )
    with pytest.raises(ValidationError):
        services.agree_action(
            world.users["staff"],
            partner=world.hidden,
            description="Check the office's security",
            due_on=TODAY,
            owner_user=world.users["officer"],
        )


@pytest.mark.parametrize("role", ["partner", "member", "partner2"])
def test_only_staff_hold_dialogues_and_agree_actions(world: World, role: str) -> None:
    with pytest.raises(PermissionDenied):
        services.dialogue_save(
            actor=world.users[role],
            dialogue=Dialogue(partner=world.alpha, held_on=TODAY, format="visit"),
        )
    with pytest.raises(PermissionDenied):
        services.agree_action(world.users[role], partner=world.alpha, description="x", due_on=TODAY)


def test_the_self_assessment_may_agree_an_action_without_a_dialogue(world: World) -> None:
    action = services.agree_action(
        world.users["staff"],
        partner=world.beta,
        description="Write a plan for the youth wing",
        due_on=TODAY + dt.timedelta(days=60),
    )
    assert action.dialogue is None and action.owner_is_partner and action.is_open
    with pytest.raises(ValidationError):
        services.agree_action(
            world.users["staff"],
            partner=world.beta,
            description="x",
            due_on=TODAY,
            dialogue=factories.DialogueFactory.create(partner=world.alpha),
        )


def test_editing_confirmed_notes_asks_the_partner_again(
    world: World, dialogues: dict[str, Dialogue]
) -> None:
    dialogue = dialogues["own"]
    services.notes_confirm(actor=world.users["partner"], dialogue=dialogue)
    dialogue.refresh_from_db()
    assert dialogue.notes_confirmed_by == world.users["partner"]
    # Editing something else keeps the confirmation.
    dialogue.agenda = "Another agenda"
    services.dialogue_save(actor=world.users["staff"], dialogue=dialogue)
    dialogue.refresh_from_db()
    assert dialogue.notes_confirmed
    dialogue.notes = "Other words"
    services.dialogue_save(actor=world.users["staff"], dialogue=dialogue)
    dialogue.refresh_from_db()
    assert dialogue.notes_confirmed_at is None and dialogue.notes_confirmed_by is None


@pytest.mark.parametrize("role", ["staff", "partner2", "member"])
def test_only_the_partner_s_own_users_confirm_the_notes(
    world: World, dialogues: dict[str, Dialogue], role: str
) -> None:
    with pytest.raises(PermissionDenied):
        services.notes_confirm(actor=world.users[role], dialogue=dialogues["own"])


def test_the_partner_comments_and_staff_reply(world: World, dialogues: dict[str, Dialogue]) -> None:
    dialogue = dialogues["own"]
    services.dialogue_comment(actor=world.users["partner"], dialogue=dialogue, text="Missing: X")
    services.dialogue_comment(actor=world.users["officer"], dialogue=dialogue, text="Added.")
    for role in ("partner2", "member"):
        with pytest.raises(PermissionDenied):
            services.dialogue_comment(actor=world.users[role], dialogue=dialogue, text="Hi")
    with pytest.raises(PermissionDenied):
        services.dialogue_comment(
            actor=world.users["officer"], dialogue=dialogues["hidden"], text="Hi"
        )
    with pytest.raises(ValidationError):
        services.dialogue_comment(actor=world.users["partner"], dialogue=dialogue, text="  ")
    assert dialogue.comments.count() == 3


def test_a_dropped_action_needs_a_reason(world: World, dialogues: dict[str, Dialogue]) -> None:
    action = dialogues["own"].actions.get()
    with pytest.raises(ValidationError) as raised:
        services.action_set_status(actor=world.users["staff"], action=action, status="dropped")
    assert "reason" in raised.value.message_dict
    action.refresh_from_db()
    assert action.is_open
    services.action_set_status(
        actor=world.users["staff"], action=action, status="dropped", reason="Done by others"
    )
    action.refresh_from_db()
    assert action.status == "dropped" and action.closed_by == world.users["staff"]
    assert action.closed_at is not None
    services.action_set_status(actor=world.users["staff"], action=action, status="open")
    action.refresh_from_db()
    assert action.is_open and action.closed_at is None and action.drop_reason == ""


def test_the_database_refuses_a_dropped_action_without_a_reason(
    dialogues: dict[str, Dialogue],
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreedAction.objects.filter(dialogue=dialogues["own"]).update(status="dropped")


def test_the_partner_marks_its_own_actions_done_and_nothing_more(
    world: World, dialogues: dict[str, Dialogue]
) -> None:
    action = dialogues["own"].actions.get()
    with pytest.raises(PermissionDenied):
        services.action_set_status(
            actor=world.users["partner"], action=action, status="dropped", reason="No"
        )
    with pytest.raises(PermissionDenied):
        services.action_set_status(actor=world.users["partner2"], action=action, status="done")
    services.action_set_status(actor=world.users["partner"], action=action, status="done")
    action.refresh_from_db()
    assert action.status == "done" and action.closed_by == world.users["partner"]


def test_open_actions_for_owner_and_their_flags(world: World) -> None:
    staff = world.users["staff"]
    dialogue = factories.DialogueFactory.create(partner=world.alpha)
    overdue = factories.AgreedActionFactory.create(
        dialogue=dialogue, owner_is_partner=False, owner_user=staff, due_on=TODAY - dt.timedelta(1)
    )
    soon = factories.AgreedActionFactory.create(
        dialogue=dialogue, owner_is_partner=False, owner_user=staff, due_on=TODAY
    )
    later = factories.AgreedActionFactory.create(
        dialogue=dialogue, owner_is_partner=False, owner_user=staff, due_on=TODAY + dt.timedelta(30)
    )
    factories.AgreedActionFactory.create(
        dialogue=dialogue, owner_is_partner=False, owner_user=staff, status="done"
    )
    partners = factories.AgreedActionFactory.create(dialogue=dialogue, due_on=TODAY)
    assert list(selectors.open_actions_for_owner(staff)) == [overdue, soon, later]
    assert list(selectors.due_or_overdue(selectors.open_actions_for_owner(staff))) == [
        overdue,
        soon,
    ]
    assert list(selectors.open_actions_for_owner(world.users["partner"])) == [partners]
    assert list(selectors.open_actions_for_owner(world.users["partner2"])) == []
    assert list(selectors.open_actions_for_owner(world.users["member"])) == []
    assert selectors.flags(overdue) == selectors.Flags(overdue=True, due_soon=False)
    assert selectors.flags(soon) == selectors.Flags(overdue=False, due_soon=True)
    assert selectors.flags(later) == selectors.Flags(overdue=False, due_soon=False)


def test_the_audit_trail_records_changes_without_the_words(world: World) -> None:
    dialogue = services.dialogue_save(
        actor=world.users["staff"],
        dialogue=Dialogue(
            partner=world.alpha,
            held_on=TODAY,
            format="visit",
            agenda="Secret agenda words",
            notes="Secret notes words",
            other_participants="Secret Person",
        ),
        actions=[services.ActionDraft("Secret action words", TODAY)],
    )
    services.dialogue_comment(
        actor=world.users["partner"], dialogue=dialogue, text="Secret comment words"
    )
    action = dialogue.actions.get()
    services.action_set_status(
        actor=world.users["staff"], action=action, status="dropped", reason="Secret reason"
    )
    entries = LogEntry.objects.all()
    assert entries.count() >= 4
    text = " ".join(f"{entry.changes} {entry.object_repr}" for entry in entries)
    assert "Secret" not in text
    assert "[redacted]" in text


def test_it_keeps_the_notes_confirmation_consistent(world: World) -> None:
    dialogue = factories.DialogueFactory.create(partner=world.alpha)
    with pytest.raises(IntegrityError), transaction.atomic():
        Dialogue.objects.filter(pk=dialogue.pk).update(notes_confirmed_by=world.users["partner"])
    Dialogue.objects.filter(pk=dialogue.pk).update(
        notes_confirmed_by=world.users["partner"], notes_confirmed_at=timezone.now()
    )


ACTION_SPECS = st.lists(
    st.tuples(
        st.sampled_from(AgreedAction.Status.values),
        st.integers(min_value=-40, max_value=40),  # due this many days from today
        st.sampled_from(["partner", "staff", "officer"]),  # owner
        st.booleans(),  # Alpha's (True) or Beta's
    ),
    max_size=12,
)


def test_the_due_lists_and_counts_equal_a_direct_computation(world: World) -> None:
    """What the dashboard, the partner's page and the list count is what one would count by
    hand from the actions themselves."""
    dialogues = {
        True: factories.DialogueFactory.create(partner=world.alpha),
        False: factories.DialogueFactory.create(partner=world.beta),
    }

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(specs=ACTION_SPECS)
    def run(specs: list[tuple[str, int, str, bool]]) -> None:
        AgreedAction.objects.all().delete()
        for status, days, owner, alpha in specs:
            owner_user = None if owner == "partner" else world.users[owner]
            factories.AgreedActionFactory.create(
                dialogue=dialogues[alpha],
                status=status,
                drop_reason="A reason" if status == "dropped" else "",
                due_on=TODAY + dt.timedelta(days=days),
                owner_user=owner_user,
                owner_is_partner=owner_user is None,
            )
        actions = list(AgreedAction.objects.all())

        def expected(keep: Any) -> list[int]:
            return sorted(a.pk for a in actions if a.status == "open" and keep(a))

        horizon = TODAY + dt.timedelta(days=selectors.DUE_SOON_DAYS)
        staff = world.users["staff"]
        mine = selectors.due_or_overdue(selectors.open_actions_for_owner(staff))
        assert sorted(mine.values_list("pk", flat=True)) == expected(
            lambda a: a.owner_user_id == staff.pk and a.due_on <= horizon
        )
        partners = selectors.open_actions_for_owner(world.users["partner"])
        assert sorted(partners.values_list("pk", flat=True)) == expected(
            lambda a: a.owner_is_partner and a.partner_id == world.alpha.pk
        )
        for action in actions:
            flags = selectors.flags(action)
            is_open = action.status == "open"
            assert flags.overdue == (is_open and action.due_on < TODAY)
            assert flags.due_soon == (is_open and TODAY <= action.due_on <= horizon)
        counted = dict(
            Dialogue.objects.annotate(
                open_actions=Count("actions", filter=Q(actions__status="open"))
            ).values_list("pk", "open_actions")
        )
        for alpha, dialogue in dialogues.items():
            assert counted[dialogue.pk] == sum(
                1 for a in actions if a.status == "open" and a.dialogue_id == dialogue.pk
            ), alpha

    run()

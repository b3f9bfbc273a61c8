"""Story aggregates: built by SQL, kept current through the outbox, identical to a rebuild."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_django import DjangoCaptureOnCommitCallbacks

from conftest import World, login
from portal import outbox
from portal.models import Outbox
from programs import services as program_services
from programs.models import Activity, ActivityKind
from progress import services
from progress.models import ChangeStory, ChangeType, TargetGroup
from reporting import aggregates
from reporting.models import (
    ActivityAggregate,
    GroupRollup,
    PartnerRollup,
    StoryAggregate,
    StoryRollup,
    StoryStatusCount,
    StoryTypeTotal,
    TypeRollup,
)
from tests import factories

Status = ChangeStory.Status


def _table() -> list[tuple[object, ...]]:
    return sorted(
        StoryAggregate.objects.values_list(
            "month",
            "country",
            "region",
            "program_id",
            "focus_area",
            "partner_id",
            "change_type_id",
            "target_group_id",
            "submitter_role",
            "significance",
            "quotable",
            "story_count",
            "significance_sum",
        ),
        key=repr,
    )


def _status_table() -> list[tuple[object, ...]]:
    return sorted(
        StoryStatusCount.objects.values_list(
            "partner_id", "project_id", "status", "quotable", "story_count"
        ),
        key=repr,
    )


def _rollups() -> list[list[tuple[object, ...]]]:
    """Every roll-up's rows, whatever their columns."""
    return [
        sorted(
            (tuple(row.values()) for row in model.objects.values().order_by()),
            key=lambda row: repr(row[1:]),
        )
        for model in (StoryRollup, TypeRollup, GroupRollup, PartnerRollup)
    ]


def _without_ids(tables: list[list[tuple[object, ...]]]) -> list[list[tuple[object, ...]]]:
    return [sorted((row[1:] for row in rows), key=repr) for rows in tables]


def _type_totals() -> dict[int, tuple[int, int]]:
    """The kept totals per change type, leaving out types whose stories all went."""
    return {
        change_type: (stories, significance)
        for change_type, stories, significance in StoryTypeTotal.objects.values_list(
            "change_type_id", "story_count", "significance_sum"
        )
        if stories or significance
    }


def _activity_table() -> list[tuple[object, ...]]:
    return sorted(
        ActivityAggregate.objects.values_list(
            "quarter",
            "program_id",
            "focus_area",
            "plan_id",
            "partner_id",
            "country",
            "region",
            "kind",
            "activity_count",
            "participants_women",
            "participants_men",
            "participants_other",
            "participants_youth",
        ),
        key=repr,
    )


def test_it_counts_held_activities_per_quarter_with_their_participants(world: World) -> None:
    plan = factories.ActivityPlanFactory.create(program=world.program)
    planned = factories.PlannedActivityFactory.create(plan=plan)
    for day in (dt.date(2025, 4, 2), dt.date(2025, 6, 30)):
        factories.ActivityFactory.create(
            project=world.alpha_project, date=day, planned=planned, participants_other=1
        )
    factories.ActivityFactory.create(project=world.alpha_project, date=dt.date(2025, 7, 1))
    # Swedish-side work without a partner counts too, under its plan's programme.
    factories.ActivityFactory.create(
        project=None,
        partner=None,
        planned=planned,
        kind=ActivityKind.STUDY_CIRCLE,
        date=dt.date(2025, 12, 31),
    )
    aggregates.rebuild_all()
    second = ActivityAggregate.objects.get(partner=world.alpha, quarter=dt.date(2025, 4, 1))
    assert (second.activity_count, second.plan_id, second.program_id) == (
        2,
        plan.pk,
        world.program.pk,
    )
    assert (second.participants_women, second.participants_men, second.participants_other) == (
        24,
        16,
        2,
    )
    assert second.participants_youth == 10
    assert (second.country, second.region) == ("GT", "latam")
    third = ActivityAggregate.objects.get(partner=world.alpha, quarter=dt.date(2025, 7, 1))
    assert (third.activity_count, third.plan_id) == (1, None)
    swedish = ActivityAggregate.objects.get(partner=None)
    assert (swedish.quarter, swedish.program_id, swedish.country) == (
        dt.date(2025, 10, 1),
        world.program.pk,
        "",
    )


def test_it_counts_verified_stories_per_type_and_group(world: World) -> None:
    women, youth = TargetGroup.objects.filter(code__in=["women", "youth"]).order_by("code")
    participation = ChangeType.objects.get(code="participation-decision-making")
    world.alpha_story.change_types.add(participation)
    world.alpha_story.target_groups.add(women, youth)
    factories.StoryFactory.create(partner=world.alpha, status=Status.SUBMITTED).change_types.add(
        participation
    )
    aggregates.rebuild_all()
    cells = StoryAggregate.objects.filter(partner=world.alpha)
    # One story, one type, two groups: a story cell, a type cell and a cell per group.
    assert cells.count() == 4
    assert cells.get(target_group=None, change_type=None).story_count == 1
    assert cells.get(change_type=participation).story_count == 1
    per_group = cells.filter(target_group__isnull=False)
    assert per_group.aggregate(total=Sum("story_count"))["total"] == 2
    cell = cells.get(target_group=women)
    assert (cell.month, cell.country, cell.region) == (dt.date(2026, 3, 1), "GT", "latam")
    assert cell.significance_sum == world.alpha_story.significance


def test_it_records_each_story_change_in_the_outbox(
    world: World, client_as: Callable[[str], Client]
) -> None:
    story = factories.StoryFactory.create(partner=world.beta, status=Status.SUBMITTED)
    client_as("staff").post(reverse("story-review", args=[story.pk]), {"action": "verified"})
    assert Outbox.objects.filter(key=world.beta.pk).exists()
    aggregates.drain_outbox()
    assert not Outbox.objects.exists()
    assert not outbox.refresh_pending()


def test_a_story_change_recomputes_only_its_own_month_of_its_partner(world: World) -> None:
    """The outbox names partner and month; the refresh leaves every other cell untouched (a
    cell of another month, spoilt on purpose here, stays spoilt until a rebuild)."""
    march, june = dt.date(2025, 3, 12), dt.date(2025, 6, 3)
    other = factories.StoryFactory.create(partner=world.beta, status="verified", event_date=march)
    other.change_types.add(ChangeType.objects.get(code="other"))
    aggregates.rebuild_all()
    StoryAggregate.objects.filter(partner=world.beta, month=dt.date(2025, 3, 1)).update(
        story_count=99
    )
    story = factories.StoryFactory.create(partner=world.beta, status="submitted", event_date=june)
    story.change_types.add(ChangeType.objects.get(code="other"))
    services.story_review(actor=world.users["staff"], story=story, action="verified")
    assert set(Outbox.objects.values_list("subject", "key", "month")) == {
        ("stories", world.beta.pk, dt.date(2025, 6, 1))
    }
    aggregates.drain_outbox()
    cells = StoryAggregate.objects.filter(partner=world.beta, change_type=None, month__year=2025)
    assert dict(cells.values_list("month", "story_count")) == {
        dt.date(2025, 3, 1): 99,
        dt.date(2025, 6, 1): 1,
    }
    # Moved to another month in the admin: the month it left is recomputed too.
    story.refresh_from_db()
    story.event_date = dt.date(2025, 3, 20)
    services.story_admin_save(
        actor=world.users["admin"], story=story, changed_fields=["event_date"]
    )
    aggregates.drain_outbox()
    assert dict(cells.values_list("month", "story_count")) == {dt.date(2025, 3, 1): 2}


@pytest.mark.skipif(bool(django_settings.REDIS_URL), reason="tasks run on a worker with Redis")
def test_it_refreshes_the_figures_as_soon_as_the_story_commits(
    world: World,
    client_as: Callable[[str], Client],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    story = factories.StoryFactory.create(partner=world.beta, status=Status.SUBMITTED)
    story.change_types.add(ChangeType.objects.get(code="other"))
    with django_capture_on_commit_callbacks(execute=True):
        client_as("staff").post(reverse("story-review", args=[story.pk]), {"action": "verified"})
    # Eager on the embedded default: the task ran in-process after the commit.
    assert StoryAggregate.objects.filter(partner=world.beta).exists()
    assert not Outbox.objects.exists()


def test_it_rebuilds_through_the_management_command(world: World) -> None:
    world.beta_story.change_types.add(ChangeType.objects.get(code="other"))
    call_command("rebuild_reports", verbosity=0)
    assert StoryAggregate.objects.get(partner=world.beta, change_type=None).story_count == 1


# Random histories need the database fixtures of the test, and each example is slow-ish.
HISTORIES = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# A random history: each step acts on one of a handful of stories.
OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["create", "verify", "select", "return", "retype", "move", "withdraw"]),
        st.integers(min_value=0, max_value=4),
        st.integers(min_value=0, max_value=5),
    ),
    min_size=1,
    max_size=12,
)


def test_a_step_no_report_cell_sees_recounts_the_statuses_only(world: World) -> None:
    """Submitting or returning a story changes no cell (cells count verified and selected
    stories): the outbox names the partner's status counts alone, and the refresh leaves every
    cell as it was (one spoilt on purpose stays spoilt)."""
    june = dt.date(2025, 6, 3)
    counted = factories.StoryFactory.create(partner=world.beta, status="verified", event_date=june)
    counted.change_types.add(ChangeType.objects.get(code="other"))
    aggregates.rebuild_all()
    StoryAggregate.objects.filter(partner=world.beta, month=dt.date(2025, 6, 1)).update(
        story_count=99
    )
    story = factories.StoryFactory.create(partner=world.beta, status="submitted", event_date=june)
    Outbox.objects.all().delete()
    services.story_review(actor=world.users["staff"], story=story, action="returned", comment="?")
    assert set(Outbox.objects.values_list("subject", "key", "month")) == {
        ("story_counts", world.beta.pk, None)
    }
    aggregates.drain_outbox()
    cells = StoryAggregate.objects.filter(partner=world.beta, change_type=None, month__year=2025)
    assert dict(cells.values_list("month", "story_count")) == {dt.date(2025, 6, 1): 99}
    counts = _status_table()
    assert ("returned", 1) in {(row[2], row[4]) for row in counts if row[0] == world.beta.pk}
    aggregates.rebuild_all()
    assert _status_table() == counts
    # Verifying it is seen by the cells: the whole month again.
    story.refresh_from_db()
    services.story_save(
        actor=world.users["staff"],
        story=story,
        change_types=[ChangeType.objects.get(code="other")],
        target_groups=[],
        submit=True,
    )
    services.story_review(actor=world.users["staff"], story=story, action="verified")
    assert ("stories", world.beta.pk, dt.date(2025, 6, 1)) in set(
        Outbox.objects.values_list("subject", "key", "month")
    )


@HISTORIES
@given(history=OPERATIONS)
def test_it_gives_the_same_table_incrementally_as_by_a_full_rebuild(
    world: World, history: list[tuple[str, int, int]]
) -> None:
    ChangeStory.objects.all().delete()
    StoryAggregate.objects.all().delete()
    StoryTypeTotal.objects.all().delete()
    for rollup in (StoryRollup, TypeRollup, GroupRollup, PartnerRollup):
        rollup.objects.all().delete()
    StoryStatusCount.objects.all().delete()
    Outbox.objects.all().delete()
    staff = world.users["staff"]
    partners = [world.alpha, world.beta, world.hidden]
    change_types = list(ChangeType.objects.order_by("pk"))
    groups = list(TargetGroup.objects.order_by("pk"))
    stories: list[ChangeStory] = []
    for operation, which, choice in history:
        if operation == "create" or not stories:
            story = factories.StoryFactory.create(
                partner=partners[choice % len(partners)],
                status=Status.SUBMITTED,
                significance=1 + choice % 5,
                event_date=dt.date(2025, 1 + choice, 10),
            )
            story.change_types.add(change_types[choice % len(change_types)])
            if choice % 2:
                story.target_groups.add(groups[choice % len(groups)])
            services._queue_aggregate_refresh(story.partner_id, story.event_date)
            stories.append(story)
        else:
            story = stories[which % len(stories)]
            story.refresh_from_db()
            action = {"verify": "verified", "select": "selected", "return": "returned"}.get(
                operation
            )
            if (
                action
                and story.status
                in {
                    "verified": ("submitted",),
                    "selected": ("verified",),
                    "returned": ("submitted", "verified"),
                }[action]
            ):
                services.story_review(actor=staff, story=story, action=action, comment="Why?")
            elif operation == "retype":
                story.change_types.set([change_types[choice % len(change_types)]])
                services._queue_aggregate_refresh(story.partner_id, story.event_date)
            elif operation == "move":
                # In the admin: another month and perhaps another partner; both sides go stale.
                story.event_date = dt.date(2025, 1 + (choice + which) % 12, 20)
                story.partner = partners[(choice + which) % len(partners)]
                services.story_admin_save(
                    actor=staff, story=story, changed_fields=["event_date", "partner"]
                )
            elif operation == "withdraw":
                services.story_withdraw_consent(actor=staff, story=story)
                stories.remove(story)
        aggregates.drain_outbox()
    incremental = _table(), _status_table(), _type_totals(), _without_ids(_rollups())
    aggregates.rebuild_all()
    assert incremental == (_table(), _status_table(), _type_totals(), _without_ids(_rollups()))


@pytest.mark.celery_worker
def test_it_reaches_the_figures_within_seconds_on_a_real_worker(
    transactional_db: None, world: World, celery_worker_process: None
) -> None:
    change_type = ChangeType.objects.create(
        code="worker-test", name_en="Worker", name_sv="Worker", name_es="Worker"
    )
    story = factories.StoryFactory.create(partner=world.beta, status=Status.SUBMITTED)
    story.change_types.add(change_type)
    services.story_review(actor=world.users["staff"], story=story, action="verified")
    deadline = time.monotonic() + 30
    while not StoryAggregate.objects.filter(partner=world.beta, change_type=change_type).exists():
        assert time.monotonic() < deadline, "the worker did not refresh the figures within 30 s"
        time.sleep(0.2)
    assert not outbox.refresh_pending()


# A random history of activities: each step adds, moves, re-dates or deletes one.
ACTIVITY_OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["create", "move", "redate", "replan", "delete"]),
        st.integers(min_value=0, max_value=4),
        st.integers(min_value=0, max_value=11),
    ),
    min_size=1,
    max_size=12,
)


@HISTORIES
@given(history=ACTIVITY_OPERATIONS)
def test_activity_cells_are_the_same_incrementally_as_by_a_full_rebuild(
    world: World, history: list[tuple[str, int, int]]
) -> None:
    Activity.objects.all().delete()
    ActivityAggregate.objects.all().delete()
    Outbox.objects.all().delete()
    projects = [world.alpha_project, world.hidden_project, None]
    plan = factories.ActivityPlanFactory.create(program=world.program)
    planned = [None, factories.PlannedActivityFactory.create(plan=plan)]
    activities: list[Activity] = []
    for operation, which, choice in history:
        if operation == "create" or not activities:
            project = projects[choice % len(projects)]
            # Written through the service, as the admin writes (the outbox marks the cells).
            activities.append(
                program_services.activity_save(
                    actor=None,
                    activity=factories.ActivityFactory.build(
                        project=project,
                        partner=project.partner if project else None,
                        planned=planned[choice % 2],
                        date=dt.date(2025, 1 + choice, 15),
                        participants_women=choice,
                        participants_youth=0,
                    ),
                    changed_fields=[],
                )
            )
        else:
            activity = activities[which % len(activities)]
            if operation == "move":
                activity.project = projects[choice % len(projects)]
                activity.partner = activity.project.partner if activity.project else None
                program_services.activity_save(
                    actor=None, activity=activity, changed_fields=["project", "partner"]
                )
            elif operation == "redate":
                activity.date = dt.date(2026, 1 + choice, 1)
                program_services.activity_save(
                    actor=None, activity=activity, changed_fields=["date"]
                )
            elif operation == "replan":
                activity.planned = planned[choice % 2]
                program_services.activity_save(
                    actor=None, activity=activity, changed_fields=["planned"]
                )
            else:
                program_services.activity_delete(actor=None, activity=activity)
                activities.remove(activity)
        aggregates.drain_outbox()
    incremental = _activity_table()
    aggregates.rebuild_all()
    assert incremental == _activity_table()


@pytest.mark.celery_worker
def test_a_rebuild_started_from_the_page_shows_its_progress_and_finishes_on_a_worker(
    transactional_db: None, world: World, celery_worker_process: None
) -> None:
    client = login(Client(), world.users["staff"])
    response = client.post(reverse("report-rebuild"))
    assert response.status_code == 302
    seen = set()
    deadline = time.monotonic() + 60
    while True:
        status = client.get(reverse("report-rebuild-status")).json()
        seen.add(status["state"])
        if status["state"] == "done":
            break
        assert status["state"] in {"queued", "running"}, status
        assert time.monotonic() < deadline, f"the rebuild did not finish in 60 s: {status}"
        time.sleep(0.2)
    assert status["percent"] == 100
    print(f"rebuild from the page on a worker: states seen {sorted(seen)}")


def test_the_kept_story_counts_follow_every_change_and_an_admin_deletion(
    world: World, client_as: Callable[[str], Client]
) -> None:
    def drafts() -> int:
        counts = StoryStatusCount.objects.filter(partner=world.alpha, status=Status.DRAFT)
        return counts.aggregate(n=Sum("story_count"))["n"] or 0

    story = factories.StoryFactory.create(partner=world.alpha, status=Status.SUBMITTED)
    services.story_comment(actor=world.users["staff"], story=story, comment="Noted.")
    services._queue_aggregate_refresh(story.partner_id, story.event_date)
    aggregates.drain_outbox()
    before = drafts()
    draft = factories.StoryFactory.create(partner=world.alpha, status=Status.DRAFT)
    services._queue_aggregate_refresh(draft.partner_id, draft.event_date)
    aggregates.drain_outbox()
    assert drafts() == before + 1
    # The admin deletes through the story service, which marks the counts stale.
    response = client_as("admin").post(
        reverse("admin:progress_changestory_delete", args=[draft.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not ChangeStory.objects.filter(pk=draft.pk).exists()
    aggregates.drain_outbox()
    assert drafts() == before
    page = client_as("staff").get(reverse("partner-detail", args=[world.alpha.pk]))
    total = ChangeStory.objects.filter(partner=world.alpha).count()
    assert f"{total} stories in all." in page.content.decode()

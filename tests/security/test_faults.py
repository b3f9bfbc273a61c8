"""Faults (DESIGN §6 "Reliability"): Redis refusing or hanging, a worker killed in the middle of
a report rebuild, PostgreSQL connections cut between requests.

These need the real services, PostgreSQL and Redis, as ``.ci/run`` provides them; on the
embedded default (SQLite, tasks run eagerly) there is no broker to break and they skip. Each
test prints its figures, so that ``pytest -s`` (or the CI log) can be quoted.

How each fault is made:

- Redis refusing or hanging: this process's Celery app (the one the views enqueue through) is
  pointed at ``RedisProxy``, a port in front of the real Redis that passes traffic through,
  refuses connections (the port stays bound without listening, as when Redis is stopped) or
  accepts and never answers. The workers talk to the real Redis directly.
- A worker killed: a worker subprocess of our own, on a queue of its own, is sent SIGKILL while
  its rebuild transaction has written rows, as ``pg_stat_activity`` shows.
- PostgreSQL connections cut: ``pg_terminate_backend`` from a separate connection, between
  requests served by Django's WSGI handler in this thread, as a gunicorn sync worker serves
  them (the test client skips the connection handling at request start and end, and a live
  server opens a new connection per request; neither would reuse a killed connection).
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit
from wsgiref.util import setup_testing_defaults

import psycopg
import pytest
import redis
from django.apps import apps
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.db.models import Model, Sum
from django.test import Client
from django.urls import reverse

from config.celery import app as celery_app
from conftest import World, login
from portal import outbox as portal_outbox
from portal import queue as task_queue
from portal.models import Outbox
from progress import tasks as progress_tasks
from progress.models import ChangeStory, ChangeType, TargetGroup
from reporting import aggregates, tasks
from reporting.models import ReportState, StoryAggregate
from tests.form_data import story_form_data

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(
        not (settings.REDIS_URL and connection.vendor == "postgresql"),
        reason=(
            "fault tests need PostgreSQL (DATABASE_URL) and Redis (REDIS_URL), as .ci/run "
            "provides; on the embedded default tasks run eagerly and there is no broker to break"
        ),
    ),
]

ROOT = Path(settings.BASE_DIR)
Rows = list[tuple[object, ...]]


@pytest.fixture
def default_taxonomy(transactional_db: None) -> None:
    """The change types and target groups a migration seeds (a transactional test's flush
    removes them), put back with the migration's own function."""
    migration = importlib.import_module("progress.migrations.0002_default_taxonomy")
    migration.create_defaults(apps, None)


# --- Report tables -----------------------------------------------------------------------------


def _report_models() -> list[type[Model]]:
    """Every aggregate table (story cells, and any other report table built the same way)."""
    return sorted(
        (model for model in apps.get_models() if model.__name__.endswith("Aggregate")),
        key=lambda model: model._meta.label,
    )


def _is_measure(name: str) -> bool:
    return name.endswith(("_count", "_sum")) or name.startswith("participants_")


def report_rows() -> dict[str, Rows]:
    """Each report table as sorted rows of every column but the id."""
    tables = {}
    for model in _report_models():
        names = [field.attname for field in model._meta.concrete_fields if not field.primary_key]
        tables[model._meta.label] = sorted(model._default_manager.values_list(*names), key=repr)
    return tables


def compare(kept: dict[str, Rows], rebuilt: dict[str, Rows]) -> dict[str, int]:
    """Cells a rebuild has that the kept table lacks (lost), the reverse (stray), and cells whose
    dimensions appear more than once in the kept table (duplicated)."""
    lost = stray = duplicated = 0
    for label, rows in rebuilt.items():
        model = apps.get_model(label)
        names = [field.attname for field in model._meta.concrete_fields if not field.primary_key]
        dimensions = [i for i, name in enumerate(names) if not _is_measure(name)]
        mine, theirs = Counter(kept[label]), Counter(rows)
        lost += sum((theirs - mine).values())
        stray += sum((mine - theirs).values())
        keys = Counter(tuple(row[i] for i in dimensions) for row in kept[label])
        duplicated += sum(count - 1 for count in keys.values() if count > 1)
    return {"lost": lost, "stray": stray, "duplicated": duplicated}


def cell_totals() -> tuple[int, int]:
    """What a reader of the story figures sees: the number of cells and the stories they count."""
    figures = StoryAggregate.objects.aggregate(stories=Sum("story_count"))
    return StoryAggregate.objects.count(), figures["stories"] or 0


# --- A Redis that can be made to refuse or to hang ---------------------------------------------


class RedisProxy:
    """A port in front of the real Redis that passes traffic through, refuses, or black-holes.

    Refusing closes every connection and keeps the port bound without listening, so new
    connections get ECONNREFUSED, as with Redis stopped, and nothing else can take the port.
    Passing through again listens on the same port: the broker URL never changes, as when Redis
    comes back. Black-holing accepts connections and never answers, on new connections and on
    those already open.
    """

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.mode = "refuse"
        self.accepted = 0
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []
        self._listener: socket.socket | None = None
        self._acceptor: threading.Thread | None = None
        self._bound = self._bind(0)
        self.port = self._bound.getsockname()[1]

    @staticmethod
    def _bind(port: int) -> socket.socket:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))
        return sock

    def url(self, path: str) -> str:
        return f"redis://127.0.0.1:{self.port}{path}"

    def forward(self) -> None:
        self._serve("forward")

    def black_hole(self) -> None:
        self._serve("black hole")

    def refuse(self) -> None:
        with self._lock:
            self.mode = "refuse"
            self._listener = None  # the acceptor closes it and ends
        if self._acceptor is not None:
            self._acceptor.join()
            self._acceptor = None
        self._sever()
        if self._bound.fileno() == -1:  # closed with the listener: hold the port again
            self._bound = self._bind(self.port)

    def close(self) -> None:
        self.refuse()
        self._bound.close()

    def _serve(self, mode: str) -> None:
        with self._lock:
            self.mode = mode
            if self._listener is None:
                listener = self._listener = self._bound
                listener.listen(64)
                listener.settimeout(0.1)
                self._acceptor = threading.Thread(
                    target=self._accept, args=(listener,), daemon=True
                )
                self._acceptor.start()

    def _sever(self) -> None:
        with self._lock:
            sockets, self._open = self._open, []
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self, listener: socket.socket) -> None:
        with listener:
            while self._listener is listener:
                with contextlib.suppress(TimeoutError):
                    self._take(listener.accept()[0])

    def _take(self, client: socket.socket) -> None:
        client.settimeout(None)
        with self._lock:
            self.accepted += 1
            self._open.append(client)
            mode = self.mode
        if mode != "forward":
            return  # held open, never read, never answered
        try:
            upstream = socket.create_connection(self.upstream, timeout=3)
        except OSError:
            client.close()
            return
        upstream.settimeout(None)
        with self._lock:
            self._open.append(upstream)
        for source, sink in ((client, upstream), (upstream, client)):
            threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                if self.mode == "forward":
                    sink.sendall(data)
                # A black hole swallows what arrives on the connections already open too.
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def redis_proxy() -> Iterator[RedisProxy]:
    real = urlsplit(settings.REDIS_URL)
    proxy = RedisProxy((real.hostname or "127.0.0.1", real.port or 6379))
    yield proxy
    proxy.close()


@contextlib.contextmanager
def broker_at(url: str) -> Iterator[None]:
    """Point this process's Celery app, through which the views enqueue, at ``url``.

    Celery keeps the connection pool and producer pool of the URL it first used; dropping the
    app's references makes it take (kombu's cached) pools for the new URL.
    """
    previous = celery_app.conf.broker_url

    def drop_pools() -> None:
        celery_app._pool = None  # type: ignore[attr-defined]
        celery_app.amqp._producer_pool = None  # type: ignore[attr-defined]

    drop_pools()
    celery_app.conf["broker_url"] = url
    try:
        yield
    finally:
        drop_pools()
        celery_app.conf["broker_url"] = previous


@pytest.fixture
def enqueue_unpaused(monkeypatch: pytest.MonkeyPatch) -> None:
    """No pause left over from an earlier broker failure in this process (put back after)."""
    monkeypatch.setattr(task_queue, "_paused_until", 0.0)


def _enqueue_failures(caplog: pytest.LogCaptureFixture) -> int:
    return sum(
        "queue.enqueue_failed task=reporting.refresh_aggregates" in record.getMessage()
        for record in caplog.records
    )


# --- Workers of our own ------------------------------------------------------------------------


def _test_database_url() -> str:
    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{db['USER']}@{host}:{port}/{db['NAME']}"


class Worker:
    """A Celery worker subprocess on a queue of its own, reading the test database.

    Its own queue keeps the session's worker (``celery_worker_process``, on the default queue)
    from taking the tasks these tests send, and these workers from taking anyone else's.
    """

    def __init__(self, queue: str, pool: str, log: Path) -> None:
        self.queue = queue
        self.name = f"{queue}-{uuid.uuid4().hex[:6]}@faults"
        self.log = log
        env = {**os.environ, "DATABASE_URL": _test_database_url(), "DEBUG": "true"}
        self._log = log.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                f"--pool={pool}",
                "--concurrency=1",
                f"--queues={queue}",
                f"--hostname={self.name}",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            env=env,
            cwd=ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while not celery_app.control.ping(destination=[self.name], timeout=0.5):
            assert self.process.poll() is None, f"the worker exited at start-up; see {log}"
            assert time.monotonic() < deadline, f"the worker did not answer within 30 s; {log}"

    @property
    def pid(self) -> int:
        return self.process.pid

    def received(self, task_id: str) -> int:
        """How often a worker logging to this file was handed the task."""
        return self.log.read_text().count(f"[{task_id}] received")

    def children(self) -> list[int]:
        """The pool processes of a prefork worker (Linux: from /proc)."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError):
                # pid (comm) state ppid …: comm may hold spaces, so split after its ")".
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.pid:
                    found.append(int(stat.parent.name))
        return found

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


@pytest.fixture
def start_worker(tmp_path: Path) -> Iterator[Callable[[str, str], Worker]]:
    started: list[Worker] = []

    def start(queue: str, pool: str) -> Worker:
        worker = Worker(queue, pool, tmp_path / "worker.log")
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()
    # The queues of our own leave nothing behind in Redis.
    client = redis.Redis.from_url(settings.REDIS_URL)
    for queue in {worker.queue for worker in started}:
        client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")


# --- Stories in bulk ---------------------------------------------------------------------------


def seed_counted_stories(template: ChangeStory, count: int) -> None:
    """``count`` verified copies of ``template``, over 36 months, five significances, every
    change type and (for half of them) a target group, written by SQL."""
    story = ChangeStory._meta.db_table
    types = ChangeStory.change_types.through._meta.db_table
    groups = ChangeStory.target_groups.through._meta.db_table
    overrides = {
        "reference": "'FT' || lpad(g::text, 8, '0')",
        "form_token": "NULL",
        "title": "'Seeded story'",
        "narrative": "''",
        "status": "%s",
        "event_date": "CAST(DATE '2023-01-15' + mod(g, 36) * INTERVAL '1 month' AS date)",
        "significance": "1 + mod(g, 5)",
    }
    columns = [
        str(field.column) for field in ChangeStory._meta.concrete_fields if not field.primary_key
    ]
    select = ", ".join(overrides.get(column, f"s.{column}") for column in columns)
    type_ids = list(ChangeType.objects.order_by("pk").values_list("pk", flat=True))
    group_ids = list(TargetGroup.objects.order_by("pk").values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {story} ({', '.join(columns)}) SELECT {select} "  # noqa: S608
            f"FROM {story} s, generate_series(1, %s) g WHERE s.id = %s",
            [ChangeStory.Status.VERIFIED, count, template.pk],
        )
        cursor.execute(
            f"INSERT INTO {types} (changestory_id, changetype_id) "  # noqa: S608
            f"SELECT id, (%s::bigint[])[1 + mod(id, %s)] FROM {story} "
            "WHERE reference LIKE 'FT%%'",
            [type_ids, len(type_ids)],
        )
        cursor.execute(
            f"INSERT INTO {groups} (changestory_id, targetgroup_id) "  # noqa: S608
            f"SELECT id, (%s::bigint[])[1 + mod(id / 2, %s)] FROM {story} "
            "WHERE reference LIKE 'FT%%' AND mod(id, 2) = 0",
            [group_ids, len(group_ids)],
        )
        for table in (story, types, groups):
            cursor.execute(f"ANALYZE {table}")


# The rebuild's transaction once it has written: another backend in this database, holding a
# transaction id, running the INSERT … SELECT into the story cells.
REBUILD_IN_FLIGHT = f"""
    SELECT pid, backend_xid::text FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'
      AND backend_xid IS NOT NULL AND query ILIKE '%INSERT INTO {StoryAggregate._meta.db_table}%'
"""  # noqa: S608 - a table name from the model


def kill_during_rebuild(kill: Callable[[], None], reads: Counter[tuple[int, int]]) -> str:
    """Wait for the rebuild's transaction to be writing, kill, wait for its backend to end.

    Reads the figures all along, as a dashboard would, into ``reads``. Returns the status
    PostgreSQL gives the killed transaction (``aborted`` unless it committed).
    """
    deadline = time.monotonic() + 60
    with connection.cursor() as cursor:
        while True:
            reads[cell_totals()] += 1
            cursor.execute(REBUILD_IN_FLIGHT)
            row = cursor.fetchone()
            if row is not None:
                kill()
                break
            assert time.monotonic() < deadline, "no rebuild was seen writing within 60 s"
        backend, xid = row
        while True:
            reads[cell_totals()] += 1
            cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [backend])
            if cursor.fetchone() is None:
                break
            assert time.monotonic() < deadline, "the killed worker's backend did not end"
            time.sleep(0.01)
        # backend_xid is 32 bits; pg_xact_status wants the 64-bit id (with the current epoch).
        cursor.execute(
            "SELECT pg_xact_status(CAST(CAST((CAST(CAST(pg_snapshot_xmax("
            "pg_current_snapshot()) AS text) AS bigint) >> 32 << 32) + %s AS text) AS xid8))",
            [int(xid)],
        )
        return str(cursor.fetchone()[0])


def wait_for_new_figures(since: object, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        state = ReportState.objects.filter(pk=1).first()
        if state is not None and state.refreshed_at != since:
            return
        assert time.monotonic() < deadline, f"no rebuild committed within {seconds:.0f} s"
        time.sleep(0.1)


def _refreshed_at() -> object:
    return ReportState.objects.filter(pk=1).values_list("refreshed_at", flat=True).first()


# --- 1. Redis refusing connections -------------------------------------------------------------


def test_redis_refusing_connections_loses_no_story_and_no_cell(
    default_taxonomy: None,
    world: World,
    client_as: Callable[[str], Client],
    celery_worker_process: None,
    redis_proxy: RedisProxy,
    enqueue_unpaused: None,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="progress.tasks")
    partner, staff = client_as("partner"), client_as("staff")
    type_ids = list(ChangeType.objects.order_by("pk").values_list("pk", flat=True))
    group_ids = list(TargetGroup.objects.order_by("pk").values_list("pk", flat=True))
    statuses: Counter[int] = Counter()
    durations: list[float] = []
    with broker_at(redis_proxy.url(urlsplit(settings.REDIS_URL).path)):
        # Up first, so that the app holds pooled connections when Redis goes away (a task
        # that leaves the outbox alone, for the worker to take).
        redis_proxy.forward()
        progress_tasks.purge_link_attempts.delay()
        redis_proxy.refuse()
        # The world's stories were made by factories, past the outbox: start from complete
        # figures, so that what follows is measured against them.
        aggregates.rebuild_all()

        waiting_before = Outbox.objects.count()
        started = time.monotonic()
        for n in range(50):
            request_started = time.monotonic()
            data = story_form_data(
                world,
                title=f"Fault story {n}",
                event_date=date(2025, 1 + n % 12, 10).isoformat(),
                significance=str(1 + n % 5),
                change_types=[type_ids[n % len(type_ids)]],
                target_groups=[group_ids[n % len(group_ids)]] if n % 3 else [],
            )
            created = partner.post(reverse("story-create"), data)
            statuses[created.status_code] += 1
            durations.append(time.monotonic() - request_started)
            story = ChangeStory.objects.get(title=f"Fault story {n}")
            request_started = time.monotonic()
            review = staff.post(reverse("story-review", args=[story.pk]), {"action": "verified"})
            statuses[review.status_code] += 1
            durations.append(time.monotonic() - request_started)
        elapsed = time.monotonic() - started
        failures = _enqueue_failures(caplog)
        pending = Outbox.objects.count() - waiting_before

        redis_proxy.forward()
        # Redis is back and the pause over: the next story change's request for a refresh
        # reaches the worker, which drains the whole outbox (as beat's sweep would, every 30 s).
        monkeypatch.setattr(task_queue, "_paused_until", 0.0)
        tasks.request_refresh()
        assert _enqueue_failures(caplog) == failures, "enqueueing failed with Redis back"
        deadline = time.monotonic() + 30
        while portal_outbox.refresh_pending():
            assert time.monotonic() < deadline, "the worker did not drain the outbox in 30 s"
            time.sleep(0.1)
        # Redis restarted between two requests: the app's pooled connection is dead, and the
        # publish retry reconnects rather than failing (and pausing the enqueues).
        redis_proxy.refuse()
        redis_proxy.forward()
        tasks.request_refresh()
        assert _enqueue_failures(caplog) == failures, "a Redis restart cost an enqueue"

    saved = ChangeStory.objects.filter(
        title__startswith="Fault story ", status=ChangeStory.Status.VERIFIED
    ).count()
    errors = sum(count for status, count in statuses.items() if status != 302)
    kept = report_rows()
    aggregates.rebuild_all()
    faults = compare(kept, report_rows())
    mean = sum(durations) / len(durations)
    print(
        f"\nfaults: 50 submissions + 50 verifications with Redis refusing, in {elapsed:.1f} s "
        f"(mean {mean * 1000:.0f} ms, slowest {max(durations) * 1000:.0f} ms a request): "
        f"{saved} saved, {errors} errors (statuses {dict(statuses)}), {failures} enqueue "
        f"failure logged (then paused {task_queue.PAUSE_SECONDS:.0f} s), {pending} outbox "
        f"rows waiting; Redis back, outbox drained by the worker: {faults['lost']} lost, "
        f"{faults['stray']} stray, {faults['duplicated']} duplicated cells"
    )
    assert saved == 50
    assert errors == 0
    assert failures >= 1, "the enqueue never reached the refusing port: nothing was tested"
    # One failure per pause, not one per story change (each cost 0.6 s of publish retries).
    assert failures <= 1 + elapsed // task_queue.PAUSE_SECONDS
    assert mean < 0.5
    assert pending >= 100, "a story change left nothing in the outbox"  # and none drained
    assert faults == {"lost": 0, "stray": 0, "duplicated": 0}
    assert kept == report_rows()
    # And the table is not trivially equal: the fault stories are in alpha's figures.
    counted = StoryAggregate.objects.filter(partner=world.alpha, target_group=None).aggregate(
        stories=Sum("story_count")
    )["stories"]
    assert counted is not None and counted >= 50


# --- 2. Redis that accepts and never answers ---------------------------------------------------


def test_redis_that_never_answers_holds_no_request_for_long(
    default_taxonomy: None,
    world: World,
    client_as: Callable[[str], Client],
    redis_proxy: RedisProxy,
    enqueue_unpaused: None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="progress.tasks")
    partner, staff = client_as("partner"), client_as("staff")
    timings: list[tuple[str, int, float]] = []

    def timed(label: str, client: Client, path: str, data: dict[str, Any] | None = None) -> Any:
        started = time.monotonic()
        response = client.post(path, data) if data is not None else client.get(path)
        timings.append((label, response.status_code, time.monotonic() - started))
        return response

    waiting_before = Outbox.objects.count()
    with broker_at(redis_proxy.url(urlsplit(settings.REDIS_URL).path)):
        redis_proxy.black_hole()
        for n in range(2):
            data = story_form_data(world, title=f"Hung broker story {n}")
            timed(f"submit story {n}", partner, reverse("story-create"), data)
        story = ChangeStory.objects.get(title="Hung broker story 0")
        review = reverse("story-review", args=[story.pk])
        timed("verify story 0", staff, review, {"action": "verified"})
        health = timed("/healthz/", Client(), reverse("healthz"))

    slowest = max(seconds for _label, _status, seconds in timings)
    figures = ", ".join(
        f"{label} {status} in {seconds:.1f} s" for label, status, seconds in timings
    )
    saved = ChangeStory.objects.filter(title__startswith="Hung broker story ").count()
    failures = _enqueue_failures(caplog)
    pending = Outbox.objects.count() - waiting_before
    print(
        f"\nfaults: Redis accepting and never answering ({redis_proxy.accepted} connections "
        f"accepted, none answered): {figures}; slowest {slowest:.1f} s; {saved} stories saved, "
        f"{failures} enqueue failure logged (then paused), {pending} outbox rows left for the "
        f"sweep; healthz said {health.json()}"
    )
    assert redis_proxy.accepted >= 1, "nothing reached the black hole: nothing was tested"
    assert slowest < 10
    # The first story change waited out the socket timeout once; the next ones did not wait.
    assert failures == 1
    assert sum(seconds for _label, _status, seconds in timings[:3]) < 10
    assert [status for _label, status, _seconds in timings] == [302, 302, 302, 200]
    assert health.json() == {"database": "ok", "broker": "unreachable"}
    assert saved == 2
    assert pending >= 3, "a story change left nothing in the outbox"  # for the sweep


# --- 3. A worker killed in the middle of a full rebuild ----------------------------------------

STORIES_FOR_A_SLOW_REBUILD = 40_000


def _stale_report(world: World) -> tuple[dict[str, Rows], tuple[int, int]]:
    """A complete report over the world's stories, then many more stories it does not count."""
    for story in (world.alpha_story, world.beta_story):
        story.change_types.add(ChangeType.objects.order_by("pk")[0])
    aggregates.rebuild_all()
    old = report_rows(), cell_totals()
    seed_counted_stories(world.alpha_story, STORIES_FOR_A_SLOW_REBUILD)
    return old


def test_a_pool_process_killed_mid_rebuild_is_redelivered_and_leaves_no_partial_report(
    default_taxonomy: None, world: World, start_worker: Callable[[str, str], Worker]
) -> None:
    """Production runs prefork workers; the kernel's OOM killer picks the pool process."""
    (_old_rows, old_totals) = _stale_report(world)
    worker = start_worker(f"faults-{uuid.uuid4().hex[:8]}", "prefork")
    before = _refreshed_at()
    reads: Counter[tuple[int, int]] = Counter()
    started = time.monotonic()
    task = tasks.rebuild_aggregates.apply_async(queue=worker.queue)
    killed: list[int] = []

    def kill_pool_process() -> None:
        for pid in worker.children():
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    status = kill_during_rebuild(kill_pool_process, reads)
    killed_at = time.monotonic() - started
    wait_for_new_figures(before)
    redelivered_at = time.monotonic() - started
    kept = report_rows()
    new_totals = cell_totals()
    aggregates.rebuild_all()
    faults = compare(kept, report_rows())
    print(
        f"\nfaults: pool process {killed} SIGKILLed {killed_at:.1f} s into a rebuild over "
        f"{STORIES_FOR_A_SLOW_REBUILD + 3} stories: its transaction {status}; the task was "
        f"requeued (acks_late + reject_on_worker_lost) and the new pool process's rebuild "
        f"committed at {redelivered_at:.1f} s; {sum(reads.values())} reads during it saw "
        f"{dict(reads)} (old {old_totals}, new {new_totals}); against a fresh rebuild: "
        f"{faults['lost']} lost, {faults['stray']} stray, {faults['duplicated']} duplicated cells"
    )
    assert killed, "the prefork worker had no pool process to kill"
    assert status == "aborted"
    assert worker.received(task.id) == 2, "the task was not redelivered"
    assert set(reads) <= {old_totals, new_totals}, "a reader saw a half-built report"
    assert reads[old_totals] > 0
    assert new_totals != old_totals
    assert faults == {"lost": 0, "stray": 0, "duplicated": 0}


def _parked_messages(task_id: str) -> list[str]:
    """Delivery tags of ``task_id`` in kombu's unacked hash (delivered, never acknowledged)."""
    client = redis.Redis.from_url(settings.REDIS_URL, decode_responses=True)
    tags = []
    for tag, raw in client.hgetall("unacked").items():
        payload = json.loads(raw)[0]
        if payload.get("headers", {}).get("id") == task_id:
            tags.append(str(tag))
    return tags


def _forget_parked(tags: list[str]) -> None:
    client = redis.Redis.from_url(settings.REDIS_URL)
    for tag in tags:
        client.zrem("unacked_index", tag)
        client.hdel("unacked", tag)


def test_a_worker_killed_mid_rebuild_leaves_the_old_report_until_the_next_rebuild(
    default_taxonomy: None, world: World, start_worker: Callable[[str, str], Worker]
) -> None:
    """The whole worker killed (a solo pool, as the CI worker runs, or the machine lost).

    No parent is left to requeue the task: Redis keeps it as delivered and unacknowledged until
    the visibility timeout (two hours, not read from the environment) hands it to another
    worker. Until then the old, complete report stays; the next rebuild makes it current.
    """
    old_rows, old_totals = _stale_report(world)
    queue = f"faults-{uuid.uuid4().hex[:8]}"
    first = start_worker(queue, "solo")
    before = _refreshed_at()
    reads: Counter[tuple[int, int]] = Counter()
    task = tasks.rebuild_aggregates.apply_async(queue=queue)
    parked: list[str] = []
    try:
        status = kill_during_rebuild(lambda: os.kill(first.pid, signal.SIGKILL), reads)
        first.process.wait(timeout=10)
        second = start_worker(queue, "solo")
        parked = _parked_messages(task.id)
        time.sleep(1)  # a moment for the new worker to take anything it were given
        after_restart = report_rows(), cell_totals(), _refreshed_at()
        tasks.rebuild_aggregates.apply_async(queue=second.queue)
        wait_for_new_figures(before)
    finally:
        _forget_parked(parked)
    kept = report_rows()
    new_totals = cell_totals()
    aggregates.rebuild_all()
    faults = compare(kept, report_rows())
    print(
        f"\nfaults: solo worker SIGKILLed in a rebuild over {STORIES_FOR_A_SLOW_REBUILD + 3} "
        f"stories: its transaction {status}; {sum(reads.values())} reads during it saw "
        f"{dict(reads)} (old {old_totals}); the task parked unacknowledged in Redis "
        f"({len(parked)} message) until the visibility timeout; after a new worker started the "
        f"report was still the old one: {after_restart[0] == old_rows}; a new rebuild gave "
        f"{new_totals}: {faults['lost']} lost, {faults['stray']} stray, "
        f"{faults['duplicated']} duplicated cells"
    )
    assert status == "aborted"
    assert set(reads) == {old_totals}, "a reader saw a half-built report"
    assert first.received(task.id) == 1  # the log both workers write: handed over once
    assert len(parked) == 1
    assert after_restart == (old_rows, old_totals, before)
    assert new_totals != old_totals
    assert faults == {"lost": 0, "stray": 0, "duplicated": 0}


# --- 4. PostgreSQL connections terminated between requests -------------------------------------


class WsgiServer:
    """Requests through Django's WSGI handler in this thread, as a gunicorn sync worker serves
    them: request_started and request_finished are sent, so persistent connections are kept
    between requests and checked (CONN_HEALTH_CHECKS) at the first query of the next one."""

    def __init__(self, cookies: dict[str, str]) -> None:
        self.handler = WSGIHandler()
        self.cookies = dict(cookies)

    def request(self, method: str, path: str, data: dict[str, Any] | None = None) -> int:
        body = urlencode(data or {}, doseq=True).encode()
        environ: dict[str, Any] = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "HTTP_COOKIE": "; ".join(f"{key}={value}" for key, value in self.cookies.items()),
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
        }
        setup_testing_defaults(environ)
        started: list[str] = []
        headers: list[tuple[str, str]] = []

        def start_response(
            status: str, response_headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], object]:
            started.append(status)
            headers.extend(response_headers)
            return lambda _data: None

        result = self.handler(environ, start_response)
        try:
            self.body = b"".join(result).decode()
        finally:
            result.close()  # request_finished, as the server sends it
        for name, value in headers:
            if name.lower() == "set-cookie":
                for key, morsel in SimpleCookie(value).items():
                    self.cookies[key] = morsel.value
        return int(started[0].split()[0])


def _terminate_others(killer: psycopg.Connection[Any]) -> int:
    cursor = killer.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    return len(cursor.fetchall())


def _serve_rounds(
    world: World, server: WsgiServer, killer: psycopg.Connection[Any], label: str
) -> dict[str, Any]:
    """Five rounds of: terminate every other backend, then four requests (one a POST)."""
    statuses: Counter[int] = Counter()
    terminated = replaced = 0
    for n in range(5):
        before = connection.connection.info.backend_pid if connection.connection else None
        terminated += _terminate_others(killer)
        statuses[server.request("GET", reverse("healthz"))] += 1
        statuses[server.request("GET", reverse("story-create"))] += 1
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', server.body)
        data = story_form_data(world, title=f"{label} story {n}")
        data["csrfmiddlewaretoken"] = token.group(1) if token else ""
        statuses[server.request("POST", reverse("story-create"), data)] += 1
        statuses[server.request("GET", reverse("story-list"))] += 1
        after = connection.connection.info.backend_pid if connection.connection else None
        replaced += before is not None and after != before
    errors = sum(count for status, count in statuses.items() if status >= 500)
    saved = ChangeStory.objects.filter(title__startswith=f"{label} story ").count()
    return {
        "terminated": terminated,
        "replaced": replaced,
        "statuses": dict(statuses),
        "errors": errors,
        "saved": saved,
    }


def test_postgresql_connections_terminated_between_requests_cost_no_errors(
    default_taxonomy: None, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    assert connection.settings_dict["CONN_MAX_AGE"] > 0
    session = login(Client(), world.users["partner"]).cookies[settings.SESSION_COOKIE_NAME]
    server = WsgiServer({settings.SESSION_COOKIE_NAME: session.value})
    server.request("GET", reverse("healthz"))  # the persistent connection the kills will hit
    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        dbname=db["NAME"],
        autocommit=True,
    ) as killer:
        checked = _serve_rounds(world, server, killer, "Checked")
        # The same without the health check, to show what the setting saves.
        caplog.set_level(logging.CRITICAL, logger="django.request")
        connection.settings_dict["CONN_HEALTH_CHECKS"] = False
        connection.close()
        connection.ensure_connection()
        try:
            unchecked = _serve_rounds(world, server, killer, "Unchecked")
        finally:
            connection.settings_dict["CONN_HEALTH_CHECKS"] = True
            connection.close()
    print(
        f"\nfaults: PostgreSQL backends terminated before each of 5 rounds of 4 requests "
        f"(healthz, story form, story POST, story list) through the WSGI handler: with "
        f"CONN_HEALTH_CHECKS, {checked['terminated']} backends terminated, the handler's "
        f"connection replaced {checked['replaced']} times, {checked['errors']} errors "
        f"(statuses {checked['statuses']}), {checked['saved']} stories saved; without it, "
        f"{unchecked['errors']} errors (statuses {unchecked['statuses']})"
    )
    assert checked["replaced"] == 5, "the kills did not hit the connection the handler reuses"
    assert checked["errors"] == 0
    assert checked["statuses"] == {200: 15, 302: 5}
    assert checked["saved"] == 5
    assert unchecked["errors"] > 0, "the control run hit no dead connection: the test has no teeth"

"""Shared fixtures: a small world with every demo role, and clients logged in as each of them."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from partners.models import Partner, SolidarityNetwork
from portal.models import User
from programs.models import Program, Project
from progress.models import ChangeStory
from reporting import aggregates
from tests import factories

ROLES = ("admin", "staff", "officer", "partner", "partner2", "secret", "member")


@dataclass
class World:
    """Three partners (one confidential), a network, a programme, and one user per demo role."""

    alpha: Partner  # the `partner` user's organisation
    beta: Partner  # the `partner2` user's organisation
    hidden: Partner  # confidential; the `secret` user's organisation
    network: SolidarityNetwork
    program: Program
    alpha_project: Project
    beta_project: Project
    hidden_project: Project
    alpha_story: ChangeStory
    beta_story: ChangeStory
    hidden_story: ChangeStory
    users: dict[str, User]


@pytest.fixture
def world(db: None) -> World:
    alpha = factories.PartnerFactory.create(
        name="Frente de Mujeres Alfa", country="GT", region="latam"
    )
    beta = factories.PartnerFactory.create(name="Sindicato Beta", country="CO", region="latam")
    hidden = factories.PartnerFactory.create(
        name="Hidden Rainbow Union",
        country="TR",
        region="mena",
        is_confidential=True,
        description="Works in Izmir.",
    )
    for partner in (alpha, beta, hidden):
        factories.ContactFactory.create(partner=partner, name=f"Contact of {partner.name}")
    program = factories.ProgramFactory.create(title="Democracy programme")
    projects = {
        partner.pk: factories.ProjectFactory.create(
            program=program, partner=partner, title=f"Project of {partner.name}"
        )
        for partner in (alpha, beta, hidden)
    }
    stories = {
        partner.pk: factories.StoryFactory.create(
            partner=partner,
            project=projects[partner.pk],
            program=program,
            title=f"Story of {partner.name}",
            locality="Izmir" if partner is hidden else "Quetzaltenango",
        )
        for partner in (alpha, beta, hidden)
    }
    network = factories.NetworkFactory.create(name="Latin America network")
    network.partners.add(alpha, beta, hidden)
    network.programs.add(program)
    membership = factories.MembershipFactory.create(network=network)
    users = {
        "admin": factories.UserFactory.create(
            username="admin", is_superuser=True, is_staff=True, is_cleared=True
        ),
        "staff": factories.UserFactory.create(username="staff", is_cleared=True),
        "officer": factories.UserFactory.create(username="officer"),
        "partner": factories.UserFactory.create(username="partner", role="partner", partner=alpha),
        "partner2": factories.UserFactory.create(username="partner2", role="partner", partner=beta),
        "secret": factories.UserFactory.create(username="secret", role="partner", partner=hidden),
        "member": factories.UserFactory.create(
            username="member",
            role="member",
            member_organisation=membership.member_organisation,
        ),
    }
    for name in ("admin", "staff"):
        factories.add_totp_device(users[name])
    # Factories write past the services, so past the outbox: bring the kept counts up to date.
    aggregates.rebuild_all()
    return World(
        alpha=alpha,
        beta=beta,
        hidden=hidden,
        network=network,
        program=program,
        alpha_project=projects[alpha.pk],
        beta_project=projects[beta.pk],
        hidden_project=projects[hidden.pk],
        alpha_story=stories[alpha.pk],
        beta_story=stories[beta.pk],
        hidden_story=stories[hidden.pk],
        users=users,
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """Put back the change types and target groups a migration seeds, after a transactional test.

    Such a test ends with a flush that empties every table, the migration's rows included; the
    next test on the same process (in any order, with pytest-xdist) would find no change types.
    The flush is the last of the test's fixture teardowns, so this runs after the teardown hook.
    """
    yield
    if nextitem is None:
        return  # the last test of this process: the test database is gone with its fixtures
    if not {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())):
        return

    from django.apps import apps
    from pytest_django.plugin import blocking_manager_key

    migration = importlib.import_module("progress.migrations.0002_default_taxonomy")
    with item.config.stash[blocking_manager_key].unblock():
        migration.create_defaults(apps, None)


@pytest.fixture(autouse=True)
def _sessions_in_the_database(settings: Any) -> None:
    """Every test keeps sessions in the database, with or without Redis, so that the pinned
    query counts are the same on both runs; tests/portal/test_sessions.py checks the Redis
    sessions themselves."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"


def login(client: Client, user: User) -> Client:
    """Log a client in as the login view would, second factor included where the role needs it."""
    client.force_login(user)
    if user.requires_second_factor:
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def client_as(world: World) -> Callable[[str], Client]:
    def make(role: str) -> Client:
        return login(Client(), world.users[role])

    return make


@pytest.fixture(scope="module")
def demo_once(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """``seed_demo`` (80 stories) once for a whole test module, in a transaction rolled back
    after its last test; each test that asks for ``db`` runs in a savepoint inside it, so what
    a test changes is undone as usual. For modules whose every test reads the demo: seeding
    takes 8 s on SQLite and 18 s on PostgreSQL, and was paid by each test. A module that also
    builds the small ``world`` cannot use it (the demo and the world share usernames)."""
    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
        try:
            # seed_demo refuses production settings (the demo logins have a published password).
            with override_settings(DEBUG=True):
                call_command("seed_demo", stories=80, verbosity=0)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def start_celery_worker(*options: str) -> subprocess.Popen[bytes]:
    """A real Celery worker over Redis, reading the test database, started and answering.

    PostgreSQL and Redis only: skips the calling test without them.
    """
    from django.conf import settings
    from django.db import connection

    if not settings.REDIS_URL or connection.vendor != "postgresql":
        reason = "needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL); .ci/run provides both"
        pytest.skip(reason)
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "true"}
    worker = subprocess.Popen(  # noqa: S603 - this interpreter, the tests' own options
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            *(options or ("--pool=solo",)),
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ],
        env=env,
        cwd=Path(__file__).resolve().parent,
    )
    from config.celery import app

    for _ in range(60):
        if worker.poll() is not None:
            pytest.fail("the Celery worker exited at start-up")
        if app.control.ping(timeout=0.5):
            return worker
    stop_celery_worker(worker)
    pytest.fail("the Celery worker did not answer a ping within 30 seconds")


def stop_celery_worker(worker: subprocess.Popen[bytes]) -> None:
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup: None, django_db_blocker: object) -> Iterator[None]:
    """A real Celery worker over Redis, reading the test database. PostgreSQL and Redis only."""
    worker = start_celery_worker()
    try:
        yield
    finally:
        stop_celery_worker(worker)


# --- Figures ------------------------------------------------------------------------------------
# Tests that measure something (payloads tried, requests made, rows checked) print one line of
# figures. pytest hides a passing test's output; these lines are gathered and printed at the end
# of the run, so that CI's log shows them.
_FIGURES: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" and report.passed and report.capstdout:
        _FIGURES.extend(line for line in report.capstdout.splitlines() if line.strip())


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _FIGURES:
        terminalreporter.section("figures printed by the tests")
        for line in _FIGURES:
            terminalreporter.write_line(line)

"""Playwright driving Debian's Chromium (never a downloaded browser)."""

from __future__ import annotations

import importlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
PROJECT_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = PROJECT_ROOT / "test-results" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make around
# it (fixtures, assertions) are ordinary blocking calls that Django would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        message = f"Browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)."
        if os.environ.get("CI"):
            pytest.fail(message)  # CI installs it: a missing browser there is a broken CI
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def default_taxonomy(transactional_db: None) -> None:
    """The change types and target groups a migration seeds.

    Transactional tests (needed so the live server sees the data) end with a flush that removes
    them, so each browser test puts them back with the migration's own function.
    """
    from django.apps import apps

    migration = importlib.import_module("progress.migrations.0002_default_taxonomy")
    migration.create_defaults(apps, None)


def screenshot(page: object, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path


# --- The demo site: `seed_demo` data served under production settings ---------------------------

DEMO_PASSWORD = "demo-pass-2026"  # published in the README, demo data only
DEMO_TOTP_KEY_HEX = "48656c6c6f21deadbeef"  # the demo secret JBSWY3DPEHPK3PXP, as hex


@dataclass(frozen=True)
class DemoSite:
    base_url: str
    static_root: Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _manage(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(  # noqa: S603 (our own interpreter and manage.py, fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        pytest.fail(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    """The demo data (`seed_demo`) in a SQLite file of its own, served by gunicorn as in production.

    A server of its own rather than pytest-django's live server: transactional tests end with a
    flush that would wipe the demo data, and production settings (DEBUG off, hashed and
    compressed static files from WhiteNoise, gzip) are what the page weight is about. The
    server runs in a process group of its own and is stopped by its process id.
    """
    root = tmp_path_factory.mktemp("demo-site")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    env |= {
        "DATABASE_URL": f"sqlite:///{root / 'demo.sqlite3'}",
        "MEDIA_ROOT": str(root / "media"),
        "STATIC_ROOT": str(root / "static"),
        "LOG_LEVEL": "WARNING",
    }
    # seed_demo refuses to run without DEBUG (the demo logins have a published password).
    development = env | {"DEBUG": "true"}
    _manage(development, "migrate", "--noinput")
    _manage(development, "seed_demo")
    production = env | {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        # Plain HTTP on 127.0.0.1, which Chromium trusts with secure cookies.
        "SECURE_SSL_REDIRECT": "false",
    }
    _manage(production, "collectstatic", "--noinput")
    from django.conf import settings

    # The project's own WSGI entry point, in gunicorn's module:attribute form.
    module, _, attribute = settings.WSGI_APPLICATION.rpartition(".")
    port = _free_port()
    log = (root / "gunicorn.log").open("wb")
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            f"{module}:{attribute}",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--worker-class",
            "gthread",
            "--threads",
            "4",
        ],
        cwd=PROJECT_ROOT,
        env=production,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                pytest.fail(f"gunicorn exited at start-up: {(root / 'gunicorn.log').read_text()}")
            try:
                with urllib.request.urlopen(f"{base_url}/healthz/", timeout=2):  # noqa: S310
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("the demo site did not answer within 60 seconds")
                time.sleep(0.2)
        yield DemoSite(base_url=base_url, static_root=root / "static")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def demo_code() -> str:
    """The current one-time code of the demo authenticator (admin and staff)."""
    from django_otp.oath import totp

    return f"{totp(bytes.fromhex(DEMO_TOTP_KEY_HEX)):06d}"

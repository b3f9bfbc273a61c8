"""The container image and the compose stack agree with what the settings actually read.

Docker is not needed: the files are parsed, and settings are loaded in a subprocess with the
environment production would give them. A typo in a variable name or a service host fails here
instead of at 3 a.m. on a server that silently fell back to SQLite and eager tasks.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shlex
import subprocess
import sys
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SERVICES = {"postgres", "redis", "web", "worker", "beat"}
APP_SERVICES = {"web", "worker", "beat"}
REQUIRED_APP_ENV = {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}

# django-environ calls (env("X"), env.str("X"), env.db("X"), env.list("X"), ...) and, in case
# someone reaches past it, os.environ / os.getenv.
SETTINGS_ENV_READ = re.compile(
    r"""(?:\benv(?:\.\w+)?\(|\bos\.environ(?:\.get\(|\[)|\bos\.getenv\()\s*["']([A-Za-z_]\w*)["']"""
)


@cache
def _compose() -> dict[str, Any]:
    return yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())


def _service(name: str) -> dict[str, Any]:
    return _compose()["services"][name]


def _environment(name: str) -> dict[str, str]:
    # Compose accepts both a mapping and a list of KEY=VALUE strings.
    environment = _service(name).get("environment") or {}
    if isinstance(environment, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in environment)
    return {key: "" if value is None else str(value) for key, value in environment.items()}


def _argv(command: str | list[str]) -> list[str]:
    # A `sh -c "..."` command is judged by the script it runs.
    if isinstance(command, str):
        return shlex.split(command)
    if command[:2] == ["sh", "-c"] or command[:2] == ["/bin/sh", "-c"]:
        return shlex.split(" ".join(command[2:]))
    return list(command)


def _contains_run(argv: list[str], run: list[str]) -> bool:
    return any(argv[i : i + len(run)] == run for i in range(len(argv) - len(run) + 1))


def _healthcheck_text(name: str) -> str:
    test = _service(name)["healthcheck"]["test"]
    return test if isinstance(test, str) else " ".join(test)


@cache
def _settings_env_names() -> frozenset[str]:
    source = (PROJECT_ROOT / "config" / "settings.py").read_text()
    return frozenset(SETTINGS_ENV_READ.findall(source))


@cache
def _dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined and comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for line in (PROJECT_ROOT / "Dockerfile").read_text().splitlines():
        if line.strip().startswith("#"):
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        logical = (pending + line).strip()
        pending = ""
        if logical:
            keyword, _, arguments = logical.partition(" ")
            instructions.append((keyword.upper(), arguments.strip()))
    return instructions


def _final_stage() -> list[tuple[str, str]]:
    instructions = _dockerfile()
    last_from = max(i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM")
    return instructions[last_from:]


def _exec_or_shell(arguments: str) -> list[str]:
    return json.loads(arguments) if arguments.startswith("[") else shlex.split(arguments)


def _run_settings(environment: dict[str, str], code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 -- our own interpreter, fixed arguments
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _production_environment(**overrides: str) -> dict[str, str]:
    environment = dict(os.environ)
    # Whatever the test run exported (pytest-env sets DEBUG=true) must not leak into "production".
    for name in _settings_env_names():
        environment.pop(name, None)
    environment.update({"DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "false"})
    environment.update(overrides)
    return environment


# --- docker-compose.yml --------------------------------------------------------------------------


def test_it_defines_the_five_services() -> None:
    assert set(_compose()["services"]) == SERVICES


def test_it_builds_the_app_services_from_one_image() -> None:
    built = {name for name, service in _compose()["services"].items() if "build" in service}
    assert built == APP_SERVICES
    assert len({_service(name).get("image") for name in APP_SERVICES}) == 1


def test_it_migrates_then_serves_the_wsgi_app_with_gunicorn() -> None:
    argv = _argv(_service("web")["command"])
    assert "gunicorn" in argv
    assert "config.wsgi:application" in argv
    assert _contains_run(argv, ["manage.py", "migrate", "--noinput"])
    assert argv.index("migrate") < argv.index("gunicorn")
    assert "8000:8000" in [str(port) for port in _service("web")["ports"]]


def test_it_serves_with_the_same_gunicorn_arguments_as_the_image() -> None:
    # Two copies of the server command drift unless something compares them.
    argv = _argv(_service("web")["command"])
    compose_gunicorn = argv[argv.index("gunicorn") :]
    (image_command,) = [arguments for keyword, arguments in _final_stage() if keyword == "CMD"]
    assert compose_gunicorn == _exec_or_shell(image_command)


def test_it_runs_a_celery_worker_and_beat_on_the_portal_app() -> None:
    assert _contains_run(_argv(_service("worker")["command"]), ["celery", "-A", "config", "worker"])
    assert _contains_run(_argv(_service("beat")["command"]), ["celery", "-A", "config", "beat"])


def test_it_gives_every_app_service_the_production_settings() -> None:
    for name in APP_SERVICES:
        missing = REQUIRED_APP_ENV - set(_environment(name))
        assert not missing, f"{name} lacks {sorted(missing)}"


def test_it_sets_only_variables_the_settings_read() -> None:
    read = _settings_env_names()
    # Guards the regex itself: if it stopped matching, every name would look unknown, or the
    # check below would pass on an empty set.
    assert read >= REQUIRED_APP_ENV
    for name in APP_SERVICES:
        unknown = set(_environment(name)) - read
        assert not unknown, f"{name} sets {sorted(unknown)}, which config/settings.py never reads"


def test_it_points_the_app_at_the_compose_postgres_and_redis() -> None:
    postgres = _environment("postgres")
    for name in APP_SERVICES:
        database = urlsplit(_environment(name)["DATABASE_URL"])
        assert database.scheme in {"postgres", "postgresql"}
        assert database.hostname == "postgres"
        assert database.username == postgres["POSTGRES_USER"]
        assert database.password == postgres["POSTGRES_PASSWORD"]
        assert database.path == f"/{postgres['POSTGRES_DB']}"

        broker = urlsplit(_environment(name)["REDIS_URL"])
        assert broker.scheme == "redis"
        assert broker.hostname == "redis"


def test_it_turns_debug_off_and_requires_a_secret_key_from_outside() -> None:
    for name in APP_SERVICES:
        environment = _environment(name)
        assert environment["DEBUG"].lower() == "false"
        # ${SECRET_KEY:?...} stops `docker compose up` when the key is unset, rather than
        # shipping a default that would be the same on every machine.
        assert re.fullmatch(r"\$\{SECRET_KEY:\?[^}]*\}", environment["SECRET_KEY"])


def test_it_health_checks_every_service() -> None:
    for name in SERVICES:
        healthcheck = _service(name).get("healthcheck") or {}
        assert healthcheck.get("test"), f"{name} has no healthcheck"
        assert not healthcheck.get("disable"), f"{name} disables its healthcheck"


def test_it_probes_each_app_service_for_what_it_does() -> None:
    # The image's HEALTHCHECK probes the web server; worker and beat must replace it with a ping
    # to their own Celery node, or they would report unhealthy forever.
    web = _healthcheck_text("web")
    assert "/healthz/" in web
    assert "X-Forwarded-Proto" in web
    assert "inspect ping" in _healthcheck_text("worker")
    assert "celery@" in _healthcheck_text("worker")
    assert "inspect ping" in _healthcheck_text("beat")
    assert "celerybeat@" in _healthcheck_text("beat")
    assert "--enable-remote-control" in _argv(_service("beat")["command"])


def test_it_starts_web_after_postgres_and_redis_are_healthy() -> None:
    depends_on = _service("web")["depends_on"]
    assert isinstance(depends_on, dict), "a plain list waits for start, not for health"
    for dependency in ("postgres", "redis"):
        assert depends_on[dependency]["condition"] == "service_healthy"


# --- Dockerfile ----------------------------------------------------------------------------------


def test_it_runs_gunicorn_by_default() -> None:
    commands = [
        arguments for keyword, arguments in _final_stage() if keyword in {"CMD", "ENTRYPOINT"}
    ]
    assert commands
    argv = [word for arguments in commands for word in _exec_or_shell(arguments)]
    assert "gunicorn" in argv
    assert "config.wsgi:application" in argv


def test_it_installs_the_hashed_lock() -> None:
    installs = [
        shlex.split(arguments)
        for keyword, arguments in _dockerfile()
        if keyword == "RUN" and "pip install" in arguments
    ]
    assert any(
        "--require-hashes" in argv
        and any(
            flag in {"-r", "--requirement"} and path.endswith("requirements.lock")
            for flag, path in pairwise(argv)
        )
        for argv in installs
    ), installs


def test_it_collects_static_files_at_build_time() -> None:
    assert any(
        keyword == "RUN" and "collectstatic --noinput" in arguments
        for keyword, arguments in _dockerfile()
    )


def test_it_runs_as_a_non_root_user() -> None:
    users = [arguments for keyword, arguments in _final_stage() if keyword == "USER"]
    assert users
    assert users[-1].split(":")[0] not in {"root", "0"}


def test_it_health_checks_the_image_through_the_proxy_header() -> None:
    (healthcheck,) = [
        arguments for keyword, arguments in _final_stage() if keyword == "HEALTHCHECK"
    ]
    assert "/healthz/" in healthcheck
    assert "X-Forwarded-Proto" in healthcheck


def test_it_keeps_local_state_out_of_the_build_context() -> None:
    # var/ holds the development database and uploads; .venv would not run in the image anyway.
    ignored = {
        line.strip().strip("/").removeprefix("**/")
        for line in (PROJECT_ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".venv", "var", ".git", "staticfiles"} <= ignored


# --- Settings in production mode -----------------------------------------------------------------


def test_it_refuses_to_start_in_production_with_the_default_secret() -> None:
    result = _run_settings(_production_environment(), "import django; django.setup()")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_it_starts_in_production_with_a_real_secret(tmp_path: Path) -> None:
    environment = _production_environment(
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}",
    )
    result = _run_settings(environment, "import django; django.setup()")
    assert result.returncode == 0, result.stderr


def test_it_passes_system_checks_with_the_compose_environment() -> None:
    # Loads settings with exactly what compose hands the web container, so a value the settings
    # cannot parse (a malformed URL, a boolean spelled wrongly) fails here. No database is opened.
    environment = _production_environment(**_environment("web"))
    environment["SECRET_KEY"] = secrets.token_urlsafe(50)
    result = _run_settings(
        environment,
        "from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--fail-level', 'ERROR'])",
    )
    assert result.returncode == 0, result.stderr

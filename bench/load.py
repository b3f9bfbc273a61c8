"""``make bench``: the portal under load beside a bare Django view, on one PostgreSQL.

    make bench                       # 1,000,000 stories into the database ``bench``
    make bench STORIES=100000        # a quicker run
    .venv/bin/python bench/load.py --help

From a fresh clone on a machine with PostgreSQL and Redis (and ``wrk``): creates the database if
it is missing, migrates, seeds ``STORIES`` stories with ``seed_demo`` (a re-run over the same
database finds them and adds nothing), then measures, in one run:

1. the kept figures: a full ``rebuild_reports`` beside the plain ``SELECT … GROUP BY`` of each of
   its statements (the same cells, computed but not kept), and the refresh after one story of
   the largest partner is verified;
2. the pages: the portal under gunicorn (2 sync workers, production settings, a Celery worker
   draining the outbox) and a bare Django view over the same table (``bench/bare``, 2 workers)
   are loaded by ``wrk`` over loopback, page and bare view in turn, as logged-in users;
3. the peak memory of each web and worker process.

Writes the tables between the ``make bench`` markers of ``docs/benchmarks.md`` and the raw
figures to ``var/bench/last.json``. Times are facts of the machine, never test assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
VAR = ROOT / "var" / "bench"
DOCS = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- make bench: start -->", "<!-- make bench: end -->"
PORTAL_PORT, BARE_PORT = 8101, 8102


@dataclass(frozen=True)
class Target:
    """What issue #15 asks of a page: a share of the bare view's requests/s, a p95 ceiling."""

    share: float
    p95_ms: float = 150.0


@dataclass
class PageRun:
    label: str
    url: str
    role: str
    target: Target | None
    portal: dict[str, Any] = field(default_factory=dict)
    bare: dict[str, Any] = field(default_factory=dict)

    @property
    def share(self) -> float:
        return rate(self.portal) / rate(self.bare) if rate(self.bare) else 0.0


def rate(run: dict[str, Any]) -> float:
    return run["requests"] / run["seconds"] if run.get("seconds") else 0.0


# --- The database and the processes -----------------------------------------------------------


def ensure_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not found:
            connection.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def existing_stories(url: str) -> int:
    """Stories already in the database (0 on a fresh one): a re-run seeds nothing."""
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as connection:
        table = connection.execute("SELECT to_regclass('progress_changestory')").fetchone()
        if not table or table[0] is None:
            return 0
        row = connection.execute("SELECT COUNT(*) FROM progress_changestory").fetchone()
        return int(row[0]) if row else 0


def timed_command(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run a command to its end; its wall time in seconds and its peak resident memory in MB."""
    started = time.perf_counter()
    process = subprocess.Popen(args, env=env, cwd=ROOT)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(args)}")
    return elapsed, usage.ru_maxrss / 1024


def wait_for(url: str, process: subprocess.Popen[bytes], what: str) -> None:
    for _ in range(120):
        if process.poll() is not None:
            sys.exit(f"{what} exited at start-up; see {VAR}")
        try:
            request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
            with urllib.request.urlopen(request, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    sys.exit(f"{what} did not answer {url} within a minute")


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def peak_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM), in MB."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) / 1024 if found else 0.0


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- The kept figures ----------------------------------------------------------------------------


def measure_figures(refreshes: int) -> dict[str, Any]:
    """Rebuild against the plain GROUP BYs of the same cells; one-story refreshes."""
    from django.db import connection, transaction
    from django.db.models import Sum

    from partners.models import Partner
    from portal.models import User
    from progress import services
    from progress.models import ChangeStory
    from reporting import aggregates
    from reporting.models import StoryAggregate, StoryStatusCount

    figures: dict[str, Any] = {"plain": []}
    with connection.cursor() as cursor:
        for label, sql, params in aggregates.cell_queries():
            started = time.perf_counter()
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS cells", params)  # noqa: S608
            rows = cursor.fetchone()[0]
            figures["plain"].append((label, time.perf_counter() - started, rows))
    figures["plain_total"] = sum(seconds for _label, seconds, _rows in figures["plain"])
    rebuilds = []
    for _ in range(2):
        started = time.perf_counter()
        cells = aggregates.rebuild_all()
        rebuilds.append(time.perf_counter() - started)
    figures["rebuild"] = rebuilds
    # As the rebuild task does after it commits: otherwise autovacuum reclaims the replaced rows
    # during the first pages' load (seen as a bare view at a third of its speed).
    aggregates.vacuum_kept_tables()
    figures["cells"] = cells
    figures["story_cells"] = StoryAggregate.objects.count()
    from reporting.aggregates import ROLLUPS

    figures["rollups"] = [(model.__name__, model.objects.count()) for model, *_ in ROLLUPS]

    largest = (
        StoryStatusCount.objects.values("partner")
        .annotate(n=Sum("story_count"))
        .order_by("-n")
        .first()
    )
    assert largest is not None, "no stories to measure"
    partner = Partner.objects.get(pk=largest["partner"])
    figures["largest_partner_stories"] = largest["n"]
    reviewer = User.objects.get(username="staff")
    waiting = list(
        ChangeStory.objects.filter(
            partner=partner, status=ChangeStory.Status.SUBMITTED, event_date__isnull=False
        ).values_list("pk", flat=True)[:refreshes]
    )
    one_story = []
    for pk in waiting:
        services.story_review(
            actor=reviewer, story=ChangeStory.objects.get(pk=pk), action="verified"
        )
        started = time.perf_counter()
        aggregates.drain_outbox()
        one_story.append(time.perf_counter() - started)
    figures["one_story_refresh"] = one_story
    started = time.perf_counter()
    with transaction.atomic():
        aggregates.refresh_partners([partner.pk])
    figures["whole_partner_refresh"] = time.perf_counter() - started
    return figures


def settle_database() -> None:
    """Before the pages' load: reclaim what the refreshes above replaced (the whole largest
    partner's cells), and write to disk what seeding, rebuilding and refreshing left in shared
    buffers. Otherwise autovacuum and the checkpointer do it during the first turns: seen as a
    bare view at half its speed there. ``CHECKPOINT`` needs a superuser (or ``pg_checkpoint``);
    without one the run goes on and says so."""
    from django.db import DatabaseError, connection

    from reporting import aggregates

    aggregates.vacuum_kept_tables()
    try:
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
    except DatabaseError as error:
        print(f"no CHECKPOINT before the pages ({error}); the first turns may be disturbed")


# --- Logins and pages ----------------------------------------------------------------------------


def cookie_for(username: str, csrf: str) -> str:
    """A logged-in session (second factor passed) as a Cookie header, with a CSRF cookie."""
    from django.conf import settings
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from portal.models import User

    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    if user.requires_second_factor:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
        session.save()
    session_id = client.cookies[settings.SESSION_COOKIE_NAME].value
    return f"{settings.SESSION_COOKIE_NAME}={session_id}; {settings.CSRF_COOKIE_NAME}={csrf}"


def story_body(csrf: str) -> str:
    """The story form of the demo's partner login, submitted for review."""
    from portal.models import User
    from programs.models import Project
    from progress.models import ChangeType, TargetGroup

    partner = User.objects.get(username="partner").partner
    assert partner is not None
    project = Project.objects.filter(partner=partner).order_by("pk").first()
    fields: list[tuple[str, object]] = [
        ("csrfmiddlewaretoken", csrf),
        ("form_token", "{token}"),
        ("title", "The council opened its budget meeting"),
        ("narrative", "After the training the youth wing asked to attend; the council agreed."),
        ("language", "en"),
        ("event_date", "2026-10-14"),
        ("partner", partner.pk),
        ("project", project.pk if project else ""),
        ("country", partner.country),
        ("locality", "The district hall"),
        ("submitter_role", "partner"),
        ("collection_mode", "self_entered"),
        ("change_types", ChangeType.objects.order_by("pk").values_list("pk", flat=True)[0]),
        ("who_changed", "group"),
        ("target_groups", TargetGroup.objects.order_by("pk").values_list("pk", flat=True)[0]),
        ("direction", "positive"),
        ("significance", 3),
        ("significance_reason", "Young members now follow the budget."),
        ("contribution", "some"),
        ("contribution_text", "The training on local budgets."),
        ("consent_store", "on"),
        ("consent_quote_internal", "on"),
        ("submit", "submit"),
    ]
    return urllib.parse.urlencode(fields).replace("%7Btoken%7D", "{token}")


def pages(stories_seen_by_officer: int) -> list[tuple[str, str, str, Target | None, bool]]:
    """(label, path, login, target, is a submission) of each measured page."""
    from django.urls import reverse

    from portal.models import User
    from portal.pagination import row_key
    from programs.models import Program
    from progress.selectors import visible_stories

    officer = User.objects.get(username="officer")
    story = (
        visible_stories(officer)
        .filter(status="verified", partner__is_confidential=False)
        .order_by("-pk")
        .first()
    )
    assert story is not None
    program = Program.objects.order_by("pk").first()
    assert program is not None
    deep = max(2, min(2000, stories_seen_by_officer // 25 // 2))
    # The deep page as the list links it (by the key of the last row of the page before), the
    # way a reader who pressed "Next" reaches it; the key is looked up once, here.
    edge = (
        visible_stories(officer)
        .order_by("-created_at", "-id")
        .only("created_at")[(deep - 1) * 25 - 1]
    )
    deep_query = urllib.parse.urlencode({"page": deep, "after": row_key(edge)})
    return [
        ("staff dashboard", reverse("dashboard"), "officer", Target(0.25), False),
        ("story list, page 1", reverse("story-list"), "officer", Target(0.25), False),
        (
            f"story list, page {deep:,}",
            f"{reverse('story-list')}?{deep_query}",
            "officer",
            Target(0.20),
            False,
        ),
        ("story detail", reverse("story-detail", args=[story.pk]), "officer", Target(0.30), False),
        ("report, unfiltered", reverse("report"), "officer", Target(0.15), False),
        (
            "report, one programme",
            f"{reverse('report')}?program={program.pk}",
            "officer",
            Target(0.15),
            False,
        ),
        ("story submission", reverse("story-create"), "partner", None, True),
    ]


def wrk(url: str, seconds: int, connections: int, env: dict[str, str]) -> dict[str, Any]:
    output = subprocess.run(
        [
            "wrk",
            f"-c{connections}",
            "-t2",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(ROOT / "bench" / "wrk.lua"),
            url,
        ],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("{"))
    result: dict[str, Any] = json.loads(line)
    return result


def check_page(url: str, headers: dict[str, str], body: str) -> None:
    """One request before the load: the page answers 200 (a submission 302), not a login."""
    data = body.replace("{token}", str(__import__("uuid").uuid4())).encode() if body else None
    request = urllib.request.Request(url, data=data, headers=headers)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            status, location = response.status, ""
    except urllib.error.HTTPError as error:
        status, location = error.code, error.headers.get("Location", "")
    wanted = 302 if body else 200
    if status != wanted or "login" in location:
        sys.exit(f"{url} answered {status} {location} before the load; expected {wanted}")


# --- The report ----------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    memory = Path("/proc/meminfo").read_text().split("\n")[0].split()[1]
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.machine(),
    )
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()
    gunicorn = subprocess.run(
        [str(BIN / "gunicorn"), "--version"], capture_output=True, text=True
    ).stdout.strip()
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": f"{os.cpu_count()} cores, {cpu}",
        "memory": f"{int(memory) / 1024 / 1024:.0f} GiB",
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": postgres,
        "gunicorn": gunicorn.replace("gunicorn (version ", "").rstrip(")"),
        "wrk": wrk_version[1] if len(wrk_version) > 1 else "?",
        "load": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
    }


def render(
    stories: int,
    seeding: dict[str, float],
    figures: dict[str, Any],
    runs: list[PageRun],
    memory: dict[str, float],
    about: dict[str, str],
    args: argparse.Namespace,
) -> str:
    def ok(met: bool) -> str:
        return "yes" if met else "**no**"

    lines = [
        START,
        f"### `make bench`, {about['date']}",
        "",
        f"{stories:,} stories; {about['cpu']}, {about['memory']}; Python {about['python']}, "
        f"Django {about['django']}, PostgreSQL {about['postgresql']}, gunicorn "
        f"{about['gunicorn']}, wrk {about['wrk']}; load average at the end {about['load']}.",
        "",
        f"The portal and the bare view each under gunicorn with 2 sync workers; wrk with "
        f"{args.connections} connections and 2 threads, {args.seconds} s per page, portal page "
        f"and bare view in turn (each after a {args.warmup} s warm-up), as logged-in users "
        "over loopback. *Share* is the portal page's requests/s over the bare view's of the "
        "same turn.",
        "",
        "| page | portal req/s | p50 / p95 / p99 ms | bare req/s | share | target | met |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for run in runs:
        portal = run.portal
        bad = portal["errors"]
        target = run.target
        met = target is None or (run.share >= target.share and portal["p95"] <= target.p95_ms)
        lines.append(
            f"| {run.label} ({run.role}) | {rate(portal):.0f}"
            f"{f' ({bad} errors)' if bad else ''} | "
            f"{portal['p50']:.0f} / {portal['p95']:.0f} / {portal['p99']:.0f} | "
            f"{rate(run.bare):.0f} | {run.share:.0%} | "
            f"{f'≥ {target.share:.0%}, p95 ≤ {target.p95_ms:.0f} ms' if target else 'p95 ≤ 150 ms'}"
            f" | {ok(met) if target else ok(portal['p95'] <= 150)} |"
        )
    plain = figures["plain_total"]
    best = min(figures["rebuild"])
    one = figures["one_story_refresh"]
    lines += [
        "",
        "| what | measured | target | met |",
        "|---|---:|---:|---|",
        (
            f"| seeding {stories:,} stories (`seed_demo`) | {seeding['seed']:.0f} s "
            f"({seeding['seed_mb']:.0f} MB) | ≤ 300 s | {ok(seeding['seed'] <= 300)} |"
            if seeding["before"] < args.stories
            else f"| `seed_demo` over the {seeding['before']:,.0f} stories seeded before (not "
            f"timed here: nothing to insert) | {seeding['seed']:.0f} s | | |"
        ),
        f"| plain `GROUP BY`s of the same cells ({len(figures['plain'])} statements) | "
        f"{plain:.1f} s | | |",
        f"| `rebuild_all`, {figures['cells']:,} cells (best of {len(figures['rebuild'])}: "
        f"{', '.join(f'{s:.1f}' for s in figures['rebuild'])} s) | {best:.1f} s = "
        f"{best / plain:.1f}× | ≤ 3× | {ok(best <= 3 * plain)} |",
    ]
    if one:
        lines.append(
            f"| one story of the largest partner ({figures['largest_partner_stories']:,} "
            f"stories) verified, outbox drained (median of {len(one)}, max) | "
            f"{statistics.median(one) * 1000:.0f} ms, {max(one) * 1000:.0f} ms | ≤ 100 ms | "
            f"{ok(max(one) <= 0.1)} |"
        )
    lines += [
        f"| the same partner's every cell (the refresh before partner × month) | "
        f"{figures['whole_partner_refresh'] * 1000:.0f} ms | | |",
        f"| peak memory of a web worker | {memory['web']:.0f} MB | ≤ 250 MB | "
        f"{ok(memory['web'] <= 250)} |",
        f"| peak memory of the Celery worker's processes | {memory['worker']:.0f} MB | | |",
        f"| peak memory of a bare-view worker | {memory['bare']:.0f} MB | | |",
        "| rows of the report's roll-ups, against "
        f"{figures['story_cells']:,} story cells | "
        + ", ".join(f"{name} {rows:,}" for name, rows in figures["rollups"])
        + " | | |",
        "",
        "Each plain statement: "
        + "; ".join(
            f"{label} {seconds:.2f} s ({rows:,} rows)" for label, seconds, rows in figures["plain"]
        )
        + ".",
        END,
    ]
    return "\n".join(lines)


def write_docs(section: str) -> None:
    text = DOCS.read_text()
    if START in text and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1]
        text = before + section + after
    else:
        heading = "\n## Pages under load (`make bench`)\n\n"
        text = text.replace("\n## Seeding\n", f"{heading}{section}\n\n## Seeding\n", 1)
    DOCS.write_text(text)


# --- The run -------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=1_000_000)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://root@127.0.0.1:5432/bench"),
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    )
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--refreshes", type=int, default=5)
    parser.add_argument("--no-docs", action="store_true", help="do not write docs/benchmarks.md")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")

    VAR.mkdir(parents=True, exist_ok=True)
    ensure_database(args.database_url)
    base = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "STATIC_ROOT": str(VAR / "static"),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "PYTHONPATH": str(ROOT),
    }
    development = {**base, "DEBUG": "true", "LOG_LEVEL": "WARNING"}
    production = {**base, "DEBUG": "false", "LOG_LEVEL": "WARNING"}
    manage = [sys.executable, "manage.py"]
    seeding: dict[str, float] = {"before": existing_stories(args.database_url)}
    seeding["migrate"], _ = timed_command([*manage, "migrate", "--noinput", "-v0"], development)
    seeding["seed"], seeding["seed_mb"] = timed_command(
        [*manage, "seed_demo", "--stories", str(args.stories), "-v0"], development
    )
    print(f"seeded {args.stories:,} stories in {seeding['seed']:.0f} s")
    timed_command([*manage, "collectstatic", "--noinput", "-v0"], production)

    os.environ.update(development)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    from portal.models import User
    from progress.models import ChangeStory
    from progress.selectors import visible_stories

    with connection.cursor() as cursor:
        # Fresh bulk inserts have neither statistics nor a visibility map until autovacuum gets
        # to them; production has both.
        started = time.perf_counter()
        cursor.execute("VACUUM (ANALYZE)")
        seeding["vacuum"] = time.perf_counter() - started
    stories = ChangeStory.objects.count()
    figures = measure_figures(args.refreshes)
    print(
        f"rebuild {min(figures['rebuild']):.1f} s, plain GROUP BYs {figures['plain_total']:.1f} s"
    )
    settle_database()

    logs = {name: (VAR / f"{name}.log").open("wb") for name in ("web", "worker", "bare")}
    gunicorn = [str(BIN / "gunicorn"), "--workers", "2", "--timeout", "60"]
    processes = {
        "web": subprocess.Popen(
            [*gunicorn, "--bind", f"127.0.0.1:{PORTAL_PORT}", "config.wsgi:application"],
            env=production,
            cwd=ROOT,
            stdout=logs["web"],
            stderr=subprocess.STDOUT,
        ),
        "bare": subprocess.Popen(
            [*gunicorn, "--bind", f"127.0.0.1:{BARE_PORT}", "bench.bare.wsgi:application"],
            env={**production, "DJANGO_SETTINGS_MODULE": "bench.bare.settings"},
            cwd=ROOT,
            stdout=logs["bare"],
            stderr=subprocess.STDOUT,
        ),
        "worker": subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--concurrency=2",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=WARNING",
            ],
            env=production,
            cwd=ROOT,
            stdout=logs["worker"],
            stderr=subprocess.STDOUT,
        ),
    }
    portal_url, bare_url = f"http://127.0.0.1:{PORTAL_PORT}", f"http://127.0.0.1:{BARE_PORT}/"
    runs: list[PageRun] = []
    try:
        wait_for(f"{portal_url}/healthz/", processes["web"], "the portal")
        wait_for(bare_url, processes["bare"], "the bare view")
        csrf = secrets.token_hex(16)  # an unmasked secret of 32 characters: Django accepts it
        cookies = {login: cookie_for(login, csrf) for login in ("officer", "partner")}
        body = story_body(csrf)
        seen = visible_stories(User.objects.get(username="officer")).count()
        for label, path, login, target, submits in pages(seen):
            url = portal_url + path
            env = {
                "BENCH_COOKIE": cookies[login],
                "BENCH_ORIGIN": portal_url.replace("http://", "https://"),
                "BENCH_BODY": body if submits else "",
            }
            headers = {
                "Cookie": env["BENCH_COOKIE"],
                "X-Forwarded-Proto": "https",
                "Origin": env["BENCH_ORIGIN"],
                "Referer": env["BENCH_ORIGIN"] + "/",
                "Content-Type": "application/x-www-form-urlencoded",
            }
            check_page(url, headers, env["BENCH_BODY"])
            run = PageRun(label, path, login, target)
            wrk(url, args.warmup, args.connections, env)
            run.portal = wrk(url, args.seconds, args.connections, env)
            wrk(bare_url, args.warmup, args.connections, {})
            run.bare = wrk(bare_url, args.seconds, args.connections, {})
            runs.append(run)
            print(
                f"{label}: {rate(run.portal):.0f} req/s (p95 {run.portal['p95']:.0f} ms), "
                f"bare {rate(run.bare):.0f} req/s, share {run.share:.0%}"
            )
        memory = {
            "web": max(peak_mb(pid) for pid in children(processes["web"].pid)),
            "bare": max(peak_mb(pid) for pid in children(processes["bare"].pid)),
            "worker": max(
                peak_mb(pid)
                for pid in [processes["worker"].pid, *children(processes["worker"].pid)]
            ),
        }
        about = machine()
    finally:
        for process in processes.values():
            stop(process)
    section = render(stories, seeding, figures, runs, memory, about, args)
    (VAR / "last.json").write_text(
        json.dumps(
            {
                "stories": stories,
                "seeding": seeding,
                "figures": figures,
                "pages": [{**asdict(run), "share": run.share} for run in runs],
                "memory": memory,
                "machine": about,
            },
            indent=2,
            default=str,
        )
    )
    print(section)
    if not args.no_docs:
        write_docs(section)
        print(f"written to {DOCS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

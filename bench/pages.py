"""Page cost at scale: seeds a large world, then times each page in-process.

    DATABASE_URL=postgres://root@127.0.0.1:5432/bench DEBUG=true \\
        .venv/bin/python bench/pages.py --stories 1000000 --partners 2000 --requests 30

Seeding uses ``seed_demo`` for the stories (the first 300 through the services, the rest in bulk
inserts) and adds extra partners, each with a project and a contact, so the lists have thousands
of rows. Each page is then requested through
Django's test client (no HTTP server: this measures the view, its queries and its template) as
cleared staff and as an officer. Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from partners.models import PSEUDONYM_ALPHABET, Partner, PartnerContact  # noqa: E402
from partners.regions import region_for_country  # noqa: E402
from portal.models import User  # noqa: E402
from programs.models import Program, Project  # noqa: E402
from progress.models import ChangeStory  # noqa: E402

COUNTRIES = ["GT", "CO", "BO", "ZA", "ZW", "KE", "PS", "TR", "NP", "IN", "MD", "UA", "BA", "PH"]


def add_partners(total: int) -> None:
    """Top the partner table up to ``total`` rows, with a project and a contact each."""
    missing = total - Partner.objects.count()
    if missing <= 0:
        return
    rng = random.Random(7)
    taken = set(Partner.objects.values_list("pseudonym", flat=True))
    programs = list(Program.objects.all())
    partners = []
    for n in range(missing):
        while (pseudonym := "Partner " + "".join(rng.choices(PSEUDONYM_ALPHABET, k=5))) in taken:
            pass
        taken.add(pseudonym)
        country = rng.choice(COUNTRIES)
        partners.append(
            Partner(
                name=f"Bench partner {n:05d}",
                kind=rng.choice(Partner.Kind.values),
                country=country,
                region=region_for_country(country),
                status=Partner.Status.ACTIVE,
                is_confidential=rng.random() < 0.05,
                pseudonym=pseudonym,
            )
        )
    created = Partner.objects.bulk_create(partners, batch_size=1000)
    Project.objects.bulk_create(
        [
            Project(
                program=rng.choice(programs),
                partner=partner,
                title=f"Project of {partner.name}",
                start_date=date(2025, 1, 1),
                end_date=date(2027, 12, 31),
            )
            for partner in created
        ],
        batch_size=1000,
    )
    PartnerContact.objects.bulk_create(
        [PartnerContact(partner=partner, name=f"Contact {partner.pk}") for partner in created],
        batch_size=1000,
    )


def client_for(username: str) -> Client:
    user = User.objects.get(username=username)
    client = Client(SERVER_NAME="127.0.0.1")  # a host ALLOWED_HOSTS accepts by default
    client.force_login(user)
    if user.requires_second_factor:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
        session.save()
    return client


def measure(client: Client, url: str, requests: int) -> tuple[float, float, int, int]:
    median, p95, queries, status, _size, _sql = measure_page(client, url, requests)
    return median, p95, queries, status


def measure_page(
    client: Client, url: str, requests: int
) -> tuple[float, float, int, int, int, float]:
    """Median and p95 ms over ``requests``, then one more request for its queries, its size
    in bytes and the milliseconds its queries took (the rest of the time is Python)."""
    client.get(url)  # warm caches and connections
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    executed: list[float] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            executed.append((time.perf_counter() - started) * 1000)

    with connection.execute_wrapper(count):
        size = len(client.get(url).content)
    reset_queries()
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    return (
        statistics.median(timings),
        p95,
        len(executed),
        response.status_code,
        size,
        sum(executed),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--partners", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--skip-seed", action="store_true")
    parser.add_argument(
        "--skip-pages", action="store_true", help="only the aggregates and the downloads"
    )
    parser.add_argument(
        "--results-only",
        action="store_true",
        help="only the results pages, over a framework of 50 indicators, 10 periods, 30 projects",
    )
    args = parser.parse_args()

    if not args.skip_seed:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("seed_demo", stories=args.stories, verbosity=0)
        seeded = time.perf_counter() - started
        started = time.perf_counter()
        add_partners(args.partners)
        print(
            f"seed_demo --stories {args.stories}: {seeded:.1f} s; "
            f"partners up to {args.partners}: {time.perf_counter() - started:.1f} s"
        )

    if connection.vendor == "postgresql":
        # Fresh bulk inserts have no planner statistics until autovacuum gets to them, which on
        # a busy machine can take longer than the whole run: measure the plans production has.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    if args.results_only:
        measure_results(args.requests)
        return
    alpha = Partner.objects.filter(is_confidential=False).order_by("pk").first()
    assert alpha is not None
    project = Project.objects.filter(partner=alpha).first()
    program = Program.objects.order_by("pk").first()
    pages = [
        ("dashboard", reverse("dashboard")),
        ("partner list", reverse("partner-list")),
        ("partner list, page 40", reverse("partner-list") + "?page=40"),
        ("partner list, search", reverse("partner-list") + "?q=bench+partner+01"),
        ("partner detail", reverse("partner-detail", args=[alpha.pk])),
        ("programme list", reverse("program-list")),
        ("programme detail", reverse("program-detail", args=[program.pk])),  # type: ignore[union-attr]
        ("project detail", reverse("project-detail", args=[project.pk])),  # type: ignore[union-attr]
        ("story list", reverse("story-list")),
        ("story list, page 400", reverse("story-list") + "?page=400"),
        ("story list, status filter", reverse("story-list") + "?status=submitted"),
        ("story list, type and country", reverse("story-list") + "?change_type=1&country=GT"),
        ("story list, search", reverse("story-list") + "?q=committee"),
        ("report", reverse("report")),
        (
            "report, one programme, 2025",
            reverse("report") + f"?program={program.pk}&month_from=2025-01&month_to=2025-12",  # type: ignore[union-attr]
        ),
        ("report, one partner", reverse("report") + f"?partner={alpha.pk}"),
    ]
    print(
        f"\n{connection.vendor}, {ChangeStory.objects.count():,} stories, "
        f"{Partner.objects.count():,} partners, {args.requests} requests per page, "
        f"DEBUG={settings.DEBUG}\n"
    )
    print("| page | role | median ms | p95 ms | queries |")
    print("|---|---|---:|---:|---:|")
    for username in () if args.skip_pages else ("staff", "officer"):
        client = client_for(username)
        for label, url in pages:
            median, p95, queries, status = measure(client, url, args.requests)
            assert status == 200, (label, status)
            print(f"| {label} | {username} | {median:.1f} | {p95:.1f} | {queries} |")
    measure_aggregates(alpha.pk)
    measure_exports(client_for("staff"), alpha.pk)
    measure_results(args.requests)


def measure_aggregates(partner_id: int) -> None:
    """A full rebuild against one plain GROUP BY over the same stories, and one refresh."""
    from reporting import aggregates
    from reporting.models import StoryAggregate

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT country, program_id, COUNT(*) FROM progress_changestory "
            "WHERE status IN ('verified', 'selected') GROUP BY country, program_id"
        )
        cursor.fetchall()
    group_by = time.perf_counter() - started
    steps: list[float] = []
    started = time.perf_counter()
    cells = aggregates.rebuild_all(lambda done, total: steps.append(time.perf_counter()))
    rebuild = time.perf_counter() - started
    # Steps: each kind of story cell (each story once, per type, per group), the status counts,
    # then the activities with the swap and the count of cells.
    durations = [later - earlier for earlier, later in itertools.pairwise(steps)]
    print("Rebuild steps (s): " + ", ".join(f"{duration:.2f}" for duration in durations))
    started = time.perf_counter()
    aggregates.refresh_partners([partner_id])
    refresh = time.perf_counter() - started
    counted = ChangeStory.objects.filter(status__in=aggregates.COUNTED_STATUSES).count()
    print(
        f"\nOne GROUP BY over the stories: {group_by:.2f} s. Full rebuild: {rebuild:.2f} s "
        f"({rebuild / group_by:.1f}x), {cells:,} cells ({StoryAggregate.objects.count():,} of "
        f"stories) from {counted:,} counted stories. "
        f"Refresh of one partner: {refresh * 1000:.0f} ms."
    )


def measure_exports(client: Client, partner_id: int) -> None:
    """Downloads streamed to the end: time and the process's peak memory while they run."""
    import resource

    for label, url in [
        (
            "stories of one partner, CSV",
            f"{reverse('story-export', args=['csv'])}?partner={partner_id}",
        ),
        (
            "stories of one partner in 2025, XLSX",
            f"{reverse('story-export', args=['xlsx'])}?partner={partner_id}"
            "&event_date_after=2025-01-01&event_date_before=2025-12-31",
        ),
        ("every counted story, CSV", f"{reverse('story-export', args=['csv'])}?counted=1"),
        ("every figure cell, CSV", reverse("report-figures-export", args=["csv"])),
    ]:
        started = time.perf_counter()
        response = client.get(url)
        assert response.status_code == 200, (label, response.status_code)
        size = sum(len(chunk) for chunk in response.streaming_content)  # type: ignore[attr-defined,misc]
        elapsed = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"Export {label}: {elapsed:.1f} s, {size / 1e6:.1f} MB, peak RSS so far {peak:.0f} MB"
        )


BENCH_PROGRAM = "Bench results programme"


def seed_framework(indicators: int = 50, periods: int = 10, projects: int = 30) -> Program:
    """A programme with ``projects`` projects (the demo's partners and the bench's, some
    confidential) reporting on ``indicators`` indicators of ``periods`` half-years each, broken
    down by sex: a target per period and an approved total and two parts per project and
    period, every second indicator a percentage. Made once; a re-run finds it."""
    from decimal import Decimal

    from results import checks, kept
    from results.models import (
        Actual,
        Dimension,
        DimensionValue,
        Indicator,
        Measure,
        Outcome,
        Period,
        Target,
    )

    existing = Program.objects.filter(title=BENCH_PROGRAM).first()
    if existing is not None:
        return existing
    template = Program.objects.order_by("pk").first()
    assert template is not None
    program = Program.objects.create(
        title=BENCH_PROGRAM,
        focus_area=template.focus_area,
        start_date=date(2021, 1, 1),
        end_date=date(2027, 12, 31),
    )
    partners = list(Partner.objects.order_by("pk")[:projects])
    members = [
        Project.objects.create(
            program=program,
            partner=partner,
            title=f"Bench results project {n}",
            start_date=date(2021, 1, 1),
            end_date=date(2027, 12, 31),
        )
        for n, partner in enumerate(partners)
    ]
    sex, _ = Dimension.objects.get_or_create(code="sex", defaults={"name_en": "Sex"})
    women, _ = DimensionValue.objects.get_or_create(
        dimension=sex, code="women", defaults={"name_en": "Women"}
    )
    men, _ = DimensionValue.objects.get_or_create(
        dimension=sex, code="men", defaults={"name_en": "Men"}
    )
    outcomes = [
        Outcome.objects.create(program=program, title=f"Bench outcome {n}", ordering=n)
        for n in range(5)
    ]
    targets, actuals = [], []
    for number in range(indicators):
        percentage = number % 2 == 0
        indicator = Indicator.objects.create(
            outcome=outcomes[number % len(outcomes)],
            title=f"Bench indicator {number}",
            ordering=number,
            measure=Measure.PERCENTAGE if percentage else Measure.COUNT,
        )
        indicator.projects.set(members)
        indicator.dimensions.set([sex])
        for index in range(periods):
            year = 2021 + index // 2
            start, end = (
                (date(year, 1, 1), date(year, 6, 30))
                if index % 2 == 0
                else (date(year, 7, 1), date(year, 12, 31))
            )
            period = Period.objects.create(indicator=indicator, start=start, end=end)
            whole = (
                {"numerator": Decimal(6), "denominator": Decimal(10)}
                if percentage
                else {"value": Decimal(10)}
            )
            half = (
                {"numerator": Decimal(3), "denominator": Decimal(5)}
                if percentage
                else {"value": Decimal(5)}
            )
            targets.append(Target(period=period, **whole))
            for project in members:
                actuals.append(Actual(period=period, project=project, status="approved", **whole))
                for value in (women, men):
                    actuals.append(
                        Actual(
                            period=period,
                            project=project,
                            combination=str(value.pk),
                            status="approved",
                            **half,
                        )
                    )
    Target.objects.bulk_create(targets, batch_size=2000)
    Actual.objects.bulk_create(actuals, batch_size=2000)
    checks.rebuild()  # bulk inserts bypass the services that keep the checks and sums
    kept.rebuild()
    return program


def first_indicator(program: Program) -> int:
    from results.models import Indicator

    found = Indicator.objects.filter(outcome__program=program).order_by("pk").first()
    assert found is not None
    return found.pk


def measure_results(requests: int) -> None:
    """The results pages over the bench framework, per role: time, queries, and the share of the
    time spent in SQL (the rest is Python: arithmetic and templates)."""
    started = time.perf_counter()
    program = seed_framework()
    seeded = time.perf_counter() - started
    print(f"\nResults framework (50 indicators x 10 periods x 30 projects): {seeded:.1f} s")
    project = Project.objects.filter(program=program, partner__is_confidential=False).first()
    assert project is not None
    print("| page | role | median ms | p95 ms | queries | of which SQL ms | kB |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for username, label, url in (
        ("staff", "programme results", reverse("program-results", args=[program.pk])),
        ("officer", "programme results", reverse("program-results", args=[program.pk])),
        ("staff", "project results", reverse("project-results", args=[project.pk])),
        (
            "staff",
            "one indicator",
            reverse("indicator-results", args=[program.pk, first_indicator(program)]),
        ),
        (
            "staff",
            "one indicator of a project",
            reverse("project-indicator-results", args=[project.pk, first_indicator(program)]),
        ),
        ("staff", "portfolio", reverse("results-portfolio")),
    ):
        median, p95, queries, status, size, sql = measure_page(client_for(username), url, requests)
        assert status == 200, (label, status)
        print(
            f"| {label} | {username} | {median:.1f} | {p95:.1f} | {queries} | {sql:.1f} "
            f"| {size / 1000:.0f} |"
        )


if __name__ == "__main__":
    main()

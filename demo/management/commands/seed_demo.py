"""Deterministic, realistic demo data: ``python manage.py seed_demo [--stories N] [--seed S]``.

Everything is invented for demonstrations and tests: organisations, people, places in stories,
amounts. The world comes from the data files in ``demo/data/``; what is drawn from the seed
(pseudonyms, activities held, the stories) uses ``random.Random`` seeded with ``--seed``, and
every date is relative to the data's fixed anchor rather than today, so two runs with the same
seed produce the same rows on any machine and database (only the automatic ``updated_at``
columns carry the time of the run). Rows are found by their natural keys, stories by their
reference: a second run changes nothing, and a larger ``--stories`` adds stories.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from demo.analyses import seed_analyses
from demo.assessments import seed_assessments
from demo.data_files import demo_data
from demo.dialogues import dialogue_seeds, seed_dialogues
from demo.expertise import expertise_data, seed_expertise
from demo.mail import mail_data, seed_mail
from demo.results import seed_results
from demo.risks import risk_data, seed_risks
from demo.stories import DEFAULT_STORIES, seed_stories
from demo.world import seed_world
from dialogues.models import Dialogue
from partners.models import Partner
from portal.models import User
from programs.models import Activity, Program, Project
from progress.models import ChangeStory
from reporting import aggregates
from risks.models import Risk

DEFAULT_SEED = 2026


class Command(BaseCommand):
    verbosity = 1
    help = (
        "Create deterministic demo data (partners, programmes, networks, activity plans, "
        "change stories and demo logins). Idempotent; refuses to run unless DEBUG is on or "
        "--force is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--stories",
            type=int,
            default=DEFAULT_STORIES,
            help=f"Number of change stories to have (default {DEFAULT_STORIES}).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Random seed; the same seed gives the same data (default {DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even when DEBUG is off. The demo logins have a published password.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates logins with a published password and refuses to run while "
                "DEBUG is off. Use a development setting (DEBUG=true) or pass --force if you "
                "really want demo data in this database."
            )
        total: int = options["stories"]
        seed: int = options["seed"]
        if total < 0:
            raise CommandError("--stories must be zero or more.")
        self.verbosity = options["verbosity"]
        began = time.monotonic()
        demo_data()  # reads and checks the data files before anything is written
        dialogue_seeds()
        risk_data()
        mail_data()
        expertise_data()

        with transaction.atomic():
            world = seed_world(seed)
            seed_assessments(seed)
        created = seed_stories(world, seed=seed, total=total, progress=self.report_progress)
        # After the stories: a dialogue links those discussed in it.
        seed_dialogues()
        with transaction.atomic():
            seed_risks(world)
        # What staff wrote about the stories: after them, through the services.
        with transaction.atomic():
            seed_analyses(world)
        # The results frameworks, their targets and the projects' actuals.
        with transaction.atomic():
            seed_results(world)
        with transaction.atomic():
            seed_mail()
            seed_expertise()
        # Bulk inserts bypass the outbox: recompute the report figures from what is there now.
        aggregates.rebuild_all()
        aggregates.vacuum_kept_tables()

        if self.verbosity >= 1:
            self.print_summary(seed=seed, created=created, seconds=time.monotonic() - began)

    def report_progress(self, done: int, created: int) -> None:
        # Only large runs say anything on the way; a demo seed should stay quiet.
        if self.verbosity >= 1 and done % 100_000 == 0:
            self.stdout.write(f"  stories: {done:,} checked, {created:,} created")

    def print_summary(self, *, seed: int, created: int, seconds: float) -> None:
        partners = Partner.objects.count()
        confidential = Partner.objects.filter(is_confidential=True).count()
        rows = (
            ("partners", f"{partners} ({confidential} confidential)"),
            ("programmes", str(Program.objects.count())),
            ("projects", str(Project.objects.count())),
            ("activities", str(Activity.objects.count())),
            ("stories", f"{ChangeStory.objects.count()} ({created} new)"),
            ("risks", str(Risk.objects.count())),
            ("dialogues", str(Dialogue.objects.count())),
            ("users", str(User.objects.count())),
        )
        self.stdout.write(self.style.SUCCESS(f"Demo data ready (seed {seed}) in {seconds:.1f} s."))
        for label, value in rows:
            self.stdout.write(f"  {label:<11} {value}")
        logins = demo_data().logins
        self.stdout.write(f"Demo logins, all with password {logins.password!r}:")
        for user in logins.users:
            self.stdout.write(f"  {user.username:<9} {user.label}")
        self.stdout.write(
            f"TOTP secret for admin and staff: {logins.totp_secret} (base32, any authenticator)."
        )

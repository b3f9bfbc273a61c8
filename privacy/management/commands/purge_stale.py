"""``manage.py purge_stale [--dry-run]``: the retention rules, the same code as the Celery task."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from privacy import retention


class Command(BaseCommand):
    help = (
        "Delete drafts untouched for RETENTION_DRAFT_DAYS and submission links expired or revoked "
        "more than RETENTION_LINK_DAYS ago, with their submission attempts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted; delete nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = retention.stale_data_purge(dry_run=options["dry_run"])
        verb = "would delete" if result.dry_run else "deleted"
        self.stdout.write(
            f"{verb} {result.drafts} drafts untouched for more than "
            f"{settings.RETENTION_DRAFT_DAYS} days"
        )
        self.stdout.write(
            f"{verb} {result.links} submission links ended more than "
            f"{settings.RETENTION_LINK_DAYS} days ago, with {result.link_attempts} attempts"
        )

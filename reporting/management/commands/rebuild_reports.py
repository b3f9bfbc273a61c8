"""``manage.py rebuild_reports``: the full aggregate rebuild, the same code as the Celery task."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from reporting import aggregates


class Command(BaseCommand):
    help = "Recompute every story aggregate from the stories, in one transaction."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        cells = aggregates.rebuild_all()
        aggregates.vacuum_kept_tables()
        self.stdout.write(f"{cells} cells in {time.perf_counter() - started:.1f} s")

"""Writing the demo's bulk rows: ``COPY`` on PostgreSQL, ``bulk_create`` elsewhere.

A million stories are some seven million rows (stories, their change types and groups,
storytellers, history). Through ``bulk_create`` most of the time goes into Django building an
``INSERT`` of thousands of parameters per batch, each value prepared field by field; ``COPY``
streams the same rows as they are and lets psycopg write them. Only the demo writes this way:
its rows are built by the planner, never typed by a user, and no signal, ``save()`` or outbox
is expected of them (the command rebuilds the report figures afterwards).

The values are the model's raw attribute values (``instance.__dict__``), so every field must
already hold what the column stores: ``auto_now`` and ``auto_now_add`` are not applied, and a
caller sets them itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType
from typing import Any

from django.db import connection, connections, reset_queries, transaction
from django.db.models import Model


def copies() -> bool:
    """Whether this database is written with ``COPY`` (PostgreSQL)."""
    return connection.vendor == "postgresql"


def allocate_ids(model: type[Model], count: int) -> list[int]:
    """``count`` new primary keys from the table's own sequence, so rows can be linked before
    they are written. Only where ``copies()``."""
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def insert_rows(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write ``rows``, each the values of ``fields`` (attribute names) in that order."""
    if not copies():
        model._default_manager.bulk_create(
            [model(**dict(zip(fields, row, strict=True))) for row in rows], batch_size=2000
        )
        return
    by_attname = {field.attname: str(field.column) for field in model._meta.concrete_fields}
    columns = ", ".join(connection.ops.quote_name(by_attname[name]) for name in fields)
    statement = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def insert_objects(model: type[Model], objects: Sequence[Model]) -> None:
    """Write unsaved ``objects`` of ``model`` as they are, each given its primary key first
    (from the sequence on PostgreSQL, from ``bulk_create``'s ``RETURNING`` elsewhere), so that
    the rows that point to them can be built."""
    if not copies():
        model._default_manager.bulk_create(objects, batch_size=2000)
        if any(instance.pk is None for instance in objects):
            raise RuntimeError(f"{connection.vendor} did not return the new rows' keys.")
        return
    for instance, pk_value in zip(objects, allocate_ids(model, len(objects)), strict=True):
        instance.pk = pk_value
    fields = [field.attname for field in model._meta.concrete_fields]
    insert_rows(
        model,
        fields,
        ([instance.__dict__[name] for name in fields] for instance in objects),
    )


class BatchWriter:
    """Writes batches one transaction each, on a connection and thread of its own if it can.

    Planning a batch is Python; writing it is mostly the database's work (``COPY``, the index
    updates, the deferred foreign-key checks at commit), during which psycopg lets other
    threads run. With a thread of its own the writer commits batch *n* while the caller plans
    batch *n + 1*, and seeding takes about as long as the larger of the two, not their sum.

    The thread has its own connection, which sees only committed rows. So it is used only on
    PostgreSQL outside any transaction (the command's case); inside one (a test) and on other
    databases each batch is written in line, in the caller's connection. At most one batch is
    in flight; a failed batch raises in the caller at its next ``write`` or at the end.
    """

    def __init__(self) -> None:
        threaded = copies() and not connection.in_atomic_block
        self.executor = ThreadPoolExecutor(1, "demo-writer") if threaded else None
        self.pending: Future[None] | None = None

    def write(self, job: Callable[[], None]) -> None:
        if self.executor is None:
            self._run(job)
            return
        self.wait()
        self.pending = self.executor.submit(self._run, job)

    def wait(self) -> None:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()

    @staticmethod
    def _run(job: Callable[[], None]) -> None:
        with transaction.atomic():
            job()
        # With DEBUG on Django keeps the last 9000 statements of each connection; bulk
        # statements are large.
        reset_queries()

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.executor is None:
            return
        try:
            self.wait()
        finally:
            self.executor.submit(connections.close_all).result()
            self.executor.shutdown()

"""Fill the database with a synthetic archive of N claims, for benchmarks."""

from __future__ import annotations

import csv
import io
import queue
import threading
import time
from argparse import RawDescriptionHelpFormatter

from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter
from django.core.management.color import no_style
from django.db import connection, connections, transaction
from django.db.models import Max

from claims import synthetic
from claims.models import Claim

HELP = """Add N synthetic claims to the database: a desk's archive of years of reporting.

Each claim has topics, regions, event dates spread from 2022 to mid-2026, 2 to
20 attributions to outlets' articles (origins, relays chaining back to them
through `via`, now and then a denial or a dispute), sometimes corroborations
and an evidence item, and the review events of its editorial state (most are
published; some are withdrawn, in review, sent back or drafts). Outlets,
actors (a few protected, with pseudonyms), topics and accounts are created
once and shared by every run. Statements and quotes use a Zipf-like
vocabulary: a few words are in most claims, some village names in a handful.

The same seed on the same starting database gives the same rows. Rows are
appended (ids after the highest present); run it on a database nobody else is
writing to.

It is fast because it skips what the application does per row: no signals,
no history rows (generated data has no past), bulk inserts (COPY on
PostgreSQL). The stored evidence summary and search document of each claim
are computed as refresh_evidence computes them, and the PostgreSQL search
vector is built from the search document as the rows go in. A large load on
PostgreSQL also drops the written tables' secondary indexes, unique
constraints and foreign keys, and rebuilds them at the end (or when the load
fails or is interrupted), writing on a second connection while the next batch
is drawn."""


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name, subcommand, **kwargs):
        class Formatter(DjangoHelpFormatter, RawDescriptionHelpFormatter):
            pass

        return super().create_parser(prog_name, subcommand, formatter_class=Formatter, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("claims", type=int, help="How many claims to add (up to a few million).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed; the same seed gives the same rows.")
        parser.add_argument("--batch", type=int, default=5000, help="Claims per transaction (default 5000).")
        parser.add_argument(
            "--rebuild-indexes",
            choices=["auto", "yes", "no"],
            default="auto",
            help="PostgreSQL: drop the written tables' secondary indexes and foreign keys during the load and "
            "rebuild them after. 'auto' does so for 20,000 claims or more, if at least as many as are there.",
        )

    def handle(self, *args, claims: int, seed: int, batch: int, **options):
        if claims < 1:
            raise CommandError("Give a number of claims of at least 1.")
        if batch < 1:
            raise CommandError("--batch must be at least 1.")
        log = self._log(options)
        started = time.monotonic()
        try:
            pools = synthetic.ensure_sources(claims)
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        rebuild = False
        if connection.vendor == "postgresql":
            rebuild = {"yes": True, "no": False}.get(
                options["rebuild_indexes"], claims >= max(20000, Claim.objects.count())
            )
            writer = CopyWriter(rebuild_indexes=rebuild, log=log)
        else:
            writer = InsertWriter()
        next_ids = {
            table: (model.objects.aggregate(top=Max("id"))["top"] or 0) + 1
            for table, model in synthetic.table_models().items()
        }
        generator = synthetic.ArchiveGenerator(pools, seed=seed, total=claims, next_ids=next_ids)
        counts = dict.fromkeys(synthetic.TABLE_ORDER, 0)
        # A large load draws the next batch while a second connection writes the last one: PostgreSQL
        # spends most of its time computing search vectors, Python drawing rows, and there are two cores.
        # Not inside a caller's transaction (a test's): another connection would not see its rows.
        sink = _BackgroundWriter(writer) if rebuild and not connection.in_atomic_block else _Writer(writer)
        done = 0
        try:
            while done < claims:
                size = min(batch, claims - done)
                rows = generator.draw(size)
                sink.put(rows)
                for table, table_rows in rows.items():
                    counts[table] += len(table_rows)
                before, done = done, done + size
                if done == claims or done * 20 // claims != before * 20 // claims:
                    elapsed = time.monotonic() - started
                    log(f"  {done:,} / {claims:,} claims drawn ({elapsed:.0f} s, {done / elapsed:,.0f}/s)")
            sink.close()
        except BaseException:
            sink.close(failed=True)
            writer.abandon()
            raise
        writer.finish()
        elapsed = time.monotonic() - started
        log(
            self.style.SUCCESS(
                f"Added {counts['claim']:,} claims, {counts['attribution']:,} attributions, "
                f"{counts['article']:,} articles, {counts['corroboration']:,} corroborations, "
                f"{counts['evidence']:,} evidence items and {counts['review_event']:,} review events "
                f"in {elapsed:.1f} s (seed {seed}). No history rows were written."
            )
        )

    def _log(self, options):
        return self.stdout.write if options["verbosity"] >= 1 else lambda message: None


class _Writer:
    """Writes each batch in its own transaction, on this thread's connection."""

    def __init__(self, writer):
        self.writer = writer

    def put(self, rows) -> None:
        with transaction.atomic():
            self.writer.write(rows)

    def close(self, failed: bool = False) -> None:
        pass


class _BackgroundWriter:
    """Writes batches on a thread of its own (so on a connection of its own), one batch behind the caller."""

    def __init__(self, writer):
        self.writer = writer
        self.queue: queue.Queue = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="generate_claims-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            while (rows := self.queue.get()) is not None:
                if self.error is None:
                    with transaction.atomic():
                        self.writer.write(rows)
        except BaseException as exc:
            self.error = exc
            while self.queue.get() is not None:  # let the caller finish putting
                pass
        finally:
            connections.close_all()

    def put(self, rows) -> None:
        self._raise()
        self.queue.put(rows)

    def close(self, failed: bool = False) -> None:
        self.queue.put(None)
        self.thread.join()
        if not failed:
            self._raise()

    def _raise(self) -> None:
        if self.error is not None:
            raise CommandError(f"Writing failed: {self.error}") from self.error


def _check_columns() -> dict[str, tuple[str, list, list[str]]]:
    """Table name, fields and columns of every table, refusing a model the generator does not fully fill."""
    tables = {}
    for key, model in synthetic.table_models().items():
        fields = {field.column: field for field in model._meta.concrete_fields}
        expected = synthetic.COLUMNS[key] + synthetic.COMPUTED.get(key, [])
        if set(fields) != set(expected):
            raise CommandError(
                f"{model._meta.label} has columns {sorted(set(fields) - set(expected))} that claims/synthetic.py "
                f"does not fill, or lost {sorted(set(expected) - set(fields))}: update its COLUMNS."
            )
        columns = synthetic.COLUMNS[key]
        tables[key] = (model._meta.db_table, [fields[c] for c in columns], columns)
    return tables


def _quoted(columns: list[str]) -> str:
    return ", ".join(connection.ops.quote_name(c) for c in columns)


class InsertWriter:
    """Plain INSERTs of the values the ORM would store: SQLite, for tests and small archives."""

    def __init__(self):
        self.tables = _check_columns()

    def write(self, rows: dict[str, list[tuple]]) -> None:
        with connection.cursor() as cursor:
            for key in synthetic.TABLE_ORDER:
                if not rows[key]:
                    continue
                table, fields, columns = self.tables[key]
                # Identifiers come from the models, values go as parameters.
                sql = (
                    f"INSERT INTO {connection.ops.quote_name(table)} ({_quoted(columns)}) "  # noqa: S608 -- model identifiers # nosec B608
                    f"VALUES ({', '.join(['%s'] * len(columns))})"
                )
                values = [
                    [field.get_db_prep_save(value, connection) for field, value in zip(fields, row, strict=True)]
                    for row in rows[key]
                ]
                cursor.executemany(sql, values)

    def finish(self) -> None:
        pass

    def abandon(self) -> None:
        pass


class CopyWriter:
    """PostgreSQL COPY (CSV, written by the csv module in C).

    Claims go through a temporary table so their search vector is computed in the
    same INSERT, not by a second UPDATE that would leave every row twice. For a
    large load the secondary indexes and foreign keys of the tables written are
    dropped first and rebuilt at the end, from their definitions in the catalogue:
    building an index once is far cheaper than updating it row by row, and one
    join checks a foreign key faster than a trigger per row.
    """

    STAGE = "synthetic_claim_stage"

    def __init__(self, *, rebuild_indexes: bool, log):
        self.tables = _check_columns()
        self.log = log
        self.saved: list[str] = []  # SQL recreating what was dropped
        with connection.cursor() as cursor:
            self._prepare_session(cursor)
            if rebuild_indexes:
                self._drop_indexes(cursor)

    def _prepare_session(self, cursor) -> None:
        """Once per connection (the background writer has its own)."""
        if getattr(connection, "synthetic_session_ready", False):
            return
        cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {self.STAGE} (LIKE claims_claim)")
        # Rows lost in a crash are regenerated from the seed: no need to wait for every flush.
        cursor.execute("SET synchronous_commit TO off")
        # Loading thousands of rows per statement takes longer than the limit meant for web requests.
        cursor.execute("SET statement_timeout TO 0")
        connection.synthetic_session_ready = True

    def _drop_indexes(self, cursor) -> None:
        tables = [table for table, _, _ in self.tables.values()]
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
            FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid = ANY(%s::regclass[]) ORDER BY 1, 2
            """,
            [tables],
        )
        foreign_keys = cursor.fetchall()
        # Unique constraints no foreign key relies on (an article's URL, one attribution per article and actor).
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
            FROM pg_constraint c
            WHERE c.contype = 'u' AND c.conrelid = ANY(%s::regclass[])
              AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid)
            ORDER BY 1, 2
            """,
            [tables],
        )
        uniques = cursor.fetchall()
        # Indexes that back no primary key, unique or exclusion constraint.
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = ANY(%s::regclass[]) AND NOT EXISTS (
                SELECT 1 FROM pg_constraint c
                WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x'))
            ORDER BY 1
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        qn = connection.ops.quote_name
        if connection.in_atomic_block:
            # Inside a transaction (a test), rows just written still owe their deferred foreign key
            # checks, and PostgreSQL alters no table with checks pending: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table, name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {qn(name)}")
            self.saved.append(f"ALTER TABLE {table} ADD CONSTRAINT {qn(name)} {definition}")
        for table, name, definition in uniques:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {qn(name)}")
            self.saved.append(f"ALTER TABLE {table} ADD CONSTRAINT {qn(name)} {definition}")
        for name, definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
            self.saved.append(definition)
        self.log(
            f"Dropped {len(indexes)} indexes, {len(uniques)} unique constraints and {len(foreign_keys)} foreign keys "
            "of the tables written, to rebuild after the load."
        )

    def write(self, rows: dict[str, list[tuple]]) -> None:
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            self._prepare_session(cursor)
            for key in synthetic.TABLE_ORDER:
                if not rows[key]:
                    continue
                table, fields, columns = self.tables[key]
                buffer = io.StringIO()
                csv.writer(buffer).writerows(rows[key])
                buffer.seek(0)
                # An empty unquoted CSV field is NULL, except in text columns, which hold "" and never NULL.
                text = [qn(f.column) for f in fields if f.get_internal_type() in ("CharField", "TextField", "URLField")]
                target = self.STAGE if key == "claim" else qn(table)
                options = f"FORMAT csv, FORCE_NOT_NULL ({', '.join(text)})" if text else "FORMAT csv"
                cursor.copy_expert(f"COPY {target} ({_quoted(columns)}) FROM STDIN WITH ({options})", buffer)
                if key == "claim":
                    # As SearchVector("search_document", config="english") in refresh_evidence.
                    cursor.execute(
                        f"INSERT INTO {qn(table)} ({_quoted(columns)}, search_vector) "  # noqa: S608 -- model identifiers # nosec B608
                        f"SELECT {_quoted(columns)}, to_tsvector('english'::regconfig, COALESCE(search_document, '')) "
                        f"FROM {self.STAGE} ORDER BY id"
                    )
                    cursor.execute(f"TRUNCATE {self.STAGE}")

    def finish(self) -> None:
        models = list(synthetic.table_models().values())
        with connection.cursor() as cursor:
            self.restore(cursor)
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
            for model in models:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
            cursor.execute(f"DROP TABLE IF EXISTS {self.STAGE}")
            cursor.execute("RESET synchronous_commit")
            cursor.execute("RESET statement_timeout")
        connection.synthetic_session_ready = False

    def abandon(self) -> None:
        with connection.cursor() as cursor:
            self.restore(cursor)

    def restore(self, cursor) -> None:
        """Recreate what _drop_indexes dropped (also after a failed load, so no index is ever lost)."""
        if not self.saved:
            return
        started = time.monotonic()
        cursor.execute("SET maintenance_work_mem TO '512MB'")
        # Indexes first (they were dropped last), then unique constraints and foreign keys, each checked in one pass.
        while self.saved:
            cursor.execute(self.saved.pop())
        cursor.execute("RESET maintenance_work_mem")
        self.log(f"Rebuilt the indexes and foreign keys in {time.monotonic() - started:.1f} s.")

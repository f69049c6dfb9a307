"""PostgreSQL backups that can prove they restore: a pg_dump archive and a manifest beside it.

The manifest holds, for every table, its row count and a checksum of its rows,
computed in SQL inside the very snapshot pg_dump archives (exported with
pg_export_snapshot and handed to ``pg_dump --snapshot``), so writes made during
the backup cannot make the two disagree. A restore goes into a fresh database
only, in one transaction, and is then checked table by table against the
manifest. Nothing here knows about claims: it reads the catalogue.

Passwords reach pg_dump and pg_restore through the environment (PGPASSWORD),
never the command line, where any local user could read them in ``ps``.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import subprocess  # pg_dump and pg_restore, run with argument lists and never a shell # nosec B404
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import psycopg2.extensions
from psycopg2 import sql

MANIFEST_FORMAT = 1
MANIFEST_SUFFIX = ".manifest.json"

# Connection OPTIONS that libpq understands, and the variable that hands each to the command-line tools.
LIBPQ_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "application_name": "PGAPPNAME",
}
# OPTIONS that Django's backend consumes itself; libpq would reject them.
DJANGO_ONLY_OPTIONS = {"isolation_level", "server_side_binding", "pool", "assume_role"}

# Fixed output settings, so a row's text (and its checksum) is the same on any server and session;
# and no time limits: the app server's statement timeout is not meant for reading whole tables,
# and this transaction waits, idle, while pg_dump reads in its snapshot.
SESSION_SETTINGS = [
    "SET LOCAL statement_timeout = 0",
    "SET LOCAL idle_in_transaction_session_timeout = 0",
    "SET LOCAL TimeZone = 'UTC'",
    "SET LOCAL DateStyle = 'ISO, YMD'",
    "SET LOCAL IntervalStyle = 'postgres'",
    "SET LOCAL extra_float_digits = 1",
    "SET LOCAL bytea_output = 'hex'",
]

# Ordinary tables in the application's schemas, leaving out the catalogue and extensions' own tables.
USER_RELATIONS = """
    SELECT c.oid, n.nspname, c.relname
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = ANY(%s)
      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\\_toast%%' AND n.nspname NOT LIKE 'pg\\_temp%%'
      AND NOT EXISTS (
          SELECT 1 FROM pg_depend d
          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
      )
    ORDER BY n.nspname, c.relname
"""
# Primary-key columns in key order, and whether each has a collation (text keys must sort the same everywhere).
PRIMARY_KEY = """
    SELECT a.attname, a.attcollation <> 0
    FROM pg_index i
    JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position) ON true
    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
    WHERE i.indrelid = %s AND i.indisprimary
    ORDER BY k.position
"""


class BackupError(Exception):
    """A backup or restore that cannot go ahead, or that did not verify."""


@dataclass(frozen=True)
class Target:
    """Where a database is: Django's DATABASES entry shape (NAME, USER, PASSWORD, HOST, PORT, OPTIONS)."""

    settings: dict

    @property
    def name(self) -> str:
        return self.settings["NAME"]

    def require_postgresql(self) -> None:
        if "postgresql" not in self.settings.get("ENGINE", ""):
            raise BackupError(
                "Backups are for PostgreSQL, the production database; this database is "
                f"{self.settings.get('ENGINE') or 'unknown'}. For a local SQLite file, copy it with "
                "sqlite3 db.sqlite3 \".backup 'copy.sqlite3'\" (see docs/backups.md)."
            )

    def libpq_options(self) -> dict:
        options = self.settings.get("OPTIONS") or {}
        return {key: value for key, value in options.items() if key not in DJANGO_ONLY_OPTIONS}

    def environment(self) -> dict[str, str]:
        """The environment for pg_dump/pg_restore: where to connect, and the password, out of argv."""
        env = dict(os.environ)
        given = {
            "PGHOST": self.settings.get("HOST"),
            "PGPORT": self.settings.get("PORT"),
            "PGUSER": self.settings.get("USER"),
            "PGPASSWORD": self.settings.get("PASSWORD"),
            "PGDATABASE": self.name,
        }
        for key, option in LIBPQ_ENV.items():
            given[option] = self.libpq_options().get(key)
        env.update({var: str(value) for var, value in given.items() if value not in (None, "")})
        return env

    def connect(self) -> psycopg2.extensions.connection:
        params = {
            "dbname": self.name,
            "user": self.settings.get("USER") or None,
            "password": self.settings.get("PASSWORD") or None,
            "host": self.settings.get("HOST") or None,
            "port": self.settings.get("PORT") or None,
            **self.libpq_options(),
        }
        return psycopg2.connect(**{key: value for key, value in params.items() if value is not None})


def manifest_path(dump: Path) -> Path:
    return dump.with_name(dump.name + MANIFEST_SUFFIX)


def default_output(now: datetime.datetime | None = None) -> Path:
    now = now or datetime.datetime.now(datetime.UTC)
    return Path(f"claimdesk-{now:%Y%m%dT%H%M%SZ}.dump")


def user_relations(cursor, kinds: tuple[str, ...] = ("r",)) -> list[tuple[int, str, str]]:
    """(oid, schema, name) of the application's relations of these kinds (pg_class.relkind)."""
    cursor.execute(USER_RELATIONS, [list(kinds)])
    return cursor.fetchall()


def table_checksums(cursor) -> dict[str, dict]:
    """Row count and checksum of every table, as ``{"schema.table": {"rows": n, "md5": hex}}``.

    The checksum is the md5 of the rows' md5s in primary-key order: it changes when any
    value of any row changes, and holds 32 bytes per row in memory rather than the rows.
    """
    for statement in SESSION_SETTINGS:
        cursor.execute(statement)
    result = {}
    for oid, schema, name in user_relations(cursor):
        table = sql.Identifier(schema, name)
        cursor.execute(PRIMARY_KEY, [oid])
        key = cursor.fetchall()
        if key:
            order = sql.SQL(", ").join(
                sql.SQL("t.{}{}").format(sql.Identifier(column), sql.SQL(' COLLATE "C"' if collatable else ""))
                for column, collatable in key
            )
        else:
            order = sql.SQL('t::text COLLATE "C"')
        cursor.execute(
            sql.SQL("SELECT count(*), md5(string_agg(md5(t::text), '' ORDER BY {})) FROM {} AS t").format(order, table)
        )
        rows, checksum = cursor.fetchone()
        result[f"{schema}.{name}"] = {"rows": rows, "md5": checksum}
    return result


def compare(expected: dict[str, dict], actual: dict[str, dict]) -> list[str]:
    """What differs between two table_checksums results, one line per table; empty when they agree."""
    problems = []
    for table in sorted(expected.keys() | actual.keys()):
        if table not in actual:
            problems.append(f"{table}: missing from the restored database")
        elif table not in expected:
            problems.append(f"{table}: not in the backup")
        elif expected[table]["rows"] != actual[table]["rows"]:
            problems.append(f"{table}: {actual[table]['rows']} rows, the backup has {expected[table]['rows']}")
        elif expected[table]["md5"] != actual[table]["md5"]:
            problems.append(f"{table}: same {actual[table]['rows']} rows, different content")
    return problems


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return path


def _run(argv: list[str], env: dict[str, str]) -> None:
    completed = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603 # nosec B603
    if completed.returncode != 0:
        raise BackupError(f"{Path(argv[0]).name} failed ({completed.returncode}):\n{completed.stderr.strip()}")


def _write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read, in one rename, so a reader never sees half of it."""
    partial = path.with_name(path.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(text)
    os.replace(partial, path)


def create_backup(target: Target, output: Path) -> dict:
    """Dump ``target`` to ``output`` (pg_dump custom format) with its manifest beside it; return the manifest."""
    target.require_postgresql()
    pg_dump = _tool("pg_dump")
    manifest_file = manifest_path(output)
    for path in (output, manifest_file):
        if path.exists():
            raise BackupError(f"{path} exists already; a backup never overwrites one.")
    partial = output.with_name(output.name + ".partial")
    # Created here, owner-only, before pg_dump writes into it: the dump holds protected identities.
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        connection = target.connect()
        try:
            connection.set_session(isolation_level=psycopg2.extensions.ISOLATION_LEVEL_REPEATABLE_READ, readonly=True)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
                snapshot, server_version = cursor.fetchone()
                tables = table_checksums(cursor)
                # The transaction stays open while pg_dump runs, so the snapshot stays valid.
                _run(
                    [pg_dump, "--format=custom", f"--snapshot={snapshot}", "--no-password", f"--file={partial}"],
                    target.environment(),
                )
        finally:
            connection.close()
        os.replace(partial, output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    manifest = {
        "format": MANIFEST_FORMAT,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": target.name,
        "server_version": server_version,
        "dump": output.name,
        "dump_bytes": output.stat().st_size,
        "dump_sha256": sha256_of(output),
        "tables": tables,
    }
    _write_private(manifest_file, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def read_manifest(path: Path) -> dict:
    try:
        manifest = json.loads(path.read_text())
    except FileNotFoundError:
        raise BackupError(f"No manifest at {path}: a dump is restored only with its own manifest.") from None
    except ValueError as exc:
        raise BackupError(f"{path} is not a backup manifest: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise BackupError(f"{path} is not a format-{MANIFEST_FORMAT} backup manifest.")
    return manifest


def existing_relations(target: Target) -> list[str]:
    """Tables, views and sequences already in ``target``: a database with any is not fresh."""
    connection = target.connect()
    try:
        with connection.cursor() as cursor:
            relations = user_relations(cursor, kinds=("r", "p", "v", "m", "S", "f"))
    finally:
        connection.close()
    return [f"{schema}.{name}" for _oid, schema, name in relations]


def restore_backup(dump: Path, target: Target, *, manifest_file: Path | None = None) -> dict:
    """Restore ``dump`` into the empty database ``target`` and check it against the manifest.

    Returns the manifest. Raises BackupError before touching anything if the dump does not
    match its manifest or the target holds anything; raises it after the restore if the
    restored tables differ from the manifest (then drop that database: it is not the backup).
    """
    target.require_postgresql()
    pg_restore = _tool("pg_restore")
    manifest = read_manifest(manifest_file or manifest_path(dump))
    if sha256_of(dump) != manifest["dump_sha256"]:
        raise BackupError(f"{dump} does not match the SHA-256 in its manifest: damaged, or another dump.")
    existing = existing_relations(target)
    if existing:
        shown = ", ".join(existing[:5]) + (", ..." if len(existing) > 5 else "")
        raise BackupError(
            f"Database {target.name!r} is not empty ({len(existing)} tables, views or sequences: {shown}). "
            "Restore into a freshly created database only."
        )
    # One transaction: a restore that fails part-way leaves the database as empty as it was.
    # Owners and grants are left out; the restoring role owns everything (docs/backups.md).
    _run(
        [
            pg_restore,
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            "--no-privileges",
            "--no-password",
            f"--dbname={target.name}",
            str(dump),
        ],
        target.environment(),
    )
    connection = target.connect()
    try:
        connection.set_session(isolation_level=psycopg2.extensions.ISOLATION_LEVEL_REPEATABLE_READ, readonly=True)
        with connection.cursor() as cursor:
            restored = table_checksums(cursor)
    finally:
        connection.close()
    problems = compare(manifest["tables"], restored)
    if problems:
        raise BackupError(
            f"The restored database {target.name!r} differs from the backup; drop it:\n  " + "\n  ".join(problems)
        )
    return manifest

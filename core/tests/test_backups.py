"""Backups: a dump restores into a fresh database with every table's rows intact, and nowhere else."""

import io
import json
import stat
import subprocess
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from psycopg2 import sql

from core import backups

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_dump and pg_restore need PostgreSQL (DATABASE_URL=postgres://...)"
)


@pytest.fixture(scope="module", autouse=True)
def _restore_migrated_data(django_db_setup, django_db_blocker):
    # These tests commit (pg_dump reads through its own connection), so each ends by emptying
    # the database; put back what migrations created, for the tests that run after them.
    yield
    with django_db_blocker.unblock():
        for each in connections.all():
            contents = getattr(each, "_test_serialized_contents", None)  # set by Django's test setup
            if contents:
                each.creation.deserialize_db_from_string(contents)


def database_url(name: str) -> str:
    params = connection.settings_dict
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    return f"postgres://{params['USER']}{password}@{params['HOST'] or 'localhost'}:{params['PORT'] or 5432}/{name}"


def connect(name: str):
    params = connection.settings_dict
    return psycopg2.connect(
        dbname=name,
        user=params["USER"],
        password=params.get("PASSWORD") or None,
        host=params.get("HOST") or None,
        port=params.get("PORT") or None,
    )


@pytest.fixture
def fresh_database():
    """The name of a new, empty database of the test's own, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    conn = connect("postgres")  # the maintenance database
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield name
    with conn.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    conn.close()


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # load_demo refuses without it
    call_command("load_demo", stdout=io.StringIO())


def snapshot(name: str) -> dict[str, tuple[int, str]]:
    """Every table's row count and content checksum, worked out here independently of core.backups:
    the tables from information_schema, the rows in their text form, sorted by that text."""
    conn = connect(name)
    result = {}
    with conn.cursor() as cursor:
        cursor.execute("SET TimeZone = 'UTC'")
        cursor.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')"
        )
        for schema, table in cursor.fetchall():
            cursor.execute(
                sql.SQL(
                    "SELECT count(*), md5(string_agg(t::text, '|' ORDER BY t::text COLLATE \"C\")) FROM {} t"
                ).format(sql.Identifier(schema, table))
            )
            result[f"{schema}.{table}"] = cursor.fetchone()
    conn.close()
    return result


@needs_postgresql
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_restores_the_demo_newsroom_into_a_fresh_database_table_by_table(demo, fresh_database, tmp_path):
    dump = tmp_path / "claimdesk.dump"

    call_command("backup", output=dump, stdout=io.StringIO())
    call_command("restore", dump, database_url=database_url(fresh_database), stdout=io.StringIO())

    original = snapshot(connection.settings_dict["NAME"])
    restored = snapshot(fresh_database)
    assert original.keys() == restored.keys()
    for table in original:
        assert restored[table] == original[table], table
    # The comparison is not vacuous: the demo newsroom is in it, protected sources included.
    assert original["public.claims_claim"][0] >= 10
    assert original["public.sources_actor"][0] > 0
    assert original["public.claims_historicalclaim"][0] > 0
    # The manifest lists every table, with the counts the restore found.
    manifest = json.loads(backups.manifest_path(dump).read_text())
    assert manifest["tables"].keys() == original.keys()
    assert {table: entry["rows"] for table, entry in manifest["tables"].items()} == {
        table: rows for table, (rows, _) in original.items()
    }
    # Only their owner may read them: the dump holds protected identities.
    for path in (dump, backups.manifest_path(dump)):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


@needs_postgresql
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_refuses_to_restore_into_a_database_that_is_not_empty(demo, tmp_path):
    dump = tmp_path / "claimdesk.dump"
    call_command("backup", output=dump, stdout=io.StringIO())
    before = snapshot(connection.settings_dict["NAME"])

    with pytest.raises(CommandError, match="is not empty"):
        call_command("restore", dump, database_url=database_url(connection.settings_dict["NAME"]))

    assert snapshot(connection.settings_dict["NAME"]) == before


@needs_postgresql
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_refuses_a_dump_that_does_not_match_its_manifest(demo, fresh_database, tmp_path):
    dump = tmp_path / "claimdesk.dump"
    call_command("backup", output=dump, stdout=io.StringIO())
    with dump.open("ab") as file:
        file.write(b"\0")

    with pytest.raises(CommandError, match="does not match the SHA-256"):
        call_command("restore", dump, database_url=database_url(fresh_database))

    assert snapshot(fresh_database) == {}


@needs_postgresql
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_notices_a_restored_table_that_differs_from_the_backup(demo, fresh_database, tmp_path):
    dump = tmp_path / "claimdesk.dump"
    call_command("backup", output=dump, stdout=io.StringIO())
    call_command("restore", dump, database_url=database_url(fresh_database), stdout=io.StringIO())
    target = backups.Target(dict(connection.settings_dict, NAME=fresh_database))
    conn = target.connect()
    with conn, conn.cursor() as cursor:
        cursor.execute("UPDATE sources_actor SET name = name || '.' WHERE id = (SELECT min(id) FROM sources_actor)")
        restored = backups.table_checksums(cursor)
    conn.close()

    problems = backups.compare(backups.read_manifest(backups.manifest_path(dump))["tables"], restored)

    rows = restored["public.sources_actor"]["rows"]
    assert problems == [f"public.sources_actor: same {rows} rows, different content"]


@needs_postgresql
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_hands_the_password_to_pg_dump_in_the_environment_not_the_command_line(monkeypatch, tmp_path):
    # The test server trusts local connections, so any password is accepted and this one reaches pg_dump.
    secret = "not-on-the-command-line-" + uuid.uuid4().hex
    calls = []
    real_run = subprocess.run

    def spy(argv, **kwargs):
        calls.append((argv, kwargs["env"]))
        return real_run(argv, **kwargs)

    monkeypatch.setattr(backups.subprocess, "run", spy)
    target = backups.Target(dict(connection.settings_dict, PASSWORD=secret))

    backups.create_backup(target, tmp_path / "claimdesk.dump")

    [(argv, env)] = calls
    assert Path(argv[0]).name == "pg_dump"
    assert not any(secret in arg for arg in argv)
    assert env["PGPASSWORD"] == secret
    assert env["PGDATABASE"] == connection.settings_dict["NAME"]


def test_it_refuses_a_backup_that_would_overwrite_another(tmp_path):
    dump = tmp_path / "claimdesk.dump"
    dump.write_bytes(b"an older backup")
    target = backups.Target({"ENGINE": "django.db.backends.postgresql", "NAME": "unused"})

    with pytest.raises(backups.BackupError, match="never overwrites"):
        backups.create_backup(target, dump)

    assert dump.read_bytes() == b"an older backup"


def test_it_sends_connection_options_to_the_tools_through_libpq_variables():
    target = backups.Target(
        {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "claimdesk",
            "USER": "claimdesk_backup",
            "PASSWORD": "s3cret",
            "HOST": "db.internal",
            "PORT": 5433,
            "OPTIONS": {"sslmode": "verify-full", "connect_timeout": 2, "isolation_level": 1},
        }
    )

    env = target.environment()

    assert env["PGHOST"] == "db.internal"
    assert env["PGPORT"] == "5433"
    assert env["PGUSER"] == "claimdesk_backup"
    assert env["PGPASSWORD"] == "s3cret"
    assert env["PGSSLMODE"] == "verify-full"
    assert env["PGCONNECT_TIMEOUT"] == "2"
    assert "isolation_level" not in target.libpq_options()  # Django's own option, which libpq would refuse


def test_it_refuses_to_back_up_or_restore_sqlite(tmp_path):
    dump = tmp_path / "claimdesk.dump"
    dump.write_bytes(b"")

    with pytest.raises(CommandError, match=r"docs/backups\.md"):
        call_command("restore", dump, database_url=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    with pytest.raises(backups.BackupError, match=r"docs/backups\.md"):
        backups.create_backup(backups.Target({"ENGINE": "django.db.backends.sqlite3", "NAME": "x"}), dump)

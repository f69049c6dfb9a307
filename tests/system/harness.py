"""A PostgreSQL cluster and a gunicorn of the system tests' own, started and always removed.

The cluster lives in a temporary directory on a free port of 127.0.0.1 — never the shared
server on 5432, which these tests stop and start. initdb and pg_ctl refuse to run as root,
so as root (CI) they run as the postgres user.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg2
import requests

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
SECRET_KEY = "system-test-only-secret-key-not-for-production"


def postgres_bindir() -> Path | None:
    """The newest installed PostgreSQL's programs (Debian keeps them out of PATH)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class Cluster:
    """A throwaway PostgreSQL server: data, socket and log in one temporary directory."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="claimdesk-system-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")

    def _pg(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603 - PostgreSQL's own programs, our arguments
            as_postgres([str(self.bindir / args[0]), *args[1:]]),
            capture_output=True,
            text=True,
            check=check,
            timeout=60,
        )

    def create(self) -> None:
        self._pg("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-instructions")
        self.start()

    def start(self) -> None:
        # fsync off makes setup quick; a commit still reaches the kernel before it is acknowledged,
        # so stopping the server (even -m immediate) loses nothing that was committed.
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60"
        self._pg("pg_ctl", "start", "-w", "-t", "30", "-D", str(self.data), "-l", str(self.log), "-o", options)

    def stop(self, mode: str = "fast") -> None:
        self._pg("pg_ctl", "stop", "-w", "-t", "30", "-D", str(self.data), "-m", mode)

    def is_running(self) -> bool:
        return self.data.exists() and self._pg("pg_ctl", "status", "-D", str(self.data), check=False).returncode == 0

    def url(self, dbname: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def connect(self, dbname: str = "postgres"):
        conn = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=dbname, connect_timeout=5)
        conn.autocommit = True
        return conn

    def query(self, dbname: str, sql: str, params=()) -> list[tuple]:
        with contextlib.closing(self.connect(dbname)) as conn, conn.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall() if cur.description else []

    def create_database(self, name: str, *, template: str | None = None) -> None:
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name) or (template and not re.fullmatch(r"[a-z0-9_]+", template)):
            raise ValueError(name)
        suffix = f" TEMPLATE {template}" if template else ""
        self.query("postgres", f"CREATE DATABASE {name}{suffix}")

    def destroy(self) -> None:
        try:
            if self.is_running():
                self.stop("immediate")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def django_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a production-like process on 127.0.0.1: nothing inherited from the test run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CLAIMDESK_"))}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_LOG_LEVEL="WARNING",
        # The probes are one anonymous client polling many times a second: the API's anonymous
        # throttle (120/minute) would answer them 429 before the database is ever asked.
        CLAIMDESK_API_ANON_RATE="100000/minute",
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


def manage(database_url: str, *args: str) -> str:
    result = subprocess.run(  # noqa: S603 - this interpreter and our manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=django_env(database_url),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


SEED = """
import json
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
from claims.models import Topic

reporter = User.objects.create_user("system-reporter", password=None)
reporter.groups.add(Group.objects.get(name="Reporters"))
topic, _ = Topic.objects.get_or_create(slug="barrier-units", defaults={"name": "Barrier units"})
print(json.dumps({"token": Token.objects.create(user=reporter).key, "topic": topic.slug, "user_id": reporter.pk}))
"""


def seed(database_url: str) -> dict:
    """A reporter with an API token, and a topic."""
    return json.loads(manage(database_url, "shell", "--verbosity", "0", "-c", SEED).strip().splitlines()[-1])


class Server:
    """gunicorn serving the app as production does (debug off, HTTPS mode off for 127.0.0.1)."""

    def __init__(self, database_url: str, log: Path, *, args: list[str], conn_max_age: int = 60):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.env = django_env(
            database_url,
            DJANGO_SETTINGS_MODULE="tests.system.server_settings",
            DJANGO_CONN_MAX_AGE=str(conn_max_age),
        )
        self.args = args
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [str(VENV_BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{self.port}", *self.args]
        with self.log.open("ab") as log:
            # A session of its own, so stopping it ends the master and every worker it forked.
            self.process = subprocess.Popen(  # noqa: S603 - the venv's gunicorn
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log.read_text()}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{self.base}/api/v1/topics/", timeout=5).status_code == 200:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)


TEMPLATE = "claimdesk_template"


class Site:
    """One database made from the migrated template, seeded, and a gunicorn serving it."""

    def __init__(self, cluster: Cluster, dbname: str, server: Server, seeded: dict):
        self.cluster = cluster
        self.dbname = dbname
        self.server = server
        self.base = server.base
        self.token = seeded["token"]
        self.topic = seeded["topic"]
        self.headers = {"Authorization": f"Token {self.token}"}

    def query(self, sql: str, params=()) -> list[tuple]:
        return self.cluster.query(self.dbname, sql, params)


@contextlib.contextmanager
def running_site(cluster: Cluster, dbname: str, log_dir: Path, *, gunicorn_args: list[str]):
    if not cluster.is_running():  # an earlier test may have failed with it stopped
        cluster.start()
    cluster.create_database(dbname, template=TEMPLATE)
    url = cluster.url(dbname)
    seeded = seed(url)
    server = Server(url, log_dir / f"{dbname}-gunicorn.log", args=gunicorn_args)
    try:
        server.start()
        yield Site(cluster, dbname, server, seeded)
    finally:
        server.stop()

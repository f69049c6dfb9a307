"""PostgreSQL goes away under a running gunicorn: every request gets a fast, plain 503, the app
recovers by itself when the database is back, and every write it acknowledged is kept.

The database is stopped twice (a fast shutdown, then an immediate one, as in a crash) and
hung once (a lock no statement can get past, cut off by statement_timeout), while a writer
keeps creating claims through the API with a reporter's token.
"""

import threading
import time
import uuid
from dataclasses import dataclass, field

import pytest
import requests
from django.db import connection

from tests.system.harness import running_site

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="stops a PostgreSQL server; runs in the PostgreSQL pass"
    ),
]

ANSWER_WITHIN = 2.5  # seconds, for every request while the database is down or hung
RECOVER_WITHIN = 5.0  # seconds after the database is back
PROBE_FOR = 3.0  # seconds of probing during each outage
# What a 503 must never show: a trace, the driver, the connection settings.
LEAKS = ["Traceback", 'File "', "psycopg", "OperationalError", "InterfaceError", "postgres", "127.0.0.1", "port"]


@pytest.fixture(scope="module")
def site(cluster, tmp_path_factory):
    with running_site(
        cluster,
        "outage",
        tmp_path_factory.mktemp("outage"),
        gunicorn_args=["--workers", "2", "--timeout", "30", "--graceful-timeout", "5"],
    ) as site:
        yield site


@dataclass
class Writer:
    """Creates claims one after another, remembering each one the server acknowledged."""

    site: object
    stop: threading.Event = field(default_factory=threading.Event)
    paused: threading.Event = field(default_factory=threading.Event)
    acknowledged: dict = field(default_factory=dict)  # claim id -> statement
    answers: list = field(default_factory=list)  # (status, seconds)
    errors: list = field(default_factory=list)

    def run(self) -> None:
        run_id = uuid.uuid4().hex[:8]
        n = 0
        while not self.stop.is_set():
            if self.paused.is_set():
                time.sleep(0.05)
                continue
            n += 1
            statement = f"Blocking units fired on soldiers retreating from position {run_id}-{n}."
            started = time.monotonic()
            try:
                response = requests.post(
                    f"{self.site.base}/api/v1/claims/",
                    json={"statement": statement, "topics": [self.site.topic]},
                    headers=self.site.headers,
                    timeout=10,
                )
            except requests.RequestException as exc:
                self.errors.append(repr(exc))
                continue
            self.answers.append((response.status_code, time.monotonic() - started))
            if response.status_code == 201:
                self.acknowledged[response.json()["id"]] = statement
            time.sleep(0.02)

    def count(self, status: int) -> int:
        return sum(1 for s, _ in self.answers if s == status)


def probes(site) -> list[tuple[str, requests.Response, float]]:
    """A reader's page, a reader's API call and a reporter's API write."""
    calls = [
        ("page", "GET", "/", {}),
        ("api", "GET", "/api/v1/claims/", {}),
        ("api write", "POST", "/api/v1/claims/", {"json": {"statement": "A probe."}, "headers": site.headers}),
    ]
    answers = []
    for name, method, path, kwargs in calls:
        started = time.monotonic()
        response = requests.request(method, f"{site.base}{path}", timeout=10, **kwargs)
        answers.append((name, response, time.monotonic() - started))
    return answers


def assert_plain_503s(site) -> str:
    """Probe for a while; every answer must be a plain 503 in time. Returns how many, how slow."""
    checked, slowest = 0, 0.0
    until = time.monotonic() + PROBE_FOR
    while time.monotonic() < until:
        for name, response, seconds in probes(site):
            assert response.status_code == 503, (name, response.status_code, response.text[:300])
            assert seconds < ANSWER_WITHIN, (name, seconds)
            assert response.headers["Retry-After"].isdigit(), name
            body = response.text
            assert not [leak for leak in LEAKS if leak in body], (name, body)
            if name == "page":
                assert response.headers["Content-Type"].startswith("text/html")
                assert "unavailable" in body
            else:
                assert response.headers["Content-Type"] == "application/json"
                assert list(response.json()) == ["detail"]
            checked += 1
            slowest = max(slowest, seconds)
    return f"{checked} answers, slowest {slowest:.2f}s"


def assert_recovers(site) -> str:
    """Until a page and the API both answer 200 again."""
    started = time.monotonic()
    while True:
        with_200 = [
            requests.get(f"{site.base}{path}", timeout=10).status_code == 200 for path in ("/", "/api/v1/claims/")
        ]
        elapsed = time.monotonic() - started
        if all(with_200):
            return f"{elapsed:.2f}s"
        assert elapsed < RECOVER_WITHIN, f"still failing {elapsed:.1f}s after the database came back"
        time.sleep(0.1)


def wait_for_writes(writer: Writer, more: int) -> None:
    target = len(writer.acknowledged) + more
    until = time.monotonic() + 15
    while len(writer.acknowledged) < target:
        assert time.monotonic() < until, f"the writer made no progress: {writer.answers[-5:]}"
        time.sleep(0.05)


def test_it_fails_closed_and_recovers_without_losing_an_acknowledged_write(site):
    writer = Writer(site)
    thread = threading.Thread(target=writer.run, daemon=True)
    thread.start()
    timings = {}
    try:
        wait_for_writes(writer, 5)
        for mode in ("fast", "immediate"):
            site.cluster.stop(mode)
            timings[f"{mode} stop"] = assert_plain_503s(site)
            site.cluster.start()
            timings[f"{mode} stop: back in"] = assert_recovers(site)
            wait_for_writes(writer, 3)

        # Hung: a lock no statement gets past; statement_timeout cancels each waiting query. The
        # writer pauses, so no probe queues for a worker behind one of its requests.
        writer.paused.set()
        time.sleep(0.5)
        blocker = site.cluster.connect(site.dbname)
        try:
            blocker.autocommit = False
            with blocker.cursor() as cursor:
                cursor.execute("LOCK TABLE claims_claim IN ACCESS EXCLUSIVE MODE")
            timings["hung"] = assert_plain_503s(site)
        finally:
            blocker.rollback()
            blocker.close()
        timings["hung: back in"] = assert_recovers(site)
        writer.paused.clear()
        wait_for_writes(writer, 3)
    finally:
        writer.stop.set()
        thread.join(timeout=15)
    print(timings)  # shown with -s: how fast it failed and came back

    assert not writer.errors, writer.errors[:5]
    assert {status for status, _ in writer.answers} <= {201, 503}
    assert writer.count(503) > 0, "the writer never met the outage"
    slow = [seconds for status, seconds in writer.answers if status == 503 and seconds >= ANSWER_WITHIN]
    assert not slow

    # Every acknowledged write is there, exactly as sent.
    rows = dict(site.query("SELECT id, statement FROM claims_claim"))
    missing = {pk: s for pk, s in writer.acknowledged.items() if rows.get(pk) != s}
    assert not missing
    # Nothing half-written: every claim has its topic, its creation in history and its audit record.
    untopical = (
        "SELECT id FROM claims_claim c WHERE NOT EXISTS (SELECT 1 FROM claims_claim_topics t WHERE t.claim_id = c.id)"
    )
    assert site.query(untopical) == []
    assert (
        site.query(
            "SELECT id FROM claims_claim c WHERE NOT EXISTS "
            "(SELECT 1 FROM claims_historicalclaim h WHERE h.id = c.id AND h.history_type = '+')"
        )
        == []
    )
    [(created,)] = site.query(
        "SELECT count(*) FROM audit_auditrecord WHERE method = 'POST' AND path = '/api/v1/claims/' AND status = 201"
    )
    assert created == len(rows)
    assert "WORKER TIMEOUT" not in site.server.log.read_text()

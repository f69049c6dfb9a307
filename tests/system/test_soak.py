"""Twenty clients edit the same few claims at once through gunicorn and PostgreSQL: no edit is lost.

Each round a client reads a claim, appends a token of its own to the statement and sends it
back with the version it read. A stale version is refused with 409 (counted, not retried).
Afterwards every accepted edit must be visible: its token in the statement, one history row
and one version step per edit, one audit record per request, each naming only its own claim.
"""

import collections
import re
import threading
import time

import pytest
import requests
from django.db import connection

from tests.system.harness import running_site

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="gunicorn against PostgreSQL; runs in that pass"),
]

CLIENTS = 20
ROUNDS = 50
CLAIMS = 3
TOKEN = re.compile(r"\[c\d+r\d+\]")


@pytest.fixture(scope="module")
def site(cluster, tmp_path_factory):
    # Threads inside each worker too: requests of one process run side by side.
    with running_site(
        cluster,
        "soak",
        tmp_path_factory.mktemp("soak"),
        gunicorn_args=["--workers", "3", "--worker-class", "gthread", "--threads", "4", "--timeout", "60"],
    ) as site:
        yield site


def make_claims(site) -> list[int]:
    ids = []
    for i in range(CLAIMS):
        response = requests.post(
            f"{site.base}/api/v1/claims/",
            json={"statement": f"Barrier troops fired on soldiers who retreated, claim {i}."},
            headers=site.headers,
            timeout=30,
        )
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    return ids


def client(site, number: int, claim_ids: list[int], outcomes: list, errors: list) -> None:
    session = requests.Session()
    session.headers.update(site.headers)
    for round_ in range(ROUNDS):
        claim_id = claim_ids[(number + round_) % len(claim_ids)]
        token = f"[c{number}r{round_}]"
        url = f"{site.base}/api/v1/claims/{claim_id}/"
        try:
            current = session.get(url, timeout=60)
            current.raise_for_status()
            read = current.json()
            edited = session.patch(
                url, json={"version": read["version"], "statement": f"{read['statement']} {token}"}, timeout=60
            )
        except requests.RequestException as exc:
            errors.append(repr(exc))
            continue
        outcomes.append((claim_id, token, edited.status_code))


def test_concurrent_edits_lose_nothing_and_each_leaves_one_history_row_and_one_audit_record(site):
    claim_ids = make_claims(site)
    history_before = dict(
        site.query("SELECT id, count(*) FROM claims_historicalclaim WHERE id = ANY(%s) GROUP BY id", (claim_ids,))
    )
    outcomes, errors = [], []
    threads = [
        threading.Thread(target=client, args=(site, n, claim_ids, outcomes, errors), daemon=True)
        for n in range(CLIENTS)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    elapsed = time.monotonic() - started

    assert not errors, errors[:5]
    assert len(outcomes) == CLIENTS * ROUNDS
    statuses = collections.Counter(status for _, _, status in outcomes)
    assert set(statuses) <= {200, 409}, statuses
    print(f"{CLIENTS * ROUNDS} edits in {elapsed:.1f}s: {dict(statuses)}")  # shown with -s

    accepted = collections.defaultdict(list)
    refused = collections.defaultdict(list)
    for claim_id, token, status in outcomes:
        (accepted if status == 200 else refused)[claim_id].append(token)
    assert sum(map(len, accepted.values())) > 0
    history_after = dict(
        site.query("SELECT id, count(*) FROM claims_historicalclaim WHERE id = ANY(%s) GROUP BY id", (claim_ids,))
    )
    for claim_id in claim_ids:
        [(statement, version)] = site.query("SELECT statement, version FROM claims_claim WHERE id = %s", (claim_id,))
        tokens = TOKEN.findall(statement)
        # No lost update: every accepted edit is there, once; no refused one is.
        assert sorted(tokens) == sorted(accepted[claim_id])
        assert version == 1 + len(accepted[claim_id])
        assert history_after[claim_id] - history_before[claim_id] == len(accepted[claim_id])

    # One audit record per edit request, accepted or refused, naming its own claim and nothing else.
    records = site.query(
        "SELECT path, status, changes FROM audit_auditrecord WHERE method = 'PATCH' AND path LIKE '/api/v1/claims/%%'"
    )
    assert collections.Counter(status for _, status, _ in records) == statuses
    for path, status, changes in records:
        claim_id = int(path.rstrip("/").rsplit("/", 1)[1])
        if status == 409:
            assert changes == []
        else:
            assert [(c["model"], c["object_id"], c["action"]) for c in changes] == [
                ("claims.claim", str(claim_id), "update")
            ]
            assert changes[0]["after"]["version"] == changes[0]["before"]["version"] + 1

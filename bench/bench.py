"""The benchmark behind bench/run: build, serve, load, measure, compare with the targets.

See bench/README.md. Standard library only: Django runs in the subprocesses
(manage.py, bench/prepare.py, gunicorn), never in this process.
"""

# A benchmark driver runs its fixed set of tools (psql, wrk, gunicorn, manage.py) by design.
# ruff: noqa: S603, S607

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
LUA = str(ROOT / "bench" / "report.lua")
# A change to the generator makes every benchmark database out of date.
GENERATOR_FILES = ["claims/synthetic.py", "claims/management/commands/generate_claims.py"]

CASES = {
    "healthz": "trivial view /healthz/ (baseline)",
    "list": "public list, page 1 (50 claims)",
    "deep": "public list, deep page",
    "filtered": "public list, filtered (topic + region)",
    "search_common": "search, common word",
    "search_rare": "search, rare word",
    "claim": "claim page, full provenance tree",
    "api_list": "API list",
    "api_detail": "API detail",
    "admin": "Django admin changelist of claims",
}
SEARCH_CASES = ["healthz", "list", "search_common", "search_rare"]
LIST_LIKE = ["list", "deep", "filtered", "search_common", "search_rare"]


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(cmd: list[str], *, env: dict | None = None, capture: bool = False, check: bool = True) -> str:
    result = subprocess.run(cmd, cwd=ROOT, env=env, text=True, stdout=subprocess.PIPE if capture else None, check=False)
    if check and result.returncode != 0:
        raise SystemExit(f"bench: command failed ({result.returncode}): {' '.join(cmd)}")
    return result.stdout if capture else ""


# ---------------------------------------------------------------------------
# Tools and the machine
# ---------------------------------------------------------------------------


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    say("wrk is missing: installing the Debian package")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update", "-qq"], env=env, check=True)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], env=env, check=True)


def machine() -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    versions = run(
        [
            PY,
            "-c",
            "import django, gunicorn, sys; print(sys.version.split()[0], django.get_version(), gunicorn.__version__)",
        ],
        capture=True,
    ).split()
    commit = run(["git", "rev-parse", "--short", "HEAD"], capture=True, check=False).strip()
    dirty = bool(run(["git", "status", "--porcelain", "--untracked-files=no"], capture=True, check=False).strip())
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": versions[0],
        "django": versions[1],
        "gunicorn": versions[2],
        "wrk": (wrk.stdout or wrk.stderr).split("\n")[0].split(" [")[0],
        "commit": commit + (" (with uncommitted changes)" if dirty else ""),
    }


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ---------------------------------------------------------------------------
# Databases
# ---------------------------------------------------------------------------


class Postgres:
    def __init__(self, url: str):
        # postgres://user@host:port
        self.url = url.rstrip("/")
        rest = self.url.split("://", 1)[1]
        user, _, hostport = rest.rpartition("@")
        host, _, port = hostport.partition(":")
        self.args = ["-h", host or "127.0.0.1", "-p", port or "5432", "-U", user or "postgres"]

    def db_url(self, name: str) -> str:
        return f"{self.url}/{name}"

    def psql(self, db: str, sql: str, *, check: bool = True) -> str:
        return run(
            ["psql", *self.args, "-d", db, "-tAq", "-v", "ON_ERROR_STOP=1", "-c", sql], capture=True, check=check
        )

    def ready(self) -> bool:
        return subprocess.run(["pg_isready", "-q", *self.args], check=False).returncode == 0

    def comment(self, db: str) -> str | None:
        """The database's comment ("" if none), or None if there is no such database."""
        # ``db`` is claimdesk_bench_<number>, made here.
        out = self.psql(
            "postgres",
            f"SELECT 'comment:' || coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database "  # noqa: S608 -- a name this script made # nosec B608
            f"WHERE datname = '{db}'",
        ).strip()
        return out.removeprefix("comment:") if out else None

    def version(self) -> str:
        return self.psql("postgres", "SHOW server_version").strip()


def generator_version() -> str:
    digest = hashlib.sha256()
    for name in GENERATOR_FILES:
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()[:12]


def ensure_database(pg: Postgres, claims: int, seed: int, rebuild: bool, base_env: dict) -> dict:
    """claimdesk_bench_<N>, built with generate_claims unless a complete one is there; then VACUUM ANALYZE."""
    name = f"claimdesk_bench_{claims}"
    marker = f"claimdesk bench: {claims} claims, seed {seed}, generator {generator_version()}, complete"
    env = {**base_env, "DATABASE_URL": pg.db_url(name), "DJANGO_DB_STATEMENT_TIMEOUT_MS": "0"}
    info = {"name": name, "claims_requested": claims, "seed": seed, "built": False}
    current = pg.comment(name)
    if current == marker and not rebuild:
        say(f"{name}: complete ({marker}); reusing it")
        run([PY, "manage.py", "migrate", "--noinput", "-v", "1"], env=env)
    else:
        why = "--rebuild" if rebuild else "missing" if current is None else f"out of date ({current or 'incomplete'})"
        say(f"{name}: building ({why})")
        run(["dropdb", *pg.args, "--if-exists", name])
        run(["createdb", *pg.args, name])
        started = time.monotonic()
        run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], env=env)
        run([PY, "manage.py", "generate_claims", str(claims), "--seed", str(seed)], env=env)
        info["build_seconds"] = round(time.monotonic() - started, 1)
        info["built"] = True
        pg.psql("postgres", f"COMMENT ON DATABASE {name} IS '{marker}'")
        say(f"{name}: built in {info['build_seconds']:.0f} s")
    started = time.monotonic()
    pg.psql(name, "VACUUM ANALYZE")
    info["vacuum_analyze_seconds"] = round(time.monotonic() - started, 1)
    return info


# ---------------------------------------------------------------------------
# Server and load
# ---------------------------------------------------------------------------


def server_env(base_env: dict, db_url: str) -> dict:
    return {
        **base_env,
        "DATABASE_URL": db_url,
        "DJANGO_DEBUG": "0",
        # Persistent connections, as in production.
        "DJANGO_CONN_MAX_AGE": "600",
        # Plain HTTP on 127.0.0.1: no HTTPS redirect, plain cookie names.
        "DJANGO_HTTPS": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # wrk is one anonymous client sending thousands of requests a second: the API's throttle
        # would answer 429 after the first 120; it still counts every request, as in production.
        "CLAIMDESK_API_ANON_RATE": "1000000000/second",
        # The admin session must outlive a long run (the idle timeout is the only thing changed).
        "DJANGO_SESSION_IDLE_SECONDS": "86400",
        "DJANGO_LOG_LEVEL": "WARNING",
    }


class Server:
    """gunicorn, 2 sync workers, on a free port of 127.0.0.1; stopped by its own pid."""

    def __init__(self, env: dict, log: Path, workers: int):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.process = subprocess.Popen(
            [GUNICORN, "config.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers),
             "--worker-class", "sync", "--timeout", "60", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        for _ in range(120):
            if self.process.poll() is not None:
                raise SystemExit(f"bench: gunicorn exited; see {log}")
            try:
                if fetch(self.base + "/healthz/")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        self.stop()
        raise SystemExit(f"bench: gunicorn did not answer on {self.base}; see {log}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # the master stops its workers
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def fetch(url: str, headers: dict | None = None) -> tuple[int, bytes]:
    # Only ever our own server on 127.0.0.1.
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 -- our http://127.0.0.1 server # nosec B310
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def wrk(url: str, *, seconds: int, threads: int, connections: int, cookie: str = "") -> dict:
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency", "-s", LUA]
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    line = next((ln for ln in out.splitlines() if ln.startswith("WRK_JSON ")), None)
    if line is None:
        raise SystemExit(f"bench: no result from wrk for {url}:\n{out}")
    data = json.loads(line[len("WRK_JSON ") :])
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    data["failed"] = sum(data["errors"].values())
    return data


def load_phase(server: Server, prepared: dict, cases: list[str], args) -> dict:
    """Check every URL answers 200, warm up, then ``rounds`` interleaved rounds of every case."""
    cookie = prepared["cookie"]
    urls = {name: server.base + prepared["cases"][name]["path"] for name in cases}
    for name, url in urls.items():
        status, body = fetch(url, {"Cookie": cookie} if name == "admin" else None)
        if status != 200:
            raise SystemExit(f"bench: {name} answered {status}, not 200: {url}\n{body[:500]!r}")
    say(f"every URL answers 200; warming up ({len(cases)} cases x {args.warmup} s)")
    for name in cases:
        wrk(urls[name], seconds=args.warmup, threads=args.threads, connections=args.connections,
            cookie=cookie if name == "admin" else "")  # fmt: skip
    rounds = []
    for number in range(args.rounds):
        # Rotate the order each round, so no case always runs first (or right after a heavy one).
        order = cases[number % len(cases) :] + cases[: number % len(cases)]
        results = {"loadavg": loadavg(), "cases": {}}
        for name in order:
            result = wrk(urls[name], seconds=args.duration, threads=args.threads, connections=args.connections,
                         cookie=cookie if name == "admin" else "")  # fmt: skip
            if result["failed"]:
                raise SystemExit(f"bench: {name} had failed requests in round {number + 1}: {result['errors']}")
            results["cases"][name] = result
        rounds.append(results)
        summary = ", ".join(f"{n} {results['cases'][n]['rps']:.0f}/s" for n in cases)
        say(f"round {number + 1}/{args.rounds}: {summary}")
    return {"urls": urls, "rounds": rounds}


def summarise(phase: dict, cases: list[str]) -> dict:
    rounds = phase["rounds"]
    out = {}
    for name in cases:
        runs = [r["cases"][name] for r in rounds]
        ratios = [r["cases"][name]["rps"] / r["cases"]["healthz"]["rps"] for r in rounds]
        out[name] = {
            "rps": statistics.median(x["rps"] for x in runs),
            "p50_ms": statistics.median(x["latency_us"]["p50"] for x in runs) / 1000,
            "p95_ms": statistics.median(x["latency_us"]["p95"] for x in runs) / 1000,
            "p99_ms": statistics.median(x["latency_us"]["p99"] for x in runs) / 1000,
            "ratio": statistics.median(ratios),
            "ratio_min": min(ratios),
            "ratio_max": max(ratios),
            "requests": sum(x["requests"] for x in runs),
        }
    return out


def pair_ratio(phase: dict, top: str, bottom: str) -> tuple[float, float, float] | None:
    """Median, min and max over rounds of rps(top) / rps(bottom)."""
    rounds = phase["rounds"]
    if not rounds or top not in rounds[0]["cases"] or bottom not in rounds[0]["cases"]:
        return None
    values = [r["cases"][top]["rps"] / r["cases"][bottom]["rps"] for r in rounds]
    return statistics.median(values), min(values), max(values)


# ---------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------


def check_targets(results: dict) -> list[dict]:
    main = results["phases"]["main"]
    search = results["phases"].get("search", main)
    s_main, s_search = main["summary"], search["summary"]
    checks = []

    def add(target: str, measured: str, ok: bool | None) -> None:
        checks.append(
            {"target": target, "measured": measured, "result": "n/a" if ok is None else "PASS" if ok else "MISS"}
        )

    def ratio_text(name: str) -> str:
        s = s_main[name]
        return f"{s['ratio']:.3f} × trivial ({s['ratio_min']:.3f}–{s['ratio_max']:.3f})"

    add("public list page 1 ≥ 0.10 × trivial", ratio_text("list"), s_main["list"]["ratio"] >= 0.10)
    add("claim page ≥ 0.25 × trivial", ratio_text("claim"), s_main["claim"]["ratio"] >= 0.25)
    r = pair_ratio(main, "api_list", "list")
    add("API list ≥ 1.0 × HTML list", f"{r[0]:.2f} × ({r[1]:.2f}–{r[2]:.2f})", r[0] >= 1.0)
    r = pair_ratio(main, "deep", "list")
    page = main["prepared"]["facts"].get("deep_page")
    add(f"deep page (page {page}) ≥ 0.8 × page 1", f"{r[0]:.2f} × ({r[1]:.2f}–{r[2]:.2f})", r[0] >= 0.8)
    label = f"at {search['database']['claims_requested']:,} claims"
    for name in ("search_common", "search_rare"):
        word = search["prepared"]["words"].get(name, {})
        p95, base = s_search[name]["p95_ms"], s_search["list"]["p95_ms"]
        add(
            f"search p95 ≤ 1.5 × unfiltered list p95, {word.get('word', name)!r} {label}",
            f"{p95:.1f} ms vs {base:.1f} ms = {p95 / base:.2f} ×",
            p95 <= 1.5 * base,
        )
        top = top_query(search["prepared"]["explain"].get(name, []))
        add(
            f"search database time for the top 50 ≤ 20 ms, {word.get('word', name)!r} {label}",
            f"{top['execution_ms']:.1f} ms (+{top['planning_ms']:.1f} ms planning)" if top else "no query",
            top["execution_ms"] <= 20 if top else None,
        )
    r = pair_ratio(main, "list", "admin")
    add("public list ≥ 3 × faster than the admin changelist", f"{r[0]:.2f} × ({r[1]:.2f}–{r[2]:.2f})", r[0] >= 3)
    phases = [main] if search is main else [main, search]
    for phase in phases:
        where = f" at {phase['database']['claims_requested']:,} claims" if len(phases) > 1 else ""
        for name in LIST_LIKE:
            if name in phase["summary"]:
                s = phase["summary"][name]
                spread = s["p99_ms"] / s["p50_ms"]
                add(f"p99 / p50 ≤ 2: {name}{where}", f"{spread:.2f}", spread <= 2)
        for name, limit in [*((n, 6) for n in LIST_LIKE), ("claim", 8)]:
            case = phase["prepared"]["cases"].get(name)
            if case:
                add(f"queries per request: {name} ≤ {limit}{where}", str(case["queries"]), case["queries"] <= limit)
    return checks


def top_query(explains: list[dict]) -> dict | None:
    """The query that fetches the page's ranked rows: it reads the search vector and has a LIMIT."""
    ranked = [e for e in explains if "search_vector" in e["sql"] and "LIMIT" in e["sql"] and "COUNT(" not in e["sql"]]
    return max(ranked, key=lambda e: e["execution_ms"], default=None)


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def markdown(results: dict) -> str:
    m = results["machine"]
    lines = [
        f"# Benchmark run {results['started']}",
        "",
        f"- Machine: {m['cpus']} CPUs ({m['cpu_model']}), {m['ram_gb']} GB RAM, Linux {m['kernel']}",
        f"- PostgreSQL {results['postgres']}, Python {m['python']}, Django {m['django']}, gunicorn {m['gunicorn']} "
        f"(2 sync workers, persistent connections, debug off), {m['wrk']}",
        f"- Code: {m['commit']}",
        f"- Load: {results['settings']['rounds']} interleaved rounds × {results['settings']['duration']} s per case, "
        f"wrk {results['settings']['threads']} threads, {results['settings']['connections']} connections; "
        f"load average at start {results['loadavg_start']}, at end {results['loadavg_end']}; "
        f"the whole run took {results.get('minutes', '?')} minutes",
        "",
    ]
    for key, phase in results["phases"].items():
        db, prepared = phase["database"], phase["prepared"]
        totals = prepared["totals"]
        built = f", built in {db['build_seconds']:.0f} s" if db.get("build_seconds") else ""
        lines += [
            f"## {'Search database' if key == 'search' else 'Database'}: {db['name']}",
            "",
            f"{totals['claims']:,} claims ({totals['public_claims']:,} public), "
            f"{totals['attributions']:,} attributions, {totals.get('database_bytes', 0) / 1e9:.1f} GB{built}; "
            f"VACUUM ANALYZE {db['vacuum_analyze_seconds']:.0f} s.",
            "",
            "| case | req/s | p50 ms | p95 ms | p99 ms | × trivial (min–max) | queries | DB ms |",
            "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
        ]
        for name, s in phase["summary"].items():
            case = prepared["cases"][name]
            lines.append(
                f"| {CASES[name]} | {s['rps']:.0f} | {s['p50_ms']:.1f} | {s['p95_ms']:.1f} | {s['p99_ms']:.1f} | "
                f"{s['ratio']:.3f} ({s['ratio_min']:.3f}–{s['ratio_max']:.3f}) | {case['queries']} | "
                f"{case['db_ms']:.1f} |"
            )
        words = prepared.get("words", {})
        facts = prepared["facts"]
        about = []
        if "deep" in prepared["cases"]:
            about.append(f"Deep page: page {facts['deep_page']}.")
        if "claim" in prepared["cases"]:
            about.append(
                f"Claim page and API detail: claim {facts['claim_id']} ({facts['claim_attributions']} attributions)."
            )
        about += [
            f"Search {name.split('_')[1]} word {w['word']!r}: {w['public_claims_matching']:,} public claims match."
            for name, w in words.items()
        ]
        lines += ["", " ".join(about), ""]
    lines += ["## Targets", "", "| target | measured | result |", "| --- | --- | --- |"]
    lines += [f"| {c['target']} | {c['measured']} | {c['result']} |" for c in results["checks"]]
    lines += ["", "## Search queries: EXPLAIN (ANALYZE, BUFFERS), median of 5 runs", ""]
    for phase in results["phases"].values():
        for name, explains in phase["prepared"].get("explain", {}).items():
            lines.append(f"### {CASES[name]} ({phase['database']['name']})")
            lines.append("")
            for e in explains:
                sql = " ".join(e["sql"].split())
                lines.append(
                    f"- {e['execution_ms']:.2f} ms execution, {e['planning_ms']:.2f} ms planning: `{sql[:160]}…`"
                )
            top = top_query(explains)
            if top:
                lines += ["", "Plan of the ranked query:", "", "```", top["plan"], "```"]
            lines.append("")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------


def phase(name: str, pg: Postgres, claims: int, cases: list[str], args, base_env: dict, workdir: Path) -> dict:
    database = ensure_database(pg, claims, args.seed, args.rebuild, base_env)
    env = server_env(base_env, pg.db_url(database["name"]))
    say(f"{database['name']}: preparing cases (URLs, cookie, query counts, EXPLAIN ANALYZE)")
    prepared = json.loads(
        run(
            [PY, "bench/prepare.py", "--deep-page", str(args.deep_page), "--cases", ",".join(cases)],
            # EXPLAIN ANALYZE and the match counts may take longer than a web request may.
            env={**env, "DJANGO_LOG_LEVEL": "ERROR", "DJANGO_DB_STATEMENT_TIMEOUT_MS": "0"},
            capture=True,
        )
    )
    server = Server(env, workdir / f"gunicorn-{name}.log", args.workers)
    try:
        say(f"gunicorn on {server.base} ({database['name']})")
        load = load_phase(server, prepared, cases, args)
    finally:
        server.stop()
    return {"database": database, "prepared": prepared, **load, "summary": summarise(load, cases)}


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench/run", description="Claimdesk benchmark; see bench/README.md.")
    parser.add_argument("--claims", type=int, default=100_000, help="claims in the main database (100,000)")
    parser.add_argument("--search-claims", type=int, default=1_000_000,
                        help="claims in the database the search cases also run on (1,000,000; 0 to skip)")  # fmt: skip
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=int, default=10, help="seconds per case per round (10)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per case (2)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (2)")
    parser.add_argument("--deep-page", type=int, default=1000)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the databases even if complete")
    parser.add_argument("--pg", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432"),
                        help="PostgreSQL server, without a database name (env BENCH_PG)")  # fmt: skip
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"), help="directory for the results")
    parser.add_argument("--markdown", metavar="RESULTS_JSON", help="only print the report of an earlier run")
    args = parser.parse_args()

    if args.markdown:
        sys.stdout.write(markdown(json.loads(Path(args.markdown).read_text())))
        return

    pg = Postgres(args.pg)
    if not pg.ready():
        raise SystemExit(f"bench: PostgreSQL is not answering at {args.pg}")
    ensure_wrk()
    started = dt.datetime.now(dt.UTC)
    stamp = started.strftime("%Y%m%d-%H%M%S")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    workdir = out / f"{stamp}-logs"
    workdir.mkdir()
    base_env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))},
        "DJANGO_SECRET_KEY": "bench-" + secrets.token_urlsafe(32),
    }

    results = {
        "started": started.strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "postgres": pg.version(),
        "settings": {k: getattr(args, k) for k in ("claims", "search_claims", "seed", "rounds", "duration",
                                                   "warmup", "threads", "connections", "workers", "deep_page")},
        "loadavg_start": loadavg(),
        "phases": {},
    }  # fmt: skip
    say("collecting static files (debug is off: pages link to hashed file names)")
    run([PY, "manage.py", "collectstatic", "--noinput", "-v", "0"], env={**base_env, "DJANGO_DEBUG": "0"})

    results["phases"]["main"] = phase("main", pg, args.claims, list(CASES), args, base_env, workdir)
    if args.search_claims and args.search_claims != args.claims:
        results["phases"]["search"] = phase("search", pg, args.search_claims, SEARCH_CASES, args, base_env, workdir)
    results["loadavg_end"] = loadavg()
    results["minutes"] = round((dt.datetime.now(dt.UTC) - started).total_seconds() / 60, 1)
    results["checks"] = check_targets(results)

    (out / f"{stamp}.json").write_text(json.dumps(results, indent=1))
    report = markdown(results)
    (out / f"{stamp}.md").write_text(report)
    sys.stdout.write("\n" + report)
    say(f"results: {out / f'{stamp}.md'} and .json; server logs in {workdir}")


if __name__ == "__main__":
    main()

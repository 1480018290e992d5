"""`make bench`: build (or reuse) the data set, serve it with gunicorn, load it with locust, report.

    .venv/bin/python bench/run.py [--rebuild] [--seconds 8] [--port 8140]

Steps (docs/performance.md): pick the database (PostgreSQL when 127.0.0.1:5432 answers, else
SQLite; it says which); build the data set once into a template database and reuse it while its
fingerprint (the builder, the migrations, the course and the bank) is unchanged; copy the template
into the run's database (every run starts from the same data); write fresh sessions; time
`load_course` into an empty database (target e); collectstatic; start gunicorn
(`-c gunicorn.conf.py`, bench settings); run the locust phases, each bounded in time; stop the
server; print the table, write bench/results/<date>-<db>.json and the table into docs/performance.md.
The exit code is 0 when targets are missed (the report says so); non-zero only when it cannot run.
"""

import argparse
import csv
import hashlib
import json
import os
import platform
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import pools  # noqa: E402 (no Django in it)

BENCH = ROOT / "bench"
DATA = BENCH / ".data"
PYTHON = sys.executable
BIN = Path(PYTHON).parent
DOC = ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
PG = "postgres://portal:portal@127.0.0.1:5432/{}"
PG_NAMES = {  # the run's database; the migrated empty one; the built data set; load_course's timing
    "run": "portal_bench",
    "empty": "portal_bench_empty",
    "data": "portal_bench_data",
    "load": "portal_bench_load",
}

CONCURRENCY = 8  # users of each throughput phase (the 8 connections)
REFERENCE_PAGES = [  # not portal pages: what the layout and two small queries cost (reported, not targeted)
    "reference: layout",
    "reference: layout + 2 queries",
]
LEARNER_PAGES = [  # every learner page and answer: target ≥ 0.5 × the baseline's throughput
    "dashboard",
    "course",
    "module",
    "objective",
    "search",
    "study",
    "study: rate (htmx)",
    "quiz list",
    "question page",
    "answer (htmx, deferred exam)",
    "result page",
]
INSTRUCTOR_PAGES = [
    "instructor: cohort overview",
    "instructor: a learner",
    "instructor: quiz statistics",
    "instructor: cohort CSV",
]
RATIO_TARGET = 0.5
# The data set's learners (by index) each phase signs in as: disjoint, so no phase finds another's attempts.
POOLS = {name: f"{first}:{last}" for name, (first, last) in pools.POOLS.items()}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- Databases ----------------------------------------------------------------------------------


def postgres_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            return True
    except OSError:
        return False


class Postgres:
    name = "PostgreSQL"
    slug = "postgresql"

    def __init__(self):
        import psycopg

        self.psycopg = psycopg

    def _admin(self):
        for maintenance in ("postgres", "portal"):
            try:
                return self.psycopg.connect(PG.format(maintenance), autocommit=True)
            except self.psycopg.OperationalError:
                continue
        raise SystemExit("PostgreSQL answers on 127.0.0.1:5432 but the role portal/portal cannot connect.")

    def url(self, kind: str) -> str:
        return PG.format(PG_NAMES[kind])

    def exists(self, kind: str) -> bool:
        with self._admin() as conn:
            return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_NAMES[kind]]).fetchone() is not None

    def drop(self, kind: str) -> None:
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{PG_NAMES[kind]}" WITH (FORCE)')

    def create(self, kind: str, template: str | None = None) -> None:
        self.drop(kind)
        with self._admin() as conn:
            copy = f' TEMPLATE "{PG_NAMES[template]}" STRATEGY FILE_COPY' if template else ""
            conn.execute(f'CREATE DATABASE "{PG_NAMES[kind]}"{copy}')

    def version(self) -> str:
        with self._admin() as conn:
            return conn.execute("SHOW server_version").fetchone()[0]


class Sqlite:
    name = "SQLite"
    slug = "sqlite"
    folder = DATA / "sqlite"

    def path(self, kind: str) -> Path:
        return self.folder / f"{kind}.sqlite3"

    def url(self, kind: str) -> str:
        return f"sqlite:///{self.path(kind)}"

    def exists(self, kind: str) -> bool:
        return self.path(kind).exists()

    def drop(self, kind: str) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(str(self.path(kind)) + suffix).unlink(missing_ok=True)

    def create(self, kind: str, template: str | None = None) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.drop(kind)
        if template:
            with sqlite3.connect(self.path(template)) as conn:  # fold the write-ahead log in first
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            shutil.copyfile(self.path(template), self.path(kind))

    def version(self) -> str:
        return sqlite3.sqlite_version


def manage(db, kind: str, *args: str, capture: bool = False) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "BENCH_DATABASE_URL": db.url(kind)}
    result = subprocess.run(  # noqa: S603 (our own manage.py)
        [PYTHON, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True, text=True, capture_output=capture
    )
    return result.stdout if capture else ""


def fingerprint() -> str:
    """What the data set depends on: the builder, the migrations, the course files and the bank."""
    digest = hashlib.sha256()
    files = [BENCH / "builder.py", BENCH / "management" / "commands" / "bench_data.py"]
    apps = ("portal", "content", "progress", "quizzes", "cohorts", "home")
    for folder in ("content/courses", "quizzes/bank", *(f"{app}/migrations" for app in apps)):
        files += sorted(p for p in (ROOT / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def dataset(db, rebuild: bool) -> tuple[dict, dict]:
    """The data set's description, built now or reused; and the build's timings."""
    folder = DATA / db.slug
    folder.mkdir(parents=True, exist_ok=True)
    marker, described = folder / "fingerprint", folder / "dataset.json"
    wanted = fingerprint()
    fresh = marker.exists() and marker.read_text() == wanted and described.exists()
    if fresh and not rebuild and db.exists("empty") and db.exists("data"):
        log(f"Reusing the data set on {db.name} (fingerprint {wanted}; --rebuild builds it again).")
        return json.loads(described.read_text()), {"reused": True}
    log(f"Building the data set on {db.name} (fingerprint {wanted}).")
    marker.unlink(missing_ok=True)
    began = time.perf_counter()
    db.create("empty")
    manage(db, "empty", "migrate", "--no-input", "-v", "0")
    migrated = time.perf_counter()
    db.create("data", template="empty")
    manage(db, "data", "load_course", "-v", "0")
    loaded = time.perf_counter()
    manage(db, "data", "bench_data", "--out", str(described))
    marker.write_text(wanted)
    timings = {
        "reused": False,
        "migrate_seconds": round(migrated - began, 1),
        "load_course_seconds": round(loaded - migrated, 1),
        "build_seconds": round(time.perf_counter() - loaded, 1),
    }
    log(f"Built: {timings}")
    return json.loads(described.read_text()), timings


# --- The server and the load --------------------------------------------------------------------


def serve(db, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "BENCH_DATABASE_URL": db.url("run"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_LOG_LEVEL": "warning",
        "GUNICORN_MAX_REQUESTS": "0",  # no worker recycling in the middle of a phase
    }
    logfile = (DATA / "gunicorn.log").open("w")
    server = subprocess.Popen(  # noqa: S603
        [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")],
        env=env,
        cwd=ROOT,
        stdout=logfile,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"gunicorn stopped: see {DATA / 'gunicorn.log'}") from None
            time.sleep(0.2)
    stop(server)
    raise SystemExit("gunicorn did not answer /healthz within 20 s.")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def locust(name: str, port: int, users: int, rate: float, seconds: int, classes: list[str], **env: str) -> dict:
    """One headless locust phase; its stats per request name (from locust's CSV) with queries per request."""
    out = DATA / "locust" / name.replace(" ", "-").replace(":", "").replace("(", "").replace(")", "").replace(",", "")
    out.parent.mkdir(parents=True, exist_ok=True)
    environment = {
        **os.environ,
        "BENCH_DATASET": str(DATA / env.pop("db_slug") / "dataset.json"),
        "BENCH_SESSIONS": str(DATA / "sessions.json"),
        "BENCH_QUERIES_OUT": f"{out}-queries.json",
        **env,
    }
    command = [
        str(BIN / "locust"), "-f", str(BENCH / "locustfile.py"), "--headless", "--only-summary",
        "-H", f"http://127.0.0.1:{port}", "-u", str(users), "-r", str(rate), "-t", f"{seconds}s",
        "--stop-timeout", "10", "--csv", str(out), "--exit-code-on-error", "0", "--loglevel", "ERROR", *classes,
    ]  # fmt: skip
    with (DATA / "locust.log").open("a") as logfile:
        code = subprocess.run(command, env=environment, cwd=ROOT, stdout=logfile, stderr=subprocess.STDOUT).returncode  # noqa: S603
    if code:
        log(f"locust exited with {code} in phase {name!r} (a simulated user raised): see {DATA / 'locust.log'}")
    queries = json.loads(Path(f"{out}-queries.json").read_text()) if Path(f"{out}-queries.json").exists() else {}
    stats = {}
    with open(f"{out}_stats.csv", newline="") as f:
        for row in csv.DictReader(f):
            if row["Name"] == "Aggregated":
                continue
            stats[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "errors": int(row["Failure Count"]),
                "rps": round(float(row["Requests/s"]), 1),
                "p50": float(row["50%"]),
                "p95": float(row["95%"]),
                "p99": float(row["99%"]),
                "queries": round(queries[row["Name"]]["mean"], 1) if row["Name"] in queries else None,
                "queries_mode": queries[row["Name"]]["mode"] if row["Name"] in queries else None,
            }
    # Requests of users that locust stopped are still being served: let them finish before the next
    # phase, or a slow page's leftovers would be measured as the next endpoint's cost.
    time.sleep(min(20.0, max((r["p99"] for r in stats.values()), default=0) / 1000) + 0.5)
    return stats


def phases(db, port: int, seconds: int) -> dict:
    common = {"db_slug": db.slug}
    results = {}
    log(f"Mix: a learner's day and an instructor's, 22 users for {seconds * 4} s.")
    results["mix"] = locust(
        "mix", port, 22, 22, seconds * 4, ["LearnerDay", "InstructorDay"], BENCH_LEARNERS=POOLS["mix"], **common
    )
    throughput = {}
    for endpoint in ["baseline", *REFERENCE_PAGES, *LEARNER_PAGES, *INSTRUCTOR_PAGES]:
        log(f"Throughput: {endpoint}, {CONCURRENCY} users, {seconds} s.")
        stats = locust(
            f"throughput {endpoint}",
            port,
            CONCURRENCY,
            CONCURRENCY,
            seconds,
            ["EndpointUser"],
            BENCH_ENDPOINT=endpoint,
            BENCH_LEARNERS=POOLS["throughput"],
            BENCH_HISTORY_ONLY="1",
            **common,
        )
        none = {"requests": 0, "errors": 0, "rps": 0.0, "p50": None, "p95": None, "p99": None, "queries": None}
        none["queries_mode"] = None
        throughput[endpoint] = stats.get(endpoint, none)
    results["throughput"] = throughput
    log(f"Target b: 50 learners answering the final exam for {seconds * 4} s.")
    results["answering"] = locust(
        "answering", port, 50, 25, seconds * 4, ["Answering"], BENCH_LEARNERS=POOLS["answering"], **common
    )
    log("Target c: 200 learners starting the final exam within 10 s.")
    results["exam_start"] = locust(  # started at 20 a second; up to 30 s more for the last ones to finish
        "exam start", port, 200, 20, 40, ["ExamStart"], BENCH_LEARNERS=POOLS["exam start"], **common
    )
    log("Beside target c: 20 learners starting the final exam in the same instant.")
    results["exam_start_at_once"] = locust(
        "exam start at once",
        port,
        20,
        20,
        10,
        ["ExamStartAtOnce"],
        BENCH_LEARNERS=POOLS["exam start at once"],
        **common,
    )
    log(f"Target d: the cohort overview, 500 learners and 5, 2 instructors for {seconds * 3} s.")
    results["cohort"] = locust("cohort overview", port, 2, 2, seconds * 3, ["CohortOverview"], **common)
    return results


# --- The report ---------------------------------------------------------------------------------


def machine(db) -> dict:
    from importlib.metadata import version

    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []
    model = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), platform.processor()
    )

    return {
        "cores": os.cpu_count(),
        "cpu": model,
        "os": platform.platform(),
        "database": f"{db.name} {db.version()}",
        "python": platform.python_version(),
        "versions": {p: version(p) for p in ("Django", "gunicorn", "locust", "psycopg")},
        "gunicorn_workers": int(os.environ.get("GUNICORN_WORKERS", (os.cpu_count() or 1) + 1)),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }


def verdicts(results: dict, load_course_seconds: float) -> dict:
    base = results["throughput"]["baseline"]["rps"] or 1e-9
    for name, row in results["throughput"].items():
        row["ratio"] = round(row["rps"] / base, 2)
        row["target"] = f"≥ {RATIO_TARGET}" if name in LEARNER_PAGES else ""
        row["pass"] = (row["ratio"] >= RATIO_TARGET and row["errors"] == 0) if name in LEARNER_PAGES else None
    answer = results["answering"].get("answer (htmx, deferred exam)", {})
    start = results["exam_start"].get("final exam: start", {})
    big = results["cohort"].get("cohort overview (500 learners)", {})
    small = results["cohort"].get("cohort overview (5 learners)", {})
    return {
        "b: answering, 50 learners: p95 ≤ 50 ms, no errors": {
            "measured": f"p95 {answer.get('p95')} ms, {answer.get('errors')} errors of {answer.get('requests')}",
            "pass": bool(answer) and answer["p95"] <= 50 and answer["errors"] == 0,
        },
        "c: 200 final-exam starts within 10 s: all succeed, p95 ≤ 250 ms": {
            "measured": f"{start.get('requests', 0) - start.get('errors', 0)} of 200 started, "
            f"p95 {start.get('p95')} ms",
            "pass": bool(start) and start["requests"] == 200 and start["errors"] == 0 and start["p95"] <= 250,
        },
        "d: cohort overview, 500 learners: p95 ≤ 300 ms, queries as for 5": {
            "measured": f"p95 {big.get('p95')} ms; {big.get('queries_mode')} queries a request "
            f"(5 learners: {small.get('queries_mode')})",
            "pass": bool(big) and big["p95"] <= 300 and big.get("queries_mode") == small.get("queries_mode"),
        },
        "e: load_course, the whole bank, fresh database: < 10 s": {
            "measured": f"{load_course_seconds} s",
            "pass": load_course_seconds < 10,
        },
        "a: every learner page and answer ≥ 0.5 × the baseline's throughput": {
            "measured": ", ".join(f"{n} {r['ratio']}" for n, r in results["throughput"].items() if r["pass"] is False)
            or "all",
            "pass": all(r["pass"] is not False for r in results["throughput"].values()),
        },
    }


def _ms(value) -> str:
    return "" if value is None else f"{value:g}"


def table(report: dict) -> str:
    m = report["machine"]
    lines = [
        f"Run {report['started']} (UTC) on {m['cores']} cores ({m['cpu']}), {m['database']}, Python {m['python']}, "
        + ", ".join(f"{k} {v}" for k, v in m["versions"].items())
        + f"; gunicorn {m['gunicorn_workers']} sync workers; load average before the run "
        + " / ".join(str(x) for x in m["load_average_before"])
        + f". Whole run {report['seconds']} s.",
        "",
        "Data set: " + ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in report["dataset"].items()) + ".",
        "",
        f"**Throughput**: each endpoint alone, {CONCURRENCY} users in a closed loop (no think time) for "
        f"{report['phase_seconds']} s; ratio = its requests/s ÷ the baseline's.",
        "",
        "| endpoint | requests | requests/s | p50 ms | p95 ms | p99 ms | errors | queries/request | ratio | target | |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for name, r in report["results"]["throughput"].items():
        mark = "" if r["pass"] is None else ("pass" if r["pass"] else "**miss**")
        lines.append(
            f"| {name} | {r['requests']} | {r['rps']:g} | {_ms(r['p50'])} | {_ms(r['p95'])} | {_ms(r['p99'])} "
            f"| {r['errors']} | {_ms(r['queries'])} | {r['ratio']:g} | {r['target']} | {mark} |"
        )
    lines += [
        "",
        "**Targets**",
        "",
        "| target | measured | |",
        "| --- | --- | --- |",
        *(f"| {n} | {v['measured']} | {'pass' if v['pass'] else '**miss**'} |" for n, v in report["targets"].items()),
    ]
    for phase, title in (
        ("mix", "**Mix**: 20 learners through a learner's day and 2 instructors, with think time"),
        ("answering", "**b**: 50 learners answering the final exam (think time 3–10 s)"),
        (
            "exam_start",
            "**c**: 200 learners starting the final exam, 20 a second, each at a random moment of its second",
        ),
        (
            "exam_start_at_once",
            "**Beside c** (reported, not targeted): 20 learners starting the final exam in the same instant",
        ),
        ("cohort", "**d**: the cohort overview, 2 instructors in a closed loop (500 learners, then 5)"),
    ):
        lines += [
            "",
            title,
            "",
            "| request | requests | requests/s | p50 ms | p95 ms | p99 ms | errors | queries/request |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for name, r in sorted(report["results"][phase].items()):
            lines.append(
                f"| {name} | {r['requests']} | {r['rps']:g} | {_ms(r['p50'])} | {_ms(r['p95'])} | {_ms(r['p99'])} "
                f"| {r['errors']} | {_ms(r['queries'])} |"
            )
    return "\n".join(lines)


def write_doc(text: str) -> None:
    doc = DOC.read_text()
    if BEGIN not in doc or END not in doc:
        raise SystemExit(f"{DOC} lacks the markers {BEGIN} … {END}.")
    head, rest = doc.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    DOC.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rebuild", action="store_true", help="Build the data set again even if it is current.")
    parser.add_argument("--seconds", type=int, default=8, help="Length of a throughput phase (others: multiples).")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8140)))
    parser.add_argument("--sqlite", action="store_true", help="Use SQLite even when PostgreSQL answers.")
    parser.add_argument("--no-doc", action="store_true", help="Do not write the table into docs/performance.md.")
    args = parser.parse_args(argv)
    began, started = time.perf_counter(), datetime.now(UTC)
    db = Postgres() if postgres_answers() and not args.sqlite else Sqlite()
    why = (
        "127.0.0.1:5432 answers"
        if db.slug == "postgresql"
        else "--sqlite"
        if args.sqlite
        else "PostgreSQL does not answer on 127.0.0.1:5432"
    )
    log(f"Database: {db.name} ({why}).")
    DATA.mkdir(exist_ok=True)
    (DATA / "locust.log").unlink(missing_ok=True)
    info, build = dataset(db, args.rebuild)
    host = machine(db)
    log("Target e: load_course into a fresh database.")
    db.create("load", template="empty")
    load_seconds = json.loads(manage(db, "load", "bench_load_course", capture=True))["load_course_seconds"]
    db.drop("load")
    log("Copying the data set into the run's database; fresh sessions; collectstatic.")
    db.create("run", template="data")
    described, sessions = str(DATA / db.slug / "dataset.json"), str(DATA / "sessions.json")
    manage(db, "run", "bench_sessions", "--dataset", described, "--out", sessions)
    manage(db, "run", "collectstatic", "--no-input", "-v", "0")
    server = serve(db, args.port)
    try:
        results = phases(db, args.port, args.seconds)
    finally:
        stop(server)
    report = {
        "started": started.strftime("%Y-%m-%d %H:%M"),
        "seconds": round(time.perf_counter() - began),
        "phase_seconds": args.seconds,
        "machine": {**host, "load_average_after": [round(x, 2) for x in os.getloadavg()]},
        "dataset": info["counts"],
        "build": build,
        "load_course_seconds": load_seconds,
        "results": results,
    }
    report["targets"] = verdicts(results, load_seconds)
    text = table(report)
    print(text)
    out = BENCH / "results" / f"{started:%Y-%m-%d}-{db.slug}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    if not args.no_doc:
        write_doc(text)
    log(f"Done in {report['seconds']} s: {out.relative_to(ROOT)}{'' if args.no_doc else ', docs/performance.md'}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

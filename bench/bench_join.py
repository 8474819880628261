"""A whole school joining one campaign at once, through the API, on gunicorn + PostgreSQL.

    .venv/bin/python bench/bench_join.py [--students 300] [--learners 2500] [--clients 20] [--workers 2]
                                         [--threads 2] [--keep-db]

Creates (then drops) the database ``pixorga_bench_join`` (127.0.0.1, user postgres; BENCH_PG=postgres://user@host:port
to use another server), migrates it, fills a school of ``--learners`` learners (then ANALYZE, as an import does),
``--students`` accounts with an API key each and one campaign; starts gunicorn on 127.0.0.1 (DEBUG off, Redis as the
cache like production: BENCH_REDIS), warms it with campaign look-ups by one more account, then ``--clients`` threads,
each with a keep-alive connection as a browser has, post ``POST /api/v1/campaigns/code/{code}/join/`` (confirm: true,
names typed without accents) once per student — a bounded load: at most ``--clients`` joins in flight, every join sent
once. Prints p50/p95/max latency and checks: every answer 201, one participation and one link per student, no
learner linked twice. Exit status 1 when a check fails or p95 ≥ target.

The bound matters: latency ≈ joins in flight ÷ joins served per second (about 130/s when gunicorn, PostgreSQL and
this generator share 2 cores), so with 50 in flight each join waits about 50 ÷ 130 ≈ 0.4 s here.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import datetime
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import unicodedata
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DB_NAME = "pixorga_bench_join"
TARGET_P95_MS = 250
FIRST_NAMES = ["Éloïse", "Joé", "Anaïs", "Noé", "Chloé", "Léo", "Inès", "Zoé", "Hélène", "Maël", "Lucas", "Emma",
               "Jade", "Louis", "Gabriel", "Léa", "Hugo", "Manon", "Arthur", "Camille"]
FAMILY_NAMES = ["Dupré", "Martin", "Bernard", "Lefèvre", "Moreau", "Girard", "Roux", "Fournier", "Lambert",
                "Bonnet", "François", "Mercier", "Le Goff", "D'Almeida", "Da Silva", "Müller", "Nguyen", "Petit"]


def _ascii(value: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(database_url: str) -> dict:
    env = dict(os.environ, DATABASE_URL=database_url, DEBUG="false", SECRET_KEY="bench-only-" + "x" * 40,
               ALLOWED_HOSTS="127.0.0.1", SECURE_SSL_REDIRECT="false", LOG_LEVEL="WARNING", CELERY_BROKER_URL="",
               CONN_MAX_AGE="60", DJANGO_SETTINGS_MODULE="pixorga.settings",
               # Production counts wrong codes in Redis: every join reads those counters there.
               CACHE_URL=os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/14"))
    return env


def _db_url(server: str, name: str) -> str:
    """The URL of database ``name`` on ``server`` (BENCH_PG), which may end with a query: e.g.
    ``postgres://postgres@?host=/var/run/postgresql`` for PostgreSQL's local socket."""
    base, separator, query = server.partition("?")
    return f"{base}/{name}{separator}{query}"


def _psql(server: str, sql: str) -> None:
    subprocess.run(["psql", _db_url(server, "postgres"), "-q", "-c", sql], check=True, capture_output=True)


def _fill(database_url: str, students: int, learners: int) -> tuple[str, list[tuple[str, dict]]]:
    os.environ.update(_env(database_url))
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from accounts.models import User
    from accounts.services import api_token_create
    from campaigns.codes import campaign_code_generate
    from campaigns.models import Campaign
    from organizations.models import Organization
    from students.models import Learner
    from students.services.learner_sync import learners_analyze

    rng = random.Random(4)
    school = Organization.objects.create(name="Lycée Bench", type="SCO", external_id="0759876B",
                                         is_managing_students=True)
    rows, seen = [], set()
    for n in range(learners):
        while True:  # names and birthdates drawn until the (first, family, birthdate) triple is unique
            first, family = rng.choice(FIRST_NAMES), rng.choice(FAMILY_NAMES)
            birthdate = datetime.date(2008, 1, 1) + datetime.timedelta(days=rng.randrange(3 * 365))
            if (_ascii(first).lower(), _ascii(family).lower(), birthdate) not in seen:
                seen.add((_ascii(first).lower(), _ascii(family).lower(), birthdate))
                break
        rows.append(Learner(organization=school, ine=f"{n:09d}BJ", first_name=first, family_name=family,
                            birthdate=birthdate, division=f"2NDE{n % 10 + 1}"))
    Learner.objects.bulk_create(rows, batch_size=1000)
    learners_analyze()  # what a SIECLE import does once committed
    teacher = User.objects.create_user("prof@bench.example", "Bench2026x", first_name="P", last_name="B")
    campaign = Campaign.objects.create(organization=school, name="Rentrée", type="ASSESSMENT",
                                       code=campaign_code_generate(), owner=teacher, creator=teacher)
    plan = []
    for n, learner in enumerate(Learner.objects.filter(organization=school).order_by("?")[:students]):
        user = User.objects.create_user(f"eleve{n}@bench.example", None, first_name="E", last_name="B")
        _, key = api_token_create(user=user, name="bench")
        plan.append((key, {"first_name": _ascii(learner.first_name), "last_name": _ascii(learner.family_name),
                           "birthdate": learner.birthdate.isoformat(), "confirm": True}))
    return campaign.code, plan


def _check(database_url: str, students: int) -> dict:
    from django.db.models import Count

    from campaigns.models import Participation
    from students.models import Learner

    linked = Learner.objects.filter(user__isnull=False)
    return {
        "participations": Participation.objects.count(),
        "linked_learners": linked.count(),
        "accounts_linked_twice": linked.values("user").annotate(n=Count("id")).filter(n__gt=1).count(),
        "learners_with_two_participations": Participation.objects.values("learner").annotate(n=Count("id"))
                                                                 .filter(n__gt=1).count(),
    }


_local = threading.local()


def _connection(base: str, fresh: bool = False) -> http.client.HTTPConnection:
    """This client thread's keep-alive connection, as a browser keeps one to the server."""
    if fresh or getattr(_local, "connection", None) is None:
        host, port = base.removeprefix("http://").split(":")
        _local.connection = http.client.HTTPConnection(host, int(port), timeout=30)
    return _local.connection


def _post(base: str, code: str, key: str, body: dict) -> tuple[int, float]:
    payload = json.dumps(body).encode()
    headers = {"Authorization": f"Token {key}", "Content-Type": "application/json"}
    started = time.perf_counter()
    for fresh in (False, True):
        connection = _connection(base, fresh)
        try:
            connection.request("POST", f"/api/v1/campaigns/code/{code}/join/", body=payload, headers=headers)
            response = connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            if fresh:
                raise
            # The server closed an idle kept-alive connection before reading this request: send it on a new one.
            connection.close()
            started = time.perf_counter()
            continue
        response.read()
        return response.status, (time.perf_counter() - started) * 1000
    raise AssertionError("unreachable")


def _get(base: str, path: str, key: str) -> int:
    request = urllib.request.Request(f"{base}{path}", headers={"Authorization": f"Token {key}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
        return response.status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--learners", type=int, default=2500)
    parser.add_argument("--clients", type=int, default=20, help="joins in flight at once")
    # 2 x 2 served the most joins per second on a 2-core machine (measured against 4x1, 3x4, 5x4 and 2x8).
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()

    server = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    database_url = _db_url(server, DB_NAME)
    _psql(server, f"DROP DATABASE IF EXISTS {DB_NAME}")
    _psql(server, f"CREATE DATABASE {DB_NAME}")
    gunicorn = None
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=REPO, env=_env(database_url),
                       check=True)
        code, plan = _fill(database_url, args.students + 1, args.learners)  # the last account warms the server
        port = _free_port()
        gunicorn = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "pixorga.wsgi", "-b", f"127.0.0.1:{port}",
             "-w", str(args.workers), "-k", "gthread", "--threads", str(args.threads), "--log-level", "warning"],
            cwd=REPO, env=_env(database_url))
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):  # bounded wait for the server
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        # A server in use is warm: each gunicorn thread has its database connection and has run the code once.
        # Warm it with campaign look-ups by another account (its key), never with the joins being measured.
        warm_key = plan.pop()[0]  # an account that joins nothing
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.workers * args.threads) as pool:
            list(pool.map(lambda _: _get(base, f"/api/v1/campaigns/code/{code}/", warm_key),
                          range(args.workers * args.threads * 10)))

        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.clients) as pool:
            results = list(pool.map(lambda item: _post(base, code, *item), plan))
        wall = time.perf_counter() - started

        latencies = sorted(ms for _, ms in results)
        statuses = {}
        for status, _ in results:
            statuses[status] = statuses.get(status, 0) + 1
        p95 = latencies[int(0.95 * (len(latencies) - 1))]
        checks = _check(database_url, args.students)
        report = {
            "students": args.students, "learners": args.learners, "clients": args.clients,
            "gunicorn": f"{args.workers} workers x {args.threads} threads", "statuses": statuses,
            "p50_ms": round(statistics.median(latencies), 1), "p95_ms": round(p95, 1),
            "max_ms": round(latencies[-1], 1), "wall_s": round(wall, 2),
            "throughput_rps": round(len(results) / wall, 1), **checks,
        }
        print(json.dumps(report, indent=2))
        ok = (statuses == {201: args.students} and checks["participations"] == args.students
              and checks["linked_learners"] == args.students and checks["accounts_linked_twice"] == 0
              and checks["learners_with_two_participations"] == 0)
        print("checks:", "OK" if ok else "FAILED", f"| p95 {p95:.0f} ms (target < {TARGET_P95_MS} ms)")
        return 0 if ok and p95 < TARGET_P95_MS else 1
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        if not args.keep_db:
            _psql(server, f"DROP DATABASE IF EXISTS {DB_NAME}")


if __name__ == "__main__":
    sys.exit(main())

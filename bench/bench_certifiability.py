"""The nightly certifiability computation for a whole school, and the pages that read it, on PostgreSQL.

    .venv/bin/python bench/bench_certifiability.py [--learners 2500] [--repeat 3] [--keep-db]

Creates (then drops) the database ``pixorga_bench_certif`` (127.0.0.1, user postgres; BENCH_PG=postgres://user@host:port
to use another server), migrates it and loads the content bank, then makes one school that manages its students with
``--learners`` learners in 60 classes, each linked to an account that logged in today, and each account's knowledge:
one row per tube of the bank, its highest validated level drawn from 0 to 4 (so about half the students are
certifiable). The knowledge rows are written in bulk (a bench of the computation, not of the test).

Times ``certifiability_compute`` (best of ``--repeat`` runs; each run writes every learner, dated one second later),
with its query count, then the server time (best of 5) and query count of « Élèves » (first page, and filtered on
« Non certifiable »), « Certification » (all classes, then two classes chosen) and the CSV export of the whole list,
through Django's test client (no network). Prints JSON. BENCH_PROFILE=1 prints a cProfile of one computation first.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DB_NAME = "pixorga_bench_certif"


def _psql(server: str, sql: str) -> None:
    subprocess.run(["psql", f"{server}/postgres", "-q", "-c", sql], check=True, capture_output=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=2500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()

    server = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    _psql(server, f"DROP DATABASE IF EXISTS {DB_NAME}")
    _psql(server, f"CREATE DATABASE {DB_NAME}")
    os.environ["DATABASE_URL"] = f"{server}/{DB_NAME}"
    os.environ["CELERY_BROKER_URL"] = ""
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pixorga.settings")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    try:
        return _bench(args)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep_db:
            _psql(server, f"DROP DATABASE IF EXISTS {DB_NAME}")


def _bench(args) -> int:
    import io

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    call_command("content_load", stdout=io.StringIO())
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    from accounts.models import User
    from assessments.models import KnowledgeState
    from assessments.services.certifiability import certifiability_compute
    from content.models import Tube
    from organizations.models import Membership, Organization
    from students.models import Learner
    from students.names import name_search_key

    rng = random.Random(9)
    now = timezone.now()
    school = Organization.objects.create(name="Lycée du banc", type="SCO", external_id="0759876B",
                                         is_managing_students=True)
    admin = User.objects.create_user(email="admin@bench.invalid", password="Bench-2026-pixorga",
                                     terms_accepted_at=now, pix_orga_terms_version=settings.PIX_ORGA_TERMS_VERSION,
                                     pix_orga_terms_accepted_at=now)
    Membership.objects.create(user=admin, organization=school, role=Membership.Role.ADMIN)
    users = User.objects.bulk_create([
        User(email=f"eleve{n}@bench.invalid", first_name="Élève", last_name=f"N{n}", last_login=now,
             password="!") for n in range(args.learners)
    ])
    divisions = [f"{level}{number}" for level in ("2NDE", "1G", "TG") for number in range(1, 21)]
    Learner.objects.bulk_create([
        Learner(organization=school, ine=f"{n:010d}B", family_name=f"N{n}", first_name="Élève",
                birthdate=datetime.date(2009, 1, 1) + datetime.timedelta(days=n % 700),
                division=divisions[n % len(divisions)], mef_code="20010018110", user=user, linked_at=now,
                search_key=name_search_key(f"N{n}", "", "Élève"))
        for n, user in enumerate(users)
    ])
    tubes = list(Tube.objects.values_list("id", flat=True))

    def floor(ability: float) -> int:
        return min(4, int(rng.expovariate(1.0) * ability))

    abilities = {user.pk: rng.random() * 1.6 for user in users}
    KnowledgeState.objects.bulk_create([
        KnowledgeState(user=user, tube_id=tube, floor=floor(abilities[user.pk]))
        for user in users for tube in tubes
    ], batch_size=5000)
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        certifiability_compute(since=now - datetime.timedelta(hours=24), now=now)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)

    runs = []
    for run in range(args.repeat):
        at = now + datetime.timedelta(seconds=run + 1)
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = certifiability_compute(since=now - datetime.timedelta(hours=24), now=at)
            seconds = time.perf_counter() - started
        runs.append({"seconds": round(seconds, 3), "queries": len(queries), "learners": result.learners,
                     "written": result.written})
    certifiable = Learner.objects.filter(organization=school, certifiability=Learner.Certifiability.CERTIFIABLE).count()

    client = Client()
    client.force_login(admin)

    def timed(url: str, *, stream: bool = False) -> dict:
        best, size, status, count = None, 0, 0, 0
        for _ in range(5):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                body = b"".join(response.streaming_content) if stream else response.content
                elapsed = time.perf_counter() - started
            best = elapsed if best is None else min(best, elapsed)
            size, status, count = len(body), response.status_code, len(queries)
        return {"ms": round(best * 1000, 1), "status": status, "bytes": size, "queries": count}

    pages = {
        "eleves": timed(reverse("students:list", args=[school.pk])),
        "eleves_non_certifiables": timed(reverse("students:list", args=[school.pk]) + "?certifiability=NOT_CERTIFIABLE"),
        "certification": timed(reverse("students:certification", args=[school.pk])),
        "certification_2_classes": timed(reverse("students:certification", args=[school.pk])
                                         + "?division=2NDE1&division=1G4"),
        "export_csv": timed(reverse("students:export", args=[school.pk]), stream=True),
    }
    report = {
        "learners": args.learners, "tubes": len(tubes), "knowledge_rows": len(tubes) * args.learners,
        "certifiable": certifiable, "compute": {"best": min(runs, key=lambda r: r["seconds"]), "runs": runs},
        "pages": pages,
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0 if all(page["status"] == 200 for page in pages.values()) else 1


if __name__ == "__main__":
    sys.exit(main())

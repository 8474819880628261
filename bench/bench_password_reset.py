"""« Réinitialiser les mots de passe » of a class of 35 and of a whole school of 2,500, on PostgreSQL.

    .venv/bin/python bench/bench_password_reset.py [--learners 2500] [--class-size 35] [--keep-db] [--sqlite]

Creates (then drops) the database ``pixorga_bench_passwords`` (127.0.0.1, user postgres; BENCH_PG=postgres://user@host:port
to use another server; ``--sqlite``: a temporary SQLite file instead), migrates it, fills a school of ``--learners``
learners in classes of ``--class-size``: half of them with an account that logs in with a username, four in ten with
an e-mail account (they get a username too), one in ten without an account (skipped). Then, as a teacher, through
the page's POST (the whole request: the service, the file in the response) resets one class, then through the API
(JSON: a page cannot post 2,500 check boxes) another class and every student of the school at once, and prints as JSON: server time, queries (counted on the request's connection), rows in the
file, and the hashers' cost per password (Django's Argon2 and the one-time password hasher), with the machine's load.
Checks every password of the file against the stored hashes (a sample of 50), and that the query count is the same
for the class and for the school; exit status 1 otherwise.
"""
from __future__ import annotations

import argparse
import csv
import datetime
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DB_NAME = "pixorga_bench_passwords"
FIRST_NAMES = ["Léna", "Hugo", "Inès", "Noé", "Chloé", "Léo", "Anaïs", "Zoé", "Maël", "Emma", "Jade", "Louis",
               "Gabriel", "Léa", "Manon", "Arthur", "Camille", "Éloïse", "Joé", "Lucas"]
FAMILY_NAMES = ["Côte", "Martin", "Bernard", "Lefèvre", "Moreau", "Girard", "Roux", "Fournier", "Lambert", "Bonnet",
                "François", "Mercier", "Le Goff", "D'Almeida", "Da Silva", "Müller", "Nguyen", "Petit"]


def _setup(database_url: str) -> None:
    os.environ.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="pixorga.settings", LOG_LEVEL="WARNING",
                      CELERY_BROKER_URL="", DEBUG="true")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _fill(learners: int, class_size: int):
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import User
    from organizations.models import Membership, Organization
    from students.models import Learner
    from students.names import name_search_key

    rng = random.Random(42)
    school = Organization.objects.create(name="Collège Bench", type="SCO", external_id="0759876B",
                                         is_managing_students=True, email="ce.0759876b@ac-pix.fr")
    teacher = User.objects.create_user("prof.bench@example.net", "Tableau2026", first_name="Paul", last_name="Prof",
                                       pix_orga_terms_version="2026-09")
    Membership.objects.create(user=teacher, organization=school, role=Membership.Role.MEMBER)
    password = make_password("Cartable2026")  # one hash for every student: filling is not what is measured
    users, rows = [], []
    for n in range(learners):
        first, last = rng.choice(FIRST_NAMES), rng.choice(FAMILY_NAMES)
        birthdate = datetime.date(2012, 1, 1) + datetime.timedelta(days=rng.randrange(700))
        kind = n % 10
        user = None
        if kind < 5:
            user = User(username=f"{first.lower()[:3]}{n}.bench{birthdate:%d%m}", first_name=first, last_name=last,
                        password=password)
        elif kind < 9:
            user = User(email=f"eleve{n}@example.net", first_name=first, last_name=last, password=password)
        users.append(user)
        rows.append(Learner(organization=school, ine=f"{n:010d}B", family_name=last, first_name=first,
                            birthdate=birthdate, division=f"C{n // class_size:03d}",
                            search_key=name_search_key(last, "", first)))
    User.objects.bulk_create([user for user in users if user], batch_size=1000)
    for learner, user in zip(rows, users, strict=True):
        if user:
            learner.user, learner.linked_at = user, timezone.now()
    Learner.objects.bulk_create(rows, batch_size=1000)
    return school, teacher


def _reset(client, school, data: dict, *, api: bool) -> dict:
    """Through the page's form (a class), or the API's JSON (a page cannot post 2,500 check boxes)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    url = (f"/api/v1/organizations/{school.pk}/students/password-reset/" if api
           else reverse("students:passwords_reset", args=[school.pk]))
    extra = {"data": json.dumps(data), "content_type": "application/json"} if api else {"data": data}
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        cpu = time.process_time()
        response = client.post(url, **extra)
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu
    assert response.status_code == 200, response.status_code
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))[1:]
    return {"seconds": round(seconds, 3), "cpu_seconds": round(cpu_seconds, 3), "queries": len(queries),
            "reset": sum(1 for row in rows if row[3]), "skipped": sum(1 for row in rows if not row[3]),
            "_rows": rows}


def _hash_cost() -> dict:
    from django.contrib.auth.hashers import get_hasher

    costs = {}
    for name, count in (("argon2", 5), ("argon2otp", 50)):
        hasher = get_hasher(name)
        started = time.perf_counter()
        for n in range(count):
            hasher.encode(f"kbrtze{n:02d}", hasher.salt())
        costs[f"{name}_ms_per_hash"] = round((time.perf_counter() - started) / count * 1000, 2)
    return costs


def _hashing_alone(count: int) -> float:
    """The share of the one-time passwords' hashing in the school's time (the same threads as the reset)."""
    from accounts.services import _hash_all

    started = time.perf_counter()
    _hash_all([f"kbrtze{n % 100:02d}" for n in range(count)])
    return round(time.perf_counter() - started, 3)


def _check(rows) -> bool:
    from accounts.models import User

    reset = [row for row in rows if row[3]]
    sample = random.Random(1).sample(reset, min(50, len(reset)))
    users = {user.username: user for user in User.objects.filter(username__in=[row[3] for row in sample])}
    return all(users[row[3]].check_password(row[4]) and users[row[3]].must_change_password for row in sample)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=2500)
    parser.add_argument("--class-size", type=int, default=35)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()

    server = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    if args.sqlite:
        database_url = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    else:
        host = server.split("@")[-1].split(":")[0]
        subprocess.run(["dropdb", "--if-exists", "-h", host, "-U", "postgres", DB_NAME], check=False,
                       capture_output=True)
        subprocess.run(["createdb", "-h", host, "-U", "postgres", DB_NAME], check=True)
        database_url = f"{server}/{DB_NAME}"
    try:
        _setup(database_url)
        from django.db import connection
        from django.test import Client

        school, teacher = _fill(args.learners, args.class_size)
        client = Client()
        client.force_login(teacher)
        from students.models import Learner

        everyone = list(Learner.objects.filter(organization=school).values_list("pk", flat=True))
        runs = []
        for data, api in (({"division": "C001"}, False), ({"division": "C002"}, True), ({"learners": everyone}, True)):
            runs.append(_reset(client, school, data, api=api))
            runs[-1]["passwords_check"] = _check(runs[-1]["_rows"])  # before the next reset replaces them
        class_page, one_class, whole_school = runs
        ok = all(run["passwords_check"] for run in runs)
        constant = one_class["queries"] == whole_school["queries"]
        result = {
            "database": connection.vendor, "learners": args.learners, "class_size": args.class_size,
            "cpus": os.cpu_count(), "load_average": [round(x, 1) for x in os.getloadavg()],
            "class_page": {k: v for k, v in class_page.items() if not k.startswith("_")},
            "class": {k: v for k, v in one_class.items() if not k.startswith("_")},
            "school": {k: v for k, v in whole_school.items() if not k.startswith("_")},
            "hashers": {**_hash_cost(), "school_hashing_alone_seconds": _hashing_alone(whole_school["reset"])},
            "queries_constant": constant,
        }
        print(json.dumps(result, indent=2))
        return 0 if ok and (constant or connection.vendor == "sqlite") else 1
    finally:
        if not args.sqlite and not args.keep_db:
            from django.db import connections

            connections.close_all()
            subprocess.run(["dropdb", "--if-exists", "-h", server.split("@")[-1].split(":")[0], "-U", "postgres",
                            DB_NAME], check=False, capture_output=True)


if __name__ == "__main__":
    sys.exit(main())

"""CPU per answer of the answer path, in one process and one thread: to compare two versions of the code on a
machine whose wall-clock figures vary from run to run.

    .venv/bin/python bench/bench_answer_cpu.py [--students 30] [--keep-db]

Creates ``pixorga_bench_answer_cpu`` (127.0.0.1, user postgres; BENCH_PG as for bench_answer.py), fills it as
``bench_answer.py`` does (the bank, a school, one « Les 16 compétences » campaign, the students joined), then each
student takes the whole test through the API with Django's test client in this process: ``POST answers/`` until the
test ends, each answer's outcome carrying the next question. Prints the answers, the CPU time of this process per
answer (Django, DRF, the service, the engine, the driver; the test client's own work included) and the CPU time of
its PostgreSQL backend per answer. No floor: the figures are for comparing versions (run it on each checkout).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import time
from pathlib import Path

import bench_answer
from bench_join import _db_url, _psql

DB_NAME = "pixorga_bench_answer_cpu"


def _backend_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    server = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    _psql(server, f"DROP DATABASE IF EXISTS {DB_NAME}")
    _psql(server, f"CREATE DATABASE {DB_NAME}")
    try:
        database_url = _db_url(server, DB_NAME)
        os.environ.update(bench_answer._env(database_url))
        sys.path[:0] = [str(bench_answer._static_root), str(bench_answer.REPO)]
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0, stdout=io.StringIO())
        call_command("collectstatic", interactive=False, verbosity=0, stdout=io.StringIO())
        plan, items, _figures = bench_answer._fill(database_url, students=args.students + 1,
                                                   profile_key="les-16-competences", seed=1)
        from django.db import connection
        from django.test import Client

        client = Client(SERVER_NAME="127.0.0.1", HTTP_HOST="127.0.0.1")

        def take(student) -> tuple[int, float]:
            rng = random.Random(student.seed)
            headers = {"HTTP_AUTHORIZATION": f"Token {student.key}"}
            started = client.post(f"/api/v1/participations/{student.participation_id}/assessment/", **headers)
            assessment_id = started.json()["id"]
            challenge = client.get(f"/api/v1/assessments/{assessment_id}/challenge/", **headers).json()
            answers, spent = 0, 0.0
            while challenge is not None:
                item = items[challenge["id"]]
                ok = (item.level <= student.true_levels[item.tube]) != (rng.random() < 0.1)
                if ok:
                    body = {"challenge": challenge["id"], "value": item.right}
                elif rng.random() < 0.2:
                    body = {"challenge": challenge["id"], "skip": True}
                else:
                    body = {"challenge": challenge["id"], "value": item.wrong}
                before = time.process_time()
                response = client.post(f"/api/v1/assessments/{assessment_id}/answers/", data=json.dumps(body),
                                       content_type="application/json", **headers)
                spent += time.process_time() - before
                if response.status_code != 201:
                    raise SystemExit(f"bench_answer_cpu: answer refused: {response.status_code} {response.content!r}")
                challenge = response.json()["next_challenge"]
                answers += 1
            return answers, spent

        take(plan[-1])  # warm: the skill set, the prepared statements, the code
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
        backend_before = _backend_cpu_seconds(backend)
        answers, spent = 0, 0.0
        for student in plan[:-1]:
            count, seconds = take(student)
            answers, spent = answers + count, spent + seconds
        backend_spent = _backend_cpu_seconds(backend) - backend_before
        connection.close()
        print(json.dumps({"students": args.students, "answers": answers,
                          "process_cpu_ms_per_answer": round(1000 * spent / answers, 2),
                          "postgres_cpu_ms_per_answer": round(1000 * backend_spent / answers, 2)}, indent=2))
        return 0
    finally:
        if not args.keep_db:
            _psql(server, f"DROP DATABASE IF EXISTS {DB_NAME}")


if __name__ == "__main__":
    sys.exit(main())

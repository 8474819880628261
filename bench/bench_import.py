"""Time the whole SIECLE import (parse, validate, upsert, disable) on PostgreSQL, with peak memory growth.

    .venv/bin/python bench/bench_import.py [--keep-db] [--big /tmp/eleves-100k.zip]

Creates (then drops) the database ``pixorga_bench`` on PostgreSQL (127.0.0.1, user postgres; override with
BENCH_PG=postgres://user@host:port), migrates it, and imports into a throwaway school (UAI 0751234A):
lycee-2500.zip into an empty school, a generated 100,000-student file into an empty school, then the same
file again (everything unchanged). Each run is ``import_job_run`` (what the Celery task calls) in a fresh
process, so that its peak RSS (VmHWM) belongs to it alone; growth = peak minus the RSS just before the run.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SAMPLES = SHARED / "siecle"
GENERATOR = SHARED / "tools" / "siecle_gen.py"
DB_NAME = "pixorga_bench"
UAI = "0751234A"
TARGETS = {"lycee-2500": 0.5, "100k": 15.0, "100k again": 10.0}


def _status_kb(key: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise KeyError(key)


def _setup_django(database_url: str, media_root: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["MEDIA_ROOT"] = media_root
    os.environ["CELERY_BROKER_URL"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pixorga.settings")
    os.environ["LOG_LEVEL"] = "WARNING"
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


def _one_run(database_url: str, media_root: str, path: str, reset: bool, queue) -> None:
    _setup_django(database_url, media_root)
    from django.core.files import File

    from accounts.models import User
    from organizations.models import Organization
    from students.models import ImportJob, Learner
    from students.services import import_job_run

    school, _ = Organization.objects.get_or_create(
        external_id=UAI, type=Organization.Type.SCO, defaults={"name": "Bench", "is_managing_students": True})
    admin, _ = User.objects.get_or_create(email="bench@example.net", defaults={"first_name": "B", "last_name": "B"})
    if reset:
        Learner.objects.filter(organization=school).delete()
    job = ImportJob(organization=school, uploaded_by=admin, file_name=Path(path).name,
                    file_size=Path(path).stat().st_size)
    with open(path, "rb") as upload:
        job.file.save(Path(path).name, File(upload), save=False)
    job.save()

    before_kb = _status_kb("VmRSS")
    started = time.perf_counter()
    import_job_run(job_id=job.pk)
    elapsed = time.perf_counter() - started
    peak_kb = _status_kb("VmHWM")
    job.refresh_from_db()
    queue.put({"seconds": elapsed, "growth_mb": (peak_kb - before_kb) / 1024, "status": job.status,
               "counts": job.report.get("counts", {}), "errors": [error["code"] for error in job.errors][:3]})


def _psql(base_url: str, sql: str) -> None:
    subprocess.run(["psql", f"{base_url}/postgres", "-q", "-c", sql], check=True, stdout=subprocess.DEVNULL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--big", default="/tmp/eleves-100k.zip", help="the 100,000-student file (made if missing)")
    parser.add_argument("--keep-db", action="store_true", help=f"do not drop {DB_NAME} at the end")
    args = parser.parse_args(argv)
    big = Path(args.big)
    if not big.exists():
        print(f"generating {big} …", flush=True)
        subprocess.run([sys.executable, str(GENERATOR), "--students", "100000", "--uai", UAI, "--seed", "100",
                        "--zip", "--out", str(big)], check=True, stdout=subprocess.DEVNULL)
    base_url = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    database_url = f"{base_url}/{DB_NAME}"
    _psql(base_url, f"DROP DATABASE IF EXISTS {DB_NAME}")
    _psql(base_url, f"CREATE DATABASE {DB_NAME}")
    media_root = tempfile.mkdtemp(prefix="pixorga-bench-media-")
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=REPO, check=True,
                       env={**os.environ, "DATABASE_URL": database_url, "CELERY_BROKER_URL": ""})
        runs = [("lycee-2500", SAMPLES / "lycee-2500.zip", True), ("100k", big, True), ("100k again", big, False)]
        context = multiprocessing.get_context("spawn")  # fork would inherit the parent's peak RSS
        print(f"{'run':<12} {'seconds':>8} {'target':>7} {'RSS growth':>11}  outcome")
        failed = False
        for name, path, reset in runs:
            queue = context.Queue()
            child = context.Process(target=_one_run, args=(database_url, media_root, str(path), reset, queue))
            child.start()
            result = queue.get()
            child.join()
            counts = result["counts"]
            outcome = (f"{result['status']}: +{counts.get('added', 0)} ~{counts.get('updated', 0)} "
                       f"={counts.get('unchanged', 0)} -{counts.get('disabled', 0)} {result['errors'] or ''}")
            ok = result["status"] == "done" and result["seconds"] < TARGETS[name] and result["growth_mb"] < 150
            failed |= not ok
            print(f"{name:<12} {result['seconds']:>8.2f} {TARGETS[name]:>6.1f}s {result['growth_mb']:>8.1f} MB  "
                  f"{outcome}{'' if ok else '  <-- over target'}", flush=True)
    finally:
        if not args.keep_db:
            _psql(base_url, f"DROP DATABASE IF EXISTS {DB_NAME}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""A whole school taking one assessment campaign at once, answer after answer, through the API, on gunicorn +
PostgreSQL.

    .venv/bin/python bench/bench_answer.py [--students 300] [--clients 20] [--profile les-16-competences]
                                           [--noise 0.1] [--skips 0.2] [--seed 1] [--workers 2] [--threads 2]
                                           [--keep-db]

Creates (then drops) the database ``pixorga_bench_answer`` (127.0.0.1, user postgres; BENCH_PG=postgres://user@host:port
to use another server), migrates it and loads the content bank (``content_load``), then, through the services: a
school that manages its students, ``--students`` learners, a teacher who creates one « Évaluation » on the target
profile ``--profile`` (a key of ``content/bank/target_profiles.yaml``), and as many student accounts, each with an API
key, joined (``campaign_join``, typed details, confirm). It starts gunicorn on 127.0.0.1 (DEBUG off, Redis as the cache
like production: BENCH_REDIS), warms it with one more student's test, then ``--clients`` threads, each with a
keep-alive connection as a browser has, take the students in turn; for each student, one after the other:

    POST /api/v1/participations/{id}/assessment/          (« Je commence »)
    GET  /api/v1/assessments/{id}/challenge/               (the first question)
    POST /api/v1/assessments/{id}/answers/                 until the answer says "ended"; each answer's outcome
                                                           carries the next question (``next_challenge``), as a
                                                           student app uses it: no GET per question

so at most ``--clients`` requests are in flight at any moment, and each answer is sent once. Each student has a true
level per tube of the campaign (drawn from 0 to the tube's highest level, as ``bench/simulate_assessment.py`` does) and
answers right when the skill's level is at most that level, flipped with probability ``--noise`` (a slip or a lucky
guess); a wrong answer is « Je passe » with probability ``--skips``. Right and wrong values are built from each
challenge's solution and checked beforehand with ``assessments.correction``: the status the server gives back must be
the one expected (``ok``, ``ko`` or ``aband``).

Prints answers per second (every answer of the run ÷ the run's wall time), p50/p95/max of the POST answers, of the GET challenge and of the starts, and the errors (any other
status, or a status not the expected one: must be 0). Then checks in the database that every test ended (completed,
nothing served), that each test holds exactly the answers its student sent (no answer recorded twice, none lost; the
history and the count agree), and that the statuses stored are the ones the students were told. Exit status 1 when a
check fails, p95 of the answers ≥ 150 ms or fewer than 200 answers/s.
"""
from __future__ import annotations

import argparse
import atexit
import concurrent.futures
import http.client
import io
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import bench_join
from bench_join import _db_url, _free_port, _psql  # the same server set-up as the join bench

REPO = Path(__file__).resolve().parents[1]
DB_NAME = "pixorga_bench_answer"
TARGET_P95_MS = 150
TARGET_ANSWERS_PER_S = 200
WRONG_TEXT = "zqxwvkjzqxwvkj"  # far (edit distance) from any accepted answer of the bank; checked below


_static_root: Path | None = None


def _env(database_url: str) -> dict:
    """The join bench's environment, with static files collected in a temporary folder: DEBUG off serves them from
    a manifest, as production does after ``collectstatic``, and the checkout's ``staticfiles/`` is left alone."""
    global _static_root
    if _static_root is None:
        folder = Path(tempfile.mkdtemp(prefix="pixorga-bench-answer-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        (folder / "bench_answer_settings.py").write_text(
            f"from pixorga.settings import *  # noqa: F403\nSTATIC_ROOT = {str(folder / 'staticfiles')!r}\n")
        _static_root = folder
    env = bench_join._env(database_url)
    env["DJANGO_SETTINGS_MODULE"] = "bench_answer_settings"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_static_root), str(REPO), env.get("PYTHONPATH")]))
    return env


@dataclass(frozen=True, slots=True)
class Item:
    """What a student needs to know of a challenge: where it sits, and a right and a wrong value for it."""

    tube: int
    level: int
    right: object
    wrong: object


@dataclass(slots=True)
class Student:
    key: str
    participation_id: int
    true_levels: dict[int, int]
    seed: int
    assessment_id: int | None = None
    sent: Counter = field(default_factory=Counter)  # statuses received for the answers sent (201)
    errors: list[str] = field(default_factory=list)


# --- Filling the database (in this process, through the services) --------------------------------------------------

def _values(challenge) -> tuple[object, object]:
    """A right and a wrong value for one challenge, verified with the correction the server applies."""
    from assessments.correction import AnswerStatus, answer_correct, answer_normalize, proposal_fields
    from assessments.services.assessment import challenge_key

    key = challenge_key(challenge)
    solution = challenge.solution
    if challenge.type == "QCU":
        count = len(challenge.proposals)
        right = str(solution).strip()
        wrong = str(int(right) % count + 1)
    elif challenge.type == "QCM":
        count = len(challenge.proposals)
        chosen = sorted({int(part) for part in str(solution).split(",") if part.strip()})
        right = ",".join(map(str, chosen))
        others = [number for number in range(1, count + 1) if number not in chosen]
        wrong = ",".join(map(str, sorted([*chosen, others[0]]))) if others else ",".join(map(str, chosen[1:]))
    elif challenge.type == "QROC":
        right = next(line for line in str(solution).splitlines() if line.strip())
        wrong = "987654321" if challenge.format == "nombre" else WRONG_TEXT
    else:  # QROCM: one field per key (ind) or per group of accepted answers (dep), in order
        template = challenge.proposals if isinstance(challenge.proposals, str) else "\n".join(challenge.proposals)
        keys = [each.key for each in proposal_fields(template)]
        accepted = [texts if isinstance(texts, list) else [texts] for texts in solution.values()]
        if challenge.type == "QROCM-ind":
            right = {name: str((solution[name] if isinstance(solution[name], list) else [solution[name]])[0])
                     for name in keys}
        else:
            right = {name: str(accepted[n][0]) if n < len(accepted) else "" for n, name in enumerate(keys)}
        wrong = {name: WRONG_TEXT for name in keys}
    for value, expected in ((right, AnswerStatus.OK), (wrong, AnswerStatus.KO)):
        status = answer_correct(challenge=key, value=answer_normalize(challenge=key, value=value)).status
        if status != expected:
            raise SystemExit(f"bench_answer: no {expected} value found for challenge {challenge.pk}: {value!r}")
    return right, wrong


def _fill(database_url: str, *, students: int, profile_key: str, seed: int) -> tuple[list[Student], dict, dict]:
    """The bank, a school, its learners, one campaign and the students joined; returns the students (the last one
    warms the server), each challenge's item, and figures about the campaign."""
    os.environ.update(_env(database_url))
    sys.path[:0] = [str(_static_root), str(REPO)]
    import django

    django.setup()
    from django.core.management import call_command

    from accounts.models import User
    from accounts.services import api_token_create
    from campaigns.models import Campaign, CampaignSkill
    from campaigns.services.campaigns import campaign_create
    from campaigns.services.joining import campaign_join
    from content.models import Challenge, TargetProfile
    from organizations.models import Membership, Organization
    from organizations.services import membership_grant
    from students.models import Learner

    call_command("content_load", verbosity=0, stdout=io.StringIO())
    profile = TargetProfile.objects.filter(key=profile_key).first()
    if profile is None:
        keys = ", ".join(TargetProfile.objects.order_by("key").values_list("key", flat=True))
        raise SystemExit(f"bench_answer: no target profile {profile_key!r} (the bank has: {keys})")
    school = Organization.objects.create(name="Collège Bench", type="SCO", external_id="0759877C",
                                         is_managing_students=True)
    teacher = User.objects.create_user("prof@bench.example", "Bench2026x", first_name="Prof", last_name="Bench")
    membership_grant(organization=school, user=teacher, role=Membership.Role.ADMIN)
    campaign = campaign_create(organization=school, by=teacher, name="Rentrée numérique",
                               type=Campaign.Type.ASSESSMENT, target_profile=profile)

    learners = Learner.objects.bulk_create([
        Learner(organization=school, ine=f"{n:09d}BA", first_name="Eleve", family_name=f"Bench{n:04d}",
                birthdate=f"{2010 + n % 4}-{n % 12 + 1:02d}-{n % 28 + 1:02d}", division=f"5E{n % 8 + 1}")
        for n in range(students)
    ])
    frozen = list(CampaignSkill.objects.filter(campaign=campaign).values_list("skill__tube_id", "skill__level"))
    tube_tops: dict[int, int] = defaultdict(int)
    for tube, level in frozen:
        tube_tops[tube] = max(tube_tops[tube], level)
    frozen_ids = CampaignSkill.objects.filter(campaign=campaign).values("skill_id")
    items = {
        challenge.pk: Item(challenge.skill.tube_id, challenge.skill.level, *_values(challenge))
        for challenge in Challenge.objects.filter(skill_id__in=frozen_ids).select_related("skill")
    }
    rng = random.Random(seed)
    plan = []
    for n, learner in enumerate(learners):
        user = User.objects.create_user(f"eleve{n}@bench.example", None, first_name="Eleve", last_name=f"B{n}")
        _, key = api_token_create(user=user, name="bench")
        outcome = campaign_join(campaign=campaign, user=user, first_name=learner.first_name,
                                last_name=learner.family_name, birthdate=learner.birthdate, confirm=True)
        plan.append(Student(key=key, participation_id=outcome.participation.pk, seed=rng.randrange(2**32),
                            true_levels={tube: rng.randint(0, top) for tube, top in sorted(tube_tops.items())}))
    figures = {"target_profile": profile.name, "campaign_skills": len(frozen), "tubes": len(tube_tops),
               "challenges": len(items)}
    return plan, items, figures


# --- The load generator -------------------------------------------------------------------------------------------

_local = threading.local()


def _connection(base: str, fresh: bool = False) -> http.client.HTTPConnection:
    """This client thread's keep-alive connection, as a browser keeps one to the server."""
    if fresh or getattr(_local, "connection", None) is None:
        host, port = base.removeprefix("http://").split(":")
        _local.connection = http.client.HTTPConnection(host, int(port), timeout=30)
    return _local.connection


def _request(base: str, method: str, path: str, key: str, body: dict | None = None) -> tuple[int, dict, float]:
    payload = None if body is None else json.dumps(body).encode()
    headers = {"Authorization": f"Token {key}"}
    if payload is not None:
        headers["Content-Type"] = "application/json"
    started = time.perf_counter()
    for fresh in (False, True):
        connection = _connection(base, fresh)
        try:
            connection.request(method, path, body=payload, headers=headers)
            response = connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            if fresh:
                raise
            # The server closed an idle kept-alive connection before reading this request: send it on a new one.
            connection.close()
            started = time.perf_counter()
            continue
        content = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        return response.status, (json.loads(content) if content else {}), elapsed
    raise AssertionError("unreachable")


@dataclass(slots=True)
class Timings:
    start: list[float] = field(default_factory=list)
    challenge: list[float] = field(default_factory=list)
    answer: list[float] = field(default_factory=list)


def _take_test(base: str, student: Student, items: dict[str, Item], timings: Timings, *, noise: float,
               skips: float, max_answers: int | None = None) -> None:
    """One student's whole test, each request sent once; errors are noted, never retried."""
    rng = random.Random(student.seed)
    status, body, ms = _request(base, "POST", f"/api/v1/participations/{student.participation_id}/assessment/",
                                student.key)
    timings.start.append(ms)
    if status != 200:
        student.errors.append(f"start {status} {body}")
        return
    student.assessment_id = body["id"]
    prefix = f"/api/v1/assessments/{student.assessment_id}"
    challenge = None  # the next question comes with each answer's outcome; GET challenge/ serves the first one
    while max_answers is None or sum(student.sent.values()) < max_answers:
        if challenge is None:
            status, challenge, ms = _request(base, "GET", f"{prefix}/challenge/", student.key)
            timings.challenge.append(ms)
            if status != 200:
                student.errors.append(f"challenge {status} {challenge}")
                return
        item = items[challenge["id"]]
        right = (item.level <= student.true_levels.get(item.tube, 0)) != (rng.random() < noise)
        if right:
            answer, expected = {"challenge": challenge["id"], "value": item.right}, "ok"
        elif rng.random() < skips:
            answer, expected = {"challenge": challenge["id"], "skip": True}, "aband"
        else:
            answer, expected = {"challenge": challenge["id"], "value": item.wrong}, "ko"
        status, outcome, ms = _request(base, "POST", f"{prefix}/answers/", student.key, answer)
        timings.answer.append(ms)
        if status != 201:
            student.errors.append(f"answer {status} {outcome}")
            return
        student.sent[outcome["status"]] += 1
        if outcome["status"] != expected:
            student.errors.append(f"answer to {challenge['id']}: {outcome['status']}, {expected} expected")
        if outcome["ended"]:
            if outcome["next_challenge"] is not None:
                student.errors.append("a next challenge served after the end")
            return
        challenge = outcome["next_challenge"]
        if challenge is None:
            student.errors.append("no next challenge before the end")
            return


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[int(share * (len(ordered) - 1))]


def _latency(values: list[float]) -> dict:
    if not values:
        return {}
    return {"count": len(values), "p50_ms": round(statistics.median(values), 1),
            "p95_ms": round(_percentile(values, 0.95), 1), "max_ms": round(max(values), 1)}


# --- CPU time, from /proc (the machine may be shared: CPU seconds per answer say what one answer costs) ----------

_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # gone
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime + stime


def _server_pids(gunicorn_pid: int) -> list[int]:
    children = Path(f"/proc/{gunicorn_pid}/task/{gunicorn_pid}/children").read_text().split()
    return [gunicorn_pid, *map(int, children)]


def _backends() -> list[tuple[int, float]]:
    """This database's other PostgreSQL backends: (pid, start time as a Unix timestamp)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid, EXTRACT(EPOCH FROM backend_start) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        return [(pid, float(started)) for pid, started in cursor.fetchall()]


def _machine_busy_seconds() -> float:
    """Every core's busy time so far (user, nice, system, irq, softirq, steal), all processes."""
    values = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(values[:8]) - values[3] - values[4]) / _TICK  # minus idle and iowait


@dataclass(slots=True)
class CpuMeter:
    """CPU seconds of gunicorn (master and workers), of this database's PostgreSQL backends and of this generator
    between ``start`` and ``stop``; and how busy the whole machine was.

    Backends come and go (a server thread reconnects after CONN_MAX_AGE): they are sampled every half second, one
    started during the run counting from 0, so only the last half second of a backend that ends is missed.
    """

    gunicorn_pid: int
    before: dict = field(default_factory=dict)
    after: dict = field(default_factory=dict)
    backends: dict = field(default_factory=dict)  # pid → [CPU seconds when first seen (0 if born later), last]
    started_at: float = 0.0
    running: threading.Event = field(default_factory=threading.Event)
    sampler: threading.Thread | None = None

    def _read(self) -> dict:
        return {"gunicorn": {pid: _cpu_seconds(pid) for pid in _server_pids(self.gunicorn_pid)},
                "generator": time.process_time(), "machine": _machine_busy_seconds(), "wall": time.perf_counter()}

    def _sample_backends(self) -> None:
        for pid, born in _backends():
            seconds = _cpu_seconds(pid)
            if pid not in self.backends:
                self.backends[pid] = [0.0 if born >= self.started_at else seconds, seconds]
            else:
                self.backends[pid][1] = max(self.backends[pid][1], seconds)

    def _sample_loop(self) -> None:
        from django.db import connection

        while self.running.is_set():
            self._sample_backends()
            time.sleep(0.5)
        connection.close()

    def start(self) -> None:
        self.started_at = time.time()
        self._sample_backends()
        self.before = self._read()
        self.running.set()
        self.sampler = threading.Thread(target=self._sample_loop, daemon=True)
        self.sampler.start()

    def stop(self) -> None:
        self.after = self._read()
        self.running.clear()
        self.sampler.join()
        self._sample_backends()

    def report(self, answers: int) -> dict:
        spent = {"gunicorn": sum(seconds - self.before["gunicorn"].get(pid, 0.0)
                                 for pid, seconds in self.after["gunicorn"].items()),
                 "postgres": sum(last - first for first, last in self.backends.values()),
                 "generator": self.after["generator"] - self.before["generator"]}
        wall = self.after["wall"] - self.before["wall"]
        ours = sum(spent.values())
        per_answer = {kind: round(seconds * 1000 / answers, 2) for kind, seconds in spent.items()}
        per_answer["total"] = round(ours * 1000 / answers, 2)
        return {
            "cpu_ms_per_answer": per_answer,  # an answer's POST and the GET that served its challenge
            "machine_cores_busy": round((self.after["machine"] - self.before["machine"]) / wall, 2),
            "cores_busy_with_this_bench": round(ours / wall, 2),
            # What 2 cores given to this bench alone could serve, if nothing but CPU limited it.
            "answers_per_s_on_2_free_cores_estimate": round(2 * answers / ours, 1) if ours else None,
        }


# --- Checks afterwards, in the database ----------------------------------------------------------------------------

def _check(students: list[Student]) -> dict:
    from django.db.models import Count

    from assessments.models import Answer, Assessment

    ids = [student.assessment_id for student in students if student.assessment_id is not None]
    tests = {a.pk: a for a in Assessment.objects.filter(pk__in=ids)}
    stored = Counter()
    for assessment_id, status, n in (Answer.objects.filter(assessment_id__in=ids)
                                     .values_list("assessment_id", "status").annotate(n=Count("id"))):
        stored[(assessment_id, status)] = n
    per_test = Counter()
    for (assessment_id, _status), n in stored.items():
        per_test[assessment_id] += n
    not_as_sent = 0
    for student in students:
        test = tests.get(student.assessment_id)
        sent = sum(student.sent.values())
        if (test is None or per_test[test.pk] != sent or test.answers_count != sent or len(test.history) != sent
                or any(stored[(test.pk, status)] != n for status, n in student.sent.items())):
            not_as_sent += 1
    twice = (Answer.objects.values("assessment", "challenge").annotate(n=Count("id")).filter(n__gt=1).count()
             + Answer.objects.values("assessment", "index").annotate(n=Count("id")).filter(n__gt=1).count())
    return {
        "tests": len(tests),
        "tests_ended": sum(1 for t in tests.values()
                           if t.state == Assessment.State.COMPLETED and t.current_challenge_id is None),
        "answers_stored": sum(per_test.values()),
        "answers_recorded_twice": twice,
        "tests_not_as_sent": not_as_sent,  # answers stored ≠ answers sent, or statuses ≠ the ones received
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--clients", type=int, default=20, help="requests in flight at once (one per student)")
    parser.add_argument("--profile", default="les-16-competences", help="target profile key")
    parser.add_argument("--noise", type=float, default=0.1, help="probability that an answer is flipped")
    parser.add_argument("--skips", type=float, default=0.2, help="share of wrong answers given as « Je passe »")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--worker-class", default="gthread", help="gunicorn worker class (gthread, sync)")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()

    server = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    database_url = _db_url(server, DB_NAME)
    _psql(server, f"DROP DATABASE IF EXISTS {DB_NAME}")
    _psql(server, f"CREATE DATABASE {DB_NAME}")
    gunicorn = None
    try:
        for command in (["migrate"], ["collectstatic", "--noinput"]):
            subprocess.run([sys.executable, "manage.py", *command, "-v", "0"], cwd=REPO, env=_env(database_url),
                           check=True)
        filling = time.perf_counter()
        plan, items, figures = _fill(database_url, students=args.students + 1, profile_key=args.profile,
                                     seed=args.seed)
        filling = time.perf_counter() - filling
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the tables were just filled, as after a real load
        port = _free_port()
        gunicorn = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "pixorga.wsgi", "-b", f"127.0.0.1:{port}",
             "-w", str(args.workers), "-k", args.worker_class, "--threads", str(args.threads),
             "--log-level", "warning"],
            cwd=REPO, env=_env(database_url))
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):  # bounded wait for the server
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        # A server in use is warm: each gunicorn thread has its database connection, has run the code once and
        # holds the campaign's skill set. Warm it with one more student's test, never with the students measured.
        warm = plan.pop()
        warm_timings = Timings()
        _take_test(base, warm, items, warm_timings, noise=args.noise, skips=args.skips, max_answers=10)
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.workers * args.threads) as pool:
            list(pool.map(lambda _: _request(base, "GET", f"/api/v1/assessments/{warm.assessment_id}/", warm.key),
                          range(args.workers * args.threads * 10)))
        if warm.errors:
            print("warm-up failed:", warm.errors[:3])
            return 1

        timings = Timings()
        meter = CpuMeter(gunicorn.pid)
        meter.start()
        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.clients) as pool:
            list(pool.map(lambda student: _take_test(base, student, items, timings, noise=args.noise,
                                                     skips=args.skips), plan))
        wall = time.perf_counter() - started
        meter.stop()

        errors = [error for student in plan for error in student.errors]
        answers = len(timings.answer)
        statuses = sum((student.sent for student in plan), Counter())
        checks = _check(plan)
        questions = [sum(student.sent.values()) for student in plan]
        report = {
            "students": args.students, "clients": args.clients, **figures,
            "gunicorn": (f"{args.workers} {args.worker_class} workers x {args.threads} threads"
                         if args.worker_class == "gthread" else f"{args.workers} {args.worker_class} workers"),
            "fill_s": round(filling, 1),
            "answers": answers, "questions_per_student": {
                "mean": round(statistics.mean(questions), 1), "min": min(questions), "max": max(questions)},
            "statuses": dict(sorted(statuses.items())), "wall_s": round(wall, 1),
            "answers_per_s": round(answers / wall, 1),
            "requests_per_s": round((answers + len(timings.challenge) + len(timings.start)) / wall, 1),
            "post_answers": _latency(timings.answer), "get_challenge": _latency(timings.challenge),
            "post_start": _latency(timings.start), **meter.report(answers), "errors": len(errors), **checks,
        }
        print(json.dumps(report, indent=2, ensure_ascii=False))
        for error in errors[:10]:
            print("error:", error)
        ok = (not errors and checks["tests"] == args.students and checks["tests_ended"] == args.students
              and checks["answers_stored"] == answers and checks["answers_recorded_twice"] == 0
              and checks["tests_not_as_sent"] == 0)
        p95 = report["post_answers"].get("p95_ms", float("inf"))
        rate = report["answers_per_s"]
        print("checks:", "OK" if ok else "FAILED",
              f"| answers p95 {p95:.0f} ms (target < {TARGET_P95_MS} ms)"
              f" | {rate:.0f} answers/s (target ≥ {TARGET_ANSWERS_PER_S})")
        return 0 if ok and p95 < TARGET_P95_MS and rate >= TARGET_ANSWERS_PER_S else 1
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

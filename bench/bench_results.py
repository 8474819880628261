"""A school's results pages and exports on a campaign of 2,500 sent participations, on PostgreSQL.

    .venv/bin/python bench/bench_results.py [--students 2500] [--jobs 2] [--seed 1] [--noise 0.1] [--repeat 5]
    .venv/bin/python bench/bench_results.py --reuse        # measure again on the database filled before
    .venv/bin/python bench/bench_results.py --reuse --no-fill   # measure what is there (a fill still running)

Filling (once; it takes a while): creates the database ``pixorga_bench_results`` (127.0.0.1, user postgres;
BENCH_PG=postgres://user@host:port to use another server), migrates it and loads the content bank, then, through the
services only, as a school's data is made: a lycée that manages its students, ``--students`` SIECLE learners in 10
classes (2NDE1 … 2NDE10), a teacher (admin) who creates an « Évaluation » on « Les 16 compétences » and a « Collecte
de profils »; then each student, in ``--jobs`` processes: ``campaign_join`` (typed details, confirm),
``assessment_start_for_participation``, ``answer_record`` until the test ends, ``participation_share``; then joins the
collection and sends the profile. Each student has a true level per tube (drawn from 0 to the tube's highest level
in the campaign, as ``bench/simulate_assessment.py`` does) and answers right when a skill's level is at most that
level, flipped with probability ``--noise``; right and wrong values are built from each challenge's solution and
checked with ``assessments.correction`` first. An interrupted fill goes on where it stopped with ``--reuse``.

Measuring (Django's test client in this process, DEBUG off, PostgreSQL; the teacher logged in): the server time of
each tab of the campaign page that exists (URL names under ``campaign_results:``, found with ``reverse()``; the
missing ones are printed), of a student's page, each with and without a class filter, median and max of
``--repeat`` runs after one warm-up, and their query counts; then each export (``export.csv`` of both campaigns, and
the API's): the time to the last byte, and the peak Python memory while streaming (tracemalloc, in a separate run)
for one class and for the whole campaign, and for the whole campaign with chunks of 250 rows instead of 2,000 — the
peak follows the chunk, not the number of rows. Floors: every page < 300 ms, the 2,500-row export < 3 s. Exit status 1
when a floor is missed or a page does not answer 200.
"""
from __future__ import annotations

import argparse
import atexit
import io
import multiprocessing
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_join  # noqa: E402  (the same PostgreSQL set-up as the join bench)
from bench_join import _psql  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DB_NAME = "pixorga_bench_results"
PROFILE_KEY = "les-16-competences"
SCHOOL_UAI = "0759878D"
ASSESSMENT_NAME = "Bench résultats : les 16 compétences"
COLLECTION_NAME = "Bench résultats : collecte de profils"
DIVISIONS = [f"2NDE{n}" for n in range(1, 11)]
PAGE_FLOOR_MS = 300
EXPORT_FLOOR_S = 3.0
# The tabs issue #9 asks for, and the student's page: printed when missing.
EXPECTED_PAGES = ["detail", "results", "analysis", "settings", "participant"]
NOT_PAGES = {"export", "duplicate"}  # the export is measured as such; « Dupliquer » is an action
WRONG_TEXT = "zqxwvkjzqxwvkj"  # far (edit distance) from any accepted answer of the bank; checked below
FIRST_NAMES = ["Éloïse", "Joé", "Anaïs", "Noé", "Chloé", "Léo", "Inès", "Zoé", "Hélène", "Maël", "Lucas", "Emma"]

_settings_folder: Path | None = None


def _env(database_url: str) -> dict:
    """The join bench's environment, with static files served without a manifest (no collectstatic needed for the
    test client) and a persistent database connection, as a server in use has."""
    global _settings_folder
    if _settings_folder is None:
        _settings_folder = Path(tempfile.mkdtemp(prefix="pixorga-bench-results-"))
        atexit.register(shutil.rmtree, _settings_folder, ignore_errors=True)
        (_settings_folder / "bench_results_settings.py").write_text(
            "from pixorga.settings import *  # noqa: F403\n"
            "STORAGES = {**STORAGES, 'staticfiles': "  # noqa: F405
            "{'BACKEND': 'django.contrib.staticfiles.storage.StaticFilesStorage'}}\n"
            "ALLOWED_HOSTS = ['testserver', '127.0.0.1']\n")
    env = bench_join._env(database_url)
    env.update(DJANGO_SETTINGS_MODULE="bench_results_settings", CACHE_URL="locmemcache://bench-results",
               PYTHONPATH=os.pathsep.join(filter(None, [str(_settings_folder), str(REPO), env.get("PYTHONPATH")])))
    return env


def _django(database_url: str) -> None:
    os.environ.update(_env(database_url))
    sys.path[:0] = [str(_settings_folder), str(REPO)]
    import django

    django.setup()


# --- Filling, through the services ---------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Item:
    """What a student needs to know of a challenge: where it sits, and a right and a wrong value for it."""

    tube: int
    level: int
    right: object
    wrong: object


def _values(challenge) -> tuple[object, object]:
    """A right and a wrong value for one challenge, from its solution, checked with the server's correction."""
    from assessments.correction import AnswerStatus, answer_correct, answer_normalize, proposal_fields
    from assessments.services.assessment import challenge_key

    solution = challenge.solution
    if challenge.type == "QCU":
        right = str(solution).strip()
        wrong = str(int(right) % len(challenge.proposals) + 1)
    elif challenge.type == "QCM":
        chosen = sorted({int(part) for part in str(solution).split(",") if part.strip()})
        others = [n for n in range(1, len(challenge.proposals) + 1) if n not in chosen]
        right = ",".join(map(str, chosen))
        wrong = ",".join(map(str, sorted([*chosen, others[0]]))) if others else ",".join(map(str, chosen[1:]))
    elif challenge.type == "QROC":
        right = next(line for line in str(solution).splitlines() if line.strip())
        wrong = "987654321" if challenge.format == "nombre" else WRONG_TEXT
    else:  # QROCM: one field per key (ind) or per group of accepted answers (dep), in order
        template = challenge.proposals if isinstance(challenge.proposals, str) else "\n".join(challenge.proposals)
        keys = [field.key for field in proposal_fields(template)]
        accepted = [texts if isinstance(texts, list) else [texts] for texts in solution.values()]
        if challenge.type == "QROCM-ind":
            right = {key: str((solution[key] if isinstance(solution[key], list) else [solution[key]])[0])
                     for key in keys}
        else:
            right = {key: str(accepted[n][0]) if n < len(accepted) else "" for n, key in enumerate(keys)}
        wrong = {key: WRONG_TEXT for key in keys}
    key = challenge_key(challenge)
    for value, expected in ((right, AnswerStatus.OK), (wrong, AnswerStatus.KO)):
        if answer_correct(challenge=key, value=answer_normalize(challenge=key, value=value)).status != expected:
            raise SystemExit(f"bench_results: no {expected} value found for challenge {challenge.pk}: {value!r}")
    return right, wrong


def _setup(database_url: str, students: int) -> None:
    """The bank, the school, its learners, its teacher and the two campaigns (in the main process)."""
    from django.core.management import call_command

    from accounts.models import User
    from accounts.services import user_accept_pix_orga_terms
    from campaigns.models import Campaign
    from campaigns.services.campaigns import campaign_create
    from content.models import TargetProfile
    from organizations.models import Membership, Organization
    from organizations.services import membership_grant
    from students.models import Learner
    from students.services.learner_sync import learners_analyze

    call_command("content_load", verbosity=0, stdout=io.StringIO())
    school = Organization.objects.create(name="Lycée Bench", type="SCO", external_id=SCHOOL_UAI,
                                         is_managing_students=True)
    teacher = User.objects.create_user("prof@bench.example", "Bench2026x", first_name="Prof", last_name="Bench")
    membership_grant(organization=school, user=teacher, role=Membership.Role.ADMIN)
    user_accept_pix_orga_terms(user=teacher)
    campaign_create(organization=school, by=teacher, name=ASSESSMENT_NAME, type=Campaign.Type.ASSESSMENT,
                    target_profile=TargetProfile.objects.get(key=PROFILE_KEY))
    campaign_create(organization=school, by=teacher, name=COLLECTION_NAME, type=Campaign.Type.PROFILES_COLLECTION)
    Learner.objects.bulk_create([
        Learner(organization=school, ine=f"{n:09d}BR", first_name=FIRST_NAMES[n % len(FIRST_NAMES)],
                family_name=f"Bench{n:04d}", birthdate=f"{2009 + n % 3}-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
                division=DIVISIONS[n % len(DIVISIONS)])
        for n in range(students)
    ], batch_size=1000)
    learners_analyze()  # what a SIECLE import does once committed


_worker: dict = {}


def _worker_init(database_url: str, seed: int, noise: float) -> None:
    _django(database_url)
    from campaigns.models import Campaign, CampaignSkill
    from content.models import Challenge

    assessment = Campaign.objects.select_related("organization").get(name=ASSESSMENT_NAME)
    collection = Campaign.objects.select_related("organization").get(name=COLLECTION_NAME)
    tops: dict[int, int] = defaultdict(int)
    for tube, level in CampaignSkill.objects.filter(campaign=assessment).values_list("skill__tube_id",
                                                                                      "skill__level"):
        tops[tube] = max(tops[tube], level)
    items = {challenge.pk: Item(challenge.skill.tube_id, challenge.skill.level, *_values(challenge))
             for challenge in Challenge.objects.filter(
                 skill_id__in=CampaignSkill.objects.filter(campaign=assessment).values("skill_id"))
             .select_related("skill")}
    _worker.update(assessment=assessment, collection=collection, tops=dict(sorted(tops.items())), items=items,
                   seed=seed, noise=noise)


def _student_fill(n: int) -> int:
    """Student n joins, takes the whole test, sends the results, then sends the profile; what is done already is
    not done again (an interrupted fill goes on). Returns the number of answers given."""
    from accounts.models import User
    from assessments.services import answer_record, assessment_start_for_participation
    from assessments.services.sharing import participation_share
    from campaigns.models import Participation
    from campaigns.services.joining import campaign_join
    from students.models import Learner

    assessment_campaign, collection = _worker["assessment"], _worker["collection"]
    learner = Learner.objects.get(organization=assessment_campaign.organization, ine=f"{n:09d}BR")
    user = (User.objects.filter(email=f"eleve{n}@bench.example").first()
            or User.objects.create_user(f"eleve{n}@bench.example", None, first_name=learner.first_name,
                                        last_name=learner.family_name))
    participation = campaign_join(campaign=assessment_campaign, user=user, first_name=learner.first_name,
                                  last_name=learner.family_name, birthdate=learner.birthdate,
                                  confirm=True).participation
    rng = random.Random(_worker["seed"] * 1_000_003 + n)
    true_levels = {tube: rng.randint(0, top) for tube, top in _worker["tops"].items()}
    answers = 0
    if participation.status != Participation.Status.SHARED:
        test = assessment_start_for_participation(participation_id=participation.pk, user=user)
        challenge_id = test.current_challenge_id
        while challenge_id is not None:
            item = _worker["items"][challenge_id]
            right = (item.level <= true_levels[item.tube]) != (rng.random() < _worker["noise"])
            outcome = answer_record(assessment_id=test.pk, user=user, challenge_id=challenge_id,
                                    value=item.right if right else item.wrong)
            answers += 1
            challenge_id = None if outcome.ended else outcome.assessment.current_challenge_id
        participation_share(participation_id=participation.pk, user=user)
    profile = campaign_join(campaign=collection, user=user, confirm=True).participation
    if profile.status != Participation.Status.SHARED:
        participation_share(participation_id=profile.pk, user=user)
    return answers


def _fill(database_url: str, students: int, jobs: int, seed: int, noise: float) -> None:
    from campaigns.models import Campaign, Participation

    campaign = Campaign.objects.get(name=ASSESSMENT_NAME)
    collection = Campaign.objects.get(name=COLLECTION_NAME)
    done = set(Participation.objects.filter(campaign=collection, status=Participation.Status.SHARED)
               .values_list("learner__ine", flat=True))
    todo = [n for n in range(students) if f"{n:09d}BR" not in done]
    print(f"Filling: {len(todo)} of {students} students to go ({jobs} processes) on « {campaign.name} »")
    if not todo:
        return
    from django.db import connections

    connections.close_all()  # the workers open their own
    started = time.perf_counter()
    answers = 0
    context = multiprocessing.get_context("spawn")
    with context.Pool(jobs, initializer=_worker_init, initargs=(database_url, seed, noise)) as pool:
        for count, given in enumerate(pool.imap_unordered(_student_fill, todo, chunksize=5), start=1):
            answers += given
            if count % 100 == 0 or count == len(todo):
                elapsed = time.perf_counter() - started
                print(f"  {count}/{len(todo)} students, {answers} answers, {elapsed:.0f} s "
                      f"(about {elapsed / count * (len(todo) - count):.0f} s to go)", flush=True)
    with connections["default"].cursor() as cursor:
        cursor.execute("ANALYZE")  # the tables were just filled, as after a real load


# --- Measuring ----------------------------------------------------------------------------------------------------

def _pages(campaign, participation_id: int) -> tuple[dict[str, str], list[str]]:
    """{URL name: path} of the campaign page's tabs and the student's page that exist, and the expected missing."""
    from django.urls import NoReverseMatch, get_resolver, reverse

    names = sorted(name for name in get_resolver().namespace_dict["campaign_results"][1].reverse_dict
                   if isinstance(name, str) and name not in NOT_PAGES)
    found = {}
    for name in names:
        for kwargs in ({"organization_id": campaign.organization_id, "campaign_id": campaign.pk},
                       {"organization_id": campaign.organization_id, "campaign_id": campaign.pk,
                        "participation_id": participation_id}):
            try:
                found[name] = reverse(f"campaign_results:{name}", kwargs=kwargs)
                break
            except NoReverseMatch:
                continue
    return found, [name for name in EXPECTED_PAGES if name not in found]


class _QueryCount:
    """Counts the SQL statements this process sends (the test client's request signals reset Django's own log)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        from django.db import connection

        self._wrapping = connection.execute_wrapper(self)
        self._wrapping.__enter__()
        return self

    def __exit__(self, *exc):
        return self._wrapping.__exit__(*exc)


def _time_page(client, path: str, repeat: int) -> dict:
    """Wall time (what the teacher waits for) and CPU time of this process (the wall time minus the waits: the
    database, and the other processes of a loaded machine)."""
    with _QueryCount() as queries:
        response = client.get(path)  # warm-up (and the query count)
    walls, cpus = [], []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return {"status": response.status_code, "median_ms": statistics.median(walls), "max_ms": max(walls),
            "cpu_ms": statistics.median(cpus), "queries": queries.count}


def _stream(client, path: str, *, memory: bool) -> dict:
    """Seconds (wall, CPU) to the last byte, bytes, rows, queries, and the peak traced memory while streaming (with
    ``memory``: tracemalloc slows everything down, so its run is not the timed one); the file is never held whole."""
    if memory:
        tracemalloc.start()
        tracemalloc.reset_peak()
    with _QueryCount() as queries:
        started, cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        if not response.streaming:
            tracemalloc.stop()
            raise SystemExit(f"bench_results: {path} answered HTTP {response.status_code}, not a streamed file")
        size = lines = 0
        for chunk in response.streaming_content:
            size += len(chunk)
            lines += chunk.count(b"\r\n")
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = 0
    if memory:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return {"wall": wall, "cpu": cpu, "bytes": size, "rows": lines - 1, "queries": queries.count, "peak": peak}


def _measure(repeat: int) -> int:
    from django.test import Client

    from accounts.models import User
    from accounts.services import user_accept_pix_orga_terms
    from campaigns.exports import common
    from campaigns.models import Campaign, Participation

    campaign = Campaign.objects.get(name=ASSESSMENT_NAME)
    collection = Campaign.objects.get(name=COLLECTION_NAME)
    counted = Participation.objects.filter(is_preview=False, is_current=True)
    sent = counted.filter(campaign=campaign, status=Participation.Status.SHARED).count()
    print(f"\n« {campaign.name} »: {counted.filter(campaign=campaign).count()} participants, {sent} sent; "
          f"« {collection.name} »: {counted.filter(campaign=collection, status='SHARED').count()} profiles sent")
    client = Client(raise_request_exception=False)  # a page that fails is reported, the others still measured
    teacher = User.objects.get(email="prof@bench.example")
    if not teacher.has_accepted_current_pix_orga_terms:
        user_accept_pix_orga_terms(user=teacher)  # terms newer than the fill
    client.force_login(teacher)
    student = counted.filter(campaign=campaign, status=Participation.Status.SHARED).order_by("pk").first()
    failures = []

    pages, missing = _pages(campaign, student.pk if student else 0)
    load = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"Machine: {os.cpu_count()} cores, load average {load} (1, 5, 15 min)")
    print(f"\nPages (wall time: median and max of {repeat} runs after a warm-up, floor {PAGE_FLOOR_MS} ms; "
          f"CPU time of this process: median)")
    if missing:
        print(f"  not there yet, skipped: {', '.join(missing)}")
    for name, path in pages.items():
        for label, query in (("", ""), (f" ?division={DIVISIONS[0]}", f"?division={DIVISIONS[0]}")):
            figures = _time_page(client, path + query, repeat)
            ok = figures["status"] == 200 and figures["median_ms"] < PAGE_FLOOR_MS
            failures += [] if ok else [f"{name}{label}"]
            print(f"  {name + label:<30} {figures['median_ms']:7.1f} ms (max {figures['max_ms']:6.1f}, "
                  f"CPU {figures['cpu_ms']:6.1f}) {figures['queries']:3d} queries  HTTP {figures['status']}"
                  f"{'' if ok else '  <- FLOOR MISSED'}")

    print(f"\nExports (time to the last byte: wall, and CPU of this process; floor {EXPORT_FLOOR_S:g} s; peak Python "
          f"memory while streaming, tracemalloc, in another run)")
    exports = [
        ("assessment", f"/organisations/{campaign.organization_id}/campagnes/{campaign.pk}/export.csv"),
        ("assessment (API)", f"/api/v1/campaigns/{campaign.pk}/export/"),
        ("profiles", f"/organisations/{collection.organization_id}/campagnes/{collection.pk}/export.csv"),
    ]

    def line(label: str, scope: str, chunk: int, timed: dict, traced: dict, ok: bool = True) -> None:
        print(f"  {label:<17} {scope:<15} {timed['rows']:5d} rows {timed['bytes'] / 1e6:5.2f} MB "
              f"{timed['wall'] * 1000:6.0f} ms (CPU {timed['cpu'] * 1000:5.0f})  peak {traced['peak'] / 1e6:5.2f} MB  "
              f"{timed['queries']} queries, chunks of {chunk}{'' if ok else '  <- FLOOR MISSED'}")

    chunk = common.CHUNK_SIZE
    for label, path in exports:
        _stream(client, path, memory=False)  # warm-up
        for scope, query in ((f"class {DIVISIONS[0]}", f"?division={DIVISIONS[0]}"), ("whole campaign", "")):
            timed = _stream(client, path + query, memory=False)
            ok = timed["wall"] < EXPORT_FLOOR_S
            failures += [] if ok else [f"{label} {scope}"]
            line(label, scope, chunk, timed, _stream(client, path + query, memory=True), ok)
    # The peak follows the chunk, not the rows: the whole campaign again, 250 rows at a time.
    common.CHUNK_SIZE = 250
    try:
        for label, path in exports[::2]:
            line(label, "whole campaign", 250, _stream(client, path, memory=False),
                 _stream(client, path, memory=True))
    finally:
        common.CHUNK_SIZE = chunk
    print("\nfloors:", "OK" if not failures else f"MISSED: {', '.join(failures)}")
    return 1 if failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=2500)
    parser.add_argument("--jobs", type=int, default=2, help="processes filling the database")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--noise", type=float, default=0.1, help="probability that an answer is flipped")
    parser.add_argument("--repeat", type=int, default=5, help="measured runs of each page")
    parser.add_argument("--db-name", default=DB_NAME, help=f"the database (default {DB_NAME})")
    parser.add_argument("--reuse", action="store_true",
                        help="use the database filled before (and finish its filling if it was interrupted)")
    parser.add_argument("--no-fill", action="store_true",
                        help="with --reuse: measure what is there, without finishing an interrupted fill")
    args = parser.parse_args()

    server = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    database_url = f"{server}/{args.db_name}"
    if not args.reuse:
        _psql(server, f"DROP DATABASE IF EXISTS {args.db_name}")
        _psql(server, f"CREATE DATABASE {args.db_name}")
    # With --reuse, migrations added since the fill are applied; the data stays.
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=REPO, env=_env(database_url),
                   check=True)
    _django(database_url)
    from campaigns.models import Campaign

    if not Campaign.objects.filter(name=ASSESSMENT_NAME).exists():
        _setup(database_url, args.students)
    if not (args.reuse and args.no_fill):
        _fill(database_url, args.students, args.jobs, args.seed, args.noise)
    return _measure(args.repeat)


if __name__ == "__main__":
    sys.exit(main())

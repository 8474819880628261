"""Taking a test: start (or resume) it, serve a challenge, start its timer, record an answer, report a problem.

One answer is one transaction with a constant number of queries, whatever the bank's size and the student's
history: lock the assessment row and read the current release with it (the in-memory skill set, which also holds
what correcting needs of each challenge and what the next one shows), update the tube's knowledge in SQL, read the
student's knowledge (one row per tube), pick the next challenge from the skill set, insert the answer and update the
assessment (and the participation's progress). On PostgreSQL that is three statements on one cursor: the locked
read, the knowledge's UPDATE and read, the answer's INSERT with the UPDATEs.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.utils import timezone

from accounts.models import User
from assessments import engine
from assessments.correction import AnswerStatus, ChallengeKey, InvalidAnswer, answer_evaluate, answer_normalize
from assessments.errors import (
    AssessmentEnded,
    AssessmentNotFound,
    CampaignWithoutTargetProfile,
    ChallengeAlreadyAnswered,
    ChallengeNotServed,
    CompetenceNotFound,
    InvalidAnswerValue,
    NotAnAssessmentCampaign,
    ParticipationNotCurrent,
    RetryNotYet,
)
from assessments.knowledge import (
    CHECKPOINT_EVERY,
    fresh_after,
    knowledge_from_rows,
    knowledge_read,
    knowledge_select_sql,
    knowledge_select_text,
    placement_retry_at,
)
from assessments.models import Answer, Assessment, ChallengeReport, KnowledgeState
from assessments.results import progress
from assessments.skillsets import (
    ChallengeFacts,
    ChallengeShown,
    SkillSet,
    challenge_shown,
    skill_set_for_campaign,
    skill_set_for_competence,
)
from campaigns.errors import CampaignArchived, ParticipationAlreadyShared
from campaigns.models import Campaign, Participation
from campaigns.services.participations import participation_for_owner
from content.models import Challenge, Competence, Release
from organizations.models import Organization
from pixorga.french import plural
from pixorga.sql import column_converters, instance_from_row
from pixorga.sql import execute as sql_execute

logger = logging.getLogger(__name__)

REPORT_TEXT_MAX = 10_000


def _cursor(cursor=None):
    """The cursor given (an answer runs its statements on one cursor), else a new one, closed after use."""
    return contextlib.nullcontext(cursor) if cursor is not None else connections[DEFAULT_DB_ALIAS].cursor()


def challenge_key(challenge: Challenge) -> ChallengeKey:
    return ChallengeKey(type=challenge.type, proposals=challenge.proposals, solution=challenge.solution,
                        t1=challenge.t1, t2=challenge.t2, t3=challenge.t3, format=challenge.format)


def _skill_set(assessment: Assessment) -> SkillSet:
    """The test's skill set; with the campaign and release read with the locked row when they were."""
    release = getattr(assessment, "test_release", None)
    if assessment.type == Assessment.Type.CAMPAIGN:
        campaign_id = getattr(assessment, "test_campaign_id", None) or assessment.participation.campaign_id
        return skill_set_for_campaign(campaign_id, release=release)
    return skill_set_for_competence(assessment.competence_id, release=release)


def _pick(assessment: Assessment, skill_set: SkillSet, knowledge) -> engine.Pick | None:
    history = assessment.history or []
    return engine.next_challenge(
        skills=skill_set.candidates, knowledge=knowledge,
        direct=[(level, ok) for level, ok, _challenge, _timed in history],
        last_timed=bool(history and history[-1][3]), seed=assessment.pk,
        answered=frozenset(challenge for _level, _ok, challenge, _timed in history),
    )


def _begin(assessment: Assessment, skill_set: SkillSet, now) -> Assessment:
    """Prepare the knowledge rows of the tubes (so an answer is one UPDATE) and serve the first challenge."""
    KnowledgeState.objects.bulk_create(
        [KnowledgeState(user_id=assessment.user_id, tube_id=tube_id) for tube_id in skill_set.tube_ids],
        ignore_conflicts=True,
    )
    knowledge = knowledge_read(user_id=assessment.user_id, since=fresh_after(assessment))
    pick = _pick(assessment, skill_set, knowledge)
    _serve(assessment, pick, now)
    assessment.save(update_fields=["current_challenge", "served_at", "timer_started_at", "state", "completed_at"])
    _progress_keep(assessment, skill_set, knowledge)
    return assessment


def _progress_keep(assessment: Assessment, skill_set: SkillSet, knowledge) -> None:
    """The school reads a campaign test's progress on its participation (tested ÷ campaign skills; 1 at the end)."""
    change = _progress_change(assessment, skill_set, knowledge)
    if change is not None:
        _rows_update(change)


def _progress_change(assessment: Assessment, skill_set: SkillSet, knowledge) -> tuple | None:
    """``_progress_keep``'s UPDATE, for ``_rows_update``; None for a placement test (no participation)."""
    if assessment.type != Assessment.Type.CAMPAIGN:
        return None
    if assessment.is_completed:
        value = 1.0
    else:
        value = round(progress(skills=skill_set.skills,
                               knowledge={tube: (k.floor, k.ceiling) for tube, k in knowledge.items()}), 3)
    return Participation, assessment.participation_id, {"progress": value}


@dataclass(frozen=True, slots=True)
class Appended:
    """A value of ``_rows_update``: ``item`` added at the end of the JSON list in that column, by the database (an
    answer adds one entry to its test's history, which is not sent whole on every answer)."""

    item: object


def _rows_update(*changes: tuple, cursor=None) -> None:
    """``UPDATE … SET … WHERE id = pk`` for each (model, pk, values), written directly, each value prepared by its
    field as the ORM would (JSON, dates; ``Appended`` adds to a JSON list): what an answer updates costs the
    database's work, not the ORM's compilation of an UPDATE. On PostgreSQL the UPDATEs are one statement (each but
    the last in a CTE)."""
    sql, fields, params = _rows_update_parts(changes)
    with _cursor(cursor) as running:
        if isinstance(sql, str):
            sql_execute(running, sql, params)
        else:  # one statement per UPDATE
            offset = 0
            for text, model_fields in zip(sql, fields, strict=True):
                count = len(model_fields) + 1
                sql_execute(running, text, params[offset:offset + count])
                offset += count


def _rows_update_parts(changes) -> tuple[str | tuple[str, ...], tuple, list]:
    """``_rows_update``'s statement text(s), the fields of each UPDATE and the parameters."""
    shapes = tuple((model, tuple((name, type(value) is Appended) for name, value in values.items()))
                   for model, _pk, values in changes)
    database = connections[DEFAULT_DB_ALIAS]  # the connection itself: ``connection`` looks it up on each use
    sql, fields = _rows_update_text(database.vendor, shapes)
    postgresql = database.vendor == "postgresql"
    params = []
    for (_model, pk, values), model_fields in zip(changes, fields, strict=True):
        for field in model_fields:
            value = values[field.name]
            if type(value) is Appended:  # PostgreSQL: list || [item]; SQLite: json_insert(list, '$[#]', item)
                value = [value.item] if postgresql else value.item
            params.append(field.get_db_prep_save(value, database))
        params.append(pk)
    return sql, fields, params


def _rows_write(instance, *changes: tuple, cursor=None) -> None:
    """``_row_insert(instance)`` and ``_rows_update(*changes)``: on PostgreSQL one statement (the INSERT in a CTE,
    its new id returned by the last UPDATE), one round trip less on every answer; elsewhere one after the other."""
    database = connections[DEFAULT_DB_ALIAS]
    if database.vendor != "postgresql":
        _row_insert(instance, cursor=cursor)
        _rows_update(*changes, cursor=cursor)
        return
    insert_sql, insert_fields, _returning = _row_insert_text(database.vendor, type(instance))
    update_sql, _fields, update_params = _rows_update_parts(changes)
    with _cursor(cursor) as running:
        sql_execute(running, _rows_write_text(insert_sql, update_sql),
                    [*_insert_params(instance, insert_fields, database), *update_params])
        row = running.fetchone()
    if row is None:
        raise RuntimeError("the last row to update was not found")
    _saved(instance, row[0], database)


@functools.lru_cache(maxsize=16)
def _rows_write_text(insert_sql: str, update_sql: str) -> str:
    """``_rows_write``'s statement on PostgreSQL: ``insert_sql`` (it returns the new id) then ``update_sql``."""
    if update_sql.startswith("WITH "):  # the UPDATEs already start with CTEs: the INSERT is one more
        updates = update_sql.removeprefix("WITH ")
        return f"WITH inserted AS ({insert_sql}), {updates} RETURNING (SELECT id FROM inserted)"
    return f"WITH inserted AS ({insert_sql}) {update_sql} RETURNING (SELECT id FROM inserted)"


@functools.lru_cache(maxsize=64)
def _rows_update_text(vendor: str, shapes: tuple) -> tuple[str | tuple[str, ...], tuple]:
    """``_rows_update``'s statement for these (model, ((field name, appended), …)): one text on PostgreSQL (CTEs),
    else one text per UPDATE; and the fields of each, in the order of their parameters (the pk after each model's
    fields)."""
    quote = connection.ops.quote_name
    statements, fields = [], []
    for model, names in shapes:
        model_fields = tuple(model._meta.get_field(name) for name, _appended in names)
        assignments = []
        for field, (_name, appended) in zip(model_fields, names, strict=True):
            column = quote(field.column)
            if not appended:
                assignments.append(f"{column} = %s")
            elif vendor == "postgresql":
                assignments.append(f"{column} = {column} || %s")
            else:
                assignments.append(f"{column} = json_insert({column}, '$[#]', json(%s))")
        statements.append(f"UPDATE {quote(model._meta.db_table)} SET {', '.join(assignments)} "
                          f"WHERE {quote('id')} = %s")
        fields.append(model_fields)
    if vendor == "postgresql":
        *first, last = statements
        ctes = ", ".join(f"u{number} AS ({sql})" for number, sql in enumerate(first))
        return (f"WITH {ctes} {last}" if first else last), tuple(fields)
    return tuple(statements), tuple(fields)


def _row_insert(instance, *, cursor=None) -> None:
    """``INSERT … RETURNING id`` of a new row written directly, each value prepared by its field as the ORM would:
    one answer is inserted on every « Je valide », and the ORM's compilation of an INSERT cost more than the
    database's work. The instance is then as if saved (its ``pk`` set); no signal is sent (none is connected)."""
    model = type(instance)
    database = connections[DEFAULT_DB_ALIAS]  # the connection itself: ``connection`` looks it up on each use
    sql, fields, returning = _row_insert_text(database.vendor, model)
    with _cursor(cursor) as running:
        sql_execute(running, sql, _insert_params(instance, fields, database))
        pk = running.fetchone()[0] if returning else running.lastrowid
    _saved(instance, pk, database)


def _insert_params(instance, fields, database) -> list:
    """The values of a new row's fields, each prepared by its field as the ORM would."""
    return [field.get_db_prep_save(field.pre_save(instance, add=True), database) for field in fields]


def _saved(instance, pk, database) -> None:
    """The instance as if the ORM had saved it, with its new ``pk``."""
    instance.pk = pk
    instance._state.adding = False
    instance._state.db = database.alias


@functools.lru_cache(maxsize=16)
def _row_insert_text(vendor: str, model) -> tuple[str, tuple, bool]:
    """``_row_insert``'s statement for this model, its fields in the order of the parameters, and whether it
    returns the new id (else the driver's ``lastrowid`` gives it)."""
    quote = connection.ops.quote_name
    fields = tuple(field for field in model._meta.concrete_fields if not field.primary_key)
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    returning = connection.features.can_return_columns_from_insert
    if returning:
        sql = f"{sql} RETURNING {quote(model._meta.pk.column)}"
    return sql, fields, returning


def _serve(assessment: Assessment, pick: engine.Pick | None, now) -> None:
    assessment.timer_started_at = None
    assessment.served_at = now
    if pick is None:
        assessment.current_challenge = None
        assessment.state = Assessment.State.COMPLETED
        assessment.completed_at = now
    else:
        assessment.current_challenge_id = pick.challenge_id


@transaction.atomic
def assessment_start_for_participation(*, participation_id: int, user: User) -> Assessment:
    """« Je commence » on an assessment campaign: its test, created once, or the one in progress."""
    participation = participation_for_owner(user=user, participation_id=participation_id)
    campaign = participation.campaign
    if campaign.type != Campaign.Type.ASSESSMENT:
        raise NotAnAssessmentCampaign()
    if participation.status == Participation.Status.SHARED:
        raise ParticipationAlreadyShared("Vos résultats sont déjà envoyés : retrouvez-les dans « Mes parcours ».")
    existing = Assessment.objects.filter(participation=participation).first()
    if existing is not None:
        return existing
    if campaign.target_profile_id is None:
        raise CampaignWithoutTargetProfile()
    if campaign.is_archived or campaign.organization.is_archived:
        raise CampaignArchived()
    if not participation.is_current:
        raise ParticipationNotCurrent()
    # The participation's row lock makes two « Je commence » at once create one test.
    Participation.objects.select_for_update().filter(pk=participation.pk).first()
    existing = Assessment.objects.filter(participation=participation).first()
    if existing is not None:
        return existing
    assessment = Assessment.objects.create(user=user, type=Assessment.Type.CAMPAIGN, participation=participation)
    assessment.participation = participation
    _begin(assessment, skill_set_for_campaign(campaign.pk), timezone.now())
    logger.info("assessment started: assessment=%s participation=%s", assessment.pk, participation.pk)
    return assessment


@transaction.atomic
def assessment_start_for_competence(*, user: User, competence_code: str) -> Assessment:
    """« Commencer » / « Reprendre » / « Retenter » a placement test on one competence of « Mon profil »."""
    competence = Competence.objects.filter(code=competence_code).first()
    if competence is None:
        raise CompetenceNotFound()
    latest = (Assessment.objects.filter(user=user, type=Assessment.Type.PLACEMENT, competence=competence)
              .order_by("-created_at", "-pk").first())
    if latest is not None and latest.state == Assessment.State.STARTED:
        return latest
    now = timezone.now()
    retry_at = placement_retry_at(latest)
    if retry_at is not None and now < retry_at:
        local = timezone.localtime(retry_at)
        raise RetryNotYet(f"Vous pourrez retenter cette compétence à partir du {local:%d/%m/%Y à %H:%M} : "
                          f"les questions échouées vous seront alors reposées.")
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(user=user, type=Assessment.Type.PLACEMENT, competence=competence)
    except IntegrityError:  # a second click created it meanwhile
        return Assessment.objects.get(user=user, type=Assessment.Type.PLACEMENT, competence=competence,
                                      state=Assessment.State.STARTED)
    _begin(assessment, skill_set_for_competence(competence.pk), now)
    logger.info("placement started: assessment=%s competence=%s", assessment.pk, competence.code)
    return assessment


# What serving or answering reads of a test's campaign and school (whether they were archived); their other
# columns are deferred. These reads run for every question of every student: fewer columns, fewer values to build.
_CAMPAIGN_OPEN_FIELDS = ("participation__campaign", "participation__campaign__archived_at",
                         "participation__campaign__organization", "participation__campaign__organization__archived_at")
# What the API shows of the challenge served (never its solution).
_CHALLENGE_SHOWN_FIELDS = ("id", "type", "instruction", "proposals", "timer", "focused", "illustration",
                           "illustration_alt")


def _assessment_fields() -> list[str]:
    return [field.name for field in Assessment._meta.concrete_fields]


def _locked_sql() -> str:
    """The test's row locked, whether its campaign or school is archived, its campaign and the current release, in
    one statement written in SQL: every answer of every student runs it, and the ORM's compilation of the
    equivalent query (three joins, deferred columns) cost more than the database's work."""
    quote = connection.ops.quote_name
    columns = ", ".join(f"a.{quote(field.column)}" for field in Assessment._meta.concrete_fields)
    lock = " FOR UPDATE OF a" if connection.features.has_select_for_update_of else ""
    return (
        f"SELECT {columns}, p.{quote('campaign_id')} AS test_campaign_id, "
        f"(c.{quote('archived_at')} IS NOT NULL OR o.{quote('archived_at')} IS NOT NULL) AS test_campaign_closed, "
        f"(SELECT MAX({quote('version')}) FROM {quote(Release._meta.db_table)}) AS test_release "
        f"FROM {quote(Assessment._meta.db_table)} a "
        f"LEFT JOIN {quote(Participation._meta.db_table)} p ON p.{quote('id')} = a.{quote('participation_id')} "
        f"LEFT JOIN {quote(Campaign._meta.db_table)} c ON c.{quote('id')} = p.{quote('campaign_id')} "
        f"LEFT JOIN {quote(Organization._meta.db_table)} o ON o.{quote('id')} = c.{quote('organization_id')} "
        f"WHERE a.{quote('id')} = %s AND a.{quote('user_id')} = %s{lock}"
    )


def _locked_assessment(*, assessment_id: int, user: User, cursor=None) -> Assessment:
    """The test's row, locked, with ``test_campaign_id``, ``test_campaign_closed`` (its campaign or school archived;
    read by ``assessment_check_open``) and ``test_release`` (the current release, for the skill set); the challenge
    served comes from the skill set."""
    sql, converters = _locked_query()
    with _cursor(cursor) as running:
        sql_execute(running, sql, [assessment_id, user.pk])
        row = running.fetchone()
    if row is None:
        raise AssessmentNotFound()
    split = len(converters)
    assessment = instance_from_row(Assessment, row[:split], converters)
    assessment.test_campaign_id, closed, release = row[split:]
    assessment.test_campaign_closed = bool(closed)
    assessment.test_release = release or 0
    return assessment


@functools.cache
def _locked_query() -> tuple[str, tuple]:
    return _locked_sql(), column_converters(Assessment, Assessment._meta.concrete_fields)


def challenge_serve(*, assessment_id: int, user: User) -> tuple[Assessment, Challenge]:
    """The API's « serve »: the test's current challenge (its solution is not even read), whose time starts now when
    it is timed (once). Raises ``AssessmentNotFound``, ``AssessmentEnded``, ``CampaignArchived`` (an archived
    campaign's question cannot be answered: it is not served)."""
    try:
        assessment = (
            Assessment.objects.select_related("participation__campaign__organization", "current_challenge")
            .only(*_assessment_fields(), *_CAMPAIGN_OPEN_FIELDS,
                  *(f"current_challenge__{name}" for name in _CHALLENGE_SHOWN_FIELDS))
            .get(pk=assessment_id, user=user)
        )
    except Assessment.DoesNotExist:
        raise AssessmentNotFound() from None
    if assessment.current_challenge_id is None:
        raise AssessmentEnded()
    assessment_check_open(assessment)
    challenge = assessment.current_challenge
    if challenge.timer is not None:
        challenge_timer_start(assessment_id=assessment.pk, user=user, challenge_id=challenge.pk)
    return assessment, challenge


def assessment_check_open(assessment: Assessment) -> None:
    """``AssessmentEnded`` once over; ``CampaignArchived`` when its campaign (or school) was archived meanwhile."""
    if assessment.is_completed:
        raise AssessmentEnded()
    if assessment.type == Assessment.Type.CAMPAIGN:
        closed = getattr(assessment, "test_campaign_closed", None)  # read with the locked row (_locked_assessment)
        if closed is None:
            campaign = assessment.participation.campaign
            closed = campaign.is_archived or campaign.organization.is_archived
        if closed:
            raise CampaignArchived()


@transaction.atomic
def challenge_timer_start(*, assessment_id: int, user: User, challenge_id: str) -> Assessment:
    """« Commencer » on a timed challenge: its time starts now, once (a reload does not give more time)."""
    assessment = _locked_assessment(assessment_id=assessment_id, user=user)
    assessment_check_open(assessment)
    if assessment.current_challenge_id != challenge_id:
        raise ChallengeNotServed()
    if assessment.timer_started_at is None:
        assessment.timer_started_at = timezone.now()
        assessment.save(update_fields=["timer_started_at"])
    return assessment


def timer_deadline(assessment: Assessment) -> datetime.datetime | None:
    challenge = assessment.current_challenge
    if challenge is None or challenge.timer is None or assessment.timer_started_at is None:
        return None
    return assessment.timer_started_at + datetime.timedelta(seconds=challenge.timer)


@dataclass(frozen=True, slots=True, kw_only=True)
class AnswerOutcome:
    answer: Answer
    status: str
    checkpoint: bool
    ended: bool
    assessment: Assessment
    next_challenge: ChallengeShown | None = None  # with ``serve_next``: the challenge served now


def _knowledge_apply(*, user_id: int, tube_id: int, level: int, ok: bool, now, since, cursor=None) -> dict:
    """The tube's floor and ceiling after one answer, computed by the database (two tests of one account at once
    cannot lose an update); returns the account's knowledge after it, as ``knowledge_read`` gives it.

    Written in SQL (the same on PostgreSQL and SQLite): the ORM's CASE expressions cost more to build than the
    UPDATE costs to run, on every answer. Every SET reads the row as it was before the UPDATE. On PostgreSQL the
    UPDATE and the read are one statement (the UPDATE in a CTE returning the tube's new row, the other tubes read
    beside it); elsewhere the read follows the UPDATE.
    """
    database = connections[DEFAULT_DB_ALIAS]  # the connection itself: ``connection`` looks it up on each use
    now_value = database.ops.adapt_datetimefield_value(now)
    if ok:
        params = [now_value, level, level, level, level]
    else:
        since_value = database.ops.adapt_datetimefield_value(since)
        params = [now_value, level, level, since_value, level, level, level, since_value, now_value]
    params += [user_id, tube_id]
    sql = _knowledge_update_text(database.vendor, ok, since is not None)
    if database.vendor == "postgresql":
        _others, others_params = knowledge_select_sql(user_id=user_id, since=since, except_tube=tube_id)
        _changed, changed_params = knowledge_select_sql(user_id=user_id, since=since, table="changed")
        params = [*params, *others_params, *changed_params]
        for _attempt in range(2):
            with _cursor(cursor) as running:
                sql_execute(running, sql, params)
                knowledge = knowledge_from_rows(running.fetchall())
            if str(tube_id) in knowledge:
                return knowledge
            _knowledge_row_create(user_id=user_id, tube_id=tube_id)
        raise RuntimeError("the knowledge row of the tube was created but not updated")
    with _cursor(cursor) as running:
        sql_execute(running, sql, params)
        updated = running.rowcount
    if not updated:
        _knowledge_row_create(user_id=user_id, tube_id=tube_id)
        with _cursor(cursor) as running:
            sql_execute(running, sql, params)
    return knowledge_read(user_id=user_id, since=since)


@functools.lru_cache(maxsize=8)
def _knowledge_update_text(vendor: str, ok: bool, dated: bool) -> str:
    """``_knowledge_apply``'s statement (built once: every answer runs it). Parameters: now, the CASE values below,
    the account, the tube; on PostgreSQL then those of the two reads (``knowledge_select_sql``)."""
    quote = connection.ops.quote_name
    table, floor, ceiling, ceiling_at = (quote(name) for name in (KnowledgeState._meta.db_table, "floor", "ceiling",
                                                                  "ceiling_at"))
    if ok:
        # Levels up to this one are validated; a ceiling at or below it no longer holds.
        changes = (f"{floor} = CASE WHEN {floor} < %s THEN %s ELSE {floor} END, "
                   f"{ceiling} = CASE WHEN {ceiling} <= %s THEN NULL ELSE {ceiling} END, "
                   f"{ceiling_at} = CASE WHEN {ceiling} <= %s THEN NULL ELSE {ceiling_at} END")
    else:
        # A failure above the floor lowers the ceiling, or replaces one that is too old to count.
        replaced = f"{floor} < %s AND ({ceiling} IS NULL OR {ceiling} > %s OR {ceiling_at} < %s)"
        changes = (f"{ceiling} = CASE WHEN {replaced} THEN %s ELSE {ceiling} END, "
                   f"{ceiling_at} = CASE WHEN {replaced} THEN %s ELSE {ceiling_at} END")
    sql = (f"UPDATE {table} SET {quote('updated_at')} = %s, {changes} "
           f"WHERE {quote('user_id')} = %s AND {quote('tube_id')} = %s")
    if vendor == "postgresql":
        others = knowledge_select_text(vendor, dated, None, True)
        changed = knowledge_select_text(vendor, dated, "changed", False)
        sql = (f"WITH changed AS ({sql} RETURNING {quote('tube_id')}, {floor}, {ceiling}, {ceiling_at}) "
               f"{others} UNION ALL {changed}")
    return sql


def _knowledge_row_create(*, user_id: int, tube_id: int) -> None:
    """The row is prepared when the test starts; a tube added later gets its row here."""
    KnowledgeState.objects.bulk_create([KnowledgeState(user_id=user_id, tube_id=tube_id)], ignore_conflicts=True)


def _served_challenge(assessment: Assessment, skill_set: SkillSet) -> ChallengeFacts:
    """The challenge served, from the skill set; read from the database only when a release took it out of the
    test since it was served (a placement test's challenge archived)."""
    facts = skill_set.challenges.get(assessment.current_challenge_id)
    if facts is None:
        facts = ChallengeFacts.of(Challenge.objects.select_related("skill").get(pk=assessment.current_challenge_id))
    return facts


def _value_for(challenge: Challenge | ChallengeFacts, value):
    try:
        return answer_normalize(challenge=challenge_key(challenge), value=value)
    except InvalidAnswer as error:
        raise InvalidAnswerValue(str(error)) from None


@transaction.atomic
def answer_record(*, assessment_id: int, user: User, challenge_id: str, value=None,
                  skip: bool = False, serve_next: bool = False) -> AnswerOutcome:
    """« Je valide » / « Je passe » on the challenge served. Raises ``ChallengeAlreadyAnswered`` for a second
    click, ``ChallengeNotServed`` for any other challenge, ``AssessmentEnded``, ``CampaignArchived``,
    ``InvalidAnswerValue`` (nothing recorded: the student completes the answer).

    ``serve_next`` (the API, which sends the next challenge with the answer's outcome): the outcome carries the
    next challenge as shown, and a timed one's time starts now, as when it is served alone."""
    with _cursor() as cursor:  # one cursor for the answer's statements
        assessment = _locked_assessment(assessment_id=assessment_id, user=user, cursor=cursor)
        if assessment.current_challenge_id is None or assessment.current_challenge_id != challenge_id:
            if Answer.objects.filter(assessment=assessment, challenge_id=challenge_id).exists():
                raise ChallengeAlreadyAnswered()
            assessment_check_open(assessment)
            raise ChallengeNotServed()
        assessment_check_open(assessment)
        skill_set = _skill_set(assessment)
        challenge = _served_challenge(assessment, skill_set)
        now = timezone.now()
        normalized = None if skip else _value_for(challenge, value)
        late = False
        if challenge.timer is not None and not skip:
            started = assessment.timer_started_at or assessment.served_at or now
            grace = datetime.timedelta(seconds=challenge.timer + settings.ASSESSMENT_TIMER_GRACE_SECONDS)
            late = now > started + grace
        correction = answer_evaluate(challenge=challenge_key(challenge), value=normalized, skipped=skip, late=late)
        ok = correction.status == AnswerStatus.OK
        index = assessment.answers_count + 1
        served = assessment.timer_started_at or assessment.served_at
        answer = Answer(
            assessment=assessment, user_id=user.pk, challenge_id=challenge.pk, skill_id=challenge.skill_id, index=index,
            value=normalized, status=str(correction.status), fields=correction.fields,
            time_spent=(now - served).total_seconds() if served else None, created_at=now,
        )
        since = fresh_after(assessment)
        knowledge = _knowledge_apply(user_id=user.pk, tube_id=challenge.tube_id, level=challenge.level, ok=ok, now=now,
                                     since=since, cursor=cursor)

        entry = [challenge.level, ok, challenge.pk, challenge.timer is not None]
        assessment.history = [*(assessment.history or []), entry]
        assessment.answers_count = index
        pick = _pick(assessment, skill_set, knowledge)
        _serve(assessment, pick, now)
        shown = None
        if serve_next and pick is not None:
            shown = challenge_shown(pick.challenge_id, skill_set=skill_set)
            if shown.timer is not None:
                assessment.timer_started_at = now
        changes = [(Assessment, assessment.pk, {
            "history": Appended(entry), "answers_count": assessment.answers_count,
            "current_challenge": assessment.current_challenge_id, "served_at": assessment.served_at,
            "timer_started_at": assessment.timer_started_at, "state": assessment.state,
            "completed_at": assessment.completed_at,
        })]
        progress_change = _progress_change(assessment, skill_set, knowledge)
        if progress_change is not None:
            changes.append(progress_change)
        _rows_write(answer, *changes, cursor=cursor)  # the answer's INSERT with the UPDATEs
        ended = pick is None
        logger.info("answer recorded: assessment=%s index=%s ended=%s", assessment.pk, index, ended)
        return AnswerOutcome(answer=answer, status=str(correction.status), assessment=assessment, ended=ended,
                             checkpoint=ended or index % CHECKPOINT_EVERY == 0, next_challenge=shown)


@transaction.atomic
def challenge_report(*, assessment_id: int, user: User, challenge_id: str, category: str,
                     text: str = "") -> ChallengeReport:
    """« Signaler un problème avec la question »: on a challenge of this test (served or answered)."""
    assessment = Assessment.objects.filter(pk=assessment_id, user=user).first()
    if assessment is None:
        raise AssessmentNotFound()
    if category not in ChallengeReport.Category.values:
        raise InvalidAnswerValue("Choisissez le type de problème.")
    seen = assessment.current_challenge_id == challenge_id or Answer.objects.filter(
        assessment=assessment, challenge_id=challenge_id).exists()
    if not seen:
        raise ChallengeNotServed()
    text = (text or "").strip()
    if len(text) > REPORT_TEXT_MAX:
        raise InvalidAnswerValue(f"Votre message ne peut pas dépasser {plural(REPORT_TEXT_MAX, 'caractère')}.")
    report = ChallengeReport.objects.create(challenge_id=challenge_id, assessment=assessment, user=user,
                                            category=category, text=text)
    logger.info("challenge reported: challenge=%s category=%s", challenge_id, category)
    return report

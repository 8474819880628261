"""Reads of a campaign's activity, results and analysis for the school's pages and the API.

Every figure comes from what was stored when results were sent (the ``Participation`` snapshot fields and JSON, the
``ParticipationCompetenceResult`` / ``ParticipationTubeResult`` rows), never from live answers, and is aggregated in
SQL: the number of queries of each read is fixed, whatever the number of participants and of competences; the rows
read are bounded by the content (competences, tubes, levels, stages, days, classes), not by the participants, except
the one page of a list.

Rows read: « current » participations (``is_current``) for the activity, the student's latest sending
(``is_latest_shared``) for results, averages and analysis; previews never. The caller has checked that the user may
see the campaign. ``divisions`` (the class filter) applies to every read.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.http import Http404
from django.utils import timezone

from campaigns import analysis
from campaigns.models import (
    Campaign,
    CampaignSkill,
    Participation,
    ParticipationCompetenceResult,
    ParticipationTubeResult,
)
from content.models import Badge, Competence, Stage, Tube
from students.names import name_fold
from students.selectors.learners import division_sort_key
from pixorga.collation import PARTICIPANT_NAMES, french_ordering

SHARED = Participation.Status.SHARED
RESULTS_PER_PAGE = 50


# --- Row sets --------------------------------------------------------------------------------------------------

def _wanted(divisions: list[str] | None) -> list[str]:
    return [division for division in (divisions or []) if division]


def _by_divisions(rows: QuerySet, divisions: list[str] | None, prefix: str = "") -> QuerySet:
    wanted = _wanted(divisions)
    return rows.filter(**{f"{prefix}learner__division__in": wanted}) if wanted else rows


def _by_name(rows: QuerySet[Participation], search: str | None) -> QuerySet[Participation]:
    for word in name_fold(search).split():
        # A learner's search_key is already folded; without a learner, the account's names are searched.
        rows = rows.filter(Q(learner__search_key__contains=word)
                           | Q(learner__isnull=True) & (Q(user__last_name__icontains=word)
                                                        | Q(user__first_name__icontains=word)))
    return rows


def latest_shared(*, campaign: Campaign, divisions: list[str] | None = None) -> QuerySet[Participation]:
    """Each student's latest sent participation (one row per student), previews left out."""
    rows = Participation.objects.filter(campaign=campaign, is_preview=False, is_latest_shared=True, status=SHARED)
    return _by_divisions(rows, divisions)


def _latest_rows_of(model, *, campaign: Campaign, divisions: list[str] | None):
    rows = model.objects.filter(participation__campaign=campaign, participation__is_preview=False,
                                participation__is_latest_shared=True, participation__status=SHARED)
    return _by_divisions(rows, divisions, prefix="participation__")


def results_count(*, campaign: Campaign, divisions: list[str] | None = None) -> int:
    """« Résultats (n) »: students who sent results (their latest sending), in the chosen classes."""
    return latest_shared(campaign=campaign, divisions=divisions).count()


# --- Activité --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Activity:
    participants: int  # current participations
    shared: int  # students with a sent result (latest sending)
    by_status: dict[str, int]
    days: list[analysis.Day]
    today: datetime.date


def activity_read(*, campaign: Campaign, divisions: list[str] | None = None) -> Activity:
    """Cards, statuses and the cumulative days (three queries)."""
    base = _by_divisions(Participation.objects.filter(campaign=campaign, is_preview=False), divisions)
    current = Q(is_current=True)
    latest = Q(is_latest_shared=True, status=SHARED)
    totals = base.filter(current | latest).aggregate(
        participants=Count("pk", filter=current),
        shared=Count("pk", filter=latest),
        **{status: Count("pk", filter=current & Q(status=status)) for status in Participation.Status.values},
    )
    started = {row["day"]: row["count"] for row in base.filter(current).annotate(day=TruncDate("created_at"))
               .order_by().values("day").annotate(count=Count("pk"))}
    sent = {row["day"]: row["count"] for row in base.filter(latest).annotate(day=TruncDate("shared_at"))
            .order_by().values("day").annotate(count=Count("pk"))}
    return Activity(participants=totals["participants"], shared=totals["shared"],
                    by_status={status: totals[status] for status in Participation.Status.values},
                    days=analysis.cumulative_days(started, sent), today=timezone.localdate())


# --- Résultats -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class StageOption:
    reached: int  # stars (0: the zero stage)
    title: str  # the teacher's title when there is one


@dataclass(frozen=True)
class BadgeOption:
    key: str
    title: str


def stage_options(*, campaign: Campaign) -> list[StageOption]:
    """The target profile's stages in star order (a profile's stages are all by threshold or all by level, and a
    higher level always gives a higher or equal threshold)."""
    if campaign.target_profile_id is None:
        return []
    stages = sorted(Stage.objects.filter(target_profile_id=campaign.target_profile_id),
                    key=lambda stage: (stage.threshold if stage.threshold is not None else stage.level, stage.pk))
    return [StageOption(reached=index, title=stage.prescriber_title or stage.title)
            for index, stage in enumerate(stages)]


def badge_options(*, campaign: Campaign) -> list[BadgeOption]:
    if campaign.target_profile_id is None:
        return []
    return [BadgeOption(key=key, title=title) for key, title in
            Badge.objects.filter(target_profile_id=campaign.target_profile_id).order_by("pk")
            .values_list("key", "title")]


def _badge_obtained(key: str, slots: int) -> Q:
    """The snapshot's badges are a list; a badge is obtained when one of its items has this key and obtained =
    true. ``slots`` = how many badges the profile has: the list's positions to look at, plus two for a badge
    removed from the profile since an older snapshot was taken (it keeps its place in that list)."""
    condition = Q(pk__in=[])
    for index in range(max(slots, 1) + 2):
        condition |= Q(**{f"results__badges__{index}__key": key, f"results__badges__{index}__obtained": True})
    return condition


_STAGE_REACHED = Cast(KeyTextTransform("reached", KeyTransform("stage", "results")), IntegerField())


@dataclass(frozen=True)
class ResultsSummary:
    count: int
    average: float | None  # mean of the latest mastery rates (0–1)
    counts_by_rate: dict[float, int]
    stage_average: float | None  # mean stars, with stages
    stage_counts: dict[int, int]
    badge_counts: dict[str, int]

    @property
    def distribution(self) -> list[analysis.Band]:
        return analysis.distribution(self.counts_by_rate)


def results_summary(*, campaign: Campaign, divisions: list[str] | None = None, with_stages: bool = False,
                    badges: list[BadgeOption] = ()) -> ResultsSummary:
    """« Résultat moyen » (or « Palier moyen »), the distribution and the badges obtained, over the students'
    latest sendings in the chosen classes (two to four queries, whatever the number of students)."""
    rows = latest_shared(campaign=campaign, divisions=divisions)
    totals = rows.aggregate(
        count=Count("pk"), average=Avg("mastery_rate"),
        **{f"badge_{index}": Count("pk", filter=_badge_obtained(option.key, len(badges)))
           for index, option in enumerate(badges)},
    )
    # One row per distinct mastery rate: at most the number of campaign skills + 1.
    by_rate = {row["mastery_rate"]: row["count"] for row in
               rows.order_by().values("mastery_rate").annotate(count=Count("pk")) if row["mastery_rate"] is not None}
    stage_counts = {}
    if with_stages:
        stage_counts = {row["stars"]: row["count"] for row in rows.annotate(stars=_STAGE_REACHED).order_by()
                        .values("stars").annotate(count=Count("pk")) if row["stars"] is not None}
    return ResultsSummary(
        count=totals["count"], average=totals["average"], counts_by_rate=by_rate,
        stage_average=analysis.stage_average(stage_counts) if with_stages else None, stage_counts=stage_counts,
        badge_counts={option.key: totals[f"badge_{index}"] for index, option in enumerate(badges)},
    )


def _named(rows: QuerySet[Participation]) -> QuerySet[Participation]:
    return rows.select_related("learner", "user").annotate(
        participant_last_name=Coalesce("learner__family_name", "user__last_name"),
        participant_first_name=Coalesce("learner__first_name", "user__first_name"),
        participant_division=Coalesce("learner__division", Value("")),
    )


def _same_student() -> Q:
    return Q(user_id=OuterRef("user_id")) | Q(learner_id=OuterRef("learner_id"))


def _with_sendings(rows: QuerySet[Participation], *, previous_field: str) -> QuerySet[Participation]:
    """With multiple sendings: the previous sending's value of ``previous_field`` and how many were sent."""
    sent = Participation.objects.filter(_same_student(), campaign_id=OuterRef("campaign_id"), is_preview=False,
                                        status=SHARED)
    previous = sent.filter(shared_at__lt=OuterRef("shared_at")).order_by("-shared_at", "-pk")
    return rows.annotate(
        previous_value=Subquery(previous.values(previous_field)[:1]),
        sendings=Subquery(sent.order_by().values("campaign_id").annotate(count=Count("pk")).values("count")[:1]),
    )


def results_list(
    *,
    campaign: Campaign,
    divisions: list[str] | None = None,
    stages: list[int] | None = None,
    badges: list[str] | None = None,
    badge_slots: int = 0,
    certifiable: bool | None = None,
    search: str | None = None,
) -> QuerySet[Participation]:
    """The latest sent result of each student, sorted by name, one query per page.

    Each row carries ``participant_last_name``, ``participant_first_name``, ``participant_division``, ``stage``
    and ``badges`` (from the snapshot; ``results`` itself is not read), ``certifiable_competences`` (profiles),
    and with multiple sendings ``previous_value`` (the previous sending's mastery rate or Pix score) and
    ``sendings``. ``badges``: every one must be obtained; ``stages``: stars reached (0 = the zero stage).
    """
    rows = _by_name(latest_shared(campaign=campaign, divisions=divisions), search)
    if stages:
        rows = rows.annotate(stars=_STAGE_REACHED).filter(stars__in=stages)
    for key in badges or []:
        rows = rows.filter(_badge_obtained(key, badge_slots))
    if certifiable is not None:
        rows = rows.filter(is_certifiable=certifiable)
    rows = _named(rows).defer("results").annotate(
        stage=KeyTransform("stage", "results"), badges=KeyTransform("badges", "results"),
        certifiable_competences=KeyTransform("certifiable_competences", "results"),
    )
    if campaign.multiple_sendings:
        previous_field = "pix_score" if campaign.type == Campaign.Type.PROFILES_COLLECTION else "mastery_rate"
        rows = _with_sendings(rows, previous_field=previous_field)
    return rows.order_by(*french_ordering("participant_last_name", "participant_first_name", "pk", names=PARTICIPANT_NAMES))


@dataclass(frozen=True)
class ProfilesSummary:
    count: int
    certifiable: int
    average_pix: float | None


def profiles_summary(*, campaign: Campaign, divisions: list[str] | None = None) -> ProfilesSummary:
    totals = latest_shared(campaign=campaign, divisions=divisions).aggregate(
        count=Count("pk"), certifiable=Count("pk", filter=Q(is_certifiable=True)), average_pix=Avg("pix_score"))
    return ProfilesSummary(**totals)


# --- Analyse ---------------------------------------------------------------------------------------------------

@dataclass
class TubeAnalysis:
    id: int
    name: str
    title: str
    description: str
    competence: str
    stats: analysis.TubeStats
    score: float | None = None
    band: tuple[str, str, int] | None = None
    reason: str = ""
    position: analysis.Position | None = None


@dataclass
class CompetenceAnalysis:
    code: str
    name: str
    area_code: str
    area_name: str
    targeted: int = 0
    validated_sum: int = 0
    participants: int = 0
    tubes: list[TubeAnalysis] = field(default_factory=list)

    @property
    def percent(self) -> int | None:
        return analysis.competence_percent(validated_sum=self.validated_sum, participants=self.participants,
                                           targeted=self.targeted)

    @property
    def mastery_rate(self) -> float | None:
        if not self.participants or not self.targeted:
            return None
        return self.validated_sum / self.participants / self.targeted

    @property
    def position(self) -> analysis.Position | None:
        return analysis.mean_position([tube.position for tube in self.tubes])


@dataclass(frozen=True)
class DivisionRow:
    division: str
    participants: int
    percents: dict[str, int | None]  # competence code → %


@dataclass
class Analysis:
    participants: int
    campaign_max: int
    competences: list[CompetenceAnalysis]
    tubes: list[TubeAnalysis]  # sorted: most to work on first
    divisions: list[DivisionRow]

    @property
    def areas(self) -> list[tuple[str, str, list[CompetenceAnalysis]]]:
        grouped: dict[tuple[str, str], list[CompetenceAnalysis]] = {}
        for competence in self.competences:
            grouped.setdefault((competence.area_code, competence.area_name), []).append(competence)
        return [(code, name, items) for (code, name), items in grouped.items()]

    @property
    def position(self) -> analysis.Position | None:
        return analysis.mean_position([tube.position for tube in self.tubes])


def _campaign_tubes(*, campaign: Campaign) -> list[dict]:
    """The campaign's frozen skills per tube: its competence and area, skills count, easiest and hardest level."""
    return list(
        CampaignSkill.objects.filter(campaign=campaign).order_by()
        .values(tube_id=F("skill__tube_id"), tube_name=F("skill__tube__name"),
                title=F("skill__tube__practical_title"), description=F("skill__tube__practical_description"),
                competence_code=F("skill__tube__competence__code"),
                competence_name=F("skill__tube__competence__name"),
                area_code=F("skill__tube__competence__area__code"),
                area_name=F("skill__tube__competence__area__name"))
        .annotate(skills=Count("pk"), dmax=Max("skill__level"), dmin=Min("skill__level"))
    )


def analysis_read(*, campaign: Campaign, divisions: list[str] | None = None) -> Analysis:
    """« Résultats par compétence », « Sujets à travailler », « Positionnement » and the class comparison, over
    the latest sendings in the chosen classes: three queries, whatever the number of students."""
    structure = sorted(_campaign_tubes(campaign=campaign),
                       key=lambda row: (row["competence_code"], row["title"], row["tube_id"]))
    campaign_max = max((row["dmax"] for row in structure), default=0)
    tube_rows = _latest_rows_of(ParticipationTubeResult, campaign=campaign, divisions=divisions)
    next_ratio = Case(When(validated__gt=0, then=Cast("reached", FloatField())
                           / Cast(Coalesce("next_level", "max_level"), FloatField())),
                      default=Value(0.0), output_field=FloatField())
    # One pass over the tube rows, by tube and level where each student stopped; the tube's sums are folded here.
    sums: dict[int, dict] = {}
    stopped: dict[int, dict[int, int]] = defaultdict(dict)
    for row in tube_rows.order_by().values("tube_id", "next_level").annotate(
            participants=Count("pk"), reached_sum=Sum("reached"), validated_sum=Sum("validated"),
            next_ratio_sum=Sum(next_ratio), none=Count("pk", filter=Q(validated=0))):
        got = sums.setdefault(row["tube_id"], {"participants": 0, "reached_sum": 0, "validated_sum": 0,
                                               "next_ratio_sum": 0.0, "none": 0, "complete": 0})
        for name in ("participants", "reached_sum", "validated_sum", "none"):
            got[name] += row[name] or 0
        got["next_ratio_sum"] += float(row["next_ratio_sum"] or 0)
        if row["next_level"] is None:
            got["complete"] += row["participants"]
        else:
            stopped[row["tube_id"]][row["next_level"]] = row["participants"]
    competence_rows = _latest_rows_of(ParticipationCompetenceResult, campaign=campaign, divisions=divisions)
    # One pass over the competence rows, by class; the campaign's sums per competence are folded here.
    competence_sums: dict[str, dict] = {}
    by_division: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    for row in (competence_rows.annotate(division=Coalesce("participation__learner__division", Value("")))
                .order_by().values("division", "competence__code")
                .annotate(validated_sum=Sum("validated"), participants=Count("pk"))):
        by_division[row["division"]][row["competence__code"]] = (row["validated_sum"], row["participants"])
        total = competence_sums.setdefault(row["competence__code"], {"validated_sum": 0, "participants": 0})
        total["validated_sum"] += row["validated_sum"] or 0
        total["participants"] += row["participants"]

    competences: dict[str, CompetenceAnalysis] = {}
    tubes = []
    for row in structure:
        competence = competences.setdefault(row["competence_code"], CompetenceAnalysis(
            code=row["competence_code"], name=row["competence_name"], area_code=row["area_code"],
            area_name=row["area_name"]))
        competence.targeted += row["skills"]
        got = sums.get(row["tube_id"], {})
        stats = analysis.TubeStats(
            dmax=row["dmax"], skills=row["skills"], min_level=row["dmin"], participants=got.get("participants", 0),
            reached_sum=got.get("reached_sum") or 0, validated_sum=got.get("validated_sum") or 0,
            next_ratio_sum=float(got.get("next_ratio_sum") or 0), none=got.get("none", 0),
            complete=got.get("complete", 0), stopped_at=stopped.get(row["tube_id"], {}))
        tube = TubeAnalysis(id=row["tube_id"], name=row["tube_name"], title=row["title"],
                            description=row["description"], competence=row["competence_code"], stats=stats)
        if stats.participants:
            tube.score = analysis.tube_score(stats, campaign_max=campaign_max)
            tube.band = analysis.band(tube.score)
            tube.reason = analysis.tube_reason(stats)
            tube.position = analysis.tube_position(reached_sum=stats.reached_sum, participants=stats.participants,
                                                   max_level=stats.dmax)
        competence.tubes.append(tube)
        tubes.append(tube)
    for code, competence in competences.items():
        got = competence_sums.get(code)
        if got:
            competence.validated_sum, competence.participants = got["validated_sum"] or 0, got["participants"]
    ordered = sorted(competences.values(), key=lambda competence: competence.code)
    division_rows = []
    for division in sorted(by_division, key=lambda name: (name == "", division_sort_key(name))):
        cells = by_division[division]
        division_rows.append(DivisionRow(
            division=division, participants=max((n for _, n in cells.values()), default=0),
            percents={c.code: analysis.competence_percent(validated_sum=cells[c.code][0],
                                                          participants=cells[c.code][1], targeted=c.targeted)
                      if c.code in cells else None for c in ordered}))
    participants = max((tube.stats.participants for tube in tubes), default=0)
    recommended = sorted((tube for tube in tubes if tube.score is not None),
                         key=lambda tube: (tube.score, tube.competence, tube.title))
    return Analysis(participants=participants, campaign_max=campaign_max, competences=ordered,
                    tubes=recommended, divisions=division_rows)


# --- The student's page ----------------------------------------------------------------------------------------

@dataclass
class Sending:
    id: int
    number: int
    status: str
    created_at: datetime.datetime
    shared_at: datetime.datetime | None
    mastery_rate: float | None
    pix_score: int | None
    is_current: bool


@dataclass(frozen=True)
class LevelState:
    level: int
    state: str  # validated | failed | untested

    LABELS = {"validated": "validé", "failed": "échoué", "untested": "non testé"}

    @property
    def label(self) -> str:
        return self.LABELS.get(self.state, self.state)


@dataclass
class StudentTube:
    id: int
    title: str
    description: str
    competence: str
    reached: int
    max_level: int
    validated: int
    failed: int
    total: int
    levels: list[LevelState]
    score: float
    band: tuple[str, str, int]


@dataclass
class StudentCompetence:
    code: str
    name: str
    area_code: str
    area_name: str
    validated: int | None = None
    total: int | None = None
    mastery_rate: float | None = None
    level: int | None = None  # profiles collection
    pix: int | None = None
    tubes: list[StudentTube] = field(default_factory=list)

    @property
    def percent(self) -> int | None:
        return analysis.percent(self.mastery_rate)


@dataclass
class StudentResults:
    participation: Participation
    sendings: list[Sending]
    competences: list[StudentCompetence]

    @property
    def results(self) -> dict:
        return self.participation.results or {}

    @property
    def areas(self) -> list[tuple[str, str, list[StudentCompetence]]]:
        grouped: dict[tuple[str, str], list[StudentCompetence]] = {}
        for competence in self.competences:
            grouped.setdefault((competence.area_code, competence.area_name), []).append(competence)
        return [(code, name, items) for (code, name), items in grouped.items()]

    @property
    def sending_number(self) -> int | None:
        return next((s.number for s in self.sendings if s.id == self.participation.pk and s.shared_at), None)


def participation_for_campaign(*, campaign: Campaign, participation_id: int) -> Participation:
    """A participation of this campaign (not a preview), with its learner and account; Http404 otherwise."""
    participation = _named(Participation.objects.filter(campaign=campaign, is_preview=False,
                                                        pk=participation_id)).first()
    if participation is None:
        raise Http404
    return participation


def student_results_read(*, campaign: Campaign, participation_id: int) -> StudentResults:
    """One student's page: the participation and every sending of the same student in the campaign, the results
    per competence (by area) and per tube with each level validated, failed or not tested (four queries)."""
    participation = participation_for_campaign(campaign=campaign, participation_id=participation_id)
    same_student = Q(user_id=participation.user_id)
    if participation.learner_id is not None:
        same_student |= Q(learner_id=participation.learner_id)
    sendings = []
    number = 0
    for row in (Participation.objects.filter(same_student, campaign=campaign, is_preview=False)
                .order_by("created_at", "pk").values("pk", "status", "created_at", "shared_at", "mastery_rate",
                                                     "pix_score", "is_current")):
        number += 1 if row["shared_at"] else 0
        sendings.append(Sending(id=row["pk"], number=number, status=row["status"], created_at=row["created_at"],
                                shared_at=row["shared_at"], mastery_rate=row["mastery_rate"],
                                pix_score=row["pix_score"], is_current=row["is_current"]))
    competences: list[StudentCompetence] = []
    results = participation.results or {}
    if participation.status == SHARED and results:
        names = {c.code: c for c in Competence.objects.select_related("area")}
        if campaign.type == Campaign.Type.PROFILES_COLLECTION:
            for code in sorted(names):
                item = results.get("competences", {}).get(code, {})
                competence = names[code]
                competences.append(StudentCompetence(code=code, name=competence.name,
                                                     area_code=competence.area.code, area_name=competence.area.name,
                                                     level=item.get("level", 0), pix=item.get("pix", 0)))
        else:
            competences = _assessment_competences(results, names)
    return StudentResults(participation=participation, sendings=sendings, competences=competences)


def _assessment_competences(results: dict, names: dict[str, Competence]) -> list[StudentCompetence]:
    by_code: dict[str, StudentCompetence] = {}
    for code, item in sorted(results.get("competences", {}).items()):
        competence = names.get(code)
        by_code[code] = StudentCompetence(
            code=code, name=item.get("name") or (competence.name if competence else ""),
            area_code=competence.area.code if competence else code[:1],
            area_name=competence.area.name if competence else "", validated=item.get("validated", 0),
            total=item.get("total", 0), mastery_rate=item.get("mastery_rate"))
    snapshot_tubes = results.get("tubes", {})
    titles = {tube["id"]: tube for tube in Tube.objects.filter(pk__in=[int(key) for key in snapshot_tubes])
              .values("id", "practical_title", "practical_description")}
    campaign_max = max((item.get("max", 0) for item in snapshot_tubes.values()), default=0)
    for key, item in snapshot_tubes.items():
        levels = [LevelState(level=int(level), state=state)
                  for level, state in sorted(item.get("levels", {}).items(), key=lambda pair: int(pair[0]))]
        not_validated = [level.level for level in levels if level.state != "validated"]
        score = analysis.tube_score_for_student(
            reached=item["reached"], validated=item["validated"], skills=item["total"], dmax=item["max"],
            campaign_max=campaign_max, next_level=not_validated[0] if not_validated else None)
        title = titles.get(int(key), {})
        tube = StudentTube(id=int(key), title=title.get("practical_title") or item.get("name", ""),
                           description=title.get("practical_description", ""), competence=item["competence"],
                           reached=item["reached"], max_level=item["max"], validated=item["validated"],
                           failed=item["failed"], total=item["total"], levels=levels, score=score,
                           band=analysis.band(score))
        if item["competence"] in by_code:
            by_code[item["competence"]].tubes.append(tube)
    for competence in by_code.values():
        competence.tubes.sort(key=lambda tube: tube.title)
    return list(by_code.values())

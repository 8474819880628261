"""The « Évaluation » export: one line per current participant, with what each sent result holds.

Columns (Pix Orga's order): Nom de l'organisation; ID Campagne; Code; Nom de la campagne; Parcours; Nom du
Participant; Prénom du Participant; Classe; [the external-id label]; % de progression; Date et heure de début;
Partage (O/N); Date et heure du partage; [Palier obtenu (/N)]; « {badge} obtenu (O/N) » per badge; % maitrise de
l'ensemble des acquis du profil; per competence of the campaign (code order) « % de maitrise des acquis de la
compétence X », « Nombre d'acquis du profil cible dans la compétence X », « Acquis maitrisés dans la compétence X »;
then the same three per area. Rows not sent have NA in every result column.

Everything comes from the snapshot taken when the results were sent: the participation's stored mastery, stage and
badges, and its ``ParticipationCompetenceResult`` rows (one query per chunk of rows, whatever the number of
competences). The big ``results`` JSON is not read: only its stage and badges are extracted by the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.db.models.fields.json import KeyTransform

from campaigns.exports.common import Row, is_sent, participant_cells, participant_header, participation_chunks
from campaigns.exports.csv import NA, csv_lines, datetime_fr, decimal_fr, yes_no
from campaigns.models import Campaign, CampaignSkill, Participation, ParticipationCompetenceResult
from content.models import Badge, Stage


@dataclass(frozen=True, slots=True)
class CompetenceColumn:
    id: int
    code: str
    name: str
    area_code: str
    area_name: str
    skills: int  # the campaign's skills in this competence


@dataclass(frozen=True, slots=True)
class AreaColumn:
    code: str
    name: str
    competence_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class AssessmentColumns:
    stars: int | None  # stages after the zero one (the N of « Palier obtenu (/N) »); None without stages
    badges: tuple[tuple[str, str], ...]  # (key, title), in the target profile's order
    competences: tuple[CompetenceColumn, ...]
    areas: tuple[AreaColumn, ...]


def assessment_columns(*, campaign: Campaign) -> AssessmentColumns:
    """The campaign's stages, badges, competences and areas (three queries, whatever their number)."""
    stars, badges = None, ()
    if campaign.target_profile_id is not None:
        stages = Stage.objects.filter(target_profile_id=campaign.target_profile_id).count()
        stars = stages - 1 if stages else None
        badges = tuple(Badge.objects.filter(target_profile_id=campaign.target_profile_id).order_by("pk")
                       .values_list("key", "title"))
    competences = tuple(
        CompetenceColumn(id=row["skill__tube__competence_id"], code=row["skill__tube__competence__code"],
                         name=row["skill__tube__competence__name"],
                         area_code=row["skill__tube__competence__area__code"],
                         area_name=row["skill__tube__competence__area__name"], skills=row["skills"])
        for row in CampaignSkill.objects.filter(campaign=campaign)
        .values("skill__tube__competence_id", "skill__tube__competence__code", "skill__tube__competence__name",
                "skill__tube__competence__area__code", "skill__tube__competence__area__name")
        .annotate(skills=Count("id")).order_by("skill__tube__competence__code")
    )
    areas: dict[str, AreaColumn] = {}
    for competence in competences:
        area = areas.get(competence.area_code) or AreaColumn(competence.area_code, competence.area_name, ())
        areas[competence.area_code] = AreaColumn(area.code, area.name, (*area.competence_ids, competence.id))
    return AssessmentColumns(stars=stars, badges=badges, competences=competences,
                             areas=tuple(sorted(areas.values(), key=lambda area: area.code)))


def assessment_header(*, campaign: Campaign, columns: AssessmentColumns) -> list[str]:
    header = participant_header(campaign=campaign, before_names=["Parcours"])
    header += ["% de progression", "Date et heure de début", "Partage (O/N)", "Date et heure du partage"]
    if columns.stars is not None:
        header.append(f"Palier obtenu (/{columns.stars})")
    header += [f"{title} obtenu (O/N)" for _, title in columns.badges]
    header.append("% maitrise de l'ensemble des acquis du profil")
    for competence in columns.competences:
        header += [f"% de maitrise des acquis de la compétence {competence.name}",
                   f"Nombre d'acquis du profil cible dans la compétence {competence.name}",
                   f"Acquis maitrisés dans la compétence {competence.name}"]
    for area in columns.areas:
        header += [f"% de maitrise des acquis du domaine {area.name}",
                   f"Nombre d'acquis du profil cible du domaine {area.name}",
                   f"Acquis maitrisés du domaine {area.name}"]
    return header


def _result_width(columns: AssessmentColumns) -> int:
    return ((columns.stars is not None) + len(columns.badges) + 1
            + 3 * len(columns.competences) + 3 * len(columns.areas))


def _mastery_cells(validated: int, total: int) -> list:
    return [decimal_fr(validated / total) if total else NA, total, validated]


def assessment_row(*, campaign: Campaign, columns: AssessmentColumns, participation: Row,
                   competence_results: dict[int, tuple[int, int]]) -> list:
    """One participant: ``participation`` is a row of ``assessment_rows`` (with ``export_stage`` and
    ``export_badges``); ``competence_results``: competence id → (validated, total) of its sent result."""
    sent = is_sent(participation)
    profile = campaign.target_profile.name if campaign.target_profile_id else ""
    row = participant_cells(campaign=campaign, row=participation, before_names=[profile])
    row += [decimal_fr(1 if sent else participation["progress"]), datetime_fr(participation["created_at"]),
            yes_no(sent), datetime_fr(participation["shared_at"]) if sent else NA]
    if not sent:
        return row + [NA] * _result_width(columns)
    if columns.stars is not None:
        row.append(NA if participation["export_stage"] is None else participation["export_stage"])
    obtained = {badge.get("key"): badge.get("obtained") for badge in participation["export_badges"] or []}
    row += [NA if key not in obtained else yes_no(obtained[key]) for key, _ in columns.badges]
    mastery_rate = participation["mastery_rate"]
    row.append(NA if mastery_rate is None else decimal_fr(mastery_rate))
    by_area: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for competence in columns.competences:
        validated, total = competence_results.get(competence.id, (0, competence.skills))
        row += _mastery_cells(validated, total)
        by_area[competence.area_code][0] += validated
        by_area[competence.area_code][1] += total
    for area in columns.areas:
        row += _mastery_cells(*by_area[area.code])
    return row


def _competence_results(chunk: list[Row]) -> dict[int, dict[int, tuple[int, int]]]:
    """participation id → competence id → (validated, total), for the sent rows of one chunk (one query)."""
    sent_ids = [row["pk"] for row in chunk if is_sent(row)]
    results: dict[int, dict[int, tuple[int, int]]] = defaultdict(dict)
    if sent_ids:
        for participation_id, competence_id, validated, total in (
            ParticipationCompetenceResult.objects.filter(participation_id__in=sent_ids)
            .values_list("participation_id", "competence_id", "validated", "total")
        ):
            results[participation_id][competence_id] = (validated, total)
    return results


def assessment_rows(*, campaign: Campaign, columns: AssessmentColumns,
                    participations: QuerySet[Participation]) -> Iterator[list]:
    participations = participations.annotate(
        export_stage=KeyTransform("reached", KeyTransform("stage", "results")),
        export_badges=KeyTransform("badges", "results"),
    )
    fields = ("progress", "mastery_rate", "export_stage", "export_badges")
    for chunk in participation_chunks(participations, fields):
        results = _competence_results(chunk)
        for participation in chunk:
            yield assessment_row(campaign=campaign, columns=columns, participation=participation,
                                 competence_results=results.get(participation["pk"], {}))


def assessment_lines(*, campaign: Campaign, participations: QuerySet[Participation]) -> Iterator[str]:
    """The whole file, line by line (the columns are read when the first line is asked for)."""
    columns = assessment_columns(campaign=campaign)
    yield from csv_lines(assessment_header(campaign=campaign, columns=columns),
                         assessment_rows(campaign=campaign, columns=columns, participations=participations))

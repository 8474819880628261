"""Inputs and outputs of the results API (campaigns.api.results): the filters, the shapes of the activity, of the
students' latest results, of the analysis and of one student's page, and the functions that fill them from the
selectors' values. Names start with « Campaign » so that the schema's components stay unique."""

from rest_framework import serializers

from campaigns import analysis
from campaigns.models import Campaign, Participation

STATUS_HELP = "STARTED (en cours), TO_SHARE (en attente d'envoi) ou SHARED (résultats ou profil reçus)."

class DivisionFilterInput(serializers.Serializer):
    division = serializers.ListField(child=serializers.CharField(max_length=60), required=False)

    @classmethod
    def divisions(cls, request) -> list[str] | None:
        data = cls(data={"division": [value for value in request.query_params.getlist("division") if value]})
        data.is_valid(raise_exception=True)
        return data.validated_data.get("division") or None


class CampaignActivityStatusOutput(serializers.Serializer):
    STARTED = serializers.IntegerField(help_text="En cours.")
    TO_SHARE = serializers.IntegerField(help_text="En attente d'envoi (collecte de profils).")
    SHARED = serializers.IntegerField(help_text="Résultats ou profil reçus.")


class CampaignActivityDayOutput(serializers.Serializer):
    date = serializers.DateField()
    started = serializers.IntegerField(help_text="Participations commencées jusqu'à ce jour inclus (cumul).")
    shared = serializers.IntegerField(help_text="Élèves ayant envoyé leurs résultats jusqu'à ce jour (cumul).")


class CampaignActivityOutput(serializers.Serializer):
    participants = serializers.IntegerField(help_text="Participations en cours (hors prévisualisations).")
    shared = serializers.IntegerField(help_text="Élèves ayant envoyé leurs résultats (leur dernier envoi).")
    by_status = CampaignActivityStatusOutput(help_text="Participations en cours, par statut.")
    by_day = CampaignActivityDayOutput(many=True, help_text="Les jours où quelque chose s'est passé, cumulés.")


class CampaignResultsFiltersInput(serializers.Serializer):
    division = serializers.ListField(child=serializers.CharField(max_length=60), required=False)
    stage = serializers.ListField(child=serializers.IntegerField(min_value=0, max_value=20), required=False)
    badge = serializers.ListField(child=serializers.CharField(max_length=80), required=False)
    certifiable = serializers.BooleanField(required=False, allow_null=True, default=None)
    search = serializers.CharField(required=False, allow_blank=True, max_length=200)

    @classmethod
    def filters(cls, request) -> dict:
        params = {key: [value for value in request.query_params.getlist(key) if value]
                  for key in ("division", "stage", "badge")}
        for key in ("certifiable", "search"):
            if request.query_params.get(key):
                params[key] = request.query_params[key]
        data = cls(data=params)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        return {"divisions": values.get("division") or None, "stages": values.get("stage") or None,
                "badges": values.get("badge") or None, "certifiable": values.get("certifiable"),
                "search": values.get("search") or None}


class CampaignResultsLearnerOutput(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True, help_text="L'élève de la base SIECLE (null hors élèves gérés).")
    last_name = serializers.CharField()
    first_name = serializers.CharField()


class CampaignResultsStageOutput(serializers.Serializer):
    reached = serializers.IntegerField(help_text="Étoiles obtenues (0 : le palier zéro).")
    total = serializers.IntegerField(help_text="Étoiles possibles (paliers après le palier zéro).")
    title = serializers.CharField(help_text="Le titre du palier pour l'élève.")
    prescriber_title = serializers.CharField(allow_blank=True, help_text="Le titre du palier pour l'enseignant.")


class CampaignResultsBadgeOutput(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    obtained = serializers.BooleanField()
    progress = serializers.IntegerField(help_text="Avancement vers les critères, en % (100 : obtenu).")


class CampaignResultRowOutput(serializers.Serializer):
    participation = serializers.IntegerField(help_text="Le dernier envoi de l'élève.")
    learner = CampaignResultsLearnerOutput()
    division = serializers.CharField(help_text="La classe (vide hors élèves gérés).")
    external_id = serializers.CharField()
    shared_at = serializers.DateTimeField()
    sendings = serializers.IntegerField(help_text="Nombre d'envois de l'élève (envoi multiple).")
    trend = serializers.CharField(allow_null=True, help_text="Par rapport à l'envoi précédent : up, down, stable ; "
                                                             "null pour un premier envoi.")
    mastery_rate = serializers.FloatField(allow_null=True, help_text="Évaluation : acquis validés ÷ acquis (0–1).")
    stage = CampaignResultsStageOutput(allow_null=True, help_text="Évaluation avec paliers.")
    badges = CampaignResultsBadgeOutput(many=True, help_text="Évaluation : les résultats thématiques du parcours.")
    pix_score = serializers.IntegerField(allow_null=True, help_text="Collecte de profils : le score Pix envoyé.")
    certifiable = serializers.BooleanField(allow_null=True, help_text="Collecte de profils.")
    certifiable_competences = serializers.IntegerField(allow_null=True,
                                                       help_text="Collecte de profils : compétences de niveau ≥ 1.")


class CampaignResultsSummaryOutput(serializers.Serializer):
    count = serializers.IntegerField(help_text="Élèves ayant envoyé (dans les classes choisies).")
    average_mastery_rate = serializers.FloatField(allow_null=True, help_text="« Résultat moyen » (0–1).")
    stage_average = serializers.FloatField(allow_null=True, help_text="« Palier moyen » en étoiles.")
    certifiable = serializers.IntegerField(allow_null=True, help_text="Collecte de profils : élèves certifiables.")
    average_pix_score = serializers.FloatField(allow_null=True, help_text="Collecte de profils.")


def _trend(campaign: Campaign, row) -> str | None:
    previous = getattr(row, "previous_value", None)
    if campaign.type == Campaign.Type.ASSESSMENT:
        return analysis.trend(row.mastery_rate, previous)
    if previous is None or row.pix_score is None:
        return None
    return "up" if row.pix_score > previous else "down" if row.pix_score < previous else "stable"


def result_row(campaign: Campaign, row) -> dict:
    is_assessment = campaign.type == Campaign.Type.ASSESSMENT
    stage = row.stage if is_assessment else None
    return {
        "participation": row.pk,
        "learner": {"id": row.learner_id, "last_name": row.participant_last_name,
                    "first_name": row.participant_first_name},
        "division": row.participant_division, "external_id": row.external_id, "shared_at": row.shared_at,
        "sendings": getattr(row, "sendings", None) or 1, "trend": _trend(campaign, row),
        "mastery_rate": row.mastery_rate if is_assessment else None,
        "stage": {key: stage.get(key, "") for key in ("reached", "total", "title", "prescriber_title")}
        if stage else None,
        "badges": [{key: badge.get(key) for key in ("key", "title", "obtained", "progress")}
                   for badge in (row.badges or [])] if is_assessment else [],
        "pix_score": None if is_assessment else row.pix_score,
        "certifiable": None if is_assessment else row.is_certifiable,
        "certifiable_competences": None if is_assessment else (row.certifiable_competences or 0),
    }


class CampaignAnalysisCompetenceOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    area = serializers.CharField(help_text="Le code du domaine (1 à 5).")
    targeted_skills = serializers.IntegerField(help_text="Acquis de la campagne dans la compétence.")
    mastery_rate = serializers.FloatField(allow_null=True,
                                          help_text="Acquis validés en moyenne ÷ acquis visés (0–1).")
    percent = serializers.IntegerField(allow_null=True, help_text="Le même, arrondi en % (ce que la page montre).")


class CampaignAnalysisTubeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    title = serializers.CharField(help_text="Le titre pratique du sujet.")
    description = serializers.CharField(allow_blank=True)
    competence = serializers.CharField()
    score = serializers.FloatField(help_text="0–100 ; plus il est bas, plus le sujet est à travailler.")
    band = serializers.CharField(help_text="TRES_RECOMMANDE (≤ 25), FORTEMENT_RECOMMANDE (≤ 50), RECOMMANDE "
                                           "(≤ 75), ASSEZ_RECOMMANDE.")
    band_label = serializers.CharField()
    reason = serializers.CharField(help_text="Pourquoi, en une ou deux phrases.")


class CampaignPositionTubeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    mean_level = serializers.FloatField(allow_null=True)
    max_level = serializers.FloatField()
    label = serializers.CharField(allow_blank=True, help_text="Novice, Indépendant, Avancé, Expert.")


class CampaignPositionCompetenceOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    mean_level = serializers.FloatField(allow_null=True)
    max_level = serializers.FloatField(allow_null=True)
    label = serializers.CharField(allow_blank=True)
    tubes = CampaignPositionTubeOutput(many=True)


class CampaignPositionOutput(serializers.Serializer):
    mean_level = serializers.FloatField(allow_null=True, help_text="Toute la campagne : moyenne des sujets.")
    max_level = serializers.FloatField(allow_null=True)
    label = serializers.CharField(allow_blank=True)
    competences = CampaignPositionCompetenceOutput(many=True)


class CampaignDivisionCompetenceOutput(serializers.Serializer):
    code = serializers.CharField()
    percent = serializers.IntegerField(allow_null=True)


class CampaignDivisionOutput(serializers.Serializer):
    division = serializers.CharField(help_text="La classe (vide : sans classe).")
    participants = serializers.IntegerField()
    competences = CampaignDivisionCompetenceOutput(many=True)


class CampaignAnalysisOutput(serializers.Serializer):
    participants = serializers.IntegerField(help_text="Élèves dont le dernier envoi est analysé.")
    competences = CampaignAnalysisCompetenceOutput(many=True)
    tubes = CampaignAnalysisTubeOutput(many=True, help_text="Du plus au moins recommandé.")
    positionnement = CampaignPositionOutput()
    divisions = CampaignDivisionOutput(many=True, help_text="Comparaison des classes : % par compétence.")


def position_data(position) -> dict:
    if position is None:
        return {"mean_level": None, "max_level": None, "label": ""}
    return {"mean_level": position.mean_level, "max_level": position.max_level, "label": position.label}


class CampaignStudentParticipationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField(help_text=STATUS_HELP)
    created_at = serializers.DateTimeField()
    shared_at = serializers.DateTimeField(allow_null=True)
    progress = serializers.FloatField(help_text="Avancement du parcours (0–1).")
    external_id = serializers.CharField()
    is_current = serializers.BooleanField(help_text="Faux pour un envoi précédent (envoi multiple).")


class CampaignStudentSendingOutput(serializers.Serializer):
    participation = serializers.IntegerField()
    number = serializers.IntegerField(help_text="Numéro de l'envoi (0 : rien d'envoyé avant celui-ci).")
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
    shared_at = serializers.DateTimeField(allow_null=True)
    mastery_rate = serializers.FloatField(allow_null=True)
    pix_score = serializers.IntegerField(allow_null=True)
    is_current = serializers.BooleanField()


class CampaignStudentCompetenceOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    area = serializers.CharField()
    validated = serializers.IntegerField()
    total = serializers.IntegerField()
    mastery_rate = serializers.FloatField(allow_null=True)


class CampaignStudentLevelOutput(serializers.Serializer):
    level = serializers.IntegerField()
    state = serializers.CharField(help_text="validated, failed ou untested.")


class CampaignStudentTubeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    competence = serializers.CharField()
    reached = serializers.IntegerField(help_text="Le niveau le plus élevé validé (0 : aucun).")
    max_level = serializers.IntegerField()
    validated = serializers.IntegerField()
    failed = serializers.IntegerField()
    total = serializers.IntegerField()
    levels = CampaignStudentLevelOutput(many=True)
    score = serializers.FloatField(help_text="Le score « sujet à travailler » de cet élève (0–100).")
    band = serializers.CharField()


class CampaignStudentAssessmentOutput(serializers.Serializer):
    mastery_rate = serializers.FloatField()
    validated_skills_count = serializers.IntegerField()
    skills_count = serializers.IntegerField()
    stage = CampaignResultsStageOutput(allow_null=True)
    badges = CampaignResultsBadgeOutput(many=True)
    competences = CampaignStudentCompetenceOutput(many=True)
    tubes = CampaignStudentTubeOutput(many=True)


class CampaignStudentProfileCompetenceOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    area = serializers.CharField()
    level = serializers.IntegerField()
    pix = serializers.IntegerField()


class CampaignStudentProfileOutput(serializers.Serializer):
    pix_score = serializers.IntegerField()
    certifiable = serializers.BooleanField()
    certifiable_competences = serializers.IntegerField()
    competences = CampaignStudentProfileCompetenceOutput(many=True)


class CampaignStudentOutput(serializers.Serializer):
    participation = CampaignStudentParticipationOutput()
    learner = CampaignResultsLearnerOutput()
    division = serializers.CharField()
    sendings = CampaignStudentSendingOutput(many=True, help_text="Toutes les participations de l'élève à la "
                                                                 "campagne, de la première à la dernière.")
    assessment = CampaignStudentAssessmentOutput(allow_null=True, help_text="Une évaluation envoyée ; sinon null.")
    profile = CampaignStudentProfileOutput(allow_null=True, help_text="Un profil envoyé ; sinon null.")


def student_data(campaign: Campaign, student) -> dict:
    participation = student.participation
    results = student.results
    data = {
        "participation": {"id": participation.pk, "status": participation.status,
                          "created_at": participation.created_at, "shared_at": participation.shared_at,
                          "progress": participation.progress, "external_id": participation.external_id,
                          "is_current": participation.is_current},
        "learner": {"id": participation.learner_id, "last_name": participation.participant_last_name,
                    "first_name": participation.participant_first_name},
        "division": participation.participant_division,
        "sendings": [{"participation": s.id, "number": s.number, "status": s.status, "created_at": s.created_at,
                      "shared_at": s.shared_at, "mastery_rate": s.mastery_rate, "pix_score": s.pix_score,
                      "is_current": s.is_current} for s in student.sendings],
        "assessment": None, "profile": None,
    }
    if participation.status != Participation.Status.SHARED or not results:
        return data
    if campaign.type == Campaign.Type.ASSESSMENT:
        stage = results.get("stage")
        data["assessment"] = {
            "mastery_rate": participation.mastery_rate, "skills_count": results.get("skills_count", 0),
            "validated_skills_count": results.get("validated_skills_count", 0),
            "stage": {key: stage.get(key, "") for key in ("reached", "total", "title", "prescriber_title")}
            if stage else None,
            "badges": [{key: badge.get(key) for key in ("key", "title", "obtained", "progress")}
                       for badge in results.get("badges", [])],
            "competences": [{"code": c.code, "name": c.name, "area": c.area_code, "validated": c.validated,
                             "total": c.total, "mastery_rate": c.mastery_rate} for c in student.competences],
            "tubes": [{"id": t.id, "title": t.title, "competence": t.competence, "reached": t.reached,
                       "max_level": t.max_level, "validated": t.validated, "failed": t.failed, "total": t.total,
                       "levels": [{"level": level.level, "state": level.state} for level in t.levels],
                       "score": t.score, "band": t.band[0]} for c in student.competences for t in c.tubes],
        }
    else:
        data["profile"] = {
            "pix_score": participation.pix_score or 0, "certifiable": bool(participation.is_certifiable),
            "certifiable_competences": results.get("certifiable_competences", 0),
            "competences": [{"code": c.code, "name": c.name, "area": c.area_code, "level": c.level, "pix": c.pix}
                            for c in student.competences],
        }
    return data


def analysis_data(result) -> dict:
    """``analysis_read``'s Analysis as the endpoint's data."""
    return {
        "participants": result.participants,
        "competences": [{"code": c.code, "name": c.name, "area": c.area_code, "targeted_skills": c.targeted,
                         "mastery_rate": c.mastery_rate, "percent": c.percent} for c in result.competences],
        "tubes": [{"id": t.id, "name": t.name, "title": t.title, "description": t.description,
                   "competence": t.competence, "score": t.score, "band": t.band[0], "band_label": t.band[1],
                   "reason": t.reason} for t in result.tubes],
        "positionnement": {**position_data(result.position), "competences": [
            {"code": c.code, "name": c.name, **position_data(c.position),
             "tubes": [{"id": t.id, "title": t.title, **position_data(t.position),
                        "max_level": t.stats.dmax} for t in c.tubes]} for c in result.competences]},
        "divisions": [{"division": row.division, "participants": row.participants,
                       "competences": [{"code": code, "percent": value} for code, value in row.percents.items()]}
                      for row in result.divisions],
    }

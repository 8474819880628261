"""The « Collecte de profils » export: one line per current participant, with the profile each one sent.

Columns (Pix Orga's order): Nom de l'organisation; ID Campagne; Code; Nom de la campagne; Nom du Participant;
Prénom du Participant; Classe; [the external-id label]; Envoi (O/N); Date de l'envoi; Nombre de pix total;
Certifiable (O/N); Nombre de compétences certifiables; then for each competence of the framework (code order)
« Niveau pour la compétence X », « Nombre de pix pour la compétence X ». Rows not sent have NA in every result
column. Values come from the snapshot stored when the profile was sent (a small JSON: pix and level per competence).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet

from campaigns.exports.common import Row, is_sent, participant_cells, participant_header, participation_chunks
from campaigns.exports.csv import NA, csv_lines, datetime_fr, yes_no
from campaigns.models import Campaign, Participation
from content.models import Competence


def profiles_competences() -> list[tuple[str, str]]:
    """(code, name) of every competence, in code order (one query)."""
    return list(Competence.objects.order_by("code").values_list("code", "name"))


def profiles_header(*, campaign: Campaign, competences: list[tuple[str, str]]) -> list[str]:
    header = participant_header(campaign=campaign)
    header += ["Envoi (O/N)", "Date de l'envoi", "Nombre de pix total", "Certifiable (O/N)",
               "Nombre de compétences certifiables"]
    for _, name in competences:
        header += [f"Niveau pour la compétence {name}", f"Nombre de pix pour la compétence {name}"]
    return header


def profiles_row(*, campaign: Campaign, competences: list[tuple[str, str]], participation: Row) -> list:
    sent = is_sent(participation)
    row = participant_cells(campaign=campaign, row=participation)
    row += [yes_no(sent), datetime_fr(participation["shared_at"]) if sent else NA]
    if not sent:
        return row + [NA] * (3 + 2 * len(competences))
    results = participation["results"] or {}
    pix_score, certifiable = participation["pix_score"], participation["is_certifiable"]
    row += [NA if pix_score is None else pix_score, NA if certifiable is None else yes_no(certifiable),
            results.get("certifiable_competences", NA)]
    by_code = results.get("competences") or {}
    for code, _ in competences:
        # A competence absent from the profile had nothing to validate when it was sent: level 0, 0 pix.
        competence = by_code.get(code) or {}
        row += [competence.get("level", 0), competence.get("pix", 0)]
    return row


def profiles_lines(*, campaign: Campaign, participations: QuerySet[Participation]) -> Iterator[str]:
    competences = profiles_competences()

    def rows():
        for chunk in participation_chunks(participations, ("pix_score", "is_certifiable", "results")):
            for participation in chunk:
                yield profiles_row(campaign=campaign, competences=competences, participation=participation)

    yield from csv_lines(profiles_header(campaign=campaign, competences=competences), rows())

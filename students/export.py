"""CSV export of the students list (the list's filters applied), for French spreadsheets: ``;``, UTF-8 with a BOM,
streamed from a server-side cursor (constant memory whatever the number of students), formulas neutralised.

No INE and no e-mail address: the export carries what the list shows.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

from organizations.models import Organization
from students.models import Learner

BOM = "\ufeff"
# A cell starting with one of these is a formula (or becomes one) in Excel / LibreOffice: CSV injection.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ITERATOR_CHUNK = 2000

HEADER = ["Nom", "Nom d'usage", "Prénom", "Date de naissance", "Classe", "Compte Pix associé (O/N)",
          "Participations", "Certificabilité", "Date de la certificabilité", "Origine de la certificabilité",
          "Compétences au niveau 1 ou plus"]

CERTIFIABILITY_LABELS = {
    Learner.Certifiability.CERTIFIABLE: "Certifiable",
    Learner.Certifiability.NOT_CERTIFIABLE: "Non certifiable",
    "": "Non communiqué",
}
SOURCE_LABELS = {
    Learner.CertifiabilitySource.PROFILE_SHARED: "Profil envoyé",
    Learner.CertifiabilitySource.COMPUTED: "Calcul de la nuit",
    "": "",
}


def cell_neutralise(value: str) -> str:
    """``=HYPERLINK(…)`` → ``'=HYPERLINK(…)``: the spreadsheet shows the text instead of running it."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _date(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return value.strftime("%d/%m/%Y")


def export_row(learner: Learner) -> list[str]:
    """One student; ``learner`` comes from ``learner_list`` (its annotated participation count)."""
    return [
        learner.family_name, learner.usage_name, learner.first_name, _date(learner.birthdate), learner.division,
        "O" if learner.user_id else "N", str(getattr(learner, "participation_count", 0)),
        CERTIFIABILITY_LABELS[learner.certifiability], _date(learner.certifiability_at),
        SOURCE_LABELS[learner.certifiability_source],
        "" if learner.certifiable_competences is None else str(learner.certifiable_competences),
    ]


class _Echo:
    """csv.writer writes to this and gets the formatted line back (nothing is buffered)."""

    def write(self, value: str) -> str:
        return value


def export_lines(learners: QuerySet[Learner]) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield BOM + writer.writerow(HEADER)
    for learner in learners.iterator(chunk_size=ITERATOR_CHUNK):
        yield writer.writerow([cell_neutralise(cell) for cell in export_row(learner)])


def export_filename(*, organization: Organization, today: datetime.date | None = None) -> str:
    today = today or timezone.localdate()
    return f"eleves-{organization.uai or organization.pk}-{today.isoformat()}.csv"


def export_response(*, organization: Organization, learners: QuerySet[Learner]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(export_lines(learners), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export_filename(organization=organization)}"'
    response["Cache-Control"] = "no-store"  # personal data of minors: no copy in shared caches
    return response

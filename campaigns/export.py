"""CSV export of a campaign's participants, for French spreadsheets: ``;``, UTF-8 with a BOM, streamed.

Rows are produced one at a time from a server-side cursor (``.iterator()``): a whole school exports in constant
memory. Cells a spreadsheet would read as a formula are neutralised.
"""

import csv
import datetime
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

from campaigns.models import Campaign, Participation

BOM = "\ufeff"
# A cell starting with one of these is a formula (or becomes one) in Excel / LibreOffice: CSV injection.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ITERATOR_CHUNK = 2000


def cell_neutralise(value: str) -> str:
    """``=HYPERLINK(…)`` → ``'=HYPERLINK(…)``: the spreadsheet shows the text instead of running it."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _date(value: datetime.datetime | None) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y") if value else ""


def export_header(*, campaign: Campaign) -> list[str]:
    header = ["Nom de l'organisation", "ID Campagne", "Code", "Nom de la campagne", "Nom du Participant",
              "Prénom du Participant", "Classe"]
    if campaign.external_id_label:
        header.append(campaign.external_id_label)
    return header + ["Date de début", "Partage (O/N)", "Date du partage"]


def export_row(*, campaign: Campaign, participation: Participation) -> list[str]:
    """One participant; ``participation`` comes from ``participation_list`` (its annotated names and division)."""
    shared = participation.status == Participation.Status.SHARED
    row = [campaign.organization.name, str(campaign.pk), campaign.code, campaign.name,
           participation.participant_last_name or "", participation.participant_first_name or "",
           participation.participant_division or ""]
    if campaign.external_id_label:
        row.append(participation.external_id)
    return row + [_date(participation.created_at), "O" if shared else "N",
                  _date(participation.shared_at) if shared else ""]


class _Echo:
    """csv.writer writes to this and gets the formatted line back (nothing is buffered)."""

    def write(self, value: str) -> str:
        return value


def export_lines(*, campaign: Campaign, participations: QuerySet[Participation] | Iterable) -> Iterator[str]:
    """The file, line by line: the BOM and header first, then one line per participant."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield BOM + writer.writerow([cell_neutralise(cell) for cell in export_header(campaign=campaign)])
    rows = participations.iterator(chunk_size=ITERATOR_CHUNK) if isinstance(participations, QuerySet) else participations
    for participation in rows:
        cells = export_row(campaign=campaign, participation=participation)
        yield writer.writerow([cell_neutralise(cell) for cell in cells])


def export_filename(*, campaign: Campaign, today: datetime.date | None = None) -> str:
    today = today or timezone.localdate()
    return f"{campaign.code}-participants-{today.isoformat()}.csv"


def export_response(*, campaign: Campaign, participations: QuerySet[Participation]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(export_lines(campaign=campaign, participations=participations),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export_filename(campaign=campaign)}"'
    response["Cache-Control"] = "no-store"  # personal data of minors: no copy in shared caches
    return response

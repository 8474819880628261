"""What both exports share: the participant's columns, the rows read chunk by chunk (plain dicts of the columns
the file needs, not model instances: a chunk of 2,000 rows stays small), the streamed response."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from itertools import islice

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

from campaigns.exports.csv import export_filename
from campaigns.models import Campaign, Participation

# Rows fetched at once from the server-side cursor; each chunk costs one more query for its results, whatever
# the number of competences.
CHUNK_SIZE = 2000
# What every row of both files reads (``participation_list`` annotates the names and the division).
PARTICIPANT_FIELDS = ("pk", "status", "created_at", "shared_at", "external_id", "participant_last_name",
                      "participant_first_name", "participant_division")

Row = Mapping[str, object]


def participation_chunks(participations: QuerySet[Participation], fields: tuple[str, ...]) -> Iterator[list[Row]]:
    """The rows' ``fields`` ``CHUNK_SIZE`` rows at a time, from one server-side cursor (``.iterator()``):
    constant memory."""
    size = CHUNK_SIZE
    rows = participations.values(*PARTICIPANT_FIELDS, *fields).iterator(chunk_size=size)
    while chunk := list(islice(rows, size)):
        yield chunk


def is_sent(row: Row) -> bool:
    return row["status"] == Participation.Status.SHARED


def participant_header(*, campaign: Campaign, before_names: list[str] = ()) -> list[str]:
    header = ["Nom de l'organisation", "ID Campagne", "Code", "Nom de la campagne", *before_names,
              "Nom du Participant", "Prénom du Participant", "Classe"]
    if campaign.external_id_label:
        header.append(campaign.external_id_label)
    return header


def participant_cells(*, campaign: Campaign, row: Row, before_names: list[str] = ()) -> list:
    """``row`` comes from ``participation_chunks`` (the names and division annotated by ``participation_list``)."""
    cells = [campaign.organization.name, campaign.pk, campaign.code, campaign.name, *before_names,
             row["participant_last_name"] or "", row["participant_first_name"] or "", row["participant_division"] or ""]
    if campaign.external_id_label:
        cells.append(row["external_id"])
    return cells


def csv_response(*, campaign: Campaign, lines: Iterator[str]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    filename = export_filename(code=campaign.code, at=timezone.now())
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"  # personal data of minors: no copy in shared caches
    return response

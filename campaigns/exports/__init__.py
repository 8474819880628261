"""A campaign's results as CSV for a spreadsheet, streamed: the « Évaluation » export (``assessment``) and the
« Collecte de profils » export (``profiles``), in the format of ``csv`` (Pix Orga's).

    campaign_export_response(campaign=campaign, divisions=["2NDE1"])   # what the page and the API send
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import StreamingHttpResponse

from campaigns.exports.assessment import assessment_lines
from campaigns.exports.common import csv_response
from campaigns.exports.profiles import profiles_lines
from campaigns.models import Campaign, Participation
from campaigns.selectors.participations import participation_list


def export_lines(*, campaign: Campaign, participations: QuerySet[Participation]) -> Iterator[str]:
    """The file line by line; ``participations`` comes from ``participation_list`` (current, no previews)."""
    if campaign.type == Campaign.Type.PROFILES_COLLECTION:
        return profiles_lines(campaign=campaign, participations=participations)
    return assessment_lines(campaign=campaign, participations=participations)


def export_response(*, campaign: Campaign, participations: QuerySet[Participation]) -> StreamingHttpResponse:
    return csv_response(campaign=campaign, lines=export_lines(campaign=campaign, participations=participations))


def campaign_export_response(*, campaign: Campaign, divisions: list[str] | None = None,
                             statuses: list[str] | None = None, search: str | None = None) -> StreamingHttpResponse:
    """The campaign's current participants (the page's filters: classes, statuses, name), as a streamed CSV."""
    participations = participation_list(campaign=campaign, divisions=divisions, statuses=statuses, search=search)
    return export_response(campaign=campaign, participations=participations)

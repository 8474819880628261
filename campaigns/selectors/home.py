"""The school's home page: where it stands (team, students, campaigns, results) and the next thing to do.

Here because it reads every app below it (organizations ← students ← campaigns); a fixed number of queries whatever
the size of the school.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Q

from campaigns.models import Campaign, Participation
from organizations.models import Membership, Organization
from students.models import ImportJob, Learner

# The next step, first that applies: the team, the students, a campaign, its code given, the results.
NEXT_INVITE, NEXT_IMPORT, NEXT_WAIT_IMPORT, NEXT_CAMPAIGN, NEXT_SHARE_CODE, NEXT_FOLLOW, NEXT_RESULTS = (
    "invite", "import", "wait_import", "campaign", "share_code", "follow", "results")


@dataclass(frozen=True)
class OrganizationHome:
    members: int
    admins: int
    manages_students: bool
    learners: int
    last_import_at: datetime.datetime | None
    campaigns: int
    participants: int
    results_received: int
    last_result_at: datetime.datetime | None
    last_result_campaign_id: int | None
    latest_campaign_id: int | None
    next_step: str


def organization_home_read(*, organization: Organization, is_admin: bool) -> OrganizationHome:
    """At most six queries, for a workshop of three or a lycée of 2,500."""
    team = Membership.objects.active().filter(organization=organization).aggregate(
        members=Count("pk"), admins=Count("pk", filter=Q(role=Membership.Role.ADMIN)))
    learners, last_import_at = 0, None
    if organization.is_managing_students:
        learners = Learner.objects.filter(organization=organization, disabled_at__isnull=True).count()
        last_import_at = ImportJob.objects.filter(
            organization=organization, mode=ImportJob.Mode.APPLY, status=ImportJob.Status.DONE,
        ).aggregate(at=Max("finished_at"))["at"]
    campaigns = Campaign.objects.filter(organization=organization, archived_at__isnull=True)
    campaign_figures = campaigns.aggregate(count=Count("pk"), latest=Max("pk"))
    participations = Participation.objects.filter(campaign__organization=organization, is_preview=False)
    figures = participations.aggregate(
        participants=Count("pk"), shared=Count("pk", filter=Q(status=Participation.Status.SHARED)),
        last_shared=Max("shared_at"))
    last_result_campaign_id = None
    if figures["shared"]:
        last_result_campaign_id = (participations.filter(status=Participation.Status.SHARED)
                                   .order_by("-shared_at").values_list("campaign_id", flat=True).first())
    home = {
        "members": team["members"], "admins": team["admins"], "manages_students": organization.is_managing_students,
        "learners": learners, "last_import_at": last_import_at, "campaigns": campaign_figures["count"],
        "participants": figures["participants"], "results_received": figures["shared"],
        "last_result_at": figures["last_shared"], "last_result_campaign_id": last_result_campaign_id,
        "latest_campaign_id": campaign_figures["latest"],
    }
    return OrganizationHome(**home, next_step=next_step_choose(**home, is_admin=is_admin))


def next_step_choose(*, members: int, manages_students: bool, learners: int, campaigns: int, participants: int,
                     results_received: int, is_admin: bool, **_ignored) -> str:
    """Pure: the one thing to do next, in the order a school head meets them."""
    if is_admin and members <= 1:
        return NEXT_INVITE
    if manages_students and not learners:
        return NEXT_IMPORT if is_admin else NEXT_WAIT_IMPORT
    if not campaigns:
        return NEXT_CAMPAIGN
    if not participants:
        return NEXT_SHARE_CODE
    if not results_received:
        return NEXT_FOLLOW
    return NEXT_RESULTS

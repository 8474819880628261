"""Reads of a campaign's participants, for its page, its CSV export and the API.

The caller has already checked that the user may see the campaign. Preview participations (a teacher trying the
campaign) and earlier sendings (``is_current=False``) never appear nor count.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Expression, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from campaigns.models import Campaign, Participation
from students.names import name_fold
from students.selectors.learners import division_sort_key
from pixorga.collation import PARTICIPANT_NAMES, french_ordering

STATUSES = [status for status, _ in Participation.Status.choices]
# How many participants the page shows at once.
PARTICIPATIONS_PER_PAGE = 50


def _counted(*, campaign: Campaign) -> QuerySet[Participation]:
    return Participation.objects.filter(campaign=campaign, is_preview=False, is_current=True)


def _filtered(
    participations: QuerySet[Participation], *, divisions: list[str] | None, search: str | None
) -> QuerySet[Participation]:
    wanted = [division for division in (divisions or []) if division]
    if wanted:
        participations = participations.filter(learner__division__in=wanted)
    for word in name_fold(search).split():
        # A learner's search_key is already folded; without a learner, the account's names are searched instead.
        participations = participations.filter(
            Q(learner__search_key__contains=word)
            | Q(learner__isnull=True) & (Q(user__last_name__icontains=word) | Q(user__first_name__icontains=word))
        )
    return participations


def participation_list(
    *,
    campaign: Campaign,
    divisions: list[str] | None = None,
    statuses: list[str] | None = None,
    search: str | None = None,
) -> QuerySet[Participation]:
    """The campaign's current participants, sorted by name; each row carries ``participant_last_name``,
    ``participant_first_name`` and ``participant_division`` (the learner's, else the account's names)."""
    participations = _filtered(_counted(campaign=campaign), divisions=divisions, search=search)
    wanted = [status for status in (statuses or []) if status in STATUSES]
    if wanted:
        participations = participations.filter(status__in=wanted)
    return (
        participations.select_related("learner", "user")
        .annotate(
            participant_last_name=Coalesce("learner__family_name", "user__last_name"),
            participant_first_name=Coalesce("learner__first_name", "user__first_name"),
            participant_division=Coalesce("learner__division", Value("")),
        )
        .order_by(*french_ordering("participant_last_name", "participant_first_name", "pk", names=PARTICIPANT_NAMES))
    )


@dataclass(frozen=True)
class ParticipationCounts:
    total: int
    by_status: dict[str, int]

    def rows(self) -> list[dict]:
        """[{status, label, count}] in the order of the statuses."""
        return [{"status": status, "label": label, "count": self.by_status.get(status, 0)}
                for status, label in Participation.Status.choices]


def participation_counts(
    *, campaign: Campaign, divisions: list[str] | None = None, search: str | None = None
) -> ParticipationCounts:
    """Participants by status (one query), honouring the division and name filters but not the status one."""
    by_status = dict.fromkeys(STATUSES, 0)
    rows = (
        _filtered(_counted(campaign=campaign), divisions=divisions, search=search)
        .order_by().values("status").annotate(count=Count("pk"))
    )
    for row in rows:
        by_status[row["status"]] = row["count"]
    return ParticipationCounts(total=sum(by_status.values()), by_status=by_status)


@dataclass
class DivisionCounts:
    division: str
    by_status: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    def counts(self) -> list[int]:
        return [self.by_status[status] for status in STATUSES]


def participation_counts_by_division(*, campaign: Campaign) -> list[DivisionCounts]:
    """"Results class by class": participants by division × status (one query), divisions in natural order;
    participants without a learner (campaigns not reserved to students) come last with an empty division."""
    table: dict[str, DivisionCounts] = {}
    rows = (
        _counted(campaign=campaign)
        .annotate(division=Coalesce("learner__division", Value("")))
        .order_by().values("division", "status").annotate(count=Count("pk"))
    )
    for row in rows:
        table.setdefault(row["division"], DivisionCounts(row["division"])).by_status[row["status"]] = row["count"]
    return sorted(table.values(), key=lambda line: (line.division == "", division_sort_key(line.division)))


def participation_divisions(*, campaign: Campaign) -> list[str]:
    """The divisions of the campaign's participants (for the filter), in natural order."""
    divisions = (
        _counted(campaign=campaign).filter(learner__isnull=False).exclude(learner__division="")
        .values_list("learner__division", flat=True).distinct().order_by()
    )
    return sorted(divisions, key=division_sort_key)


def learner_participation_count() -> Expression:
    """« Participations » on « Élèves »: a learner's campaigns (``OuterRef("pk")``), without earlier sendings nor
    previews; provided to ``students.counts`` at start-up (one subquery, whatever the number of rows)."""
    participations = (
        Participation.objects.filter(learner=OuterRef("pk"), is_current=True, is_preview=False)
        .order_by().values("learner").annotate(count=Count("pk")).values("count")
    )
    return Coalesce(Subquery(participations, output_field=IntegerField()), Value(0))

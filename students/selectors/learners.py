"""Reads of learners, always scoped by an organization the caller has already checked access to."""

import re

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from organizations.models import Organization
from pixorga.collation import LEARNER_NAMES, french_ordering
from students.counts import learner_count_annotations
from students.models import Learner
from students.names import name_fold

# Public sort keys (the page's and the API's `ordering` parameter) → database ordering (names in French order).
LEARNER_ORDERINGS: dict[str, tuple[str, ...]] = {
    "name": ("family_name", "first_name", "pk"),
    "-name": ("-family_name", "-first_name", "-pk"),
    "first_name": ("first_name", "family_name", "pk"),
    "-first_name": ("-first_name", "-family_name", "-pk"),
    "division": ("division", "family_name", "first_name", "pk"),
    "-division": ("-division", "family_name", "first_name", "pk"),
    "birthdate": ("birthdate", "family_name", "first_name", "pk"),
    "-birthdate": ("-birthdate", "family_name", "first_name", "pk"),
    "linked": ("user_id", "family_name", "first_name", "pk"),
    "-linked": ("-user_id", "family_name", "first_name", "pk"),
}
DEFAULT_LEARNER_ORDERING = "name"

# The `certifiability` filter (page and API) → the stored value ("" = never known: « Non communiqué »).
CERTIFIABILITY_FILTERS = {
    "CERTIFIABLE": Learner.Certifiability.CERTIFIABLE,
    "NOT_CERTIFIABLE": Learner.Certifiability.NOT_CERTIFIABLE,
    "UNKNOWN": "",
}

_DIGITS = re.compile(r"(\d+)")


def learner_list(
    *,
    organization: Organization,
    search: str | None = None,
    divisions: list[str] | None = None,
    linked: bool | None = None,
    certifiability: str | None = None,
    ordering: str = DEFAULT_LEARNER_ORDERING,
) -> QuerySet[Learner]:
    """Active learners of the organization, filtered; an unknown ``ordering`` falls back to the name.

    Each carries its linked account (``select_related``) and the figures of ``students.counts`` (its
    ``participation_count``, from campaigns): subqueries, so the page costs the same whatever the number of rows.
    """
    learners = (
        Learner.objects.filter(organization=organization, disabled_at__isnull=True)
        .select_related("user")
        .annotate(**learner_count_annotations())
    )
    for word in name_fold(search).split():
        # search_key is already folded, so a plain containment test is accent- and case-free.
        learners = learners.filter(search_key__contains=word)
    wanted = [division for division in (divisions or []) if division]
    if wanted:
        learners = learners.filter(division__in=wanted)
    if linked is not None:
        learners = learners.filter(user__isnull=not linked)
    if certifiability:
        learners = learners.filter(certifiability=CERTIFIABILITY_FILTERS[certifiability])
    fields = LEARNER_ORDERINGS.get(ordering, LEARNER_ORDERINGS[DEFAULT_LEARNER_ORDERING])
    return learners.order_by(*french_ordering(*fields, names=LEARNER_NAMES))


def learner_get(*, organization: Organization, learner_id: int) -> Learner:
    """A learner of the organization (active or not), with its account; Http404 for any other id."""
    return get_object_or_404(Learner.objects.select_related("user"), organization=organization, pk=learner_id)


def learner_get_with_counts(*, organization: Organization, learner_id: int) -> Learner:
    """``learner_get`` with the figures of a row of « Élèves » (``participation_count``…), for the API."""
    return get_object_or_404(Learner.objects.select_related("user").annotate(**learner_count_annotations()),
                             organization=organization, pk=learner_id)


def division_sort_key(division: str) -> tuple:
    """Natural order: "6EME2" before "6EME10"; numbers compare as numbers, text case-insensitively."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
                 for part in _DIGITS.split(division) if part)


def learner_divisions(*, organization: Organization) -> list[str]:
    """The divisions of the organization's active learners, in natural order (without the empty one)."""
    divisions = (
        Learner.objects.filter(organization=organization, disabled_at__isnull=True)
        .exclude(division="")
        .values_list("division", flat=True)
        .distinct()
        .order_by()
    )
    return sorted(divisions, key=division_sort_key)

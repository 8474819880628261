"""Reads of the students app: learners (``learners.py``) and import jobs (``imports.py``)."""

from students.selectors.imports import import_job_for_admin, import_job_in_flight, import_job_last
from students.selectors.learners import (
    DEFAULT_LEARNER_ORDERING,
    LEARNER_ORDERINGS,
    division_sort_key,
    learner_divisions,
    learner_list,
)

__all__ = [
    "DEFAULT_LEARNER_ORDERING",
    "LEARNER_ORDERINGS",
    "division_sort_key",
    "import_job_for_admin",
    "import_job_in_flight",
    "import_job_last",
    "learner_divisions",
    "learner_list",
]

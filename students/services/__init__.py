"""Every write of the students app. Import engine: ``imports.py``."""

from students.services.imports import (
    import_job_apply_checked,
    import_job_can_requeue,
    import_job_create,
    import_job_queuing_failed,
    import_job_requeue,
    import_job_run,
    import_jobs_fail_stale,
    import_files_purge,
    import_report_disables_many,
)

__all__ = [
    "import_files_purge",
    "import_job_apply_checked",
    "import_job_can_requeue",
    "import_job_create",
    "import_job_queuing_failed",
    "import_job_requeue",
    "import_job_run",
    "import_jobs_fail_stale",
    "import_report_disables_many",
]

import pytest

from students.services import import_job_create
from students.tests.import_helpers import sample_upload, xml_upload


@pytest.fixture
def run_import(django_capture_on_commit_callbacks, school, alice_admin):
    """Upload then run an import (tasks are eager); returns the job as stored once the task is over."""

    def run(upload=None, *, students=None, mode="apply", organization=None, user=None, confirmed_disabled=0,
            **options):
        if students is not None:
            upload = xml_upload(students, **options)
        elif isinstance(upload, str):
            upload = sample_upload(upload)
        with django_capture_on_commit_callbacks(execute=True):
            job = import_job_create(organization=organization or school, user=user or alice_admin,
                                    uploaded_file=upload, mode=mode, confirmed_disabled=confirmed_disabled)
        job.refresh_from_db()
        return job

    return run

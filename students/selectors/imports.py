"""Reads of import jobs, scoped by the acting user or organization."""

import uuid

from django.http import Http404

from accounts.models import User
from organizations.models import Organization
from organizations.selectors import organization_for_admin
from students.models import ImportJob


def import_job_for_admin(*, user: User, organization_id: int, job_id) -> ImportJob:
    """A job of an organization the user administers: PermissionDenied for a member, Http404 for anyone else.

    The same rule for the pages and the API: a job's errors and report quote students' INEs.
    """
    organization = organization_for_admin(user=user, organization_id=organization_id)
    from students.services.imports import import_jobs_fail_stale

    import_jobs_fail_stale(organization=organization)  # a dead worker's job shows as failed, not stuck
    try:
        return (ImportJob.objects.select_related("organization", "uploaded_by")
                .get(organization=organization, pk=uuid.UUID(str(job_id))))
    except (ValueError, ImportJob.DoesNotExist):
        raise Http404 from None


def import_job_last(*, organization: Organization) -> ImportJob | None:
    """The last finished import (not a check), with who uploaded it."""
    return (ImportJob.objects.filter(organization=organization, mode=ImportJob.Mode.APPLY,
                                     status__in=(ImportJob.Status.DONE, ImportJob.Status.FAILED))
            .select_related("uploaded_by").order_by("-finished_at", "-created_at").first())


def import_job_in_flight(*, organization: Organization) -> ImportJob | None:
    from students.services.imports import import_jobs_fail_stale

    import_jobs_fail_stale(organization=organization)
    return (ImportJob.objects.filter(organization=organization,
                                     status__in=(ImportJob.Status.QUEUED, ImportJob.Status.RUNNING))
            .select_related("uploaded_by").first())

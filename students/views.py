"""Students pages: the list of learners, the SIECLE upload, and an import's status (polled by htmx)."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from students.obfuscation import login_obfuscate
from organizations.selectors import membership_get_active, organization_for_admin, organization_for_member
from pixorga import french
from pixorga.errors import DomainError
from students import services
from students.errors import QUEUE_UNAVAILABLE_MESSAGE, ImportConfirmationRequired
from students.export import export_response
from students.forms import DivisionFilterForm, ImportUploadForm, LearnerFilterForm
from students.models import ImportJob
from students.names import names_explaining
from students.selectors import (
    import_job_for_admin,
    import_job_in_flight,
    import_job_last,
    learner_divisions,
    learner_list,
)
from students.selectors.certification import (
    certification_school_calendar,
    learner_certifiability_counts,
    learners_to_certify,
)
from students.selectors.accounts import account_login
from students.selectors.learners import learner_get
from students.services.imports import INFRASTRUCTURE_CODES
from students.services.links import LearnerNotLinked, learner_unlink

LEARNERS_PER_PAGE = 50
# « Certification » lists every student not yet certifiable up to this many; beyond, the admin chooses classes.
CERTIFICATION_LIST_ALL_UP_TO = 150

# Where the « Certificabilité » column comes from (header tooltip and the counts' help).
CERTIFIABILITY_HELP = ("Certifiable : niveau 1 ou plus dans au moins 5 compétences. Mis à jour chaque nuit pour les "
                       "élèves qui se sont connectés, et à chaque envoi de profil (campagne « Collecte de profils »).")

# The list's sortable columns: (label, ordering key).
COLUMNS = [("Nom", "name"), ("Prénom", "first_name"), ("Date de naissance", "birthdate"), ("Classe", "division"),
           ("Compte", "linked")]

# Report categories in the order the page shows them: (key, label after an import, label for a check, help); a
# label is "singular,plural", agreed with the count (« 1 ignoré : parti », « 2 ignorés : partis »).
REPORT_CATEGORIES = [
    ("added", "ajouté,ajoutés", "à ajouter", ""),
    ("updated", "mis à jour", "à mettre à jour", ""),
    ("unchanged", "inchangé,inchangés", "inchangé,inchangés", ""),
    ("disabled", "sorti (désactivé),sortis (désactivés)", "à désactiver (sorti),à désactiver (sortis)",
     "absents du fichier : ils n'apparaissent plus dans la liste des élèves."),
    ("reenabled", "réactivé,réactivés", "à réactiver", "de retour dans le fichier après en avoir été absents."),
    ("skipped_left", "ignoré : parti,ignorés : partis", "ignoré : parti,ignorés : partis",
     "une date de sortie est renseignée dans SIECLE."),
    ("skipped_ine_pending", "ignoré : sans INE,ignorés : sans INE", "ignoré : sans INE,ignorés : sans INE",
     "nouveaux élèves en attente d'INE : ils apparaîtront quand SIECLE leur aura attribué un INE."),
    ("skipped_no_division", "ignoré : sans classe,ignorés : sans classe", "ignoré : sans classe,ignorés : sans classe",
     "aucune classe ne leur est attribuée dans SIECLE : ils apparaîtront quand ils en auront une."),
]




def _is_admin(request, organization) -> bool:
    membership = membership_get_active(user=request.user, organization=organization)
    return bool(membership and membership.is_admin)


def _columns(ordering: str) -> list[dict]:
    """Header links: a click sorts by the column, a second click reverses it."""
    columns = []
    for label, key in COLUMNS:
        current = ordering.lstrip("-") == key
        descending = ordering.startswith("-")
        columns.append({
            "label": label,
            "sort": f"-{key}" if current and not descending else key,
            "aria_sort": ("descending" if descending else "ascending") if current else "",
        })
    return columns


@login_required
@require_GET
def learners(request, organization_id: int):
    organization = organization_for_member(user=request.user, organization_id=organization_id)
    filter_form = LearnerFilterForm(request.GET, divisions=learner_divisions(organization=organization))
    filters = filter_form.filters()
    paginator = Paginator(learner_list(organization=organization, **filters), LEARNERS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for learner in page.object_list:
        # The username in clear (the teacher gives it to the student); an e-mail masked: recognised, not read.
        learner.login = account_login(learner.user) if learner.user_id else None
        # « lea » lists « JEAN Camille »: say it is her second first name.
        learner.matched_names = names_explaining(filters["search"], shown=[
            learner.family_name, learner.usage_name, learner.first_name], hidden=[
            ("2e prénom", learner.second_first_name), ("3e prénom", learner.third_first_name)])
    is_filtered = filter_form.is_filtered
    is_admin = _is_admin(request, organization)
    # Import jobs are for administrators only (their errors quote INEs), on this page as on theirs and in the API.
    last_job = import_job_last(organization=organization) if is_admin else None
    # Per class, whatever the other filters: « 2nde 1 : 18 certifiables sur 31 » stays a class's figure.
    counts = learner_certifiability_counts(organization=organization, divisions=filters["divisions"])
    reminders = []
    if organization.is_managing_students and counts:
        reminders = certification_school_calendar(organization=organization, today=timezone.localdate()).reminders
    context = {
        "organization": organization,
        "can_import": is_admin and organization.is_managing_students,
        "can_unlink": is_admin,
        "can_see_certification": is_admin and organization.is_managing_students,
        "certifiability_counts": counts,
        "certifiable_total": sum(item.certifiable for item in counts),
        "counted_total": sum(item.total for item in counts),
        "certifiability_help": CERTIFIABILITY_HELP,
        "reminders": reminders,
        "filter_form": filter_form,
        "is_filtered": is_filtered,
        "selected_divisions": filters["divisions"] or [],
        "columns": _columns(filters["ordering"]),
        "page": page,
        "total": learner_list(organization=organization).count() if is_filtered else paginator.count,
        "matching": paginator.count,
        "last_job": last_job,
        "last_job_errors_in_file": bool(last_job) and _errors_in_file(last_job),
        "last_job_error_groups": import_error_groups(last_job.errors) if last_job else [],
        "job_in_flight": import_job_in_flight(organization=organization) if is_admin else None,
    }
    return render(request, "students/learner_list.html", context)


@login_required
@require_GET
def learners_export(request, organization_id: int):
    """The students list as CSV, with the page's filters (search, classes, account, certifiability, sort)."""
    organization = organization_for_member(user=request.user, organization_id=organization_id)
    filters = LearnerFilterForm(request.GET, divisions=learner_divisions(organization=organization)).filters()
    return export_response(organization=organization, learners=learner_list(organization=organization, **filters))


@login_required
@require_GET
def certification(request, organization_id: int):
    """« Certification » (ADMIN): the next window and last collection date, and per class who still needs what."""
    organization = organization_for_admin(user=request.user, organization_id=organization_id)
    school_calendar = certification_school_calendar(organization=organization, today=timezone.localdate())
    counts = learner_certifiability_counts(organization=organization)
    filter_form = DivisionFilterForm(request.GET, divisions=[item.division for item in counts if item.division])
    chosen = filter_form.cleaned_data["division"] if filter_form.is_valid() else []
    to_certify = sum(item.total - item.certifiable for item in counts)
    # A small school sees every student at once; a big one chooses its classes (the page stays fast and short).
    shown = chosen or (None if to_certify <= CERTIFICATION_LIST_ALL_UP_TO else [])
    divisions = learners_to_certify(organization=organization, division_kind=school_calendar.division_kind,
                                    counts=counts, divisions=shown)
    sections = [
        {"calendar": calendar, "divisions": [item for item in divisions if item.kind == calendar.kind]}
        for calendar in school_calendar.calendars
    ]
    context = {
        "organization": organization,
        "school_calendar": school_calendar,
        "sections": sections,
        "several_kinds": len(sections) > 1,
        "filter_form": filter_form,
        "chosen": chosen,
        "nothing_shown": shown == [],
        "to_certify": to_certify,
        "total": sum(item.total for item in counts),
        "certifiable_total": sum(item.certifiable for item in counts),
        "certifiability_help": CERTIFIABILITY_HELP,
    }
    return render(request, "students/certification.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, organization_id: int):
    organization = organization_for_admin(user=request.user, organization_id=organization_id)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    status = 200 if request.method == "GET" or form.is_valid() else 400
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_job_create(
                organization=organization, user=request.user, uploaded_file=form.cleaned_data["file"],
                mode=form.cleaned_data["mode"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
            status = error.http_status
        else:
            return redirect("students:import_status", organization_id=organization.pk, job_id=job.pk)
    context = {
        "organization": organization,
        "form": form,
        "job_in_flight": import_job_in_flight(organization=organization),
    }
    return render(request, "students/import_upload.html", context, status=status)


def _errors_in_file(job) -> bool:
    """True when the job failed because of its file (fix it in SIECLE), not of the server (« Relancer »)."""
    return any(error.get("code") not in INFRASTRUCTURE_CODES for error in job.errors or [])


def import_error_groups(errors: list[dict]) -> list[dict]:
    """Errors in runs sharing one advice (the parser groups them by kind): the page gives each advice once."""
    groups: list[dict] = []
    for error in errors or []:
        students = error.get("students") or []
        total = max(error.get("students_total") or 0, len(students))
        shown = {**error, "students_total": total, "students_more": total > len(students)}
        advice = error.get("advice", "")
        if groups and groups[-1]["advice"] == advice:
            groups[-1]["errors"].append(shown)
        else:
            groups.append({"advice": advice, "errors": [shown]})
    return groups


def _report_rows(job) -> list[dict]:
    counts = (job.report or {}).get("counts", {})
    students = (job.report or {}).get("students", {})
    truncated = (job.report or {}).get("truncated", {})
    check = job.mode == ImportJob.Mode.CHECK
    rows = []
    for key, label, check_label, help_text in REPORT_CATEGORIES:
        names = students.get(key, [])
        count = counts.get(key, 0)
        rows.append({
            "key": key, "label": french.agree(count, *(check_label if check else label).split(",")),
            "help": help_text, "count": count, "count_text": french.number(count), "students": names,
            "more": max(truncated.get(key, count) - len(names), 0) if names else 0,
        })
    return rows


def _status_context(request, organization_id: int, job_id: uuid.UUID) -> dict:
    job = import_job_for_admin(user=request.user, organization_id=organization_id, job_id=job_id)
    organization = job.organization
    queuing_failed = services.import_job_queuing_failed(job)
    in_flight = job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)
    # The engine counts progress in points of a total (the share of the file read, then the writing).
    percent = min(100, round(100 * job.progress_done / job.progress_total)) if job.progress_total else 0
    return {
        "organization": organization,
        "job": job,
        "polling": in_flight and not queuing_failed,
        "queuing_failed": in_flight and queuing_failed,
        "queue_unavailable_message": QUEUE_UNAVAILABLE_MESSAGE,
        "can_requeue": services.import_job_can_requeue(job),
        "errors_in_file": _errors_in_file(job),
        "error_groups": import_error_groups(job.errors),
        "percent": percent,
        "report_rows": _report_rows(job),
        "disables_many": services.import_report_disables_many(job.report) if job.mode == ImportJob.Mode.CHECK else None,
        "held_for_confirmation": (job.report or {}).get("held_for_confirmation", False),
        "counts": (job.report or {}).get("counts", {}),
    }


@login_required
@require_GET
def import_status(request, organization_id: int, job_id: uuid.UUID):
    return render(request, "students/import_status.html", _status_context(request, organization_id, job_id))


@login_required
@require_GET
def import_progress(request, organization_id: int, job_id: uuid.UUID):
    """The part of the status page that htmx polls; without ``hx-trigger`` once the job is over."""
    return render(request, "students/_import_progress.html", _status_context(request, organization_id, job_id))


@login_required
@require_POST
def import_apply(request, organization_id: int, job_id: uuid.UUID):
    """« Importer » a checked file; one that disables more than a third of the students is confirmed first."""
    organization = organization_for_admin(user=request.user, organization_id=organization_id)
    try:
        confirmed = max(int(request.POST.get("confirmed_disabled") or 0), 0)
    except ValueError:
        confirmed = 0
    try:
        job = services.import_job_apply_checked(organization=organization, job_id=job_id, user=request.user,
                                                confirmed_disabled=confirmed)
    except ImportConfirmationRequired as needed:
        context = {"organization": organization, "job_id": job_id, "disabled": needed.disabled,
                   "active": needed.active}
        return render(request, "students/import_confirm.html", context)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("students:import_status", organization_id=organization.pk, job_id=job_id)
    return redirect("students:import_status", organization_id=organization.pk, job_id=job.pk)


@login_required
@require_POST
def import_requeue(request, organization_id: int, job_id: uuid.UUID):
    organization = organization_for_admin(user=request.user, organization_id=organization_id)
    try:
        job = services.import_job_requeue(organization=organization, job_id=job_id, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("students:import_status", organization_id=organization.pk, job_id=job_id)
    return redirect("students:import_status", organization_id=organization.pk, job_id=job.pk)


@login_required
@require_http_methods(["GET", "POST"])
def learner_unlink_view(request, organization_id: int, learner_id: int):
    """« Dissocier »: a confirmation page, then the learner is no longer linked to that account (ADMIN only)."""
    organization = organization_for_admin(user=request.user, organization_id=organization_id)
    learner = learner_get(organization=organization, learner_id=learner_id)
    name = f"{learner.first_name} {learner.family_name}"
    if request.method == "POST":
        login = login_obfuscate(learner.user.login) if learner.user_id else ""
        try:
            learner_unlink(organization=organization, learner_id=learner.pk, by=request.user)
        except LearnerNotLinked as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Le compte {login} n'est plus associé à {name}. L'élève pourra associer "
                                      "son compte en rejoignant une campagne avec son code.")
        return redirect("students:list", organization_id=organization.pk)
    if not learner.user_id:
        messages.error(request, LearnerNotLinked.default_message)
        return redirect("students:list", organization_id=organization.pk)
    context = {"organization": organization, "learner": learner, "name": name,
               "login": login_obfuscate(learner.user.login)}
    return render(request, "students/learner_unlink.html", context)

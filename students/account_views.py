"""« Gérer le compte » and « Réinitialiser les mots de passe » on « Élèves » (any member of the school).

The one-time passwords appear in the page that answers the POST (never in a redirect, a session or a log) and in
the downloaded file; both are sent with ``Cache-Control: no-store``.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from organizations.selectors import organization_for_member
from pixorga.errors import DomainError
from students.passwords_export import passwords_response
from students.selectors.accounts import account_login
from students.services.accounts import (
    NoLearnersChosen,
    learner_password_reset,
    learner_username_add,
    learner_with_account,
    learners_for_reset,
    learners_passwords_reset,
)

ACTION_USERNAME, ACTION_PASSWORD = "username", "password"


def _name(learner) -> str:
    return f"{learner.first_name} {learner.family_name}"


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def learner_account(request, organization_id: int, learner_id: int):
    """How the student logs in; « Ajouter l'identifiant », « Réinitialiser le mot de passe »; the password once."""
    organization = organization_for_member(user=request.user, organization_id=organization_id)
    learner = learner_with_account(organization=organization, learner_id=learner_id)
    context = {"organization": organization, "learner": learner, "name": _name(learner), "error": "",
               "password": "", "created_username": False}
    status = 200
    action = request.POST.get("action") if request.method == "POST" else None
    try:
        if action == ACTION_USERNAME:
            _username, context["password"] = learner_username_add(organization=organization, learner_id=learner.pk,
                                                                 by=request.user)
            context["created_username"] = True
        elif action == ACTION_PASSWORD:
            context["password"] = learner_password_reset(organization=organization, learner_id=learner.pk,
                                                         by=request.user)
    except DomainError as error:
        context["error"], status = error.message, error.http_status
    if context["password"]:
        learner = learner_with_account(organization=organization, learner_id=learner.pk)
        context["learner"] = learner
    context["login"] = account_login(learner.user)
    context["action_username"], context["action_password"] = ACTION_USERNAME, ACTION_PASSWORD
    return render(request, "students/learner_account.html", context, status=status)


def _chosen(data) -> dict:
    """The students chosen on the list: ``learners`` (ids, repeated) or ``division`` (a whole class)."""
    ids = [int(value) for value in data.getlist("learners") if str(value).isdigit()]
    division = (data.get("division") or "").strip()[:60]
    return {"learner_ids": ids or None, "division": None if ids else (division or None)}


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def passwords_reset(request, organization_id: int):
    """GET: what will happen (who gets a password, who is skipped). POST: do it, answer with the file."""
    organization = organization_for_member(user=request.user, organization_id=organization_id)
    chosen = _chosen(request.POST if request.method == "POST" else request.GET)
    if request.method == "POST":
        try:
            reset = learners_passwords_reset(organization=organization, by=request.user, **chosen)
        except NoLearnersChosen as error:
            return render(request, "students/passwords_reset.html", {
                "organization": organization, "error": error.message}, status=400)
        return passwords_response(reset)
    try:
        learners = learners_for_reset(organization=organization, **chosen)
    except NoLearnersChosen as error:
        return render(request, "students/passwords_reset.html", {"organization": organization,
                                                                "error": error.message}, status=400)
    linked = [learner for learner in learners if learner.user_id]
    return render(request, "students/passwords_reset.html", {
        "organization": organization,
        "division": chosen["division"],
        "learner_ids": chosen["learner_ids"] or [],
        "linked": linked,
        "without_username": sum(1 for learner in linked if not learner.user.username),
        "skipped": [learner for learner in learners if not learner.user_id],
    })

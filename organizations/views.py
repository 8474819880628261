"""Organization area pages: home, no-access page, switcher, team (roles, removal, leaving)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organizations.context_processors import SESSION_KEY, current_membership_for
from organizations.errors import LastAdminError
from organizations.forms import RoleForm, SwitchForm
from organizations.models import Membership
from organizations.selectors import (
    membership_get_active,
    membership_get_in_organization,
    membership_list_active,
    organization_for_admin,
    organization_for_member,
)
from organizations.services import membership_change_role, membership_leave, membership_remove
from pixorga.errors import DomainError


@login_required
@require_GET
def home(request):
    membership, _ = current_membership_for(request)
    if membership is None:
        if _is_a_student(request.user):
            return redirect("learner:home")  # a student logging in on /connexion: their « Mes parcours »
        return redirect("organizations:no_access")
    # The school's home page (campaigns app: it reads students and campaigns), with the next thing to do.
    return redirect("campaigns:home", organization_id=membership.organization_id)


def _is_a_student(user) -> bool:
    """A username (only students have one), a school record or a participation: not a teacher without a school."""
    return bool(user.username) or user.learners.exists() or user.participations.exists()


@login_required
@require_GET
def no_access(request):
    membership, _ = current_membership_for(request)
    if membership is not None:
        return redirect("organizations:home")
    return render(request, "organizations/no_access.html")


@login_required
@require_POST
def switch(request):
    form = SwitchForm(request.POST)
    if not form.is_valid():
        raise Http404
    organization = organization_for_member(user=request.user, organization_id=form.cleaned_data["organization_id"])
    request.session[SESSION_KEY] = organization.pk
    return redirect("campaigns:home", organization_id=organization.pk)


@login_required
@require_GET
def team(request, organization_id):
    organization = organization_for_member(user=request.user, organization_id=organization_id)
    membership = membership_get_active(user=request.user, organization=organization)
    request.session[SESSION_KEY] = organization.pk
    members = list(membership_list_active(organization=organization))
    context = {
        "organization": organization,
        "membership": membership,
        "is_admin": membership.is_admin,
        "members": members,
        # The last administrator is not offered what the service refuses (demotion, leaving): the page says why.
        "is_last_admin": membership.is_admin and sum(member.is_admin for member in members) == 1,
        "role_choices": Membership.Role.choices,
    }
    return render(request, "organizations/team.html", context)


@login_required
@require_POST
def member_role_change(request, organization_id, membership_id):
    organization = organization_for_admin(user=request.user, organization_id=organization_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez le rôle « Administrateur » ou « Membre ».")
        return redirect("organizations:team", organization_id=organization.pk)
    try:
        changed = membership_change_role(
            organization=organization, membership_id=membership_id, role=form.cleaned_data["role"], by=request.user
        )
    except Membership.DoesNotExist:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"{changed.user.full_name} est maintenant {changed.get_role_display().lower()}."
        )
    return redirect("organizations:team", organization_id=organization.pk)


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request, organization_id, membership_id):
    organization = organization_for_admin(user=request.user, organization_id=organization_id)
    try:
        target = membership_get_in_organization(organization=organization, membership_id=membership_id)
    except Membership.DoesNotExist:
        raise Http404 from None
    if request.method == "GET":
        return render(request, "organizations/member_remove_confirm.html",
                      {"organization": organization, "target": target})
    try:
        membership_remove(organization=organization, membership_id=target.pk, by=request.user)
    except Membership.DoesNotExist:
        raise Http404 from None
    except LastAdminError as error:
        messages.error(request, error.message)
        return redirect("organizations:team", organization_id=organization.pk)
    if target.user_id == request.user.pk:  # an admin removed themselves: same as leaving
        messages.success(request, f"Vous avez quitté l'organisation {organization.name}.")
        return redirect("organizations:home")
    messages.success(request, f"{target.user.full_name} ne fait plus partie de l'organisation.")
    return redirect("organizations:team", organization_id=organization.pk)


@login_required
@require_http_methods(["GET", "POST"])
def leave(request, organization_id):
    organization = organization_for_member(user=request.user, organization_id=organization_id)
    if request.method == "GET":
        return render(request, "organizations/leave_confirm.html", {"organization": organization})
    try:
        membership_leave(organization=organization, user=request.user)
    except Membership.DoesNotExist:
        raise Http404 from None
    except LastAdminError as error:
        messages.error(request, error.message)
        return redirect("organizations:team", organization_id=organization.pk)
    if request.session.get(SESSION_KEY) == organization.pk:
        del request.session[SESSION_KEY]
    messages.success(request, f"Vous avez quitté l'organisation {organization.name}.")
    return redirect("organizations:home")

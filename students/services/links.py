"""Links between learners and accounts, on the school's side: an ADMIN « Dissocier » a learner from the account
that linked it by mistake (the student then links the right account by joining a campaign again)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from organizations.models import Organization
from organizations.selectors import membership_get_active
from pixorga.errors import Conflict
from students.models import Learner, LearnerLinkEvent


class LearnerNotLinked(Conflict):
    code = "LEARNER_NOT_LINKED"
    default_message = "Cet élève n'est associé à aucun compte : il n'y a rien à dissocier."


@transaction.atomic
def learner_unlink(*, organization: Organization, learner_id: int, by: User) -> Learner:
    """Clear the learner's account; the audit trail keeps who was unlinked, by whom, when. Participations stay.

    Outsiders (and learners of other schools) → Http404; members who are not ADMIN → PermissionDenied;
    a learner linked to no account (or unlinked meanwhile by someone else) → ``LearnerNotLinked`` (409).
    """
    membership = membership_get_active(user=by, organization=organization)
    if membership is None:
        raise Http404
    if not membership.is_admin:
        raise PermissionDenied("Seuls les administrateurs de l'établissement peuvent dissocier un élève de son compte.")
    learner = Learner.objects.filter(organization=organization, pk=learner_id).first()
    if learner is None:
        raise Http404
    former_user_id = learner.user_id
    if former_user_id is None:
        raise LearnerNotLinked()
    # Conditional: two admins clicking at once unlink once and record one event.
    updated = Learner.objects.filter(pk=learner.pk, user_id=former_user_id).update(
        user=None, linked_at=None, updated_at=timezone.now()
    )
    if not updated:
        raise LearnerNotLinked()
    LearnerLinkEvent.objects.create(learner=learner, user_id=former_user_id, by=by,
                                    action=LearnerLinkEvent.Action.UNLINKED)
    learner.refresh_from_db()
    return learner

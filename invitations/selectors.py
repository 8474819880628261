from django.db.models import QuerySet

from invitations.models import Invitation
from organizations.models import Membership, Organization
from pixorga.collation import MEMBER_NAMES, french_ordering


def invitation_list_pending(*, organization: Organization) -> QuerySet[Invitation]:
    return Invitation.objects.filter(organization=organization, status=Invitation.Status.PENDING).order_by(
        "-last_sent_at", "-pk"
    )


def organization_admin_names(*, organization: Organization) -> list[str]:
    """Names (never e-mails) of the active admins, for whoever holds a link to this organization."""
    memberships = (
        Membership.objects.active()
        .filter(organization=organization, role=Membership.Role.ADMIN)
        .select_related("user")
        .order_by(*french_ordering("user__last_name", "user__first_name", "pk", names=MEMBER_NAMES))
    )
    return [m.user.full_name for m in memberships if m.user.full_name]

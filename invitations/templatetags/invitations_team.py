"""« Équipe » is organizations' page; the pending invitations on it are invitations': this tag reads and renders
them, so organizations needs nothing of invitations to show its team."""

from django import template

from invitations.selectors import invitation_list_pending

register = template.Library()


@register.inclusion_tag("invitations/_team_invitations.html", takes_context=True)
def team_invitations(context, organization):
    """For administrators (the page includes it only for them): the pending invitations, resend and cancel."""
    return {
        "organization": organization,
        "pending_invitations": list(invitation_list_pending(organization=organization)),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
        "user": context.get("user"),
    }

import factory
from django.conf import settings
from django.utils import timezone

from invitations.models import Invitation
from organizations.factories import OrganizationFactory
from pixorga.tokens import token_generate


class InvitationFactory(factory.django.DjangoModelFactory):
    """``InvitationFactory(...).raw_token`` holds the link's token (only its digest is stored)."""

    class Meta:
        model = Invitation

    organization = factory.SubFactory(OrganizationFactory)
    email = factory.Sequence(lambda n: f"invite{n}@example.net")
    expires_at = factory.LazyFunction(lambda: timezone.now() + settings.INVITATION_VALIDITY)
    token_digest = "placeholder"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        raw, digest = token_generate()
        kwargs["token_digest"] = digest
        obj = super()._create(model_class, *args, **kwargs)
        obj.raw_token = raw
        return obj

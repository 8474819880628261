import factory

from accounts.factories import UserFactory
from organizations.models import Membership, Organization


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Collège numéro {n}")
    type = Organization.Type.SCO
    external_id = factory.Sequence(lambda n: f"{n:07d}X")
    is_managing_students = True
    email = factory.LazyAttribute(lambda o: f"ce.{o.external_id.lower()}@ac-pix.fr")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.MEMBER

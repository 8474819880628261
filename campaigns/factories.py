import factory

from accounts.factories import UserFactory
from campaigns.codes import campaign_code_generate
from campaigns.models import Campaign, Participation
from organizations.factories import OrganizationFactory


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Campagne {n}")
    type = Campaign.Type.ASSESSMENT
    code = factory.LazyFunction(campaign_code_generate)
    title = "Parcours de rentrée"
    owner = factory.SubFactory(UserFactory)
    creator = factory.SelfAttribute("owner")


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    campaign = factory.SubFactory(CampaignFactory)
    user = factory.SubFactory(UserFactory)
    status = Participation.Status.STARTED

import factory
from django.utils import timezone

from accounts.models import User

DEFAULT_PASSWORD = "Pixorga2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@example.net")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    terms_accepted_at = factory.LazyFunction(timezone.now)
    pix_orga_terms_version = factory.LazyFunction(lambda: __import__("django.conf").conf.settings.PIX_ORGA_TERMS_VERSION)
    pix_orga_terms_accepted_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or DEFAULT_PASSWORD)
        if create:
            obj.save(update_fields=["password"])

import datetime

import factory

from organizations.factories import OrganizationFactory
from students.models import Learner
from students.names import name_search_key


class LearnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Learner

    organization = factory.SubFactory(OrganizationFactory)
    ine = factory.Sequence(lambda n: f"{n:010d}A")
    family_name = factory.Faker("last_name", locale="fr_FR")
    first_name = factory.Faker("first_name", locale="fr_FR")
    usage_name = ""
    second_first_name = ""
    third_first_name = ""
    sex = Learner.Sex.FEMALE
    birthdate = factory.Sequence(lambda n: datetime.date(2010, 1, 1) + datetime.timedelta(days=n % 1500))
    birth_country_code = "100"
    birth_city_code = "75056"
    division = "6EME1"
    status = Learner.Status.STUDENT
    search_key = factory.LazyAttribute(
        lambda o: name_search_key(o.family_name, o.usage_name, o.first_name, o.second_first_name, o.third_first_name)
    )

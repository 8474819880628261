"""factory_boy factories for a tiny bank in a test (the real bank: the ``content_bank`` fixture, content.testing)."""

import factory

from content.models import (
    Area,
    Badge,
    BadgeCriterion,
    Challenge,
    Competence,
    Release,
    Skill,
    Stage,
    TargetProfile,
    TargetProfileTube,
    Tube,
)

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _letters(n: int) -> str:
    """0 → "a", 25 → "z", 26 → "ba"…: tube names are letters only."""
    text = ""
    while True:
        text = _LETTERS[n % 26] + text
        n //= 26
        if not n:
            return text


class ReleaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Release
        django_get_or_create = ["version"]

    version = 1
    digest = "0" * 64


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ["code"]

    code = "1"
    name = "Information et données"


class CompetenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competence
        django_get_or_create = ["code"]

    area = factory.SubFactory(AreaFactory, code=factory.LazyAttribute(lambda o: o.factory_parent.code[0]))
    code = "1.1"
    name = factory.LazyAttribute(lambda o: f"Compétence {o.code}")
    description = ""


class TubeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tube

    name = factory.Sequence(lambda n: f"sujet{_letters(n).capitalize()}")
    competence = factory.SubFactory(CompetenceFactory)
    practical_title = factory.LazyAttribute(lambda o: f"Le sujet {o.name}")
    practical_description = ""
    is_active = True


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill

    tube = factory.SubFactory(TubeFactory)
    level = 1
    name = factory.LazyAttribute(lambda o: f"@{o.tube.name}{o.level}")
    status = Skill.Status.ACTIVE
    hint = "Relisez la question."
    pix_value = 4.0


class ChallengeFactory(factory.django.DjangoModelFactory):
    """A QCU whose right option is the second."""

    class Meta:
        model = Challenge

    id = factory.Sequence(lambda n: f"epreuve-{n}")
    skill = factory.SubFactory(SkillFactory)
    type = Challenge.Type.QCU
    instruction = "Quelle est la bonne réponse ?"
    proposals = factory.LazyFunction(lambda: ["Celle-ci", "Celle-là", "Aucune"])
    solution = "2"
    solution_to_display = "« Celle-là » est la bonne réponse."
    status = Challenge.Status.VALIDATED
    release = factory.SubFactory(ReleaseFactory)


class TargetProfileFactory(factory.django.DjangoModelFactory):
    """A public profile; ``tubes=[(tube, level), …]`` caps tubes."""

    class Meta:
        model = TargetProfile
        skip_postgeneration_save = True

    key = factory.Sequence(lambda n: f"parcours-{n}")
    name = factory.Sequence(lambda n: f"Parcours {n}")
    description = "Pour les enseignants."
    category = TargetProfile.Category.TARGETED
    is_public = True
    owner_organization = None

    @factory.post_generation
    def tubes(obj, create, extracted, **kwargs):
        for tube, level in extracted or []:
            TargetProfileTube.objects.create(target_profile=obj, tube=tube, level=level)


class TargetProfileTubeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetProfileTube

    target_profile = factory.SubFactory(TargetProfileFactory)
    tube = factory.SubFactory(TubeFactory)
    level = 8


class StageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stage

    target_profile = factory.SubFactory(TargetProfileFactory)
    threshold = 0
    title = factory.LazyAttribute(lambda o: f"Palier {o.threshold} %")


class BadgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Badge

    target_profile = factory.SubFactory(TargetProfileFactory)
    key = factory.Sequence(lambda n: f"badge-{n}")
    title = factory.Sequence(lambda n: f"Badge {n}")


class BadgeCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BadgeCriterion

    badge = factory.SubFactory(BadgeFactory)
    scope = BadgeCriterion.Scope.CAMPAIGN
    threshold = 60

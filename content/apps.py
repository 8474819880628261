from django.apps import AppConfig


def _competence_names() -> dict[str, str]:
    from content.models import Competence

    return dict(Competence.objects.values_list("code", "name"))


class ContentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "content"
    verbose_name = "Contenus (référentiel, épreuves, parcours)"

    def ready(self):
        from students.competences import competence_names_provide

        # « Certification » (students) names the competences each student still needs: the bank is content's.
        competence_names_provide(build=_competence_names)

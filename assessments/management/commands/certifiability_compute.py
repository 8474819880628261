import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from assessments.services.certifiability import certifiability_compute
from pixorga.french import plural


class Command(BaseCommand):
    help = ("Calcule la certificabilité des élèves dont le compte a servi (connexion ou réponse à une question) "
            "dans les dernières 24 heures et l'inscrit sur la page « Élèves ». À lancer chaque soir à 21 h "
            "(heure de Paris) par cron si Celery beat ne tourne pas : "
            "0 21 * * * python manage.py certifiability_compute")

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24,
                            help="Comptes utilisés depuis ce nombre d'heures (24 par défaut ; plus pour rattraper "
                                 "des soirs manqués).")

    def handle(self, *args, hours: int, **options):
        if hours < 1:
            raise CommandError("--hours doit valoir au moins 1.")
        now = timezone.now()
        run = certifiability_compute(since=now - datetime.timedelta(hours=hours), now=now)
        self.stdout.write(
            f"Certificabilité calculée : {_count(run.learners, 'élève')} ({_count(run.accounts, 'compte')}), "
            f"{_count(run.written, 'mise', 'mises')} à jour, en {f'{run.seconds:.1f}'.replace('.', ',')} s."
        )


def _count(number: int, singular: str, plural_form: str = "") -> str:
    return plural(number, singular, plural_form)

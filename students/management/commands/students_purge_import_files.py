from django.core.management.base import BaseCommand

from students.services import import_files_purge


class Command(BaseCommand):
    help = ("Supprime les fichiers SIECLE qui ne servent plus (imports terminés depuis plus de 24 h) et "
            "marque en échec les imports dont le traitement a été interrompu. À lancer toutes les heures.")

    def handle(self, *args, **options):
        purged = import_files_purge()
        self.stdout.write(f"{purged} fichier(s) d'import supprimé(s).")

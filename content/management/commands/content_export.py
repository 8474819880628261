"""``manage.py content_export [--output FILE]``: the loaded content as JSON, solutions included (staff, tests)."""

import json

from django.core.management.base import BaseCommand

from content.export import content_export_data


class Command(BaseCommand):
    help = "Écrit le contenu chargé (version, domaines, compétences, sujets, acquis, épreuves avec leurs solutions) en JSON."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="Fichier à écrire (par défaut : la sortie standard).")

    def handle(self, *args, output=None, **options):
        text = json.dumps(content_export_data(), ensure_ascii=False, indent=2)
        if output:
            with open(output, "w", encoding="utf-8") as stream:
                stream.write(text + "\n")
            self.stderr.write(f"Contenu écrit dans {output}.")
        else:
            self.stdout.write(text)

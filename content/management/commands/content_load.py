"""``manage.py content_load [PATH] [--check]``: check the content bank, then load it as a new release."""

import time
from django.core.management.base import BaseCommand, CommandError

from content.loader import BANK_PATH, BankInvalid, bank_read
from content.services import content_release_apply

LABELS = {"areas": "domaines", "competences": "compétences", "tubes": "sujets", "skills": "acquis",
          "challenges": "épreuves", "target_profiles": "parcours"}


class Command(BaseCommand):
    help = ("Vérifie toute la banque de contenus (chaque erreur avec son fichier et sa ligne), puis la charge en une "
            "transaction comme une nouvelle version ; rien n'est écrit si un fichier a une erreur ou si rien n'a "
            "changé.")

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(BANK_PATH),
                            help="Dossier de la banque (par défaut content/bank).")
        parser.add_argument("--check", action="store_true", help="Vérifier seulement, sans rien écrire.")

    def handle(self, *args, path, check, **options):
        started = time.monotonic()
        try:
            bank = bank_read(path)
        except BankInvalid as invalid:
            for error in invalid.errors:
                self.stderr.write(str(error))
            count = len(invalid.errors)
            raise CommandError(f"{count} erreur{'s' if count > 1 else ''} dans la banque : rien n'a été chargé. "
                               "Corrigez les fichiers indiqués, puis relancez content_load.") from None
        active = sum(1 for skill in bank.skills if skill.is_active)
        summary = (f"{len(bank.competences)} compétences, {len(bank.tubes)} sujets, {active} acquis actifs, "
                   f"{len(bank.challenges)} épreuves, {len(bank.target_profiles)} parcours")
        if check:
            self.stdout.write(self.style.SUCCESS(f"Banque valide : {summary}."))
            return
        release = content_release_apply(bank=bank)
        elapsed = time.monotonic() - started
        if not release.was_created:
            self.stdout.write(f"Rien n'a changé depuis la version {release.version} (empreinte "
                              f"{release.digest[:12]}) : aucune écriture. {summary}. ({elapsed:.2f} s)")
            return
        self.stdout.write(self.style.SUCCESS(
            f"Version {release.version} chargée (empreinte {release.digest[:12]}) : {summary}. ({elapsed:.2f} s)"))
        for name, counts in release.changes.items():
            # Nouns before the numbers: no agreement to get wrong (« 1 épreuve ajoutée », « 2 acquis ajoutés »).
            self.stdout.write(f"  {LABELS.get(name, name)} — ajouts : {counts['created']:_}, modifications : "
                              f"{counts['updated']:_}, archivages : {counts['archived']:_}".replace("_", "\u202f"))

"""Activate a school: create the organization and invite its first administrator (``organization_activate``);
prints the new organization's id."""

from django.core.management.base import BaseCommand, CommandError

from invitations.services import organization_activate
from pixorga.errors import DomainError


class Command(BaseCommand):
    help = "Crée une organisation et envoie l'invitation du premier administrateur ; affiche son identifiant."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="Nom, ex. « Lycée Pix »")
        parser.add_argument("--type", required=True, choices=["SCO", "SUP", "PRO", "sco", "sup", "pro"],
                            help="SCO (établissement scolaire), SUP ou PRO")
        parser.add_argument("--uai", default="", help="UAI pour SCO (7 chiffres et une lettre, ex. 0751234A)")
        parser.add_argument("--email", required=True, help="Adresse de contact (ce.UAI@ac-…) qui reçoit l'invitation")
        parser.add_argument("--managing-students", action="store_true", help="L'organisation gère des élèves")

    def handle(self, *args, **options):
        try:
            organization = organization_activate(
                name=options["name"], type=options["type"], uai=options["uai"], email=options["email"],
                is_managing_students=options["managing_students"],
            )
        except DomainError as error:
            raise CommandError(f"{error.message} [{error.code}]") from None
        self.stdout.write(str(organization.pk))

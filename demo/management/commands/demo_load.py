"""Load the content bank and the demo school, idempotently, and print how to get in.

Loads ``content/bank`` first (through ``content_release_apply``, as ``content_load`` does: nothing is written when
the bank did not change). Creates "Lycée Pix" (through ``organization_activate``, which invites its first
administrator) and a staff account for the Django admin. Each run prints a fresh first-admin link until the school
is activated. Also a workshop that does not manage students, with a teacher, a student and two campaigns (an
assessment on « Parcours de rentrée 6e » and a profiles collection), so the test can be tried at once.
"""

import re
from contextlib import contextmanager

from django.conf import settings
from django.core import mail
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from campaigns.models import Campaign
from campaigns.services.campaigns import campaign_create
from content.loader import BANK_PATH, BankInvalid, bank_read
from content.models import TargetProfile
from content.services import content_release_apply
from invitations.services import invitation_send_first_admin, organization_activate
from organizations.models import Membership, Organization
from organizations.services import membership_grant
from pixorga.errors import DomainError

SCHOOL = {
    "name": "Lycée Pix",
    "type": Organization.Type.SCO,
    "uai": "0751234A",
    "email": "ce.0751234a@ac-pix.fr",
    "is_managing_students": True,
}
WORKSHOP = {
    "name": "Atelier numérique Pix (démonstration)",
    "type": Organization.Type.PRO,
    "uai": "",
    "email": "atelier@pixorga.invalid",
    "is_managing_students": False,
}
TEACHER_EMAIL = "enseignant@pixorga.invalid"
STUDENT_EMAIL = "eleve@pixorga.invalid"
DEMO_CAMPAIGNS = [
    {"name": "Démo – Parcours de rentrée 6e", "type": Campaign.Type.ASSESSMENT,
     "target_profile_key": "parcours-de-rentree-6e", "title": "Parcours de rentrée",
     "landing_page_text": "Bienvenue ! Ce parcours dure environ 30 minutes. Répondez sans vous presser."},
    {"name": "Démo – Collecte de profils", "type": Campaign.Type.PROFILES_COLLECTION,
     "target_profile_key": None, "title": "Envoi de votre profil", "landing_page_text": ""},
]
STAFF_EMAIL = "staff@pixorga.invalid"
# A local demo only: the command refuses to run with DEBUG off.
STAFF_PASSWORD = "PixorgaDemo2026"


@contextmanager
def _emails_captured():
    """Send e-mails now, into a list: the invitation link exists only in its e-mail (only its digest is stored)."""
    from pixorga.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            if not hasattr(mail, "outbox"):
                mail.outbox = []
            yield mail.outbox
    finally:
        app.conf.task_always_eager, app.conf.task_eager_propagates = saved


def _join_link(outbox, *, to: str) -> str:
    prefix = f"{settings.SITE_URL}{reverse('invitations:join')}?token="
    for message in reversed(outbox):
        if to in message.to:
            found = re.search(re.escape(prefix) + r"[A-Za-z0-9_\-%]+", message.body)
            if found:
                return found.group(0)
    raise CommandError("L'e-mail d'invitation du premier administrateur n'a pas été envoyé : voir les logs.")


class Command(BaseCommand):
    help = ("Charge l'établissement de démonstration « Lycée Pix » et un compte équipe Pix (idempotent), "
            "puis affiche le lien d'activation et les identifiants.")

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true",
                            help="Accepter de tourner avec DEBUG désactivé (le mot de passe de démo est public).")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError("demo_load sert à la démonstration locale (DEBUG activé) : son mot de passe est "
                               "public. Ajoutez --force si vous savez ce que vous faites.")
        release = self._content()
        try:
            with _emails_captured() as outbox:
                school, admins = self._school(outbox)
                workshop, campaigns = self._workshop()
        except DomainError as error:
            raise CommandError(f"{error.message} [{error.code}]") from None
        staff_created = self._staff()
        self._print(school, admins=admins, outbox=outbox, staff_created=staff_created)
        self._print_workshop(workshop, campaigns)
        self.stdout.write(self.style.MIGRATE_HEADING("Banque de contenus") + f" : version {release.version}"
                          + (" chargée." if release.was_created else " (déjà à jour)."))
        self.stdout.write("")

    def _content(self):
        try:
            return content_release_apply(bank=bank_read(BANK_PATH))
        except BankInvalid as invalid:
            for error in invalid.errors:
                self.stderr.write(str(error))
            raise CommandError("La banque de contenus a des erreurs (ci-dessus) : corrigez-les, puis relancez "
                               "demo_load.") from None

    def _school(self, outbox) -> tuple[Organization, list[str]]:
        school = Organization.objects.filter(type=SCHOOL["type"], external_id=SCHOOL["uai"]).first()
        if school is None:
            school = organization_activate(**SCHOOL)  # also sends the first-admin invitation
            return school, []
        admins = list(
            Membership.objects.active()
            .filter(organization=school, role=Membership.Role.ADMIN)
            .order_by("created_at")
            .values_list("user__email", flat=True)
        )
        if not admins:
            invitation_send_first_admin(organization=school)  # a fresh link; the previous one stops working
        return school, admins

    @transaction.atomic
    def _workshop(self) -> tuple[Organization, list[Campaign]]:
        """A workshop without a student base: anyone with a code joins and takes the test."""
        workshop = Organization.objects.filter(name=WORKSHOP["name"], type=WORKSHOP["type"]).first()
        if workshop is None:
            workshop = organization_activate(**WORKSHOP)
        teacher = self._demo_user(TEACHER_EMAIL, first_name="Camille", last_name="Enseignante")
        membership_grant(organization=workshop, user=teacher, role=Membership.Role.ADMIN)
        self._demo_user(STUDENT_EMAIL, first_name="Léo", last_name="Élève")
        campaigns = []
        for spec in DEMO_CAMPAIGNS:
            campaign = Campaign.objects.filter(organization=workshop, name=spec["name"]).first()
            if campaign is None:
                profile = None
                if spec["target_profile_key"]:
                    profile = TargetProfile.objects.get(key=spec["target_profile_key"])
                campaign = campaign_create(organization=workshop, by=teacher, name=spec["name"], type=spec["type"],
                                           title=spec["title"], landing_page_text=spec["landing_page_text"],
                                           target_profile=profile, multiple_sendings=True)
            campaigns.append(campaign)
        return workshop, campaigns

    def _demo_user(self, email: str, *, first_name: str, last_name: str) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, STAFF_PASSWORD, first_name=first_name, last_name=last_name,
                                            terms_accepted_at=timezone.now())
        return user

    def _print_workshop(self, workshop: Organization, campaigns: list[Campaign]) -> None:
        write, bold = self.stdout.write, self.style.MIGRATE_HEADING
        site = settings.SITE_URL
        write(bold(f"Atelier de démonstration, sans base élèves : {workshop.name}"))
        write(f"  Enseignant (administrateur) : {TEACHER_EMAIL}   Mot de passe : {STAFF_PASSWORD}")
        for campaign in campaigns:
            write(f"  {campaign.get_type_display()} « {campaign.title or campaign.name} » : code {campaign.code}"
                  f"  →  {site}{reverse('join:landing', kwargs={'code': campaign.code})}")
        write(f"  Élève : {STUDENT_EMAIL}   Mot de passe : {STAFF_PASSWORD} (ou créez un compte sur la page de la "
              "campagne)")
        write("")

    @transaction.atomic
    def _staff(self) -> bool:
        if User.objects.filter(email=STAFF_EMAIL).exists():
            return False
        User.objects.create_superuser(STAFF_EMAIL, STAFF_PASSWORD, first_name="Équipe", last_name="Pix")
        return True

    def _print(self, school: Organization, *, admins: list[str], outbox, staff_created: bool) -> None:
        write, bold = self.stdout.write, self.style.MIGRATE_HEADING
        site = settings.SITE_URL
        write("")
        write(bold(f"Établissement de démonstration : {school.name} (UAI {school.external_id})"))
        if admins:
            write(f"  Déjà activé : connectez-vous sur {site}{reverse('accounts:login')} avec {', '.join(admins)}.")
        else:
            link = _join_link(outbox, to=school.email)
            write("  1. Ouvrez le lien d'activation (invitation du premier administrateur, envoyée à "
                  f"{school.email}) :")
            write(f"     {link}")
            write("  2. Créez votre compte sur cette page : vous devenez administrateur de l'établissement.")
            write("  3. Acceptez les CGU Pix Orga, puis « Équipe » › « Inviter un membre ».")
            write(self.style.WARNING("  Chaque lancement de demo_load envoie un nouveau lien : le précédent ne "
                                     "fonctionne plus."))
        write("")
        write(bold("Compte équipe Pix (administration Django)"))
        write(f"  {site}{reverse('admin:index')}")
        if staff_created:
            write(f"  Identifiant : {STAFF_EMAIL}   Mot de passe : {STAFF_PASSWORD}")
        else:
            write(f"  Identifiant : {STAFF_EMAIL}   Mot de passe : {STAFF_PASSWORD} (s'il n'a pas été changé depuis)")
        write("")

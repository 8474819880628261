"""``manage.py changepassword``: Django's command, and then what every password change does here — the account's
API keys revoked (whoever held the old password may hold a key) and its login lockout lifted.

``accounts`` comes before ``django.contrib.auth`` in INSTALLED_APPS so that this command is the one run.
"""

import getpass

from django.contrib.auth.management.commands import changepassword
from django.db import transaction

from accounts.models import User
from accounts.services import user_password_changed


class Command(changepassword.Command):
    help = changepassword.Command.help + " Revokes the account's API keys."

    def handle(self, *args, **options):
        with transaction.atomic(using=options["database"]):
            message = super().handle(*args, **options)
            login = options["username"] or getpass.getuser()
            user = User._default_manager.using(options["database"]).get(**{User.USERNAME_FIELD: login})
            user_password_changed(user=user)
        return message

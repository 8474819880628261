from django.apps import AppConfig
from django.db.backends.signals import connection_created

from pixorga.collation import register_sqlite_collation


class PixorgaConfig(AppConfig):
    name = "pixorga"

    def ready(self):
        from pixorga import checks  # noqa: F401  (registers the deployment checks)

        connection_created.connect(register_sqlite_collation, dispatch_uid="pixorga_fr_collation")

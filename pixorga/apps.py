from django.apps import AppConfig


class PixorgaConfig(AppConfig):
    name = "pixorga"

    def ready(self):
        from pixorga import checks  # noqa: F401  (registers the deployment checks)

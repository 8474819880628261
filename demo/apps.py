from django.apps import AppConfig


class DemoConfig(AppConfig):
    """``manage.py demo_load``: the demo school of ``make demo``. It sits above every other app (it fills them all
    through their services), so that the project package ``pixorga`` imports none of them."""

    name = "demo"
    verbose_name = "Démonstration"

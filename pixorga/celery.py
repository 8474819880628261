import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pixorga.settings")

app = Celery("pixorga")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

if not app.conf.broker_url:
    # Embedded default (no broker configured): tasks run eagerly, yet Celery still builds a producer to serialise
    # them; the in-memory transport keeps kombu from assuming an AMQP server on localhost (and warning about it).
    app.conf.broker_url = "memory://localhost/"

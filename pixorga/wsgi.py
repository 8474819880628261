"""The web process's WSGI application (gunicorn: ``gunicorn pixorga.wsgi``)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pixorga.settings")
application = get_wsgi_application()

# The garbage collector, tuned for a web process. What is loaded to serve (Django, the apps, the URLs, the
# templates' code) lives as long as the process: frozen, the collector no longer walks it on every full collection.
# A request allocates thousands of objects that reference counting frees when it ends. Python's default thresholds
# (700, 10, 10) made a full collection every few requests, and each one, in a worker holding its caches (skill
# sets), stopped every request of that worker for tens to hundreds of milliseconds (bench_answer.py): the young
# generations are still collected as before, full collections a hundred times less often.
gc.collect()
gc.freeze()
gc.set_threshold(700, 10, 1000)

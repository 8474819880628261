"""Helpers shared by the tests (imported by tests only)."""

import threading

from django.db import connection


def run_together(target, count: int) -> list[tuple[str, object]]:
    """Call ``target(i)`` for i in range(count) from ``count`` real threads released at the same instant.

    Returns, per thread, ``("ok", result)`` or ``("error", exception)``. Each thread closes its own database
    connection, so PostgreSQL can drop the test database afterwards.
    """
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def worker(i):
        try:
            barrier.wait(timeout=10)
            results[i] = ("ok", target(i))
        except Exception as error:  # noqa: BLE001 — collected and asserted by the caller
            results[i] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


class broker_unreachable:
    """The Celery app publishes to a broker nobody listens on (eager off) inside the block, then gets its own back.

    The write URL: Celery prefers the CELERY_BROKER_URL environment variable (set in CI) to broker_url.
    """

    def __enter__(self):
        from pixorga.celery import app

        self.app = app
        self.saved = (app.conf.get("broker_write_url"), app.conf.task_always_eager)
        app.conf.broker_write_url = "redis://127.0.0.1:1/0"
        app.conf.task_always_eager = False
        app._pool = None
        app.amqp._producer_pool = None
        return self

    def __exit__(self, *exc_info):
        self.app.conf.broker_write_url, self.app.conf.task_always_eager = self.saved
        self.app._pool = None
        self.app.amqp._producer_pool = None
        return False

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

"""Requests at the same moment: threads, each with its own database connection, released together."""

import threading

from django.db import connection


def at_once(n: int, work) -> list:
    """Run `work(i)` in `n` threads released together; the results (or the exceptions raised) in order."""
    barrier, results = threading.Barrier(n), [None] * n

    def run(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # a lost write or a broken rule shows up here
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def errors(results: list) -> list:
    return [r for r in results if isinstance(r, Exception)]

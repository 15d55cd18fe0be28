"""Helpers for tests of several apps (test code: outside the runtime packages)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections


def skip_unless_postgresql() -> None:
    """Skip a concurrency test on SQLite: row locks need PostgreSQL; SQLite serialises every writer anyway."""
    if connection.vendor == "sqlite":
        pytest.skip("row locks need PostgreSQL; SQLite serialises every writer anyway")


def run_in_threads(*calls: Callable[[], object]) -> list[object]:
    """Run each call in its own thread, so on its own database connection; return
    what each returned or the exception it raised, in the order given."""
    outcomes: list[object] = [None] * len(calls)

    def runner(index: int, call: Callable[[], object]) -> None:
        try:
            outcomes[index] = call()
        except Exception as error:  # the test asserts on it
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes

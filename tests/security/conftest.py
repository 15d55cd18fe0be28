"""The world with two of everything, built once per module inside a transaction
that is rolled back afterwards (each test runs in a savepoint within it)."""

from __future__ import annotations

import pytest
import time_machine
from django.db import transaction

from tests.security.world import NOW, build_world


@pytest.fixture(scope="module")
def two_sided_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with time_machine.travel(NOW, tick=False):
                world = build_world()
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def world(two_sided_world, db):
    """The module's world, for one test (its changes are rolled back after it); time stands at NOW."""
    with time_machine.travel(NOW, tick=False):
        yield two_sided_world

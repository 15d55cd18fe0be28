import pytest
import time_machine
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def world():
    """The small known world of scorecards/tests/world.py, built on its day (TODAY)."""
    from scorecards.tests.world import TODAY, build_world

    with time_machine.travel(TODAY, tick=False):
        yield build_world()


@pytest.fixture
def on_world_day():
    """Run the test on the known world's day, so "this period" and "overdue" are fixed."""
    from scorecards.tests.world import TODAY

    with time_machine.travel(TODAY, tick=False):
        yield

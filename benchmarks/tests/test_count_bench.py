"""The synthetic world behind the suggested-order benchmark builds and measures (PostgreSQL only)."""

import pytest
from django.db import connection

from benchmarks.counts import build_world, measure

pytestmark = pytest.mark.django_db


def test_bench_counts_tiny_world_measures():
    if connection.vendor != "postgresql":
        pytest.skip("the benchmark world is built with PostgreSQL's INSERT … SELECT")
    build_world(dealers=3, products=5, counts=3)
    build_world(dealers=3, products=5, counts=3)  # idempotent
    figures = measure()
    assert figures["dealers"] == 3 and figures["lines"] == 15
    assert figures["queries"] <= 9

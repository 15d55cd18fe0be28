"""The benchmark's smoke run: a tiny world in the test database, every case timed
once or twice, no load test. Only the JSON's shape is checked (no thresholds)."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db

CASES = {
    "dealer_list_api", "order_list_api", "region_scorecard_page", "dealer_kpi_page", "visit_suggested_order_api",
    "visit_suggested_order_page", "stock_count_save_200_lines", "suggested_orders_batch",
}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark world is built with PostgreSQL SQL")
def test_bench_smoke_prints_one_json_object_with_every_case():
    out = io.StringIO()
    call_command("bench", "--smoke", "--runs", "1", stdout=out)
    report = json.loads(out.getvalue())
    assert report["smoke"] is True
    assert report["world"]["dealers"] == 20
    assert report["world"]["orders"] == 200
    assert set(report["cases"]) == CASES
    for name, figures in report["cases"].items():
        assert {"median_ms", "queries", "target", "met"} <= set(figures), name
        if figures["median_ms"] is None:
            assert figures["note"].startswith("missing"), name
        else:
            assert figures["queries"] >= 0
    assert report["cases"]["region_scorecard_page"]["median_ms"] is not None
    assert report["cases"]["region_scorecard_page"]["target"] == {"queries_max": 15, "median_ms_max": 300}
    assert "skipped" in report["load_dealer_list"]
    assert isinstance(report["targets_missed"], list)


def test_bench_refuses_sqlite_or_a_database_other_than_the_bench_one(settings):
    from django.core.management.base import CommandError

    from scorecards.management.commands import bench

    command = bench.Command()
    with pytest.raises(CommandError):
        command._run({"smoke": False, "scale": 0.01, "runs": 1, "rebuild": False, "no_load": True}, smoke=False)


def test_bench_database_url_always_names_the_bench_database(monkeypatch):
    from scorecards.management.commands.bench import bench_database_url

    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@db.example:5433/dealer_crm")
    monkeypatch.delenv("BENCH_DATABASE_URL", raising=False)
    assert bench_database_url() == "postgres://postgres@db.example:5433/dealer_crm_bench"
    monkeypatch.setenv("DATABASE_URL", "sqlite:///db.sqlite3")
    assert bench_database_url() == "postgres://postgres@127.0.0.1:5432/dealer_crm_bench"

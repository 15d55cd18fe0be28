"""The benchmark's smoke run: a tiny world in the test database, every case timed
once or twice, no load test. Only the JSON's shape is checked (no thresholds)."""

import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
LOADS = ("load_dealer_list", "load_order_list", "load_region_scorecard")

CASES = {
    "dealer_list_api", "order_list_api", "region_scorecard_page", "dealer_kpi_page", "visit_suggested_order_api",
    "visit_suggested_order_page", "stock_count_save_200_lines", "suggested_orders_batch", "import_dealers_10000",
}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark world is built with PostgreSQL SQL")
def test_bench_smoke_prints_one_json_object_with_every_case():
    out = io.StringIO()
    call_command("bench", "--smoke", "--runs", "1", stdout=out)
    report, end = json.JSONDecoder().raw_decode(out.getvalue())
    assert out.getvalue()[end:].strip() == ""  # one JSON object and nothing else
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
    assert report["cases"]["region_scorecard_page"]["target"] == {"queries_max": 15, "median_ms_max": 60}
    for name in LOADS:
        assert "skipped" in report[name], name
    assert "skipped" in report["worker_memory"]
    assert report["world"]["settled_at"] is None  # the smoke world is analysed, not vacuumed (a test's transaction)
    imported = report["cases"]["import_dealers_10000"]
    assert imported["dealers"] == imported["imported"] == 100 and imported["status"] == "applied"
    assert imported["target"] == {"median_ms_max": 60000, "rss_growth_mb_max": 200}
    assert isinstance(report["targets_missed"], list)


def test_bench_refuses_sqlite_or_a_database_other_than_the_bench_one(settings):
    from django.core.management.base import CommandError

    from benchmarks.management.commands import bench

    command = bench.Command()
    with pytest.raises(CommandError):
        command._run({"smoke": False, "scale": 0.01, "runs": 1, "rebuild": False, "no_load": True}, smoke=False)


def test_bench_database_url_always_names_the_bench_database(monkeypatch):
    from benchmarks.management.commands.bench import bench_database_url

    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@db.example:5433/dealer_crm")
    monkeypatch.delenv("BENCH_DATABASE_URL", raising=False)
    assert bench_database_url() == "postgres://postgres@db.example:5433/dealer_crm_bench"
    monkeypatch.setenv("DATABASE_URL", "sqlite:///db.sqlite3")
    assert bench_database_url() == "postgres://postgres@127.0.0.1:5432/dealer_crm_bench"


def test_bench_load_targets_sign_in_as_the_timed_cases_do():
    from benchmarks import cases

    assert cases.TARGETS["load_dealer_list"] == {"rps_min": 330, "p99_ms_max": 60}
    assert cases.TARGETS["load_order_list"] == {"rps_min": 200}
    assert cases.TARGETS["load_region_scorecard"] == {"rps_min": 40}
    assert cases.met({"rps": 400, "p99_ms": 61}, cases.TARGETS["load_dealer_list"]) is False
    assert cases.met({"rps": 400, "p99_ms": 59}, cases.TARGETS["load_dealer_list"]) is True


def test_bench_load_targets_use_a_token_for_the_apis_and_a_session_for_the_page(django_user_model):
    from django.conf import settings

    from accounts.tests.factories import ManagerFactory
    from benchmarks import cases

    targets = {target.name: target for target in cases.load_targets(admin_key="k3y", manager=ManagerFactory())}
    assert list(targets) == list(LOADS)
    assert targets["load_dealer_list"].headers == {"Authorization": "Token k3y"}
    assert targets["load_order_list"].headers == {"Authorization": "Token k3y"}
    assert targets["load_dealer_list"].path == cases.DEALER_LIST_PATH
    cookie = targets["load_region_scorecard"].headers["Cookie"]
    assert cookie.startswith(settings.SESSION_COOKIE_NAME + "=") and len(cookie) > 20
    assert targets["load_region_scorecard"].path == f"/scorecards/?period={cases.scorecard_period()}"


@pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")
def test_make_bench_puts_nothing_on_stdout_but_the_commands_json(tmp_path):
    """`make bench > figures.json` gives a file json.load reads: make echoes no recipe."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    python = bin_dir / "python"  # stands in for `manage.py bench`: the JSON on stdout, progress on stderr
    python.write_text("#!/bin/sh\necho progress >&2\necho '{\"benchmark\": \"stand-in\"}'\n")
    python.chmod(0o755)
    (bin_dir / ".installed").touch()  # newer than the requirements: nothing to install
    # As typed in a shell: not a sub-make of `make test` (which would print "Entering directory").
    shell = {key: value for key, value in os.environ.items() if key not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")}
    completed = subprocess.run(["make", "bench", f"VENV={tmp_path}"], cwd=ROOT, capture_output=True, text=True,
                               check=True, timeout=60, env=shell)
    assert json.loads(completed.stdout) == {"benchmark": "stand-in"}
    assert "progress" in completed.stderr

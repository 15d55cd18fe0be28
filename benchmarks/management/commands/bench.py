"""`manage.py bench`: build (or reuse) the synthetic world in PostgreSQL database
`dealer_crm_bench` and print ONE JSON object of figures (README "Benchmark").

The command re-runs itself with DATABASE_URL pointing at the benchmark database
(never the development one), production-like settings (DEBUG off), and there
migrates, builds the world if missing (or --rebuild / another --scale), times the
cases and runs the gunicorn load test. `--smoke` runs in the current database
(e.g. the test database) with a tiny world, few runs and no load test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings

BENCH_DB = "dealer_crm_bench"
CHILD_FLAG = "BENCH_IN_BENCH_DB"


def bench_database_url() -> str:
    """The benchmark database on the configured PostgreSQL server (or the local one)."""
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or ""
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        parts = urlsplit("postgres://postgres@127.0.0.1:5432/")
    return urlunsplit((parts.scheme, parts.netloc, "/" + BENCH_DB, "", ""))


def ensure_database(url: str) -> None:
    """CREATE DATABASE dealer_crm_bench on that server if it is not there."""
    import psycopg2

    parts = urlsplit(url)
    admin_url = urlunsplit(("postgresql", parts.netloc, "/postgres", "", ""))
    conn = psycopg2.connect(admin_url)
    try:
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB])
            if not cursor.fetchone():
                cursor.execute(f'CREATE DATABASE "{BENCH_DB}"')
    finally:
        conn.close()


class Command(BaseCommand):
    help = "Build (or reuse) the benchmark world in PostgreSQL and print one JSON object of timings."

    def add_arguments(self, parser):
        parser.add_argument("--smoke", action="store_true", help="Tiny world in the current database, no load test.")
        parser.add_argument("--rebuild", action="store_true", help="Build the world again even if one is there.")
        parser.add_argument("--scale", type=float, default=None, help="World size (1 = 2,000 dealers; default 1).")
        parser.add_argument("--runs", type=int, default=None, help="Timed runs per case (default 7; smoke 2).")
        parser.add_argument("--duration", type=float, default=15, help="Seconds of load (default 15).")
        parser.add_argument("--concurrency", type=int, default=8)
        parser.add_argument("--port", type=int, default=None,
                            help="Port of the load test's gunicorn on 127.0.0.1 (default: a free one).")
        parser.add_argument("--no-load", action="store_true", help="Skip the gunicorn load test.")
        parser.add_argument("--import-dealers", type=int, default=None,
                            help="Dealers in the import case (default 10,000 at scale 1, at least 100).")

    def handle(self, *args, **options):
        if options["smoke"]:
            return self._run(options, smoke=True)
        if os.environ.get(CHILD_FLAG) != "1":
            return self._spawn(options)
        return self._run(options, smoke=False)

    # --- the parent: point at the benchmark database and run again ----------------------------
    def _spawn(self, options) -> None:
        url = bench_database_url()
        try:
            ensure_database(url)
        except Exception as error:
            raise CommandError(f"Cannot reach PostgreSQL for the benchmark ({error}).") from error
        env = dict(os.environ)
        env.update({
            CHILD_FLAG: "1", "DATABASE_URL": url, "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": env.get("DJANGO_SECRET_KEY") or "bench-only-secret-key-not-for-production-0123456789",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver", "DJANGO_MANIFEST_STATIC": "0",
            "DATABASE_CONN_MAX_AGE": "600", "PYTHONWARNINGS": "ignore:No directory at",
        })
        command = [sys.executable, sys.argv[0], "bench"]
        for flag in ("rebuild", "no_load"):
            if options[flag]:
                command.append("--" + flag.replace("_", "-"))
        for name in ("scale", "runs", "duration", "concurrency", "port", "import_dealers"):
            if options[name] is not None:
                command += [f"--{name.replace('_', '-')}", str(options[name])]
        completed = subprocess.run(command, env=env, check=False)
        if completed.returncode:
            raise CommandError(f"The benchmark failed (exit {completed.returncode}).")

    # --- the run -------------------------------------------------------------------------------
    def _run(self, options, *, smoke: bool) -> None:
        from benchmarks import world

        if connection.vendor != "postgresql":
            raise CommandError(f"The benchmark runs on PostgreSQL only (this database is {connection.vendor}).")
        if not smoke and connection.settings_dict["NAME"] != BENCH_DB:
            raise CommandError(f"Refusing to run on database {connection.settings_dict['NAME']!r}: only {BENCH_DB!r}.")
        log = (lambda message: None) if smoke else (lambda message: self.stderr.write(message))
        scale = options["scale"] if options["scale"] is not None else (0.01 if smoke else 1.0)
        runs = options["runs"] or (2 if smoke else 7)
        if not smoke:
            call_command("migrate", verbosity=0, interactive=False)
        marker = None if smoke else world.world_marker()
        reused = bool(marker and not options["rebuild"] and marker["scale"] == scale)
        if not reused:
            log(f"Building the benchmark world (scale {scale}) ...")
            marker = world.build_world(scale=scale, log=log)  # settles it too (VACUUM ANALYZE)
            settled_now = True
        elif not marker["settled_at"]:
            log("Settling the world (VACUUM ANALYZE) ...")
            world.settle_world()
            marker, settled_now = world.world_marker(), True
        else:
            settled_now = False
        counts = world_counts()
        keys = self._issue_keys()
        try:
            report = self._measure(options, smoke=smoke, runs=runs, counts=counts, keys=keys, log=log)
        finally:
            self._revoke_keys(keys)
        report["world"] = {**counts, "scale": scale, "reused": reused, "built_at": marker and marker["built_at"],
                           "build_seconds": marker and round(marker["seconds"], 1),
                           "settled_at": marker and marker.get("settled_at"), "settled_now": settled_now}
        self.stdout.write(json.dumps(report, indent=2, default=str))

    @staticmethod
    def _issue_keys() -> dict[str, str]:
        """API tokens for the timed cases and the load test (the same way of signing in for both)."""
        from accounts.models import User
        from accounts.tokens import api_token_issue
        from dealers.models import Dealer

        admin = User.objects.get(username="bench-admin")
        rep = Dealer.objects.select_related("rep").get(pk=1).rep
        return {"admin": api_token_issue(user=admin)[0], "rep": api_token_issue(user=rep)[0]}

    @staticmethod
    def _revoke_keys(keys: dict[str, str]) -> None:
        from accounts.tokens import api_token_revoke

        for key in keys.values():
            api_token_revoke(key=key)

    def _measure(self, options, *, smoke: bool, runs: int, counts: dict, keys: dict, log) -> dict:
        from benchmarks import cases

        log("Timing the cases ...")
        with override_settings(ALLOWED_HOSTS=["*"]):
            results = cases.run_cases(runs=runs, world=counts, keys=keys, import_dealers=options.get("import_dealers"))
        notes = []
        load_names = ("load_dealer_list", "load_order_list", "load_region_scorecard")
        if smoke or options["no_load"]:
            skipped = {"skipped": "smoke run" if smoke else "--no-load"}
            loads = {name: dict(skipped) for name in load_names}
            memory = dict(skipped)
        else:
            from accounts.models import User
            from benchmarks.load import run_load

            targets = cases.load_targets(admin_key=keys["admin"], manager=User.objects.get(username="bench-manager-01"))
            log(f"Load test (gunicorn, 2 workers): {', '.join(target.path for target in targets)} ...")
            started = time.monotonic()
            loads, memory = run_load(targets=targets, port=options.get("port"), concurrency=options["concurrency"],
                                     duration=options["duration"])
            log(f"  {time.monotonic() - started:.0f} s")
            for name, figures in loads.items():
                figures["target"] = cases.TARGETS[name]
                figures["met"] = cases.met(figures, figures["target"])
            memory["target"] = cases.TARGETS["worker_memory"]
            memory["met"] = cases.met(memory, memory["target"])
            if any("python" in figures.get("tool", "") for figures in loads.values()):
                notes.append("wrk is not installed: the load comes from a Python thread pool on the same 2 cores, "
                             "which takes CPU from the workers, so requests/s is a lower bound.")
        missed = [name for name, figures in results.items() if figures.get("met") is False]
        missed += [name for name, figures in [*loads.items(), ("worker_memory", memory)] if figures.get("met") is False]
        return {
            "benchmark": "dealer-crm", "smoke": smoke, "database": connection.settings_dict["NAME"],
            "debug": settings.DEBUG, "cpu_count": os.cpu_count(), "world": {},
            "runs": runs, "cases": results, **loads, "worker_memory": memory,
            "targets_missed": missed, "notes": notes,
        }


def world_counts() -> dict:
    from dealers.models import Dealer
    from inventory.models import Order, Product, StockCountLine
    from regions.models import Region
    from visits.models import Visit

    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [StockCountLine._meta.db_table])
        row = cursor.fetchone()
    return {
        "dealers": Dealer.objects.count(), "regions": Region.objects.count(), "products": Product.objects.count(),
        "reps": Dealer.objects.values("rep_id").distinct().count(), "visits": Visit.objects.count(),
        "stock_count_lines_estimate": int(row[0]) if row else None, "orders": Order.objects.count(),
    }

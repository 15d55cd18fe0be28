"""The benchmark case of the dealers import (issue #14): a CSV file of N new
dealers (10,000 at scale 1) in the world's regions, with reps, credit limits and
carried products, checked (the preview) and imported (all or nothing) through
hq.services — the same code as the page and its Celery tasks, without the broker.

Figures: seconds of the check, of the import and in all; SQL queries; the peak
resident memory of the process during the import and how much it grew (Linux
`/proc/self/clear_refs` resets the high-water mark first). The dealers it made
are deleted afterwards and the database settled again (VACUUM ANALYZE), so the
world stays as it was for the cases and the load test that follow.
"""

from __future__ import annotations

import csv
import io
import time
import uuid

from django.core.files.base import ContentFile
from django.db import connection

from benchmarks.world import vacuum_analyze

DEALERS_AT_SCALE_1 = 10_000
HEADER = ["code", "name", "region", "tier", "status", "rep", "credit_limit", "phone", "address", "channel_types",
          "products"]


def _status_kb(field: str) -> int | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")  # resets VmHWM to the current resident size
        return True
    except OSError:
        return False


class _QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def dealers_csv(*, count: int, prefix: str) -> bytes:
    """A file of `count` new dealers spread over the world's regions, reps and products."""
    from accounts.models import Role, User
    from inventory.models import Product
    from regions.selectors import region_name_paths

    paths = sorted(region_name_paths().values())
    reps = list(User.objects.filter(role=Role.REP, is_active=True).order_by("username").values_list("username", flat=True))
    skus = list(Product.objects.filter(is_active=True).order_by("sku").values_list("sku", flat=True)[:200])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for n in range(count):
        carried = "; ".join(skus[(n * 7 + k * 11) % len(skus)] for k in range(3)) if skus else ""
        writer.writerow([
            f"{prefix}{n:06d}", f"Imported dealer {n:06d}", paths[n % len(paths)], ("province", "city", "county")[n % 3],
            "active", reps[n % len(reps)] if reps else "", 100000 + (n % 50) * 1000, f"1380000{n % 10000:04d}",
            f"{n} Import road", "wholesale; catering" if n % 2 else "ka", carried,
        ])
    return buffer.getvalue().encode("utf-8-sig")


def import_dealers_case(*, count: int) -> dict:
    """Check and import `count` dealers from a CSV file; figures of the run."""
    from importlib import import_module

    from accounts.models import User
    from dealers.models import Dealer
    from notifications.models import Notification

    # hq sits above scorecards: read it by name, as a case measuring another app's code.
    services = import_module("hq.services")
    ImportJob, ImportStatus = import_module("hq.models").ImportJob, import_module("hq.models").ImportStatus

    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    prefix = f"BI{uuid.uuid4().hex[:6].upper()}-"
    data = dealers_csv(count=count, prefix=prefix)
    job = ImportJob(kind="dealers", file_name="bench-dealers.csv", file_format="csv", file_size=len(data),
                    created_by=admin)
    job.file.save("bench-dealers.csv", ContentFile(data), save=False)
    job.save()
    started_at = job.created_at
    counter = _QueryCounter()
    rss_before = _status_kb("VmRSS")
    peak_measured = _reset_peak()
    try:
        with connection.execute_wrapper(counter):
            started = time.perf_counter()
            services.import_job_check(job_id=job.pk)
            checked = time.perf_counter()
            ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.APPLYING, applied_by=admin)
            services.import_job_apply(job_id=job.pk)
            done = time.perf_counter()
        peak = _status_kb("VmHWM") if peak_measured else None
        job.refresh_from_db()
        imported = Dealer.objects.filter(code__startswith=prefix).count()
    finally:  # leave the world as it was
        Dealer.objects.filter(code__startswith=prefix).delete()
        Notification.objects.filter(created_at__gte=started_at, key__contains=":assigned:batch-").delete()
        job.file.delete(save=False)
        job.delete()
        # The dealers, their history, assignments and carried products just deleted are dead rows
        # (10,000s at scale 1) that the cases and the load after this one would wade through.
        vacuum_analyze()
    figures = {
        "median_ms": round((done - started) * 1000, 1), "runs": 1, "queries": counter.count,
        "dealers": count, "imported": imported, "status": job.status, "errors": job.rows_error,
        "check_seconds": round(checked - started, 2), "import_seconds": round(done - checked, 2),
        "seconds": round(done - started, 2), "file_mb": round(len(data) / 1e6, 2),
        "peak_rss_mb": round(peak / 1024, 1) if peak else None,
        "rss_growth_mb": round((peak - rss_before) / 1024, 1) if peak and rss_before else None,
    }
    if imported != count:
        figures["note"] = f"only {imported} of {count} dealers were imported ({job.error or job.status})"
    return figures

"""The timed cases of the benchmark: median server time over N runs and the SQL
query count of each, through Django's test Client (in process, no network)."""

from __future__ import annotations

import datetime
import statistics
import time
from collections.abc import Callable
from importlib import import_module

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone

# Targets of issues #7 and #16 (on a 2-core machine).
TARGETS = {
    "dealer_list_api": {"queries_max": 10},
    "order_list_api": {"queries_max": 10},
    "region_scorecard_page": {"queries_max": 15, "median_ms_max": 60},
    "dealer_kpi_page": {},
    "visit_suggested_order_api": {},
    "visit_suggested_order_page": {},
    "stock_count_save_200_lines": {"median_ms_max": 300},
    "suggested_orders_batch": {"median_ms_max": 5000},
    "load_dealer_list": {"rps_min": 330, "p99_ms_max": 60},
    "load_order_list": {"rps_min": 200},
    "load_region_scorecard": {"rps_min": 40},
    "worker_memory": {"peak_rss_mb_max": 200},
    # Issue #14: 10,000 dealers checked and imported in under a minute, in bounded memory.
    "import_dealers_10000": {"median_ms_max": 60000, "rss_growth_mb_max": 200},
}
# The load test's URLs, in the order they run (the timed cases read the same paths).
DEALER_LIST_PATH = "/api/v1/dealers/?page_size=50"
ORDER_LIST_PATH = "/api/v1/orders/?page_size=50"


def met(figures: dict, target: dict) -> bool | None:
    """True when every target is met, False when one is missed, None without targets or figures."""
    if not target or figures.get("median_ms") is None and figures.get("rps") is None and figures.get("peak_rss_mb") is None:
        return None
    checks = []
    if "queries_max" in target and figures.get("queries") is not None:
        checks.append(figures["queries"] <= target["queries_max"])
    if "median_ms_max" in target and figures.get("median_ms") is not None:
        checks.append(figures["median_ms"] <= target["median_ms_max"])
    if "rps_min" in target and figures.get("rps") is not None:
        checks.append(figures["rps"] >= target["rps_min"])
    if "p99_ms_max" in target and figures.get("p99_ms") is not None:
        checks.append(figures["p99_ms"] <= target["p99_ms_max"])
    if "peak_rss_mb_max" in target and figures.get("peak_rss_mb") is not None:
        checks.append(figures["peak_rss_mb"] <= target["peak_rss_mb_max"])
    if "rss_growth_mb_max" in target and figures.get("rss_growth_mb") is not None:
        checks.append(figures["rss_growth_mb"] <= target["rss_growth_mb_max"])
    return all(checks) if checks else None


def missing(name: str, note: str) -> dict:
    return {"median_ms": None, "queries": None, "target": TARGETS.get(name, {}), "met": None, "note": f"missing: {note}"}


def timed(name: str, call: Callable[[], object], *, runs: int, check: Callable[[object], None] | None = None,
          warmup: int = 1, prepare: Callable[[int], None] | None = None) -> dict:
    """Median wall time (ms) of `call` over `runs` runs after `warmup`, and its query count (last run)."""
    for index in range(warmup):
        if prepare:
            prepare(-1 - index)
        result = call()
        if check:
            check(result)
    times, queries = [], 0
    for index in range(runs):
        if prepare:
            prepare(index)
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = call()
            times.append((time.perf_counter() - started) * 1000)
        if check:
            check(result)
        queries = len(captured)
    figures = {
        "median_ms": round(statistics.median(times), 1), "min_ms": round(min(times), 1), "max_ms": round(max(times), 1),
        "queries": queries, "runs": runs,
    }
    target = TARGETS.get(name, {})
    return {**figures, "target": target, "met": met(figures, target)}


def _ok(response) -> None:
    if response.status_code >= 400:
        raise RuntimeError(f"{response.status_code}: {getattr(response, 'content', b'')[:300]!r}")


def page_client(user) -> Client:
    """A client as a browser signs in: a session cookie (the pages, and the load test's page)."""
    client = Client()
    client.force_login(user)
    return client


def api_client(key: str) -> Client:
    """A client as an API caller signs in: the token header and no session (the APIs, and the load test's)."""
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def session_cookie(client: Client) -> str:
    """The `Cookie:` header value of a signed-in page_client, for a load generator outside the process."""
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


def scorecard_period() -> str:
    """The period of the region scorecard case: the last complete month (the page's default)."""
    from scorecards import calculations

    return calculations.previous_period(calculations.period_containing(timezone.localdate())).key


def load_targets(*, admin_key: str, manager) -> list:
    """What the load test serves, authenticated as the timed cases are: the APIs with a token,
    the page with a session."""
    from benchmarks.load import Target

    token = {"Authorization": f"Token {admin_key}"}
    return [
        Target("load_dealer_list", DEALER_LIST_PATH, token),
        Target("load_order_list", ORDER_LIST_PATH, token),
        Target("load_region_scorecard", f"{reverse('scorecards:region')}?period={scorecard_period()}",
               {"Cookie": session_cookie(page_client(manager))}),
    ]


def _resolves(path: str) -> bool:
    try:
        resolve(path.split("?")[0])
        return True
    except Resolver404:
        return False


def run_cases(*, runs: int, world: dict, keys: dict[str, str], import_dealers: int | None = None) -> dict:
    """Every timed case; a case whose code is not there yet is null with a "missing" note.
    `keys`: API tokens of "bench-admin" and of dealer 1's rep ("rep"); the APIs are called
    with them, the pages with a session, as the load test does."""
    from accounts.models import User
    from dealers.models import Dealer
    from inventory.models import StockCount
    from visits.models import Visit, VisitStatus
    from visits.services.counting import visit_id_of

    manager = User.objects.get(username="bench-manager-01")
    dealer = Dealer.objects.get(pk=1)
    rep = dealer.rep
    period = scorecard_period()
    results: dict[str, dict] = {}

    admin_api = api_client(keys["admin"])
    results["dealer_list_api"] = timed(
        "dealer_list_api", lambda: admin_api.get(DEALER_LIST_PATH), runs=runs, check=_ok)
    results["order_list_api"] = timed(
        "order_list_api", lambda: admin_api.get(ORDER_LIST_PATH), runs=runs, check=_ok)

    manager_client = page_client(manager)
    region_dealers = Dealer.objects.filter(region__path__startswith="/1/2/").count()
    results["region_scorecard_page"] = {
        **timed("region_scorecard_page", lambda: manager_client.get(reverse("scorecards:region"), {"period": period}),
                runs=runs, check=_ok),
        "dealers": region_dealers, "period": period,
    }
    results["dealer_kpi_page"] = timed(
        "dealer_kpi_page", lambda: manager_client.get(reverse("scorecards:dealer", args=[dealer.pk])), runs=runs, check=_ok)

    # The visit page with the suggested order over 200 products (dealer 1 carries all 200).
    count = StockCount.objects.current().filter(dealer=dealer).order_by("-counted_at", "-id").first()
    rep_client, rep_api = page_client(rep), api_client(keys["rep"])
    if count is None:
        results["visit_suggested_order_api"] = missing("visit_suggested_order_api", "no stock count in the world")
    else:
        lines = count.lines.count()
        visit_id = visit_id_of(count.reference)
        api_path = f"/api/v1/visits/{visit_id}/suggested-order/"
        if _resolves(api_path):
            results["visit_suggested_order_api"] = {
                **timed("visit_suggested_order_api", lambda: rep_api.get(api_path), runs=runs, check=_ok), "lines": lines}
        else:
            results["visit_suggested_order_api"] = missing("visit_suggested_order_api", f"GET {api_path} (issue #5)")
        page = None
        for url_name in ("visits:suggested_order", "visits:detail"):
            try:
                page = (url_name, reverse(url_name, args=[visit_id]))
                break
            except NoReverseMatch:
                continue
        if page:
            results["visit_suggested_order_page"] = {
                **timed("visit_suggested_order_page", lambda: rep_client.get(page[1]), runs=runs, check=_ok),
                "url_name": page[0], "lines": lines}
        else:
            results["visit_suggested_order_page"] = missing(
                "visit_suggested_order_page", "visits:suggested_order / visits:detail (issue #5)")

    # Saving a 200-line stock count: a fresh in-progress visit each run.
    products = list(dealer.carried_products.values_list("product_id", flat=True)[:200])
    probe = "/api/v1/visits/1/stock-counts/"
    if not _resolves(probe):
        results["stock_count_save_200_lines"] = missing("stock_count_save_200_lines", "POST /api/v1/visits/{id}/stock-counts/ (issue #5)")
    else:
        visits: list[int] = []
        today = timezone.localdate()

        def prepare(_index: int) -> None:
            visit = Visit.objects.create(dealer=dealer, rep=rep, scheduled_for=timezone.now(),
                                         status=VisitStatus.IN_PROGRESS, started_at=timezone.now())
            visits.append(visit.pk)

        payload_lines = [
            {"product": product, "quantity": 10 + product % 30,
             "production_date": (today - datetime.timedelta(days=30 + product % 60)).isoformat()}
            for product in products
        ]

        def save():
            return rep_api.post(f"/api/v1/visits/{visits[-1]}/stock-counts/", {"lines": payload_lines},
                                content_type="application/json")

        try:
            results["stock_count_save_200_lines"] = {
                **timed("stock_count_save_200_lines", save, runs=runs, check=_ok, prepare=prepare),
                "lines": len(payload_lines)}
        finally:  # leave the world as it was
            StockCount.objects.filter(reference__in=[f"visit:{pk}" for pk in visits]).delete()
            Visit.objects.filter(pk__in=visits).delete()

    # Suggested orders for every dealer's latest count, in one batch.
    try:
        batch = import_module("inventory.selectors").suggested_orders_for_latest_counts
    except (ImportError, AttributeError):
        results["suggested_orders_batch"] = missing(
            "suggested_orders_batch", "inventory.selectors.suggested_orders_for_latest_counts (issue #5)")
    else:
        def run_batch():
            result = batch(dealer_ids=None)
            return len(result) if hasattr(result, "__len__") else result

        results["suggested_orders_batch"] = {
            **timed("suggested_orders_batch", run_batch, runs=max(1, min(runs, 3)), warmup=0),
            "dealers": world.get("dealers")}

    # Importing 10,000 dealers from a file (at scale 1; proportionally fewer, at least 100, in a smaller world).
    try:
        import_module("hq.services")
    except ImportError:
        results["import_dealers_10000"] = missing("import_dealers_10000", "hq.services (issue #14)")
    else:
        from benchmarks.imports import DEALERS_AT_SCALE_1, import_dealers_case

        count = import_dealers or max(100, round(DEALERS_AT_SCALE_1 * (world.get("dealers") or 0) / 2000))
        figures = import_dealers_case(count=count)
        target = TARGETS["import_dealers_10000"]
        results["import_dealers_10000"] = {**figures, "target": target, "met": met(figures, target)}
    return results

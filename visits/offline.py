"""The rep's day for working without a signal (issue 18): what the phone stores
when "My day" is opened online, so that the market check, the start, the count
and its suggested order, notes, requests and the completion can be recorded
offline and sent later.

A read (a selector): a fixed number of queries whatever the number of visits,
dealers and products. The suggestion's inputs are gathered here, raw (the
counts the rule reads, the deliveries of each period, the promotion windows,
the coefficient of each product at each dealer); the arithmetic is
inventory.calculations.suggest on the server and its transcription in
static/js/offline-suggest.js on the phone (tested against each other).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inventory import calculations
from inventory.cycles import cycle_days_for
from inventory.models import Product, StockCount, StockCountLine
from inventory.promotion_windows import promotion_windows_for
from inventory.selectors import DeliveryWindow, carried_products, deliveries_by_window, suggestion_settings

from .models import DealerRequest, MarketCheck, ObservationKind, PhotoStage, VisitStatus
from .selectors import visit_list

# Bounds of what one phone stores (a rep's day is a handful of visits).
VISITS_MAX = 50
# The day asked for is within this many days of today.
DAY_RANGE_DAYS = 31
DAY_OUT_OF_RANGE = _("Choose a day within a month of today.")
REQUESTS_MAX = 100
# Photos kept on the phone until they are sent: each at most this many bytes (after
# the phone shrinks them), the server's own limit (MAX_IMAGE_UPLOAD_BYTES) applies too.
PHOTO_MAX_BYTES = 2 * 1024 * 1024
VISIT_FIELDS = (
    "id", "dealer_id", "scheduled_for", "status", "started_at", "completed_at", "policy_notes", "dealer_feedback",
    "display_notes", "terminal_notes", "after_sales_notes",
)


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def offline_bundle(*, user, day: datetime.date | None = None, now: datetime.datetime | None = None) -> dict:
    """Everything the rep's phone needs to work through `day` (default today) offline:
    the rep's own visits of the day (not cancelled), their dealers with the products
    each carries, the stock counts and deliveries the suggested order reads, the
    promotion windows, the rep's open requests; and the rule's settings."""
    now = now or timezone.now()
    day = day or timezone.localdate(now)
    default, lookback, threshold = suggestion_settings()
    start, end = _day_start(day), _day_start(day + datetime.timedelta(days=1))
    visits = list(
        visit_list(user=user).filter(rep=user, scheduled_for__gte=start, scheduled_for__lt=end)
        .exclude(status=VisitStatus.CANCELLED).order_by("scheduled_for", "id")[:VISITS_MAX]
    )
    dealer_ids = sorted({visit.dealer_id for visit in visits})
    checks = {
        row["visit_id"]: row for row in MarketCheck.objects.filter(visit__in=[visit.pk for visit in visits])
        .values("visit_id", "checked_at", "skipped_reason")
    } if visits else {}
    carried = carried_products(dealer_ids=dealer_ids)
    product_ids = sorted({product_id for by_product in carried.values() for product_id in by_product})
    products = {
        product.pk: product for product in Product.objects.filter(pk__in=product_ids).order_by("sku", "pk").only(
            "id", "sku", "name", "unit", "shelf_life_days", "safety_coefficient", "guideline_price", "is_active")
    } if product_ids else {}
    history = _count_history(dealer_ids=dealer_ids, exclude=[visit.stock_count_reference for visit in visits],
                             lookback=lookback)
    deliveries = _period_deliveries(history, now)
    cycles = cycle_days_for(dealer_ids)
    first_day = min((timezone.localdate(count["at"]) for counts in history.values() for count in counts), default=day)
    promotions = promotion_windows_for(dealer_ids=dealer_ids, start=first_day, end=day)

    dealers = []
    by_dealer = {visit.dealer_id: visit.dealer for visit in visits}
    for dealer_id in dealer_ids:
        dealer = by_dealer[dealer_id]
        lines = []
        for product in products.values():
            if product.pk not in carried.get(dealer_id, {}):
                continue
            coefficient = calculations.coefficient_for(
                default=default, product=product.safety_coefficient, dealer=dealer.safety_coefficient)
            lines.append({
                "id": product.pk, "sku": product.sku, "name": product.name, "unit": product.unit,
                "shelf_life_days": product.shelf_life_days, "coefficient": str(coefficient.value),
                "coefficient_source": coefficient.source,
                "guideline_price": str(product.guideline_price) if product.guideline_price is not None else None,
            })
        counts = history.get(dealer_id, [])
        dealers.append({
            "id": dealer.pk, "code": dealer.code, "name": dealer.name,
            "latitude": str(dealer.latitude) if dealer.latitude is not None else None,
            "longitude": str(dealer.longitude) if dealer.longitude is not None else None,
            "cycle_days": cycles.get(dealer_id),
            "products": lines,
            # Newest first: the dealer's latest current counts (the suggestion's "previous stock" and earlier).
            "counts": [{
                "id": count["id"], "counted_at": _iso(count["at"]), "day": timezone.localdate(count["at"]).isoformat(),
                "lines": {str(product_id): quantity for product_id, quantity in count["lines"].items()},
            } for count in counts],
            # deliveries[k]: cases shipped after count k up to the later count (k = 0: up to now), per product.
            "deliveries": [
                {str(product_id): quantity for product_id, quantity in period.items()}
                for period in deliveries.get(dealer_id, [])
            ],
            "promotions": [[first.isoformat(), last.isoformat()] for first, last in promotions.get(dealer_id, [])],
        })

    requests = list(
        DealerRequest.objects.unresolved().filter(owner=user).select_related("dealer")
        .order_by("due_on", "id")[:REQUESTS_MAX]
    )
    return {
        "day": day.isoformat(),
        "generated_at": now.isoformat(),
        "time_zone": settings.TIME_ZONE,
        "rule": {
            "coefficient_default": str(default), "lookback": lookback,
            "near_expiry_threshold": [threshold.numerator, threshold.denominator],
        },
        "photo_max_bytes": min(PHOTO_MAX_BYTES, settings.MAX_IMAGE_UPLOAD_BYTES),
        "observation_kinds": [[value, str(label)] for value, label in ObservationKind.choices],
        "photo_stages": [[value, str(label)] for value, label in PhotoStage.choices],
        "visits": [{
            **{name: _iso(getattr(visit, name)) if name.endswith("_at") or name == "scheduled_for"
               else getattr(visit, name) for name in VISIT_FIELDS},
            "dealer": visit.dealer_id, "dealer_name": visit.dealer.name,
            "has_market_check": visit.pk in checks,
            "market_check_at": _iso(checks[visit.pk]["checked_at"]) if visit.pk in checks else None,
        } for visit in visits],
        "dealers": dealers,
        "requests": [{
            "id": item.pk, "dealer": item.dealer_id, "dealer_name": item.dealer.name, "visit": item.visit_id,
            "description": item.description, "due_on": item.due_on.isoformat(), "status": item.status,
        } for item in requests],
    }


def _count_history(*, dealer_ids: list[int], exclude: list[str], lookback: int) -> dict[int, list[dict]]:
    """{dealer_id: [{"id", "at", "lines": {product_id: quantity}}, ...]} newest first: each
    dealer's latest `lookback` current counts, not those taken at `exclude` (the
    day's visits: a count there is replaced by the one the phone sends). Two queries."""
    if not dealer_ids:
        return {}
    ranked = (
        StockCount.objects.current().filter(dealer_id__in=dealer_ids).exclude(reference__in=exclude)
        .annotate(rank=Window(RowNumber(), partition_by=[F("dealer_id")], order_by=[F("counted_at").desc(),
                                                                                  F("id").desc()]))
        .filter(rank__lte=lookback).order_by("dealer_id", "rank").values_list("id", "dealer_id", "counted_at")
    )
    counts = {}
    history: dict[int, list[dict]] = {}
    for count_id, dealer_id, counted_at in ranked:
        counts[count_id] = {"id": count_id, "at": counted_at, "lines": {}}
        history.setdefault(dealer_id, []).append(counts[count_id])
    if counts:
        for count_id, product_id, quantity in StockCountLine.objects.filter(stock_count_id__in=list(counts)).values_list(
                "stock_count_id", "product_id", "quantity"):
            counts[count_id]["lines"][product_id] = quantity
    return history


def _period_deliveries(history: dict[int, list[dict]], now: datetime.datetime) -> dict[int, list[dict[int, int]]]:
    """{dealer_id: [{product_id: cases}, ...]}: for each count k of the dealer's history,
    what was shipped after it up to the later count (k = 0: up to `now`). One query."""
    windows, owners = [], []
    for dealer_id, counts in history.items():
        later = now
        for count in counts:
            windows.append(DeliveryWindow(dealer_id, count["at"], later))
            owners.append(dealer_id)
            later = count["at"]
    shipped = deliveries_by_window(windows=windows)
    result: dict[int, list[dict[int, int]]] = {dealer_id: [] for dealer_id in history}
    periods = [{} for _window in windows]
    for (index, product_id), quantity in shipped.items():
        periods[index][product_id] = quantity
    for index, dealer_id in enumerate(owners):
        result[dealer_id].append(periods[index])
    return result

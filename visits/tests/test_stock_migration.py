"""The move of stock to inventory keeps every row (issue #11): migrate back to the
old layout (counts, lines, suggestions and carried products in visits, a count
pointing at its visit), fill it the way the old code did — including two counts on
one visit, as the double-save bug left them — migrate forward, and find every row
as it was: the count's visit in its reference, the earlier of the two counts
marked replaced by the later, suggestions unchanged, the tables renamed. (Getting
to the old layout runs every one of these migrations backwards first.)"""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from dealers.tests.factories import DealerFactory
from inventory.models import CarrySource, DealerProduct, StockCount, StockCountLine, SuggestedOrderLine
from inventory.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db(transaction=True)

OLD = [("visits", "0001_initial"), ("inventory", "0001_initial"), ("dealers", "0006_dealer_name_index"),
       ("common", None)]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    nodes = [target for target in targets if target[1] is not None]
    return MigrationExecutor(connection).loader.project_state(nodes).apps


@pytest.fixture(autouse=True)
def back_to_the_latest_layout():
    """Whatever happens, the database ends at the latest migrations (the next tests need them)."""
    yield
    _migrate(_latest())


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _tables() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


def test_stock_migration_from_the_old_layout_keeps_every_row():
    old_apps = _migrate(OLD)
    assert "visits_stockcount" in _tables() and "inventory_stockcount" not in _tables()
    OldCount = old_apps.get_model("visits", "StockCount")
    OldLine = old_apps.get_model("visits", "StockCountLine")
    OldSuggestion = old_apps.get_model("visits", "SuggestedOrderLine")
    OldCarried = old_apps.get_model("visits", "DealerProduct")

    now = timezone.now().replace(microsecond=0)
    dealer = DealerFactory()
    cola, tea = ProductFactory(name="Cola", prices={}), ProductFactory(name="Tea", prices={})
    # Visits of the old layout's model (the current one may have columns added since).
    OldVisit = old_apps.get_model("visits", "Visit")
    earlier_visit = OldVisit.objects.create(dealer_id=dealer.pk, rep_id=dealer.rep_id, status="completed",
                                            scheduled_for=now - datetime.timedelta(days=14))
    doubled_visit = OldVisit.objects.create(dealer_id=dealer.pk, rep_id=dealer.rep_id, scheduled_for=now,
                                            status="in_progress")
    OldCarried.objects.create(dealer_id=dealer.pk, product_id=cola.pk, since=datetime.date(2025, 1, 1))
    OldCarried.objects.create(dealer_id=dealer.pk, product_id=tea.pk, since=datetime.date(2025, 2, 1))
    counts = {}
    for name, visit, at, quantities in [
        ("first", earlier_visit, now - datetime.timedelta(days=14), {cola: 100, tea: 80}),
        ("typo", doubled_visit, now - datetime.timedelta(minutes=5), {cola: 120, tea: 99_999_999}),
        ("fixed", doubled_visit, now, {cola: 120, tea: 20}),
    ]:
        count = OldCount.objects.create(visit_id=visit.pk, dealer_id=dealer.pk, counted_at=at,
                                        counted_by_id=dealer.rep_id)
        for product, quantity in quantities.items():
            OldLine.objects.create(stock_count_id=count.pk, product_id=product.pk, quantity=quantity,
                                   production_date=datetime.date(2026, 1, 2), batch="B1")
            OldSuggestion.objects.create(stock_count_id=count.pk, product_id=product.pk, previous_stock=80,
                                         deliveries=40, current_stock=quantity, period_sales=Decimal("100.00"),
                                         coefficient=Decimal("1.50"), safety_stock=Decimal("150.00"),
                                         suggested_quantity=7, flags=["low_cover"], ordered_quantity=5,
                                         change_reason="Cash flow")
        counts[name] = count
    lines_before = sorted(OldLine.objects.values_list("id", "stock_count_id", "product_id", "quantity",
                                                      "production_date", "batch"))
    suggestions_before = sorted(OldSuggestion.objects.values_list(
        "id", "stock_count_id", "product_id", "previous_stock", "deliveries", "current_stock", "period_sales",
        "coefficient", "safety_stock", "suggested_quantity", "flags", "ordered_quantity", "change_reason"))

    _migrate(_latest())

    tables = _tables()
    assert {"inventory_stockcount", "inventory_stockcountline", "inventory_suggestedorderline",
            "inventory_dealerproduct"} <= tables
    assert not {"visits_stockcount", "visits_stockcountline", "visits_suggestedorderline",
                "visits_dealerproduct"} & tables
    migrated = {count.pk: count for count in StockCount.objects.all()}
    assert set(migrated) == {count.pk for count in counts.values()}
    first, typo, fixed = (migrated[counts[name].pk] for name in ("first", "typo", "fixed"))
    assert first.reference == f"visit:{earlier_visit.pk}" and first.is_current
    assert typo.reference == fixed.reference == f"visit:{doubled_visit.pk}"
    assert typo.replaced_at == fixed.created_at and not typo.is_current
    assert fixed.replaces_id == typo.pk and fixed.is_current
    assert (fixed.dealer_id, fixed.counted_at, fixed.counted_by_id) == (dealer.pk, now, dealer.rep_id)
    assert sorted(StockCountLine.objects.values_list("id", "stock_count_id", "product_id", "quantity",
                                                     "production_date", "batch")) == lines_before
    assert sorted(SuggestedOrderLine.objects.values_list(
        "id", "stock_count_id", "product_id", "previous_stock", "deliveries", "current_stock", "period_sales",
        "coefficient", "safety_stock", "suggested_quantity", "flags", "ordered_quantity",
        "change_reason")) == suggestions_before
    assert set(DealerProduct.objects.values_list("product_id", "since", "source", "stopped_at")) == {
        (cola.pk, datetime.date(2025, 1, 1), CarrySource.MANUAL, None),
        (tea.pk, datetime.date(2025, 2, 1), CarrySource.MANUAL, None),
    }
    # New rows get fresh ids after the rename (the sequences came along).
    assert StockCount.objects.create(dealer=dealer, reference="test", counted_at=now).pk > fixed.pk


def _snapshot():
    """Every stock row of the latest layout, as plain values (ids included)."""
    return {
        "counts": sorted(StockCount.objects.values_list("pk", "dealer_id", "reference", "counted_at", "replaces_id")),
        "lines": sorted(StockCountLine.objects.values_list("pk", "stock_count_id", "product_id", "quantity", "batch")),
        "suggestions": sorted(SuggestedOrderLine.objects.values_list("pk", "stock_count_id", "product_id",
                                                                     "current_stock", "period_sales", "suggested_quantity")),
        "carried": sorted(DealerProduct.objects.values_list("pk", "dealer_id", "product_id", "since", "source")),
    }


def test_stock_migration_round_trip_on_the_demo_world_keeps_every_row():
    """The issue's check on a database filled by seed_demo: back to the old layout
    (where the same numbers of rows sit in visits' tables) and forward again, every
    stock row is as it was."""
    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())
    before = _snapshot()
    assert len(before["counts"]) > 50 and len(before["lines"]) > 1000 and before["carried"]
    _migrate(OLD)
    with connection.cursor() as cursor:
        found = {}
        for table in ("stockcount", "stockcountline", "suggestedorderline", "dealerproduct"):
            cursor.execute(f"SELECT count(*) FROM visits_{table}")
            found[table] = cursor.fetchone()[0]
    assert found == {"stockcount": len(before["counts"]), "stockcountline": len(before["lines"]),
                     "suggestedorderline": len(before["suggestions"]), "dealerproduct": len(before["carried"])}
    _migrate(_latest())
    assert _snapshot() == before

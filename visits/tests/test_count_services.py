"""stock_count_create and suggested_order_place: all or nothing, every bad input of
the issue refused with a clear message, the suggestion stored with its working."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.tests.factories import RepFactory
from common.exceptions import StateConflict
from dealers.tests.factories import DealerFactory
from inventory.models import OrderLine, OrderSource
from inventory.tests.factories import ProductFactory
from visits import counting
from visits.models import StockCount, StockCountLine, SuggestedOrderLine, VisitStatus
from visits.tests.count_factories import InProgressVisitFactory, carry, cola_and_tea_world, past_count

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def world():
    return cola_and_tea_world()


def _lines(world, cola=120, tea=20, **extra):
    return [{"product": world["cola"].pk, "quantity": cola, **extra}, {"product": world["tea"], "quantity": tea}]


def test_stock_count_create_saves_count_and_suggestion(world):
    count = counting.stock_count_create(visit=world["visit"], user=world["rep"], lines=_lines(world))
    assert count.dealer_id == world["dealer"].pk
    assert count.lines.count() == 2
    lines = {line.product_id: line for line in SuggestedOrderLine.objects.filter(stock_count=count)}
    tea = lines[world["tea"].pk]
    assert (tea.previous_stock, tea.deliveries, tea.current_stock) == (80, 40, 20)
    assert (tea.period_sales, tea.safety_stock, tea.suggested_quantity) == (Decimal("100.00"), Decimal("150.00"), 130)
    assert lines[world["cola"].pk].suggested_quantity == 0


@pytest.mark.parametrize("bad, message", [
    ({"cola": -1}, counting.LINE_QUANTITY_INVALID),
    ({"cola": 1.5}, counting.LINE_QUANTITY_INVALID),
    ({"cola": "abc"}, counting.LINE_QUANTITY_INVALID),
])
def test_stock_count_create_bad_quantity_nothing_saved(world, bad, message):
    with pytest.raises(ValidationError) as error:
        counting.stock_count_create(visit=world["visit"], user=world["rep"], lines=_lines(world, cola=bad["cola"]))
    assert error.value.message_dict["lines.0"] == [message % {"product": "Cola"}]
    assert "lines.1" not in error.value.message_dict
    assert StockCount.objects.filter(visit=world["visit"]).count() == 0
    assert not StockCountLine.objects.filter(stock_count__visit=world["visit"]).exists()


def test_stock_count_create_one_bad_line_among_good_nothing_saved(world):
    lines = _lines(world, tea=-5)
    with pytest.raises(ValidationError) as error:
        counting.stock_count_create(visit=world["visit"], user=world["rep"], lines=lines)
    assert set(error.value.message_dict) == {"lines.1"}
    assert not StockCount.objects.filter(visit=world["visit"]).exists()


def test_stock_count_create_future_production_date_refused(world):
    tomorrow = timezone.localdate() + DAY
    with pytest.raises(ValidationError) as error:
        counting.stock_count_create(visit=world["visit"], user=world["rep"],
                                    lines=_lines(world, production_date=tomorrow))
    assert error.value.message_dict["lines.0"] == [counting.LINE_PRODUCTION_DATE_FUTURE % {"product": "Cola"}]


def test_stock_count_create_dated_in_future_refused(world):
    with pytest.raises(ValidationError) as error:
        counting.stock_count_create(visit=world["visit"], user=world["rep"], lines=_lines(world),
                                    counted_at=world["now"] + DAY)
    assert error.value.message_dict["counted_at"] == [counting.COUNT_IN_FUTURE]
    assert not StockCount.objects.filter(visit=world["visit"]).exists()


def test_stock_count_create_before_previous_count_refused(world):
    with pytest.raises(ValidationError) as error:
        counting.stock_count_create(visit=world["visit"], user=world["rep"], lines=_lines(world),
                                    counted_at=world["now"] - 20 * DAY)
    assert "counted_at" in error.value.message_dict
    assert "previous count" in error.value.message_dict["counted_at"][0]


def test_stock_count_create_product_not_carried_refused(world):
    juice = ProductFactory(name="Juice")
    with pytest.raises(ValidationError) as error:
        counting.stock_count_create(visit=world["visit"], user=world["rep"],
                                    lines=[*_lines(world), {"product": juice.pk, "quantity": 3}])
    assert error.value.message_dict["lines.2"] == [counting.LINE_PRODUCT_NOT_CARRIED % {"product": "Juice"}]


def test_stock_count_create_duplicate_and_unknown_products_refused(world):
    lines = [*_lines(world), {"product": world["cola"].pk, "quantity": 1}, {"product": 999999, "quantity": 1}]
    with pytest.raises(ValidationError) as error:
        counting.stock_count_create(visit=world["visit"], user=world["rep"], lines=lines)
    assert error.value.message_dict["lines.2"] == [counting.LINE_PRODUCT_REPEATED % {"product": "Cola"}]
    assert error.value.message_dict["lines.3"] == [counting.LINE_PRODUCT_UNKNOWN % {"line": 4}]


def test_stock_count_create_no_lines_refused(world):
    with pytest.raises(ValidationError) as error:
        counting.stock_count_create(visit=world["visit"], user=world["rep"], lines=[])
    assert error.value.message_dict["lines"] == [counting.COUNT_NEEDS_LINES]


@pytest.mark.parametrize(("status", "message"), [
    (VisitStatus.PLANNED, counting.COUNT_VISIT_NOT_IN_PROGRESS),
    (VisitStatus.COMPLETED, counting.COUNT_VISIT_OVER),
    (VisitStatus.CANCELLED, counting.COUNT_VISIT_OVER),
])
def test_stock_count_create_visit_not_in_progress_conflict_says_why(world, status, message):
    world["visit"].status = status
    world["visit"].save()
    with pytest.raises(StateConflict) as error:
        counting.stock_count_create(visit=world["visit"], user=world["rep"], lines=_lines(world))
    assert str(error.value) == str(message)
    assert not StockCount.objects.filter(visit=world["visit"]).exists()


def test_stock_count_create_other_rep_denied(world):
    with pytest.raises(PermissionDenied):
        counting.stock_count_create(visit=world["visit"], user=RepFactory(), lines=_lines(world))


@pytest.mark.parametrize("products", [20, 200])
def test_stock_count_create_bounded_queries(products, django_assert_max_num_queries):
    dealer = DealerFactory()
    items = ProductFactory.create_batch(products, prices={})
    carry(dealer, items)
    past_count(dealer, timezone.now() - 7 * DAY, dict.fromkeys(items, 30))
    visit = InProgressVisitFactory(dealer=dealer)
    lines = [{"product": item.pk, "quantity": 10, "production_date": None, "batch": "B1"} for item in items]
    with django_assert_max_num_queries(20):
        count = counting.stock_count_create(visit=visit, user=dealer.rep, lines=lines)
    assert SuggestedOrderLine.objects.filter(stock_count=count).count() == products


# --- Placing the order -------------------------------------------------------------------
@pytest.fixture
def counted(world):
    count = counting.stock_count_create(visit=world["visit"], user=world["rep"], lines=_lines(world))
    return {**world, "count": count}


def test_suggested_order_place_as_suggested(counted):
    order = counting.suggested_order_place(stock_count=counted["count"], user=counted["rep"], quantities={})
    assert order.source == OrderSource.SUGGESTION
    assert list(order.lines.values_list("product_id", "quantity", "suggested_quantity")) == [
        (counted["tea"].pk, 130, 130)]
    counted["visit"].refresh_from_db()
    assert counted["visit"].order_id == order.pk
    tea = SuggestedOrderLine.objects.get(stock_count=counted["count"], product=counted["tea"])
    assert tea.ordered_quantity == 130 and tea.change_reason == ""


def test_suggested_order_place_changed_line_needs_reason(counted):
    with pytest.raises(ValidationError) as error:
        counting.suggested_order_place(stock_count=counted["count"], user=counted["rep"],
                                       quantities={counted["tea"].pk: 100})
    assert error.value.message_dict["lines"] == [counting.ORDER_LINE_REASON_NEEDED % {
        "product": "Tea", "suggested": 130, "quantity": 100}]
    assert not OrderLine.objects.exists()
    counted["visit"].refresh_from_db()
    assert counted["visit"].order_id is None


def test_suggested_order_place_changed_line_with_reason_kept(counted):
    order = counting.suggested_order_place(
        stock_count=counted["count"], user=counted["rep"], quantities={counted["tea"].pk: 100, counted["cola"].pk: 5},
        reasons={counted["tea"].pk: "Warehouse is full", counted["cola"].pk: "Festival coming"},
    )
    lines = {line.product_id: line for line in order.lines.all()}
    assert lines[counted["tea"].pk].change_reason == "Warehouse is full"
    assert lines[counted["cola"].pk].quantity == 5
    stored = SuggestedOrderLine.objects.get(stock_count=counted["count"], product=counted["tea"])
    assert (stored.ordered_quantity, stored.change_reason) == (100, "Warehouse is full")


def test_suggested_order_place_all_zero_refused(counted):
    with pytest.raises(ValidationError) as error:
        counting.suggested_order_place(stock_count=counted["count"], user=counted["rep"],
                                       quantities={counted["tea"].pk: 0}, reasons={counted["tea"].pk: "No money"})
    assert error.value.message_dict["lines"] == [counting.ORDER_NOTHING]


def test_suggested_order_place_twice_conflict(counted):
    counting.suggested_order_place(stock_count=counted["count"], user=counted["rep"], quantities={})
    with pytest.raises(StateConflict):
        counting.suggested_order_place(stock_count=counted["count"], user=counted["rep"], quantities={})

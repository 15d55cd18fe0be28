"""The stock count of a visit and the order it turns into: all or nothing, every
bad input of the issue refused with a clear message per line, one count per visit
(a recount replaces, the typo never becomes "previous stock"), identical
submissions saved once, implausible quantities questioned."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.tests.factories import RepFactory
from common.exceptions import StateConflict
from dealers.tests.factories import DealerFactory
from inventory import counting as stock
from inventory.models import CarrySource, DealerProduct, OrderLine, OrderSource, StockCount, SuggestedOrderLine
from inventory.selectors import carried_products, suggestion_working
from inventory.tests.factories import ProductFactory
from visits.models import VisitStatus
from visits.services import counting
from visits.tests.count_factories import InProgressVisitFactory, carry, cola_and_tea_world, past_count

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def world():
    return cola_and_tea_world()


def _lines(world, cola=120, tea=20, **extra):
    return [{"product": world["cola"].pk, "quantity": cola, **extra}, {"product": world["tea"], "quantity": tea}]


def _visit_counts(world):
    return counting.visit_counts(world["visit"])


def test_stock_count_create_saves_count_and_suggestion_seed_examples(world):
    saved = counting.stock_count_create(visit=world["visit"], user=world["rep"], lines=_lines(world))
    count = saved.count
    assert saved.created and saved.replaced is None
    assert count.dealer_id == world["dealer"].pk and count.reference == f"visit:{world['visit'].pk}"
    assert count.lines.count() == 2
    lines = {line.product_id: line for line in SuggestedOrderLine.objects.filter(stock_count=count)}
    # Seed 000: previous 100, delivered 50, current 120 → sales 30, safety 45, no order.
    cola = lines[world["cola"].pk]
    assert (cola.previous_stock, cola.deliveries, cola.current_stock) == (100, 50, 120)
    assert (cola.period_sales, cola.safety_stock, cola.suggested_quantity) == (Decimal("30.00"), Decimal("45.00"), 0)
    # Previous 80, delivered 40, current 20 → sales 100, safety 150, order 130.
    tea = lines[world["tea"].pk]
    assert (tea.previous_stock, tea.deliveries, tea.current_stock) == (80, 40, 20)
    assert (tea.period_sales, tea.safety_stock, tea.suggested_quantity) == (Decimal("100.00"), Decimal("150.00"), 130)
    # The working is kept in full: the period the rule read, its dates; run again, the rule says "used".
    assert tea.coefficient_source == "default"
    assert tea.periods == [[80, 40, 20, 14, False]]
    assert count.period_dates == [[(timezone.localdate() - 14 * DAY).isoformat(), timezone.localdate().isoformat()]]
    [period] = suggestion_working(line=tea, period_dates=count.period_dates)
    assert (period["previous"], period["delivered"], period["current"], period["sales"]) == (80, 40, 20, 100)
    assert period["days"] == 14 and period["used"] and not period["scaled"]
    assert period["to"] == timezone.localdate().isoformat()


@pytest.mark.parametrize("bad", [-1, 1.5, "1.5", "abc", "", None, True, "٣", 10**11, "100000000000"])
def test_stock_count_create_bad_quantity_nothing_saved(world, bad):
    with pytest.raises(ValidationError) as error:
        counting.stock_count_create(visit=world["visit"], user=world["rep"], lines=_lines(world, cola=bad))
    [message] = error.value.message_dict["lines.0"]
    assert message.startswith("Cola: ")
    assert "lines.1" not in error.value.message_dict
    assert not _visit_counts(world).exists()


def test_stock_count_create_quantity_beyond_column_says_the_limit(world):
    with pytest.raises(ValidationError) as error:
        counting.stock_count_create(visit=world["visit"], user=world["rep"], lines=_lines(world, cola=10**11))
    assert error.value.message_dict["lines.0"] == [stock.LINE_QUANTITY_TOO_LARGE % {
        "product": "Cola", "quantity": "100,000,000,000", "limit": "2,147,483,647"}]


def test_stock_count_create_largest_column_value_saved_when_confirmed(world):
    saved = counting.stock_count_create(visit=world["visit"], user=world["rep"],
                                        lines=_lines(world, cola=stock.QUANTITY_MAX), confirm_implausible=True)
    assert saved.count.lines.get(product=world["cola"]).quantity == 2_147_483_647


def test_stock_count_create_one_bad_line_among_good_nothing_saved(world):
    with pytest.raises(ValidationError) as error:
        counting.stock_count_create(visit=world["visit"], user=world["rep"], lines=_lines(world, tea=-5))
    assert set(error.value.message_dict) == {"lines.1"}
    assert error.value.message_dict["lines.1"] == [stock.LINE_QUANTITY_INVALID % {"product": "Tea"}]
    assert not _visit_counts(world).exists()


def test_stock_count_create_future_production_date_refused(world):
    tomorrow = timezone.localdate() + DAY
    with pytest.raises(ValidationError) as error:
        counting.stock_count_create(visit=world["visit"], user=world["rep"],
                                    lines=_lines(world, production_date=tomorrow))
    assert error.value.message_dict["lines.0"] == [stock.LINE_PRODUCTION_DATE_FUTURE % {"product": "Cola"}]


def test_stock_count_create_bad_production_date_and_long_batch_refused(world):
    lines = [{"product": world["cola"].pk, "quantity": 1, "production_date": "2026-02-30"},
             {"product": world["tea"].pk, "quantity": 1, "batch": "B" * 65}]
    with pytest.raises(ValidationError) as error:
        counting.stock_count_create(visit=world["visit"], user=world["rep"], lines=lines)
    assert error.value.message_dict["lines.0"] == [stock.LINE_PRODUCTION_DATE_INVALID % {"product": "Cola"}]
    assert error.value.message_dict["lines.1"] == [stock.LINE_BATCH_TOO_LONG % {"product": "Tea"}]


def test_stock_count_create_dated_in_future_refused(world):
    with pytest.raises(ValidationError) as error:
        counting.stock_count_create(visit=world["visit"], user=world["rep"], lines=_lines(world),
                                    counted_at=world["now"] + DAY)
    assert error.value.message_dict["counted_at"] == [stock.COUNT_IN_FUTURE]
    assert not _visit_counts(world).exists()


def test_stock_count_create_before_previous_count_refused(world):
    with pytest.raises(ValidationError) as error:
        counting.stock_count_create(visit=world["visit"], user=world["rep"], lines=_lines(world),
                                    counted_at=world["now"] - 20 * DAY)
    assert "previous count" in error.value.message_dict["counted_at"][0]


def test_stock_count_create_product_not_carried_refused(world):
    juice = ProductFactory(name="Juice")
    with pytest.raises(ValidationError) as error:
        counting.stock_count_create(visit=world["visit"], user=world["rep"],
                                    lines=[*_lines(world), {"product": juice.pk, "quantity": 3}])
    assert error.value.message_dict["lines.2"] == [stock.LINE_PRODUCT_NOT_CARRIED % {"product": "Juice"}]
    assert not _visit_counts(world).exists()


def test_stock_count_create_found_on_shelf_saved_and_carried_from_now(world):
    juice = ProductFactory(name="Juice")
    saved = counting.stock_count_create(
        visit=world["visit"], user=world["rep"],
        lines=[*_lines(world), {"product": juice.pk, "quantity": 3, "found_on_shelf": True}],
    )
    assert saved.count.lines.get(product=juice).quantity == 3
    carried = carried_products(dealer_ids=[world["dealer"].pk])[world["dealer"].pk][juice.pk]
    assert (carried.source, carried.since) == (CarrySource.COUNT, timezone.localdate())
    row = DealerProduct.objects.get(dealer=world["dealer"], product=juice)
    assert row.added_by == world["rep"]


def test_stock_count_create_found_on_shelf_lifts_a_stop(world):
    stock.dealer_product_stop(dealer=world["dealer"], product=world["cola"], by=world["rep"])
    with pytest.raises(ValidationError):
        counting.stock_count_create(visit=world["visit"], user=world["rep"], lines=_lines(world))
    lines = [{"product": world["cola"].pk, "quantity": 120, "found_on_shelf": "on"},
             {"product": world["tea"].pk, "quantity": 20}]
    counting.stock_count_create(visit=world["visit"], user=world["rep"], lines=lines)
    assert world["cola"].pk in carried_products(dealer_ids=[world["dealer"].pk])[world["dealer"].pk]


@pytest.mark.parametrize("product", [999999, 10**30, -3, "abc", None, 1.5])
def test_stock_count_create_unknown_products_refused(world, product):
    with pytest.raises(ValidationError) as error:
        counting.stock_count_create(visit=world["visit"], user=world["rep"],
                                    lines=[*_lines(world), {"product": product, "quantity": 1}])
    assert error.value.message_dict["lines.2"] == [stock.LINE_PRODUCT_UNKNOWN % {"line": 3}]


def test_stock_count_create_repeated_product_refused(world):
    with pytest.raises(ValidationError) as error:
        counting.stock_count_create(visit=world["visit"], user=world["rep"],
                                    lines=[*_lines(world), {"product": world["cola"].pk, "quantity": 1}])
    assert error.value.message_dict["lines.2"] == [stock.LINE_PRODUCT_REPEATED % {"product": "Cola"}]


def test_stock_count_create_no_lines_refused(world):
    with pytest.raises(ValidationError) as error:
        counting.stock_count_create(visit=world["visit"], user=world["rep"], lines=[])
    assert error.value.message_dict["lines"] == [stock.COUNT_NEEDS_LINES]


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
    assert not _visit_counts(world).exists()


def test_stock_count_create_other_rep_denied(world):
    with pytest.raises(PermissionDenied):
        counting.stock_count_create(visit=world["visit"], user=RepFactory(), lines=_lines(world))
    assert not _visit_counts(world).exists()


# --- One count per visit ---------------------------------------------------------------
def test_stock_count_recount_replaces_earlier_count_kept_marked(world):
    typo = counting.stock_count_create(visit=world["visit"], user=world["rep"], lines=_lines(world, tea=2000),
                                       confirm_implausible=True).count
    fixed = counting.stock_count_create(visit=world["visit"], user=world["rep"], lines=_lines(world))
    typo.refresh_from_db()
    assert fixed.created and fixed.replaced == typo and fixed.count.replaces == typo
    assert typo.replaced_at is not None and not typo.is_current
    assert list(_visit_counts(world).current()) == [fixed.count]
    assert _visit_counts(world).count() == 2  # the typo is kept for the record
    assert counting.current_count_of_visit(world["visit"]) == fixed.count
    tea = SuggestedOrderLine.objects.get(stock_count=fixed.count, product=world["tea"])
    assert (tea.previous_stock, tea.suggested_quantity) == (80, 130)  # from the previous visit, not the typo


def test_stock_count_next_visit_reads_last_count_of_previous_visit_not_the_typo(world):
    counting.stock_count_create(visit=world["visit"], user=world["rep"], lines=_lines(world, tea=99_999_999),
                                confirm_implausible=True)
    counting.stock_count_create(visit=world["visit"], user=world["rep"], lines=_lines(world, tea=20))
    world["visit"].status = VisitStatus.COMPLETED
    world["visit"].save()
    next_visit = InProgressVisitFactory(dealer=world["dealer"])
    saved = counting.stock_count_create(visit=next_visit, user=world["rep"], lines=_lines(world, cola=100, tea=10))
    tea = SuggestedOrderLine.objects.get(stock_count=saved.count, product=world["tea"])
    assert tea.previous_stock == 20
    assert tea.suggested_quantity < 1000  # the median of 10 and 100 sold, × 1.5, − 10
    assert tea.periods[0][0] == 20 and tea.periods[1][0] == 80


def test_stock_count_identical_submission_saved_once(world):
    first = counting.stock_count_create(visit=world["visit"], user=world["rep"], lines=_lines(world))
    again = counting.stock_count_create(visit=world["visit"], user=world["rep"], lines=_lines(world))
    assert not again.created and again.count == first.count
    assert _visit_counts(world).count() == 1
    assert SuggestedOrderLine.objects.filter(stock_count=first.count).count() == 2


def test_stock_count_identical_submission_after_window_is_a_recount(world, settings):
    settings.STOCK_COUNT_DUPLICATE_WINDOW_MINUTES = 0
    first = counting.stock_count_create(visit=world["visit"], user=world["rep"], lines=_lines(world))
    again = counting.stock_count_create(visit=world["visit"], user=world["rep"], lines=_lines(world))
    assert again.created and again.replaced == first.count


# --- Plausibility ------------------------------------------------------------------------
def test_stock_count_implausible_quantity_questioned_with_line_and_reason(world):
    # Cola: at most 100 counted + 50 delivered recently → above 10 × 150 is questioned.
    with pytest.raises(ValidationError) as error:
        counting.stock_count_create(visit=world["visit"], user=world["rep"], lines=_lines(world, cola=1501))
    assert error.value.message_dict["lines.0"] == [stock.LINE_QUANTITY_IMPLAUSIBLE % {
        "product": "Cola", "quantity": "1,501", "multiple": 10, "reference": "150"}]
    assert error.value.message_dict["confirm_implausible"] == [stock.CONFIRM_IMPLAUSIBLE]
    assert stock.is_only_implausible(error.value)
    assert not _visit_counts(world).exists()
    saved = counting.stock_count_create(visit=world["visit"], user=world["rep"], lines=_lines(world, cola=1500))
    assert saved.created


def test_stock_count_implausible_quantity_saved_once_confirmed(world):
    saved = counting.stock_count_create(visit=world["visit"], user=world["rep"], lines=_lines(world, cola=5000),
                                        confirm_implausible=True)
    assert saved.count.lines.get(product=world["cola"]).quantity == 5000


def test_stock_count_implausible_with_other_errors_is_not_only_implausible(world):
    with pytest.raises(ValidationError) as error:
        counting.stock_count_create(visit=world["visit"], user=world["rep"], lines=_lines(world, cola=5000, tea=-1))
    assert not stock.is_only_implausible(error.value)


def test_stock_count_first_count_questioned_only_above_the_floor():
    dealer = DealerFactory()
    cola = ProductFactory(name="Cola")
    carry(dealer, [cola])
    visit = InProgressVisitFactory(dealer=dealer)
    counting.stock_count_create(visit=visit, user=dealer.rep, lines=[{"product": cola.pk, "quantity": 1000}])
    other = InProgressVisitFactory(dealer=DealerFactory())
    carry(other.dealer, [cola])
    with pytest.raises(ValidationError) as error:
        counting.stock_count_create(visit=other, user=other.rep, lines=[{"product": cola.pk, "quantity": 1001}])
    assert "lines.0" in error.value.message_dict


@pytest.mark.parametrize("products", [20, 200])
def test_stock_count_create_bounded_queries(products, django_assert_max_num_queries):
    dealer = DealerFactory()
    items = ProductFactory.create_batch(products, prices={})
    carry(dealer, items)
    past_count(dealer, timezone.now() - 7 * DAY, dict.fromkeys(items, 30))
    visit = InProgressVisitFactory(dealer=dealer)
    lines = [{"product": item.pk, "quantity": 10, "production_date": None, "batch": "B1"} for item in items]
    with django_assert_max_num_queries(25):
        saved = counting.stock_count_create(visit=visit, user=dealer.rep, lines=lines)
    assert SuggestedOrderLine.objects.filter(stock_count=saved.count).count() == products
    lines[0]["quantity"] = 11
    with django_assert_max_num_queries(25):  # a recount
        counting.stock_count_create(visit=visit, user=dealer.rep, lines=lines)


# --- Placing the order -------------------------------------------------------------------
@pytest.fixture
def counted(world):
    count = counting.stock_count_create(visit=world["visit"], user=world["rep"], lines=_lines(world)).count
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


def test_suggested_order_place_from_replaced_count_conflict(counted):
    counting.stock_count_create(visit=counted["visit"], user=counted["rep"], lines=_lines(counted, tea=10))
    with pytest.raises(StateConflict) as error:
        counting.suggested_order_place(stock_count=counted["count"], user=counted["rep"], quantities={})
    assert str(error.value) == str(counting.ORDER_NOT_LATEST_COUNT)
    assert StockCount.objects.get(pk=counted["count"].pk).replaced_at is not None


def test_stock_count_every_problem_at_once_bad_line_and_implausible_line(world):
    with pytest.raises(ValidationError) as error:
        counting.stock_count_create(visit=world["visit"], user=world["rep"], lines=_lines(world, cola=99_999, tea=-1))
    assert error.value.message_dict["lines.1"] == [stock.LINE_QUANTITY_INVALID % {"product": "Tea"}]
    assert error.value.message_dict["lines.0"][0].startswith("Cola: 99,999 cases is more than 10 ×")
    assert not stock.is_only_implausible(error.value)


def test_visit_count_steps_before_and_after_the_count(world, django_assert_max_num_queries):
    visit = world["visit"]
    with django_assert_max_num_queries(4):
        before = counting.visit_count_steps(visit=visit)
    assert (before["count"], before["summary"], before["can_count"]) == (None, {}, True)
    counting.stock_count_create(visit=visit, user=world["rep"], lines=_lines(world, cola=0, tea=20))
    with django_assert_max_num_queries(4):
        after = counting.visit_count_steps(visit=visit)
    assert after["count"] is not None and after["summary"]["lines"] == 2
    assert after["summary"]["to_order"] >= 1 and after["warnings"]
    visit.status = VisitStatus.COMPLETED
    assert counting.visit_count_steps(visit=visit)["can_count"] is False

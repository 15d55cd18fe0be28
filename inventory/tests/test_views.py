"""The pages: order list (filters, export), detail and its buttons, placement, re-order, slips, prices."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from common.sections import sections_for
from inventory import services
from inventory.models import Order
from inventory.tests.factories import OrderFactory, ProductFactory, order_in_state

pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


# --- Order list ------------------------------------------------------------------------------
def test_order_list_dealer_user_sees_only_its_own_orders(client, world):
    own, other = OrderFactory(dealer=world.dealer), OrderFactory(dealer=world.other)
    client.force_login(world.dealer_user)
    html = client.get("/inventory/orders/").content.decode()
    assert own.number in html and other.number not in html


def test_order_list_export_csv_and_xlsx_stay_within_scope(client, world):
    own = order_in_state("confirmed", dealer=world.dealer, lines=[(world.cola, 2)])
    other = OrderFactory(dealer=world.other)
    client.force_login(world.dealer_user)
    rows = csv_rows(client.get("/inventory/orders/?format=csv"))
    assert rows[0][:4] == ["Order", "Submitted", "Dealer code", "Dealer"]
    assert [row[0] for row in rows[1:]] == [own.number]
    assert rows[1][6:9] == ["110.00", "0.00", "110.00"]
    response = client.get("/inventory/orders/?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    numbers = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert numbers == [own.number] and other.number not in numbers


def test_order_list_filters_by_status_dealer_search_and_sorts(client, world):
    shipped = order_in_state("shipped", dealer=world.dealer, lines=[(world.cola, 20)])
    submitted = OrderFactory(dealer=world.dealer, lines=[(world.cola, 1)])
    elsewhere = OrderFactory(dealer=world.other)
    client.force_login(world.admin)

    def listed(query):
        rows = csv_rows(client.get(f"/inventory/orders/?format=csv&{query}"))
        return [row[0] for row in rows[1:]]

    assert listed("status=shipped") == [shipped.number]
    assert set(listed(f"dealer={world.other.pk}")) == {elsewhere.number}
    assert listed("q=Jinling") == [elsewhere.number]
    assert listed(f"q={submitted.number}") == [submitted.number]
    assert listed("ordering=-total")[0] == shipped.number
    assert client.get("/inventory/orders/?status=nonsense&ordering=evil").status_code == 200


@pytest.mark.parametrize("count", [3, 40])
@pytest.mark.parametrize("who", ["admin", "manager", "dealer_user"])
def test_order_list_page_makes_a_bounded_number_of_queries(client, world, django_assert_max_num_queries, count, who):
    for index in range(count):
        OrderFactory(dealer=world.dealer, lines=[(world.cola, index + 1)])
    client.force_login(getattr(world, who))
    with django_assert_max_num_queries(12):
        response = client.get("/inventory/orders/")
    assert response.status_code == 200 and response.content.count(b"/inventory/orders/") >= min(count, 25)


# --- Order detail and its buttons --------------------------------------------------------------
def test_order_detail_another_dealers_order_answers_404(client, world):
    order = OrderFactory(dealer=world.other)
    client.force_login(world.dealer_user)
    assert client.get(f"/inventory/orders/{order.pk}/").status_code == 404
    assert client.post(f"/inventory/orders/{order.pk}/cancel/", {"reason": "x"}).status_code == 404
    for kind in ("order", "delivery", "picking"):
        assert client.get(f"/inventory/orders/{order.pk}/print/{kind}/").status_code == 404


def test_order_detail_shows_only_the_buttons_the_role_may_use_now(client, world):
    order = OrderFactory(dealer=world.dealer)
    client.force_login(world.rep)
    html = client.get(f"/inventory/orders/{order.pk}/").content.decode()
    assert "Confirm order" in html and "Reject order" in html and "Record payment" not in html
    client.force_login(world.finance)
    html = client.get(f"/inventory/orders/{order.pk}/").content.decode()
    assert 'data-testid="order-actions"' not in html


@pytest.mark.parametrize("count", [1, 12])
def test_order_detail_page_makes_a_bounded_number_of_queries(client, world, django_assert_max_num_queries, count):
    products = [ProductFactory() for _ in range(count)]
    order = order_in_state("shipped", dealer=world.dealer, lines=[(product, 2) for product in products],
                           payments=["1.00"] * count + [str(110 * count - count)])
    client.force_login(world.dealer_user)
    with django_assert_max_num_queries(14):
        assert client.get(f"/inventory/orders/{order.pk}/").status_code == 200


def test_order_page_walks_the_workflow_with_partial_payments(client, world):
    order = OrderFactory(dealer=world.dealer, lines=[(world.cola, 2)])  # 110.00
    url = f"/inventory/orders/{order.pk}/"
    client.force_login(world.rep)
    assert client.post(url + "confirm/").status_code == 302
    client.force_login(world.finance)
    client.post(url + "pay/", {"amount": "60.00", "reference": "B1"})
    response = client.post(url + "pay/", {"amount": "60.00"}, follow=True)
    assert "The payment of ¥60.00 is more than the ¥50.00 still due" in response.content.decode()
    client.post(url + "pay/", {"amount": "50.00"})
    client.force_login(world.warehouse)
    client.post(url + "pick/")
    client.post(url + "ship/", {"reference": "WB-1"})
    client.force_login(world.dealer_user)
    client.post(url + "receive/")
    order.refresh_from_db()
    assert order.status == "received" and order.amount_paid == Decimal("110.00")
    assert order.payments.count() == 2 and order.shipments.get().reference == "WB-1"


def test_order_page_step_not_allowed_now_shows_a_message_and_role_not_allowed_is_403(client, world):
    order = order_in_state("confirmed", dealer=world.dealer)
    client.force_login(world.rep)
    response = client.post(f"/inventory/orders/{order.pk}/confirm/", follow=True)
    assert "is not possible now" in response.content.decode()
    client.force_login(world.dealer_user)
    assert client.post(f"/inventory/orders/{order.pk}/pay/", {"amount": "1"}).status_code == 403
    assert client.post(f"/inventory/orders/{order.pk}/explode/").status_code == 404


# --- Placing an order --------------------------------------------------------------------------
def test_order_form_dealer_user_places_an_order_for_itself(client, world):
    client.force_login(world.dealer_user)
    page = client.get("/inventory/orders/new/").content.decode()
    assert "Cola 500ml" in page and "¥55.00" in page and "¥50.00" not in page  # its own tier only
    response = client.post("/inventory/orders/new/", {f"qty_{world.cola.pk}": "3", f"qty_{world.chips.pk}": "", "note": "Before Friday"})
    order = Order.objects.get()
    assert response.status_code == 302 and response.url == f"/inventory/orders/{order.pk}/"
    assert (order.dealer, order.placed_by, order.total, order.note) == (world.dealer, world.dealer_user, Decimal("165.00"), "Before Friday")


def test_order_form_bad_quantities_save_nothing(client, world):
    client.force_login(world.dealer_user)
    response = client.post("/inventory/orders/new/", {f"qty_{world.cola.pk}": "3", f"qty_{world.chips.pk}": "-1"})
    assert response.status_code == 200 and "Enter a whole number of cases" in response.content.decode()
    response = client.post("/inventory/orders/new/", {f"qty_{world.cola.pk}": "", f"qty_{world.chips.pk}": "0"})
    assert "An order needs at least one line." in response.content.decode()
    assert not Order.objects.exists()


def test_order_form_rep_picks_a_dealer_in_scope_first(client, world):
    client.force_login(world.rep)
    chooser = client.get("/inventory/orders/new/").content.decode()
    assert "Baishun Trading" in chooser and "Jinling Sugar" not in chooser
    assert client.get(f"/inventory/orders/new/?dealer={world.other.pk}").status_code == 404
    page = client.get(f"/inventory/orders/new/?dealer={world.dealer.pk}").content.decode()
    assert "¥55.00" in page
    client.post("/inventory/orders/new/", {"dealer": world.dealer.pk, f"qty_{world.chips.pk}": "2"})
    order = Order.objects.get()
    assert (order.dealer, order.source) == (world.dealer, "on_behalf")


def test_order_form_reorder_prefills_the_past_quantities(client, world):
    past = order_in_state("received", dealer=world.dealer, lines=[(world.cola, 7), (world.chips, 3)])
    client.force_login(world.dealer_user)
    html = client.get(f"/inventory/orders/new/?from={past.pk}").content.decode()
    assert f'name="qty_{world.cola.pk}" value="7"' in html and f'name="qty_{world.chips.pk}" value="3"' in html
    other = OrderFactory(dealer=world.other)
    assert client.get(f"/inventory/orders/new/?from={other.pk}").status_code == 404


def test_order_form_finance_may_not_place_orders(client, world):
    client.force_login(world.finance)
    assert client.get("/inventory/orders/new/").status_code == 403


# --- Slips, products and prices ---------------------------------------------------------------
def test_slips_print_the_order_lines(client, world):
    order = order_in_state("shipped", dealer=world.dealer, lines=[(world.cola, 4)])
    client.force_login(world.warehouse)
    for kind in ("order", "picking", "delivery"):
        html = client.get(f"/inventory/orders/{order.pk}/print/{kind}/").content.decode()
        assert f'data-testid="slip-{kind}"' in html and "Cola 500ml" in html and order.number in html
    client.force_login(world.dealer_user)
    assert client.get(f"/inventory/orders/{order.pk}/print/picking/").status_code == 403
    assert client.get(f"/inventory/orders/{order.pk}/print/delivery/").status_code == 200


def test_price_list_dealer_user_sees_only_its_tier_whatever_it_asks(client, world):
    client.force_login(world.dealer_user)
    html = client.get("/inventory/prices/?tier=province").content.decode()
    assert "City agent" in html and "¥55.00" in html and "¥50.00" not in html
    rows = csv_rows(client.get("/inventory/prices/?tier=province&format=csv"))
    assert {row[6] for row in rows[1:]} == {"55.00"}


def test_price_list_staff_pick_a_tier(client, world):
    client.force_login(world.rep)
    html = client.get("/inventory/prices/?tier=county").content.decode()
    assert "¥60.00" in html and "¥55.00" not in html


@pytest.mark.parametrize("count", [2, 30])
def test_product_and_price_pages_make_a_bounded_number_of_queries(client, world, django_assert_max_num_queries, count):
    for _ in range(count):
        ProductFactory()
    for user in (world.admin, world.dealer_user):
        client.force_login(user)
        with django_assert_max_num_queries(10):
            assert client.get("/inventory/products/").status_code == 200
        with django_assert_max_num_queries(10):
            assert client.get("/inventory/prices/").status_code == 200


def test_product_detail_dealer_user_sees_its_tier_price_and_not_inactive_products(client, world):
    inactive = ProductFactory(is_active=False)
    client.force_login(world.dealer_user)
    html = client.get(f"/inventory/products/{world.cola.pk}/").content.decode()
    assert "¥55.00" in html and "¥60.00" not in html
    assert client.get(f"/inventory/products/{inactive.pk}/").status_code == 404


# --- Sections and navigation --------------------------------------------------------------------
def test_dealer_detail_section_lists_recent_orders_and_receivables(rf, world):
    order_in_state("confirmed", dealer=world.dealer, lines=[(world.cola, 2)])
    OrderFactory(dealer=world.other)
    request = rf.get("/")
    request.user = world.manager
    (section,) = [s for s in sections_for("dealer_detail", request=request, dealer=world.dealer) if s.anchor == "orders"]
    assert len(section.context["orders"]) == 1 and section.context["open_receivables"] == Decimal("110.00")


def test_navigation_offers_orders_to_everyone_and_products_to_staff(world):
    from common.navigation import nav_items_for

    dealer_labels = {str(item.label) for item in nav_items_for(world.dealer_user)}
    assert {"Orders", "Price list"} <= dealer_labels and "Products" not in dealer_labels
    assert "Products" in {str(item.label) for item in nav_items_for(world.warehouse)}


def test_portal_home_section_shows_only_the_dealers_own_orders(rf, world):
    from django.template.loader import render_to_string

    own = order_in_state("confirmed", dealer=world.dealer, lines=[(world.cola, 2)])
    other = OrderFactory(dealer=world.other)
    request = rf.get("/")
    request.user = world.dealer_user
    sections = [s for s in sections_for("portal_home", request=request, dealer=world.dealer) if s.anchor == "orders"]
    html = render_to_string(sections[0].template, {**sections[0].context, "section": sections[0]}, request=request)
    assert own.number in html and other.number not in html and "¥110.00" in html


def test_order_page_history_lists_each_partial_payment(client, world):
    order = order_in_state("paid", dealer=world.dealer, lines=[(world.cola, 2)], payments=["10.00", "100.00"])
    client.force_login(world.finance)
    body = client.get(f"/inventory/orders/{order.pk}/").content.decode()
    history = body.split('data-testid="order-history"')[1].split("</ol>")[0]
    assert "payment of ¥10.00" in history and "payment of ¥100.00" in history
    assert history.index("payment of ¥10.00") < history.index("payment of ¥100.00")


def test_order_page_ship_without_a_waybill_says_so_and_ships_nothing(client, world):
    order = order_in_state("picked", dealer=world.dealer)
    client.force_login(world.warehouse)
    response = client.post(f"/inventory/orders/{order.pk}/ship/", {"reference": ""}, follow=True)
    assert str(services.WAYBILL_REQUIRED) in response.content.decode()
    order.refresh_from_db()
    assert order.status == "picked"


def test_order_page_quantities_read_with_their_unit(client, world):
    order = OrderFactory(dealer=world.dealer, lines=[(world.cola, 1), (world.chips, 30)])
    client.force_login(world.rep)
    body = client.get(f"/inventory/orders/{order.pk}/").content.decode()
    assert ">1 case<" in body and ">30 cases<" in body

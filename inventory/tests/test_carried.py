"""Products a dealer carries, without setup (SPEC §3 "Counts in daily life"): from
its shipments (since the shipment), its signed contract's categories (since the
start date), added by hand or found on the shelf; a manager stops one (history
stays) and a new shipment carries it again. The selector, the services, the API
`dealers/{id}/products/` (scope, roles) and the dealer page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import AdminFactory, DealerUserFactory, FinanceFactory, ManagerFactory, RepFactory
from dealers.tests.factories import ContractFactory, DealerFactory, DraftContractFactory
from inventory import counting
from inventory.models import CarrySource, DealerProduct, OrderStatus, StockCountLine
from inventory.selectors import carried_product_list, carried_products
from inventory.tests.factories import ProductCategoryFactory, ProductFactory, order_in_state
from inventory.tests.stock_factories import carry, count_at, ship
from regions.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def world():
    region = RegionFactory(name="Zhejiang")
    manager = ManagerFactory(regions=[region])
    dealer = DealerFactory(region=region)
    drinks = ProductCategoryFactory(name="Drinks")
    cola, tea = ProductFactory(name="Cola", category=drinks), ProductFactory(name="Tea", category=drinks)
    juice = ProductFactory(name="Juice")
    return dict(region=region, manager=manager, dealer=dealer, drinks=drinks, cola=cola, tea=tea, juice=juice,
                rep=dealer.rep)


def _carried(dealer):
    return carried_products(dealer_ids=[dealer.pk])[dealer.pk]


def test_carried_products_none_without_setup_for_a_new_dealer(world):
    assert _carried(world["dealer"]) == {}


def test_carried_products_from_shipments_since_the_first_one(world):
    first = timezone.now() - 30 * DAY
    ship(world["dealer"], first, {world["cola"]: 10})
    ship(world["dealer"], first + 10 * DAY, {world["cola"]: 5, world["tea"]: 3})
    carried = _carried(world["dealer"])
    assert set(carried) == {world["cola"].pk, world["tea"].pk}
    assert (carried[world["cola"].pk].since, carried[world["cola"].pk].source) == (
        timezone.localdate(first), CarrySource.SHIPMENT)
    assert carried[world["tea"].pk].since == timezone.localdate(first + 10 * DAY)


def test_carried_products_from_a_signed_contracts_categories(world):
    contract = ContractFactory(dealer=world["dealer"])
    contract.product_categories.set([world["drinks"]])
    draft = DraftContractFactory(dealer=world["dealer"])
    draft.product_categories.set([world["juice"].category])
    ProductFactory(name="Old drink", category=world["drinks"], is_active=False)
    carried = _carried(world["dealer"])
    assert set(carried) == {world["cola"].pk, world["tea"].pk}
    assert carried[world["tea"].pk].source == CarrySource.CONTRACT
    assert carried[world["tea"].pk].since == contract.start_date


def test_carried_products_earliest_source_named(world):
    contract = ContractFactory(dealer=world["dealer"], start_date=timezone.localdate() - 100 * DAY)
    contract.product_categories.set([world["drinks"]])
    ship(world["dealer"], timezone.now() - 200 * DAY, {world["cola"]: 1})
    carried = _carried(world["dealer"])
    assert carried[world["cola"].pk].source == CarrySource.SHIPMENT
    assert carried[world["tea"].pk].source == CarrySource.CONTRACT


def test_dealer_product_add_by_hand_then_stop_then_shipment_carries_again(world):
    carried, created = counting.dealer_product_add(dealer=world["dealer"], product=world["juice"], by=world["manager"])
    assert created and (carried.source, carried.since) == (CarrySource.MANUAL, timezone.localdate())
    _again, created_again = counting.dealer_product_add(dealer=world["dealer"], product=world["juice"],
                                                       by=world["manager"])
    assert not created_again
    counting.dealer_product_stop(dealer=world["dealer"], product=world["juice"], by=world["manager"])
    assert world["juice"].pk not in _carried(world["dealer"])
    order = order_in_state(OrderStatus.SHIPPED, dealer=world["dealer"], lines=[(world["juice"], 4)])
    carried = _carried(world["dealer"])[world["juice"].pk]
    # Carried from the day of the shipment (the factory ships a few hours after now: maybe tomorrow).
    assert (carried.source, carried.since) == (CarrySource.SHIPMENT, timezone.localdate(order.shipped_at))


def test_dealer_product_stop_derived_product_keeps_history(world):
    ship(world["dealer"], timezone.now() - 20 * DAY, {world["cola"]: 10})
    count = count_at(world["dealer"], timezone.now() - 10 * DAY, {world["cola"]: 4})
    counting.dealer_product_stop(dealer=world["dealer"], product=world["cola"], by=world["manager"])
    assert world["cola"].pk not in _carried(world["dealer"])
    assert StockCountLine.objects.filter(stock_count=count, product=world["cola"]).exists()
    row = DealerProduct.objects.get(dealer=world["dealer"], product=world["cola"])
    assert row.stopped_by == world["manager"] and row.stopped_at is not None
    counting.dealer_product_add(dealer=world["dealer"], product=world["cola"], by=world["manager"])
    assert _carried(world["dealer"])[world["cola"].pk].source == CarrySource.MANUAL


def test_dealer_product_stop_not_carried_refused(world):
    with pytest.raises(ValidationError) as error:
        counting.dealer_product_stop(dealer=world["dealer"], product=world["juice"], by=world["manager"])
    assert error.value.message_dict == {"product": [counting.PRODUCT_NOT_CARRIED]}


@pytest.mark.parametrize("size", [10, 200])
def test_carried_product_list_bounded_queries(world, size, django_assert_max_num_queries):
    products = ProductFactory.create_batch(size, prices={}, category=world["drinks"])
    ship(world["dealer"], timezone.now() - DAY, dict.fromkeys(products[: size // 2], 1))
    carry(world["dealer"], products[size // 2:])
    ContractFactory(dealer=world["dealer"]).product_categories.set([world["drinks"]])
    with django_assert_max_num_queries(4):
        rows = carried_product_list(dealer=world["dealer"])
    assert len(rows) == size + 2


# --- API: dealers/{id}/products/ ---------------------------------------------------------
def _url(dealer):
    return f"/api/v1/dealers/{dealer.pk}/products/"


def test_dealer_products_api_lists_product_since_source(world, api_as):
    ship(world["dealer"], timezone.now() - 5 * DAY, {world["cola"]: 10})
    carry(world["dealer"], [world["juice"]])
    body = api_as(world["rep"]).get(_url(world["dealer"])).json()
    assert body["count"] == 2
    by_product = {row["product"]: row for row in body["results"]}
    assert by_product[world["cola"].pk]["source"] == "shipment"
    assert by_product[world["cola"].pk]["since"] == timezone.localdate(timezone.now() - 5 * DAY).isoformat()
    assert by_product[world["juice"].pk]["source"] == "manual"
    assert set(by_product[world["cola"].pk]) == {"product", "sku", "name", "unit", "since", "source"}


def test_dealer_products_api_manager_adds_and_stops(world, api_as):
    client = api_as(world["manager"])
    added = client.post(_url(world["dealer"]), {"product": world["juice"].pk}, format="json")
    assert added.status_code == 201 and added.json()["source"] == "manual"
    assert client.post(_url(world["dealer"]), {"product": world["juice"].pk}, format="json").status_code == 200
    stopped = client.delete(_url(world["dealer"]), {"product": world["juice"].pk}, format="json")
    assert stopped.status_code == 204
    assert client.get(_url(world["dealer"])).json()["count"] == 0
    assert client.delete(f"{_url(world['dealer'])}?product={world['juice'].pk}").status_code == 400


def test_dealer_products_api_admin_may_change(world, api_as):
    assert api_as(AdminFactory()).post(_url(world["dealer"]), {"product": world["juice"].pk},
                                       format="json").status_code == 201


@pytest.mark.parametrize("user_factory_name", ["rep", "finance", "dealer_user"])
def test_dealer_products_api_other_roles_read_only(world, api_as, user_factory_name):
    user = {"rep": lambda: world["rep"], "finance": FinanceFactory,
            "dealer_user": lambda: DealerUserFactory(dealer=world["dealer"])}[user_factory_name]()
    client = api_as(user)
    assert client.get(_url(world["dealer"])).status_code == 200
    assert client.post(_url(world["dealer"]), {"product": world["juice"].pk}, format="json").status_code == 403
    assert client.delete(_url(world["dealer"]), {"product": world["juice"].pk}, format="json").status_code == 403
    assert not DealerProduct.objects.exists()


def test_dealer_products_api_out_of_scope_dealer_404(world, api_as):
    other = DealerFactory(region=RegionFactory(name="Jiangsu"))
    for user in (world["manager"], RepFactory(), DealerUserFactory(dealer=world["dealer"])):
        client = api_as(user)
        assert client.get(_url(other)).status_code == 404
        assert client.post(_url(other), {"product": world["juice"].pk}, format="json").status_code in (403, 404)
    assert api_as(world["manager"]).post(_url(other), {"product": world["juice"].pk}, format="json").status_code == 404
    assert api_as(world["manager"]).get("/api/v1/dealers/99999999999/products/").status_code == 404


@pytest.mark.parametrize("product", [0, -1, "abc", 10**30, 99999999])
def test_dealer_products_api_bad_product_400(world, api_as, product):
    response = api_as(world["manager"]).post(_url(world["dealer"]), {"product": product}, format="json")
    assert response.status_code == 400 and "product" in response.json()


@pytest.mark.parametrize("size", [5, 60])
def test_dealer_products_api_bounded_queries(world, api_as, size, django_assert_max_num_queries):
    ship(world["dealer"], timezone.now() - DAY, dict.fromkeys(ProductFactory.create_batch(size, prices={}), 2))
    client = api_as(world["rep"])
    with django_assert_max_num_queries(6):
        response = client.get(_url(world["dealer"]))
    assert response.json()["count"] == size


# --- The dealer page ---------------------------------------------------------------------
def test_dealer_page_carried_section_manager_stops_and_adds(client, world):
    ship(world["dealer"], timezone.now() - DAY, {world["cola"]: 3})
    client.force_login(world["manager"])
    page = client.get(reverse("dealers:detail", args=[world["dealer"].pk])).content.decode()
    assert 'data-testid="dealer-carried"' in page and "Stop carrying Cola" in page
    response = client.post(reverse("inventory:dealer_product_stop", args=[world["dealer"].pk, world["cola"].pk]),
                           follow=True)
    assert "Cola stopped: it leaves the stock count" in response.content.decode()
    assert world["cola"].pk not in _carried(world["dealer"])
    client.post(reverse("inventory:dealer_product_add", args=[world["dealer"].pk]), {"product": world["juice"].pk})
    assert world["juice"].pk in _carried(world["dealer"])


def test_dealer_page_carried_section_rep_reads_only(client, world):
    ship(world["dealer"], timezone.now() - DAY, {world["cola"]: 3})
    client.force_login(world["rep"])
    page = client.get(reverse("dealers:detail", args=[world["dealer"].pk])).content.decode()
    assert 'data-testid="carried-row"' in page and "Stop carrying" not in page
    response = client.post(reverse("inventory:dealer_product_stop", args=[world["dealer"].pk, world["cola"].pk]))
    assert response.status_code == 403
    assert world["cola"].pk in _carried(world["dealer"])


def test_dealer_page_carried_stop_other_region_404(client, world):
    other = DealerFactory(region=RegionFactory(name="Jiangsu"))
    ship(other, timezone.now() - DAY, {world["cola"]: 3})
    client.force_login(world["manager"])
    assert client.post(reverse("inventory:dealer_product_stop", args=[other.pk, world["cola"].pk])).status_code == 404

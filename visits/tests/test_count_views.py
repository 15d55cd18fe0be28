"""The stock count and suggested order pages, the visit's step cards, and the
sections on the dealer page and in the portal."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import DealerUserFactory, RepFactory
from dealers.tests.factories import DealerFactory
from inventory.tests.factories import ProductFactory
from visits import counting
from visits.models import StockCount, VisitStatus
from visits.tests.count_factories import InProgressVisitFactory, carry, cola_and_tea_world, past_count

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def world():
    return cola_and_tea_world()


def _post(world, cola="120", tea="20"):
    return {f"qty-{world['cola'].pk}": cola, f"qty-{world['tea'].pk}": tea, f"pd-{world['tea'].pk}": ""}


def test_stock_count_page_shows_every_carried_product_with_hint(client, world):
    client.force_login(world["rep"])
    response = client.get(reverse("visits:stock_count", args=[world["visit"].pk]))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 2
    assert "Last count: 100" in response.content.decode()


def test_stock_count_page_saves_and_redirects(client, world):
    client.force_login(world["rep"])
    response = client.post(reverse("visits:stock_count", args=[world["visit"].pk]), _post(world))
    assert response.status_code == 302
    assert response.url == reverse("visits:suggested_order", args=[world["visit"].pk])
    assert StockCount.objects.filter(visit=world["visit"]).count() == 1


def test_stock_count_page_bad_line_shown_nothing_saved(client, world):
    client.force_login(world["rep"])
    response = client.post(reverse("visits:stock_count", args=[world["visit"].pk]), _post(world, tea="-4"))
    assert response.status_code == 200
    rows = {row["product"].pk: row for row in response.context["rows"]}
    assert rows[world["tea"].pk]["errors"] and not rows[world["cola"].pk]["errors"]
    assert rows[world["tea"].pk]["quantity"] == "-4"
    assert not StockCount.objects.filter(visit=world["visit"]).exists()


def test_stock_count_page_other_rep_404(client, world):
    client.force_login(RepFactory())
    assert client.get(reverse("visits:stock_count", args=[world["visit"].pk])).status_code == 404


def test_stock_count_page_visit_not_started_no_form(client, world):
    world["visit"].status = VisitStatus.PLANNED
    world["visit"].save()
    client.force_login(world["rep"])
    response = client.post(reverse("visits:stock_count", args=[world["visit"].pk]), _post(world))
    assert response.status_code == 200
    assert "start the visit first" in response.content.decode()
    assert not StockCount.objects.exists() or not StockCount.objects.filter(visit=world["visit"]).exists()


def test_suggested_order_page_working_and_place_order(client, world):
    counting.stock_count_create(visit=world["visit"], user=world["rep"],
                                lines=[{"product": world["cola"].pk, "quantity": 120},
                                       {"product": world["tea"].pk, "quantity": 20}])
    client.force_login(world["rep"])
    url = reverse("visits:suggested_order", args=[world["visit"].pk])
    page = client.get(url).content.decode()
    assert "150.00" in page and "100.00" in page and "Low cover" in page
    refused = client.post(url, {f"qty-{world['tea'].pk}": "100", f"qty-{world['cola'].pk}": "0"})
    assert refused.status_code == 200 and "give a reason" in refused.content.decode()
    response = client.post(url, {f"qty-{world['tea'].pk}": "100", f"reason-{world['tea'].pk}": "Cash flow",
                                 f"qty-{world['cola'].pk}": "0"})
    assert response.status_code == 302
    world["visit"].refresh_from_db()
    assert response.url == reverse("inventory:order_detail", args=[world["visit"].order_id])


@pytest.mark.parametrize("products", [20, 200])
def test_suggested_order_page_bounded_queries(client, products, django_assert_max_num_queries):
    dealer = DealerFactory()
    items = ProductFactory.create_batch(products, prices={})
    carry(dealer, items)
    past_count(dealer, timezone.now() - 7 * DAY, dict.fromkeys(items, 30))
    visit = InProgressVisitFactory(dealer=dealer)
    counting.stock_count_create(visit=visit, user=dealer.rep, lines=[{"product": i.pk, "quantity": 9} for i in items])
    client.force_login(dealer.rep)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("visits:suggested_order", args=[visit.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("visits:stock_count", args=[visit.pk])).status_code == 200


def test_count_steps_show_warnings(world):
    counting.stock_count_create(visit=world["visit"], user=world["rep"],
                                lines=[{"product": world["cola"].pk, "quantity": 0},
                                       {"product": world["tea"].pk, "quantity": 20}])
    request = RequestFactory().get("/")
    request.user = world["rep"]
    html = render_to_string("visits/_count_steps.html", {"visit": world["visit"]}, request=request)
    assert "Out of stock." in html and "See the suggested order" in html


def test_dealer_page_stock_section(client, world):
    counting.stock_count_create(visit=world["visit"], user=world["rep"],
                                lines=[{"product": world["cola"].pk, "quantity": 0},
                                       {"product": world["tea"].pk, "quantity": 20}])
    client.force_login(world["rep"])
    page = client.get(reverse("dealers:detail", args=[world["dealer"].pk])).content.decode()
    assert "Stock at the last count" in page and 'data-testid="dealer-stock-warnings"' in page


def test_portal_latest_suggestion_section(client, world):
    counting.stock_count_create(visit=world["visit"], user=world["rep"],
                                lines=[{"product": world["cola"].pk, "quantity": 120},
                                       {"product": world["tea"].pk, "quantity": 20}])
    client.force_login(DealerUserFactory(dealer=world["dealer"]))
    page = client.get(reverse("portal:home")).content.decode()
    assert "Your latest suggested order" in page and 'data-testid="portal-suggestion"' in page
    assert "150.00" in page

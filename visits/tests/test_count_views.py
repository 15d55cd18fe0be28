"""The stock count and suggested order pages, the visit's step cards, and the
sections on the dealer page and in the portal: every line with its unit and
labelled fields, a message per bad line and nothing saved, "are you sure?" for an
implausible quantity, found on the shelf, counting again, the working in full."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import DealerUserFactory, RepFactory
from dealers.tests.factories import DealerFactory
from inventory import counting as stock
from inventory.models import StockCount
from inventory.tests.factories import ProductFactory
from visits.models import VisitStatus
from visits.services import counting
from visits.tests.count_factories import InProgressVisitFactory, carry, cola_and_tea_world, past_count

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def world():
    return cola_and_tea_world()


def _post(world, cola="120", tea="20", **extra):
    return {f"qty-{world['cola'].pk}": cola, f"qty-{world['tea'].pk}": tea, f"pd-{world['tea'].pk}": "", **extra}


def _counts(world):
    return StockCount.objects.filter(reference=world["visit"].stock_count_reference)


def _url(world):
    return reverse("visits:stock_count", args=[world["visit"].pk])


def test_stock_count_page_shows_every_carried_product_with_unit_labels_and_hint(client, world):
    client.force_login(world["rep"])
    response = client.get(_url(world))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 2
    page = response.content.decode()
    assert "Last count: 100 cases" in page
    assert f'<label class="form-label small mb-0" for="qty-{world["cola"].pk}">Stock</label>' in page
    assert f'for="pd-{world["cola"].pk}">Production date</label>' in page
    assert f'for="batch-{world["cola"].pk}">Batch</label>' in page
    assert '<span class="input-group-text px-2">cases</span>' in page


def test_stock_count_page_saves_and_redirects(client, world):
    client.force_login(world["rep"])
    response = client.post(_url(world), _post(world))
    assert response.status_code == 302
    assert response.url == reverse("visits:suggested_order", args=[world["visit"].pk])
    assert _counts(world).count() == 1


def test_stock_count_page_double_submit_saves_once(client, world):
    client.force_login(world["rep"])
    client.post(_url(world), _post(world))
    again = client.post(_url(world), _post(world), follow=True)
    assert "This count was already saved." in again.content.decode()
    assert _counts(world).count() == 1


@pytest.mark.parametrize("bad", ["-4", "1.5", "ten", "", "100000000000"])
def test_stock_count_page_bad_line_shown_nothing_saved(client, world, bad):
    client.force_login(world["rep"])
    response = client.post(_url(world), _post(world, tea=bad))
    assert response.status_code == 200
    rows = {row["product"].pk: row for row in response.context["rows"]}
    assert rows[world["tea"].pk]["errors"] and not rows[world["cola"].pk]["errors"]
    assert rows[world["tea"].pk]["errors"][0].startswith("Tea: ")
    assert rows[world["tea"].pk]["quantity"] == bad
    assert 'data-testid="line-error"' in response.content.decode()
    assert not _counts(world).exists()


def test_stock_count_page_implausible_asks_then_saves_when_confirmed(client, world):
    client.force_login(world["rep"])
    asked = client.post(_url(world), _post(world, tea="99999999"))
    assert asked.status_code == 200 and asked.context["ask_confirmation"]
    page = asked.content.decode()
    assert 'data-testid="confirm-implausible"' in page and "Tea: 99,999,999 cases is more than 10 ×" in page
    assert not _counts(world).exists()
    saved = client.post(_url(world), _post(world, tea="99999999", confirm_implausible="1"))
    assert saved.status_code == 302
    assert _counts(world).get().lines.get(product=world["tea"]).quantity == 99_999_999


def test_stock_count_page_found_on_shelf_row(client, world):
    juice = ProductFactory(name="Juice")
    client.force_login(world["rep"])
    page = client.get(_url(world))
    assert (juice.pk, "Juice", juice.sku) in page.context["found_choices"]
    response = client.post(_url(world), _post(world, **{"found_rows": "1", "found-0-product": str(juice.pk),
                                                        "found-0-qty": "6", "found-0-batch": "B9"}))
    assert response.status_code == 302
    line = _counts(world).get().lines.get(product=juice)
    assert (line.quantity, line.batch) == (6, "B9")
    assert len(client.get(_url(world)).context["rows"]) == 3  # carried from now on


def test_stock_count_page_found_row_without_product_refused(client, world):
    client.force_login(world["rep"])
    response = client.post(_url(world), _post(world, **{"found_rows": "1", "found-0-qty": "6"}))
    assert response.status_code == 200
    assert response.context["found"][0]["errors"] == ["Choose the product you found on the shelf."]
    assert not _counts(world).exists()


def test_stock_count_page_another_found_row_keeps_values(client, world):
    client.force_login(world["rep"])
    response = client.post(_url(world), _post(world, tea="7", add_found="1", found_rows="1"))
    assert response.status_code == 200
    assert len(response.context["found"]) == 2
    rows = {row["product"].pk: row for row in response.context["rows"]}
    assert rows[world["tea"].pk]["quantity"] == "7"
    assert not _counts(world).exists()


def test_stock_count_page_count_again_prefilled_and_replaces(client, world):
    client.force_login(world["rep"])
    client.post(_url(world), _post(world, tea="2000", confirm_implausible="1"))
    again = client.get(_url(world))
    assert 'data-testid="count-again-note"' in again.content.decode()
    rows = {row["product"].pk: row for row in again.context["rows"]}
    assert rows[world["tea"].pk]["quantity"] == 2000
    assert rows[world["tea"].pk]["hint"].quantity == 80  # the previous visit's count, not this one
    response = client.post(_url(world), _post(world), follow=True)
    assert "it replaces the earlier count of this visit" in response.content.decode()
    assert _counts(world).count() == 2 and _counts(world).current().count() == 1


def test_stock_count_page_other_rep_404(client, world):
    client.force_login(RepFactory())
    assert client.get(_url(world)).status_code == 404
    assert client.post(_url(world), _post(world)).status_code == 404
    assert not _counts(world).exists()


def test_stock_count_page_visit_not_started_no_form(client, world):
    world["visit"].status = VisitStatus.PLANNED
    world["visit"].save()
    client.force_login(world["rep"])
    response = client.post(_url(world), _post(world))
    assert response.status_code == 200
    assert "start the visit first" in response.content.decode()
    assert not _counts(world).exists()


def test_suggested_order_page_working_and_place_order(client, world):
    counting.stock_count_create(visit=world["visit"], user=world["rep"],
                                lines=[{"product": world["cola"].pk, "quantity": 120},
                                       {"product": world["tea"].pk, "quantity": 20}])
    client.force_login(world["rep"])
    url = reverse("visits:suggested_order", args=[world["visit"].pk])
    page = client.get(url).content.decode()
    assert "150.00" in page and "100.00" in page and "Low cover" in page
    # The working in full: the period's dates and figures, the coefficient and where it came from.
    start = (timezone.localdate() - 14 * DAY).isoformat()
    assert f"{start} → {timezone.localdate().isoformat()}" in page
    assert "80 + 40 delivered − 20 = 100 sold" in page
    assert "100.00 × 1.50" in page and "coefficient: the default" in page
    assert "150.00 − 20 = 130.00" in page
    refused = client.post(url, {f"qty-{world['tea'].pk}": "100", f"qty-{world['cola'].pk}": "0"})
    assert refused.status_code == 200 and "give a reason" in refused.content.decode()
    response = client.post(url, {f"qty-{world['tea'].pk}": "100", f"reason-{world['tea'].pk}": "Cash flow",
                                 f"qty-{world['cola'].pk}": "0"})
    assert response.status_code == 302
    world["visit"].refresh_from_db()
    assert response.url == reverse("inventory:order_detail", args=[world["visit"].order_id])


def test_suggested_order_page_median_of_three_periods_shown(client):
    now = timezone.now()
    dealer = DealerFactory()
    tea = ProductFactory(name="Tea")
    carry(dealer, [tea])
    for days, quantity in ((42, 100), (28, 82), (14, 58)):
        past_count(dealer, now - days * DAY, {tea: quantity})
    visit = InProgressVisitFactory(dealer=dealer)
    counting.stock_count_create(visit=visit, user=dealer.rep, lines=[{"product": tea.pk, "quantity": 34}])
    client.force_login(dealer.rep)
    page = client.get(reverse("visits:suggested_order", args=[visit.pk])).content.decode()
    # Sales 18, 24, 24 → median 24.00; the line reads "median of 18.00, 24.00, 24.00 = 24.00".
    assert page.count('data-testid="working-period"') == 3
    assert "median of 24.00, 24.00, 18.00 = <strong>24.00</strong>" in page


@pytest.mark.parametrize("products", [20, 200])
def test_count_pages_bounded_queries(client, products, django_assert_max_num_queries):
    dealer = DealerFactory()
    items = ProductFactory.create_batch(products, prices={})
    carry(dealer, items)
    past_count(dealer, timezone.now() - 7 * DAY, dict.fromkeys(items, 30))
    visit = InProgressVisitFactory(dealer=dealer)
    counting.stock_count_create(visit=visit, user=dealer.rep, lines=[{"product": i.pk, "quantity": 9} for i in items])
    client.force_login(dealer.rep)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("visits:suggested_order", args=[visit.pk])).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("visits:stock_count", args=[visit.pk])).status_code == 200
    data = {f"qty-{item.pk}": "8" for item in items}
    with django_assert_max_num_queries(25):
        assert client.post(reverse("visits:stock_count", args=[visit.pk]), data).status_code == 302


def test_count_steps_show_warnings(world):
    counting.stock_count_create(visit=world["visit"], user=world["rep"],
                                lines=[{"product": world["cola"].pk, "quantity": 0},
                                       {"product": world["tea"].pk, "quantity": 20}])
    request = RequestFactory().get("/")
    request.user = world["rep"]
    steps = counting.visit_count_steps(visit=world["visit"])
    html = render_to_string("visits/_count_steps.html", {"visit": world["visit"], "count_steps": steps}, request=request)
    assert "Out of stock." in html and "See the suggested order" in html


def test_dealer_page_stock_section(client, world):
    counting.stock_count_create(visit=world["visit"], user=world["rep"],
                                lines=[{"product": world["cola"].pk, "quantity": 0},
                                       {"product": world["tea"].pk, "quantity": 20}])
    client.force_login(world["rep"])
    page = client.get(reverse("dealers:detail", args=[world["dealer"].pk])).content.decode()
    assert "Stock at the last count" in page and 'data-testid="dealer-stock-warnings"' in page


def test_portal_latest_suggestion_section_with_working_never_the_replaced_typo(client, world):
    counting.stock_count_create(visit=world["visit"], user=world["rep"],
                                lines=[{"product": world["cola"].pk, "quantity": 120},
                                       {"product": world["tea"].pk, "quantity": 99_999_999}],
                                confirm_implausible=True)
    counting.stock_count_create(visit=world["visit"], user=world["rep"],
                                lines=[{"product": world["cola"].pk, "quantity": 120},
                                       {"product": world["tea"].pk, "quantity": 20}])
    client.force_login(DealerUserFactory(dealer=world["dealer"]))
    page = client.get(reverse("portal:home")).content.decode()
    assert "Your latest suggested order" in page and 'data-testid="portal-suggestion"' in page
    assert "150.00" in page and "80 + 40 delivered − 20 = 100 sold" in page
    assert "99999999" not in page and "99,999,999" not in page
    assert stock.LINE_QUANTITY_INVALID  # the messages stay importable for the pages

"""The rep's day without a signal, on a 360×740 phone (issue 18): My day online
stores the day; offline the rep records the market check with a photo, starts,
counts (the suggestion computed on the phone), completes; a reload offline keeps
the page and the queue; back online everything arrives once, and the manager's
review says "recorded offline". A visit cancelled meanwhile is refused, plainly."""

import datetime
import io
import os

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from accounts.tests.factories import ManagerFactory, RepFactory
from conftest import assert_no_sideways_scroll, sign_in_as
from dealers.tests.factories import DealerFactory
from inventory.models import StockCount
from inventory.tests.factories import ProductFactory
from regions.tests.factories import RegionFactory
from visits import services
from visits.models import MarketCheck, Visit, VisitPhoto, VisitStatus
from visits.tests.count_factories import carry, past_count, ship

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DAY = datetime.timedelta(days=1)
WAIT = 20_000


def _camera_photo() -> bytes:
    """A photo as a phone's camera takes it: large (2400 × 1800, several MB), beyond what the phone keeps."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (2400, 1800), os.urandom(2400 * 1800 * 3)).save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def _world():
    region = RegionFactory(name="Hangzhou")
    rep = RepFactory(username="rep_wei", first_name="Wei", last_name="Zhang")
    manager = ManagerFactory(username="manager_zj", regions=[region])
    dealer = DealerFactory(name="Baishun Trading", region=region, rep=rep, tier="city")
    tea = ProductFactory(sku="BEV-001", name="Iced tea 500ml")
    carry(dealer, [tea])
    now = timezone.now()
    past_count(dealer, now - 14 * DAY, {tea: 80})
    ship(dealer, now - 7 * DAY, {tea: 40})
    visit = Visit.objects.create(dealer=dealer, rep=rep, scheduled_for=timezone.localtime().replace(second=0, microsecond=0))
    return rep, manager, visit


def _store_the_day(phone, live_server):
    context = phone.context
    context.grant_permissions(["geolocation"], origin=live_server.url)
    context.set_geolocation({"latitude": 30.274085, "longitude": 120.15507, "accuracy": 20})
    sign_in_as(phone, "rep_wei")
    phone.goto("/visits/today/")
    expect(phone.get_by_test_id("offline-ready")).to_be_visible(timeout=WAIT)
    assert phone.evaluate("navigator.serviceWorker.ready.then(registration => !!registration.active)")


def _waiting(phone):
    return phone.get_by_test_id("offline-waiting")


def test_rep_works_the_day_offline_and_everything_arrives_once(phone, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    rep, manager, visit = _world()
    _store_the_day(phone, live_server)
    phone.context.set_offline(True)

    phone.goto("/visits/offline/")
    expect(phone.get_by_test_id("offline-status")).to_contain_text("Offline")
    phone.get_by_test_id("offline-visits").get_by_role("link", name="Baishun Trading").click()
    # 1. The market check with a photo; the start stays disabled until it is recorded.
    expect(phone.get_by_role("button", name="Start visit")).to_be_disabled()
    phone.get_by_label("Kind of finding").select_option("price")
    phone.get_by_label("Outlet", exact=True).fill("Lianhua market")
    phone.get_by_label("Our product").select_option(label="BEV-001 Iced tea 500ml")
    phone.get_by_label("Retail price seen").fill("3.90")
    phone.get_by_label("Outlets walked").fill("2")
    photo = _camera_photo()
    assert len(photo) > 2 * 1024 * 1024
    # From a file (the browser reads it itself) rather than a 13 MB buffer sent through the driver.
    shelf = tmp_path / "shelf.png"
    shelf.write_bytes(photo)
    phone.get_by_label("Photo").set_input_files(shelf, timeout=30_000)
    phone.get_by_role("button", name="Save market check").click()
    expect(_waiting(phone)).to_have_text("Changes waiting to be sent: 2")
    # 2. Start (time and place on the phone), 3. count, 4. the suggestion computed here:
    # 80 + 40 − 20 = 100 sold; × 1.5 = 150; 150 − 20 = 130.
    phone.get_by_role("button", name="Start visit").click()
    expect(_waiting(phone)).to_have_text("Changes waiting to be sent: 3")
    phone.get_by_label("Stock of Iced tea 500ml (cases)").fill("20")
    phone.get_by_role("button", name="Save the count").click()
    expect(phone.get_by_test_id("offline-suggested-quantity")).to_have_text("130")
    assert_no_sideways_scroll(phone)
    phone.get_by_role("button", name="Complete visit").click()
    expect(_waiting(phone)).to_have_text("Changes waiting to be sent: 5")
    expect(phone.get_by_test_id("offline-visit-status")).to_have_text("Completed")

    # A reload offline: the page and the queue survive; nothing reached the server.
    phone.reload()
    expect(_waiting(phone)).to_have_text("Changes waiting to be sent: 5")
    expect(phone.get_by_test_id("offline-visit-status")).to_have_text("Completed")
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED and not MarketCheck.objects.filter(visit=visit).exists()

    # Back online: sent in order, once.
    phone.context.set_offline(False)
    expect(_waiting(phone)).to_have_text("All changes sent.", timeout=WAIT)
    expect(phone.get_by_test_id("server-suggestion-row")).to_contain_text("130")
    visit.refresh_from_db()
    assert visit.status == VisitStatus.COMPLETED and visit.recorded_offline
    assert visit.market_check.checked_at <= visit.started_at <= visit.completed_at <= timezone.now()
    assert visit.start_latitude is not None
    assert list(visit.market_check.observations.values_list("outlet", flat=True)) == ["Lianhua market"]
    (stored,) = VisitPhoto.objects.filter(visit=visit)
    with Image.open(stored.image.path) as image:  # made small on the phone: 1600 px on the longer side
        assert image.size == (1600, 1200) and image.format == "JPEG"
    counts = StockCount.objects.filter(reference=visit.stock_count_reference)
    assert counts.count() == 1 and list(counts.get().lines.values_list("quantity", flat=True)) == [20]

    # Sending again (a second "Send now", another tab) changes nothing: the queue is empty.
    phone.reload()
    expect(_waiting(phone)).to_have_text("All changes sent.", timeout=WAIT)
    assert StockCount.objects.filter(reference=visit.stock_count_reference).count() == 1

    client = Client()
    client.force_login(manager)
    review = client.get(f"/visits/{visit.pk}/review/").content.decode()
    assert "recorded offline" in review


def test_visit_cancelled_while_the_rep_was_offline_is_refused_plainly(phone, live_server):
    rep, manager, visit = _world()
    _store_the_day(phone, live_server)
    phone.context.set_offline(True)
    phone.goto("/visits/offline/")
    phone.get_by_test_id("offline-visits").get_by_role("link", name="Baishun Trading").click()
    phone.get_by_label("Outlets walked").fill("3")
    phone.get_by_role("button", name="Save market check").click()
    phone.get_by_role("button", name="Start visit").click()
    expect(_waiting(phone)).to_have_text("Changes waiting to be sent: 2")

    services.visit_cancel(visit=visit, by=manager, reason="Dealer closed for a funeral")
    phone.context.set_offline(False)

    refused = phone.get_by_test_id("offline-refused")
    expect(refused).to_contain_text("This visit was cancelled meanwhile (Dealer closed for a funeral)", timeout=WAIT)
    expect(_waiting(phone)).to_have_text("Changes waiting to be sent: 2")  # nothing silently dropped
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CANCELLED and not MarketCheck.objects.filter(visit=visit).exists()

    # The rep decides: discarded on purpose, one by one.
    phone.on("dialog", lambda dialog: dialog.accept())
    refused.get_by_role("button", name="Discard").click()
    expect(_waiting(phone)).to_have_text("Changes waiting to be sent: 1")


def test_a_count_questioned_by_the_server_is_confirmed_and_resent_from_the_phone(phone, live_server):
    rep, manager, visit = _world()
    _store_the_day(phone, live_server)
    phone.context.set_offline(True)
    phone.goto("/visits/offline/")
    phone.get_by_test_id("offline-visits").get_by_role("link", name="Baishun Trading").click()
    phone.get_by_label("Outlets walked").fill("1")
    phone.get_by_role("button", name="Save market check").click()
    phone.get_by_role("button", name="Start visit").click()
    phone.get_by_label("Stock of Iced tea 500ml (cases)").fill("50000")  # a typo: 5000 × the usual
    phone.get_by_role("button", name="Save the count").click()
    expect(_waiting(phone)).to_have_text("Changes waiting to be sent: 3")

    phone.context.set_offline(False)
    refused = phone.get_by_test_id("offline-refused")
    expect(refused).to_contain_text("Stock count", timeout=WAIT)
    assert_no_sideways_scroll(phone)
    assert not StockCount.objects.filter(reference=visit.stock_count_reference).exists()
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.IN_PROGRESS  # the steps before it arrived

    refused.get_by_role("button", name="The quantities are right: resend").click()
    expect(_waiting(phone)).to_have_text("All changes sent.", timeout=WAIT)
    count = StockCount.objects.get(reference=visit.stock_count_reference)
    assert list(count.lines.values_list("quantity", flat=True)) == [50000]

"""HQ's setup pages on a 360 px phone, in English and in Chinese: every list and
form opens, shows its heading and never scrolls sideways (issue 14: "phone-friendly
where sensible")."""

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import AdminFactory, RepFactory
from conftest import assert_no_sideways_scroll, sign_in_as
from dealers.tests.factories import DealerFactory
from inventory.tests.factories import ProductFactory
from rebates.tests.factories import TieredPlanFactory
from regions.tests.factories import RegionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = ("/setup/", "/setup/regions/", "/setup/regions/new/", "/setup/categories/", "/setup/products/",
         "/setup/products/new/", "/setup/prices/", "/setup/users/", "/setup/users/new/", "/setup/users/{rep}/",
         "/setup/evaluation/", "/setup/rebate-plans/", "/setup/rebate-plans/new/", "/setup/rebate-plans/{plan}/",
         "/setup/visit-plans/", "/setup/notifications/", "/setup/imports/")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_setup_page_fits_a_phone(phone, language):
    region = RegionFactory(name="Jiangsu Province, Suzhou and the surrounding county towns")
    rep = RepFactory(username="rep_with_a_rather_long_user_name")
    DealerFactory(region=region, rep=rep, name="Suzhou Wuzhong District Everyday Goods Trading Company Limited")
    ProductFactory(name="Green tea drink 500 ml × 15 bottles, carton, summer promotion pack")
    plan = TieredPlanFactory()
    admin = AdminFactory(username="hq_admin", language=language)
    sign_in_as(phone, admin.username)
    for path in PAGES:
        url = path.format(rep=rep.pk, plan=plan.pk)
        response = phone.goto(url)
        assert response.status == 200, url
        expect(phone.locator("h1").first).to_be_visible()
        assert_no_sideways_scroll(phone)

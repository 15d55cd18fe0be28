"""Each role lands on its worklist, on a 360 px phone and a 1280 px desktop: the
items are there and lead to the right page; the menu is one row no taller than
64 px at 1280 px; the language can be switched before signing in; error pages
keep the app's look."""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import TEST_PASSWORD
from accounts.tests.worlds import worklist_world
from conftest import CHROMIUM_ARGS, PHONE, assert_no_sideways_scroll, browser_login, menu_go  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP_1280 = {"width": 1280, "height": 800}
HEADER_MAX_PX = 64


@pytest.fixture
def desktop_1280(browser, live_server):
    context = browser.new_context(viewport=DESKTOP_1280, base_url=live_server.url, locale="en-US")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(params=["phone", "desktop_1280"])
def page(request):
    return request.getfixturevalue(request.param)


@pytest.fixture
def world():
    return worklist_world(1)


# (role, [(work item, the page its link opens)])
HOMES = {
    "rep": [("todays-visits", "/visits/today/"), ("overdue-requests", "/visits/requests/"),
            ("leads-to-follow-up", "/promotions/leads/"), ("not-contacted", "/visits/today/")],
    "manager": [("applications-to-approve", "/dealers/applications/"), ("escalations", "/visits/requests/"),
                ("missed-visits", "/visits/"), ("visits-to-review", "/visits/"),
                ("campaigns-to-review", "/promotions/")],
    "finance": [("orders-awaiting-payment", "/inventory/orders/"), ("overdue-receivables", "/inventory/orders/"),
                ("statements-to-settle", "/rebates/")],
    "warehouse": [("orders-to-pick", "/inventory/orders/"), ("orders-to-ship", "/inventory/orders/")],
    "dealer_user": [("open-orders", "/inventory/orders/"), ("answered-questions", "/portal/questions/")],
    "admin": [("applications-to-approve", "/dealers/applications/"), ("orders-to-confirm", "/inventory/orders/"),
              ("statements-to-settle", "/rebates/")],
}


@pytest.mark.parametrize("role", list(HOMES))
def test_each_role_lands_on_its_worklist_whose_items_lead_to_their_lists(page, world, role):
    user = getattr(world, role)
    browser_login(page, user.username, TEST_PASSWORD)
    expect(page.get_by_test_id("greeting")).to_contain_text(user.display_name)
    assert_no_sideways_scroll(page)
    for key, path in HOMES[role]:
        item = page.get_by_test_id(f"work-item-{key}")
        expect(item).to_be_visible()
        href = item.get_attribute("href")
        assert href.split("?")[0].split("#")[0] == path, (key, href)
    # Follow the first item, as a person would, and come back.
    first_key, first_path = HOMES[role][0]
    page.get_by_test_id(f"work-item-{first_key}").click()
    page.wait_for_url(re.compile(re.escape(first_path)))
    assert page.evaluate("document.querySelector('main').innerText.length") > 0
    page.go_back()
    expect(page.get_by_test_id("worklist")).to_be_visible()


def test_worklist_rows_link_to_the_very_object(desktop_1280, world):
    browser_login(desktop_1280, "warehouse", TEST_PASSWORD)
    order = world.items.to_pick[0]
    desktop_1280.get_by_test_id("worklist-orders").get_by_role("link", name=re.compile(order.number)).click()
    desktop_1280.wait_for_url(f"**/inventory/orders/{order.pk}/")
    expect(desktop_1280.get_by_test_id("order-status")).to_have_text("Paid")


def _menu_boxes(page):
    return page.evaluate("""() => [...document.querySelectorAll('[data-testid=main-menu] > li')]
        .map(item => { const box = item.getBoundingClientRect(); return {top: box.top, bottom: box.bottom, text: item.innerText}; })""")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("role", ["admin", "manager", "rep", "finance", "warehouse", "dealer_user"])
def test_menu_is_one_row_and_the_header_at_most_64_px_at_1280(desktop_1280, world, role, language):
    user = getattr(world, role)
    user.language = language
    user.save(update_fields=["language"])
    browser_login(desktop_1280, user.username, TEST_PASSWORD)
    header = desktop_1280.locator("nav.app-header").bounding_box()
    assert header["height"] <= HEADER_MAX_PX, header
    boxes = _menu_boxes(desktop_1280)
    assert len(boxes) >= 4
    assert len({round(box["top"]) for box in boxes}) == 1, boxes  # one row
    for control in ("notification-bell", "language-switcher", "user-menu"):
        box = desktop_1280.get_by_test_id(control).bounding_box()
        assert box["y"] + box["height"] <= header["y"] + header["height"], control
    assert_no_sideways_scroll(desktop_1280)


def test_the_reps_phone_menu_is_short_and_grouped(phone, world):
    browser_login(phone, "rep", TEST_PASSWORD)
    assert phone.locator("nav.app-header").bounding_box()["height"] <= HEADER_MAX_PX
    phone.get_by_role("button", name="Menu").click()
    expect(phone.locator("#main-nav")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
    entries = phone.locator("[data-testid=main-menu] > li")
    assert entries.count() <= 6  # Home, Field work, Dealers, Sales, Reports (and nothing else at the top)
    phone.get_by_role("button", name=re.compile("^Field work")).click()
    expect(phone.get_by_role("link", name=re.compile("^My day"))).to_be_visible()
    menu_go(phone, "Requests")
    assert phone.url.endswith("/visits/requests/")


def test_language_switch_on_the_login_page_of_a_phone(phone):
    phone.goto("/accounts/login/")
    assert_no_sideways_scroll(phone)
    switch = phone.get_by_test_id("language-switcher").get_by_role("button", name="简体中文")
    expect(switch).to_be_visible()  # in the header, without opening any menu
    with phone.expect_navigation():
        switch.click()
    expect(phone.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(phone.get_by_role("heading", name="登录")).to_be_visible()
    phone.goto("/apply/")
    expect(phone.get_by_test_id("language-switcher").get_by_role("button", name="English")).to_be_visible()
    assert_no_sideways_scroll(phone)


def test_error_pages_keep_the_apps_look_with_the_menu_and_a_way_back(phone, desktop_1280, world):
    browser_login(phone, "rep", TEST_PASSWORD)
    phone.goto("/no-such-page/")
    expect(phone.get_by_test_id("error-page")).to_contain_text("Page not found")
    expect(phone.get_by_role("button", name="Menu")).to_be_visible()
    assert_no_sideways_scroll(phone)
    phone.get_by_role("link", name="Go to my home page").click()
    expect(phone.get_by_test_id("worklist")).to_be_visible()

    browser_login(desktop_1280, "finance", TEST_PASSWORD)
    desktop_1280.goto("/scorecards/")
    expect(desktop_1280.get_by_test_id("error-page")).to_contain_text("Not allowed")
    expect(desktop_1280.get_by_test_id("main-menu")).to_be_visible()
    desktop_1280.get_by_role("button", name="Back").click()
    expect(desktop_1280.get_by_test_id("worklist")).to_be_visible()

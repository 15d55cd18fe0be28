"""The region scorecard in a real browser: the manager opens it from the menu,
the grade chart draws, and the table sorts by sales — on a 360×740 phone (no
sideways page scroll) and on a desktop."""

import pytest
import time_machine
from playwright.sync_api import expect

from accounts.tests.factories import TEST_PASSWORD
from conftest import browser_login, menu_go
from scorecards.tests.world import TODAY, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    with time_machine.travel(TODAY):
        yield build_world()


def first_dealer(page) -> str:
    return page.get_by_test_id("scorecard-table").locator("tbody tr").first.locator("td").first.inner_text()


def check_scorecard(page, *, phone: bool = False) -> None:
    browser_login(page, "north-manager", TEST_PASSWORD)
    menu_go(page, "Scorecard")
    expect(page.get_by_role("heading", name="Scorecard")).to_be_visible()
    # The last complete month by default, and the page says so.
    expect(page.get_by_test_id("period-note")).to_contain_text("The last complete month. 2026-10-01 – 2026-10-31")
    expect(page.locator("#grade-chart")).to_have_attribute("data-rendered", "true")
    expect(page.get_by_test_id("distribution")).to_contain_text("A 1")
    table = page.get_by_test_id("scorecard-table")
    expect(table).to_contain_text("Alpha Trading")
    expect(table).not_to_contain_text("Gamma Trading")
    assert first_dealer(page).startswith("Alpha Trading")
    if phone:  # no table headers on a phone (each dealer is a card): the sort is chosen in the form
        page.get_by_label("Sort by").select_option("sales")
        page.get_by_role("button", name="Show").click()
    else:
        page.get_by_role("link", name="Sales", exact=True).click()
    page.wait_for_url("**ordering=sales**")
    assert first_dealer(page).startswith("Beta Trading")
    if phone:
        page.get_by_label("Sort by").select_option("-sales")
        page.get_by_role("button", name="Show").click()
    else:
        page.get_by_role("link", name="Sales", exact=True).click()
    page.wait_for_url("**ordering=-sales**")
    assert first_dealer(page).startswith("Alpha Trading")
    page.get_by_role("link", name="Alpha Trading").click()
    expect(page.locator("#sales-chart")).to_have_attribute("data-rendered", "true")


def test_scorecard_on_a_phone_renders_chart_sorts_no_sideways_scroll(world, phone):
    check_scorecard(phone, phone=True)
    phone.goto("/scorecards/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


def test_scorecard_on_a_desktop_renders_chart_and_sorts(world, desktop):
    check_scorecard(desktop)

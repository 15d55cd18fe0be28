"""A rep on a 360×740 phone: sign in, land on their day (visits:today), switch to 中文."""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import TEST_PASSWORD, RepFactory
from conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_rep_signs_in_on_a_phone_and_switches_to_chinese(phone):
    RepFactory(username="rep_phone", first_name="Wei", last_name="Zhang")
    browser_login(phone, "rep_phone", TEST_PASSWORD)

    assert phone.evaluate("document.documentElement.scrollWidth") <= 360, "the page scrolls sideways on a phone"
    assert phone.get_by_role("heading", name="My day").is_visible()

    phone.get_by_role("button", name="Menu").click()
    # Wait for the menu to finish opening: while Bootstrap animates it, its lower
    # part (where the language buttons are) is clipped.
    expect(phone.locator("#main-nav")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
    nav = phone.get_by_role("navigation", name="Main navigation")
    expect(nav.get_by_role("link", name="Notifications")).to_be_visible()
    with phone.expect_navigation():
        nav.get_by_role("button", name="中文").click()

    expect(phone.locator("html")).to_have_attribute("lang", "zh-hans")
    assert phone.get_by_role("heading", name="我的一天").is_visible()
    phone.get_by_role("button", name="菜单").click()
    nav = phone.get_by_role("navigation", name="主导航")
    assert nav.get_by_role("link", name="通知").is_visible()
    assert nav.get_by_role("link", name="首页").is_visible()

    # The choice is the user's: it survives signing out and in again.
    phone.context.clear_cookies()
    browser_login(phone, "rep_phone", TEST_PASSWORD)
    assert phone.get_by_role("heading", name="我的一天").is_visible()

"""Fixtures shared by every app's tests.

REQUIRE_SERVICES=1 (set by CI) turns "Redis / Chromium not here" from a skip
into a failure, so CI cannot pass by skipping the tests that matter.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Hypothesis checks properties, not speed: on a loaded CI machine a first example can take
# longer than the default 200 ms deadline and fail as "flaky", or generating inputs may
# look "too slow". Speed lives in `make bench`.
hypothesis_settings.register_profile("dealer_crm", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("dealer_crm")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 900}


def services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES") == "1"


def missing_service(reason: str) -> None:
    """Skip locally, fail in CI."""
    if services_required():
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1)")
    pytest.skip(reason)


# --- data --------------------------------------------------------------------------
@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def user_factory(db):
    from accounts.tests.factories import UserFactory

    return UserFactory


@pytest.fixture
def api_as(api_client):
    """`api_as(user)` → an APIClient authenticated as that user."""

    def login(user):
        api_client.force_authenticate(user=user)
        return api_client

    return login


# --- Redis -------------------------------------------------------------------------
@pytest.fixture
def redis_url() -> str:
    import redis

    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception as error:
        missing_service(f"Redis is not reachable at {url}: {error}")
    return url


# --- Playwright in Debian's Chromium ------------------------------------------------
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        missing_service(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def phone(browser, live_server):
    """A page in a 360×740 phone viewport, pointed at the live server."""
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, locale="en-US", is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desktop(browser, live_server):
    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url, locale="en-US")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def browser_login(page, username: str, password: str) -> None:
    """Sign in through the login form, as a person would."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def sign_in_as(page, username: str, password: str | None = None) -> None:
    """Sign out whoever is signed in on `page`, then sign in as `username` (the factories' password by default)."""
    from accounts.tests.factories import TEST_PASSWORD

    page.context.clear_cookies()
    browser_login(page, username, password or TEST_PASSWORD)


def assert_no_sideways_scroll(page) -> None:
    """The page fits its viewport's width (a phone never scrolls sideways)."""
    width = page.viewport_size["width"]
    # Right after a click that navigates, the old document may be gone and the new one not
    # parsed yet (documentElement is null): measure the page once it has loaded.
    page.wait_for_load_state("load")
    page.wait_for_function("document.documentElement !== null")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{page.url} scrolls sideways at {width} px"


def menu_go(page, name: str, navigation: str = "Main navigation", menu_button: str = "Menu") -> None:
    """Open a page from the main menu, as a person would: on a phone first the menu
    button, then the entry's group (a dropdown) when the entry is inside one."""
    import re

    from playwright.sync_api import expect

    nav = page.get_by_role("navigation", name=navigation)
    toggler = page.get_by_role("button", name=menu_button)
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
        expect(page.locator("#main-nav")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
    label = re.compile(rf"^{re.escape(name)}(\s*\d+)?$")  # the entry, with its figure if it has one
    link = nav.locator("#main-nav").get_by_role("link", name=label)
    if not link.is_visible():
        item = page.locator("a.dropdown-item", has_text=re.compile(rf"^\s*{re.escape(name)}(\s*\d+)?\s*$"))
        group = nav.locator("li.dropdown").filter(has=item)
        group.locator("[data-bs-toggle=dropdown]").first.click()
    with page.expect_navigation():
        link.click()

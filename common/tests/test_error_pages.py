"""Branded error pages: 403 and 404 in the app's look with the menu and a way back;
500 self-contained (no database, no static files); the favicon."""

import pytest
from django.conf import settings
from django.db import connection
from django.template.loader import render_to_string
from django.test import override_settings
from django.utils import translation

from accounts.tests.factories import FinanceFactory, RepFactory

pytestmark = pytest.mark.django_db


def test_404_for_a_signed_in_user_has_the_menu_and_a_way_home(client):
    client.force_login(RepFactory(first_name="Wei", last_name="Zhang"))
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert 'data-testid="error-page"' in body and "Page not found" in body
    assert 'data-testid="main-menu"' in body and 'href="/"' in body and "data-history-back" in body


def test_404_for_a_visitor_keeps_the_language_switch(client):
    body = client.get("/no-such-page/").content.decode()
    assert "Page not found" in body and 'data-testid="language-switcher"' in body
    assert 'data-testid="main-menu"' not in body


def test_404_of_an_object_out_of_scope_says_nothing_of_it(client):
    client.force_login(RepFactory())
    response = client.get("/dealers/999999/")
    assert response.status_code == 404 and "not yours to see" in response.content.decode()


def test_403_is_branded_and_says_what_to_do(client):
    client.force_login(FinanceFactory())
    response = client.get("/scorecards/")
    body = response.content.decode()
    assert response.status_code == 403
    assert "Not allowed" in body and "ask your manager or HQ" in body and 'data-testid="main-menu"' in body


def test_error_pages_are_in_the_readers_language(client):
    client.force_login(RepFactory(language="zh-hans"))
    assert "页面不存在" in client.get("/no-such-page/").content.decode()


def test_500_page_renders_without_the_database(django_assert_num_queries):
    with django_assert_num_queries(0), translation.override("zh-hans"):
        body = render_to_string("500.html")
    # One plain stylesheet (the Content-Security-Policy refuses inline styles), linked
    # without the static files' manifest, which could itself be what broke.
    assert "出错了" in body and 'href="/"' in body and "{% static" not in body
    assert body.count("<link") == 1 and '<link rel="stylesheet" href="/static/css/error.css">' in body
    assert (settings.BASE_DIR / "static" / "css" / "error.css").exists()


@pytest.mark.urls("common.tests.urls_errors")
@override_settings(DEBUG=False)
def test_500_when_the_database_fails_is_the_branded_page(client):
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert connection.is_usable()


def test_favicon_is_served_at_its_conventional_address(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO header
    assert 'rel="icon"' in client.get("/accounts/login/").content.decode()

import re

import pytest
from django.core import mail

from accounts.models import User
from accounts.tests.factories import TEST_PASSWORD, AdminFactory, DealerUserFactory, ManagerFactory, RepFactory
from regions.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


def test_home_for_anonymous_redirects_to_login(client):
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_login_page_renders_for_anonymous(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200 and b'name="username"' in response.content


def test_login_with_valid_password_lands_home(client):
    RepFactory(username="rep1")
    response = client.post("/accounts/login/", {"username": "rep1", "password": TEST_PASSWORD})
    assert response.status_code == 302 and response.url == "/"


def test_login_with_wrong_password_shows_an_error(client):
    RepFactory(username="rep1")
    response = client.post("/accounts/login/", {"username": "rep1", "password": "nope"})
    assert response.status_code == 200 and b"alert-danger" in response.content


def test_manager_home_shows_their_regions(client):
    region = RegionFactory(name="Zhejiang Province")
    manager = ManagerFactory(regions=[region])
    client.force_login(manager)
    response = client.get("/", follow=True)
    assert "Zhejiang Province" in response.content.decode()


def test_dealer_user_home_names_their_company(client):
    user = DealerUserFactory(dealer__name="Hangzhou Baishun Trading")
    client.force_login(user)
    assert "Hangzhou Baishun Trading" in client.get("/", follow=True).content.decode()


def test_admin_navigation_offers_setup_and_rep_navigation_does_not(client):
    client.force_login(AdminFactory())
    assert b'href="/setup/"' in client.get("/", follow=True).content
    client.force_login(RepFactory())
    assert b'href="/setup/"' not in client.get("/", follow=True).content


def test_admin_site_refuses_non_staff(client):
    client.force_login(RepFactory())
    assert client.get("/admin/").status_code == 302


def test_profile_saves_language_and_the_next_page_is_in_chinese(client):
    rep = RepFactory()
    client.force_login(rep)
    response = client.post(
        "/accounts/profile/", {"first_name": "Wei", "last_name": "Zhang", "email": rep.email, "phone": "", "language": "zh-hans"}
    )
    assert response.status_code == 302
    rep.refresh_from_db()
    assert rep.language == "zh-hans"
    assert "通知" in client.get("/notifications/").content.decode()


def test_language_switcher_remembers_the_choice_on_the_user(client):
    rep = RepFactory()
    client.force_login(rep)
    response = client.post("/accounts/language/", {"language": "zh-hans", "next": "/notifications/"})
    assert response.status_code == 302 and response.url == "/notifications/"
    rep.refresh_from_db()
    assert rep.language == "zh-hans"
    client.cookies.pop("django_language", None)
    assert "通知" in client.get("/notifications/").content.decode()


def test_language_switcher_ignores_offsite_next(client):
    client.force_login(RepFactory())
    response = client.post("/accounts/language/", {"language": "en", "next": "https://evil.example/"})
    assert response.url == "/"


def test_browser_language_is_used_when_the_user_has_not_chosen(client):
    client.force_login(RepFactory(language=""))
    response = client.get("/notifications/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert "通知" in response.content.decode()


def test_password_change_with_the_old_password(client):
    rep = RepFactory()
    client.force_login(rep)
    response = client.post(
        "/accounts/password/change/",
        {"old_password": TEST_PASSWORD, "new_password1": "n3w-passphrase-ok", "new_password2": "n3w-passphrase-ok"},
    )
    assert response.status_code == 302
    rep.refresh_from_db()
    assert rep.check_password("n3w-passphrase-ok")


def test_password_reset_by_email_lets_the_user_choose_a_new_password(client):
    rep = RepFactory(email="wei@example.com")
    client.post("/accounts/password/reset/", {"email": "wei@example.com"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "fresh-passphrase-9", "new_password2": "fresh-passphrase-9"})
    assert response.status_code == 302
    assert User.objects.get(pk=rep.pk).check_password("fresh-passphrase-9")


def test_password_reset_for_unknown_email_sends_nothing_and_says_the_same(client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302 and mail.outbox == []

"""Passwords are checked against the user's own attributes on every path (issue #12):
the API's create and update, the change-password page and the set-password page of an
invitation or a reset."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import services
from accounts.models import User
from accounts.tests.factories import TEST_PASSWORD, AdminFactory, RepFactory

pytestmark = pytest.mark.django_db

SIMILAR = "The password is too similar to the username."


def test_password_api_create_too_similar_to_the_username_is_refused(api_as):
    response = api_as(AdminFactory()).post(
        "/api/v1/users/", {"username": "jsmith2026", "password": "jsmith2026", "role": "rep"}, format="json"
    )
    assert response.status_code == 400 and SIMILAR in response.json()["password"]
    assert not User.objects.filter(username="jsmith2026").exists()


def test_password_api_create_too_similar_to_the_email_is_refused(api_as):
    response = api_as(AdminFactory()).post("/api/v1/users/", {
        "username": "wei", "email": "zhangwei.sales@example.com", "password": "zhangwei.sales", "role": "rep",
    }, format="json")
    assert response.status_code == 400 and any("email" in message for message in response.json()["password"])


def test_password_api_update_too_similar_to_the_name_is_refused(api_as):
    rep = RepFactory(username="liuyang", first_name="Liu", last_name="Yang")
    response = api_as(AdminFactory()).patch(f"/api/v1/users/{rep.pk}/", {"password": "liuyang88"}, format="json")
    assert response.status_code == 400 and SIMILAR in response.json()["password"]
    rep.refresh_from_db()
    assert rep.check_password(TEST_PASSWORD)


def test_password_service_checks_the_attributes_given_with_it():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.user_create(username="ops", email="zhao.min@example.com", password="zhao.min@exam", role="rep")
    assert "password" in error.value.message_dict


def test_password_change_page_refuses_a_password_like_the_username(client):
    rep = RepFactory(username="wangqiang")
    client.force_login(rep)
    response = client.post(reverse("accounts:password_change"), {
        "old_password": TEST_PASSWORD, "new_password1": "wangqiang1", "new_password2": "wangqiang1",
    })
    assert response.status_code == 200 and SIMILAR in response.content.decode()
    rep.refresh_from_db()
    assert rep.check_password(TEST_PASSWORD)


def test_password_set_page_of_an_invitation_refuses_a_password_like_the_username(client):
    rep = RepFactory(username="zhoujie")
    url = reverse("accounts:password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(rep.pk)), "token": default_token_generator.make_token(rep),
    })
    form_url = client.get(url).url  # Django moves the token into the session first
    response = client.post(form_url, {"new_password1": "zhoujie2026", "new_password2": "zhoujie2026"})
    assert response.status_code == 200 and SIMILAR in response.content.decode()

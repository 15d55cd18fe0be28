"""User services: password rules, assignments, invitations, many users by username."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from accounts import services
from accounts.models import ONLY_MANAGERS_HAVE_REGIONS, Role, User
from accounts.tests.factories import AdminFactory, ManagerFactory, RepFactory
from common.upsert import BulkInvalid, Outcome
from dealers.tests.factories import DealerFactory
from regions.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


def test_user_create_refuses_a_password_like_the_username():
    with pytest.raises(ValidationError) as error:
        services.user_create(username="zhangwei", password="zhangwei1", email="zhang@example.com")
    assert "password" in error.value.message_dict
    assert not User.objects.exists()


def test_user_create_refuses_a_common_or_short_password():
    for password in ("password", "abc"):
        with pytest.raises(ValidationError):
            services.user_create(username="li", password=password)


def test_user_create_without_password_invites_by_email(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = services.user_create(username="wang", email="wang@example.com", role=Role.REP)
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1 and "/accounts/password/reset/" in mail.outbox[0].body


def test_user_create_without_password_or_email_is_refused():
    with pytest.raises(ValidationError) as error:
        services.user_create(username="zhao")
    assert error.value.message_dict["password"] == [str(services.PASSWORD_OR_EMAIL_REQUIRED)]


def test_user_create_regions_only_for_a_manager():
    with pytest.raises(ValidationError) as error:
        services.user_create(username="r1", password="a-long-secret-2026", role=Role.REP, regions=[RegionFactory()])
    assert error.value.message_dict["regions"] == [str(ONLY_MANAGERS_HAVE_REGIONS)]


def test_user_update_to_another_role_drops_the_manager_regions():
    manager = ManagerFactory(regions=[RegionFactory()])
    services.user_update(user=manager, role=Role.REP)
    assert not manager.regions.exists()


def test_users_upsert_creates_updates_and_is_idempotent(django_capture_on_commit_callbacks):
    region, dealer = RegionFactory(), DealerFactory()
    RepFactory(username="rep1", first_name="Old")
    rows = [
        {"username": "rep1", "role": "rep", "first_name": "Wei"},
        {"username": "mgr1", "role": "manager", "email": "m@example.com", "regions": [region]},
        {"username": "dealer1", "role": "dealer", "email": "d@example.com", "dealer": dealer},
    ]
    with django_capture_on_commit_callbacks(execute=True):
        results = services.users_upsert(rows=rows, by=AdminFactory())
    assert [result.outcome for result in results] == [Outcome.UPDATE, Outcome.CREATE, Outcome.CREATE]
    assert list(User.objects.get(username="mgr1").regions.all()) == [region]
    assert len(mail.outbox) == 2
    assert [result.outcome for result in services.users_upsert(rows=rows)] == [Outcome.UNCHANGED] * 3


def test_users_upsert_bad_rows_save_nothing():
    with pytest.raises(BulkInvalid) as error:
        services.users_upsert(rows=[
            {"username": "ok", "role": "rep", "email": "ok@example.com"},
            {"username": "noemail", "role": "rep"},
            {"username": "x", "role": "pilot", "email": "x@example.com"},
            {"username": "r", "role": "rep", "email": "r@example.com", "regions": [RegionFactory()]},
            {"username": "d", "role": "dealer", "email": "d@example.com"},
            {"username": "OK", "role": "rep", "email": "ok2@example.com"},
        ])
    assert set(error.value.errors) == {1, 2, 3, 4, 5}
    assert not User.objects.exists()


def test_profile_update_saves_own_fields_only():
    rep = RepFactory(first_name="Wei")
    services.profile_update(user=rep, first_name=" Zhang ", phone="13800000000", language="zh-hans")
    rep.refresh_from_db()
    assert (rep.first_name, rep.phone, rep.language, rep.role) == ("Zhang", "13800000000", "zh-hans", Role.REP)
    with pytest.raises(TypeError):
        services.profile_update(user=rep, role=Role.ADMIN)


def test_profile_update_refuses_a_bad_email_and_saves_nothing():
    rep = RepFactory(email="rep@example.com")
    with pytest.raises(ValidationError) as error:
        services.profile_update(user=rep, email="not-an-address", phone="1")
    assert "email" in error.value.message_dict
    rep.refresh_from_db()
    assert (rep.email, rep.phone) == ("rep@example.com", "")

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.tests.factories import RepFactory
from notifications.models import EmailStatus, Notification
from notifications.services import notification_deliver, notification_send_email, notifications_send_pending

pytestmark = pytest.mark.django_db


def deliver(user, key="visit:1:day-before"):
    return notification_deliver(recipient=user, key=key, title="Visit tomorrow", body="Dealer A at 10:00", url="/")


def test_notification_deliver_twice_with_same_key_delivers_once(django_capture_on_commit_callbacks):
    rep = RepFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = deliver(rep)
        second = deliver(rep)
    assert first is not None and second is None
    assert Notification.objects.filter(recipient=rep).count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [rep.email]
    assert Notification.objects.get().email_status == EmailStatus.SENT


def test_notification_same_key_for_two_people_reaches_both(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        deliver(RepFactory())
        deliver(RepFactory())
    assert Notification.objects.count() == 2 and len(mail.outbox) == 2


def test_notification_for_user_without_email_is_in_app_only(django_capture_on_commit_callbacks):
    rep = RepFactory(email="")
    with django_capture_on_commit_callbacks(execute=True):
        notification = deliver(rep)
    assert notification.email_status == EmailStatus.NONE and mail.outbox == []


def test_notification_for_inactive_user_is_not_delivered():
    assert deliver(RepFactory(is_active=False)) is None
    assert not Notification.objects.exists()


def test_notification_email_task_run_twice_sends_once(django_capture_on_commit_callbacks):
    rep = RepFactory()
    with django_capture_on_commit_callbacks(execute=False):
        notification = deliver(rep)
    assert notification_send_email(notification_id=notification.pk) is True
    assert notification_send_email(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1


def test_notification_email_lost_while_broker_down_is_sent_later(django_capture_on_commit_callbacks):
    rep = RepFactory()
    broker_down = mock.patch("notifications.tasks.send_notification_email.delay", side_effect=ConnectionError("down"))
    with broker_down, django_capture_on_commit_callbacks(execute=True):
        notification = deliver(rep)
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.PENDING and mail.outbox == []
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        assert notifications_send_pending() == 1
        assert notifications_send_pending() == 0
    assert len(mail.outbox) == 1


def test_notification_failed_email_is_released_for_retry():
    rep = RepFactory()
    notification = Notification.objects.create(recipient=rep, key="k", title="t")
    with mock.patch("notifications.services.EmailMessage.send", side_effect=OSError("smtp down")), pytest.raises(OSError):
        notification_send_email(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.PENDING
    assert notification_send_email(notification_id=notification.pk) is True


def test_notification_email_uses_hq_subject_prefix_and_reply_to(django_capture_on_commit_callbacks):
    from notifications.services import notification_settings_update

    notification_settings_update(email_enabled=True, subject_prefix="[ACME]", reply_to="channel@acme.example")
    with django_capture_on_commit_callbacks(execute=True):
        notification_deliver(recipient=RepFactory(), key="k", title="Visit tomorrow")
    assert mail.outbox[0].subject == "[ACME] Visit tomorrow"
    assert mail.outbox[0].reply_to == ["channel@acme.example"]


def test_notification_with_email_turned_off_is_shown_in_the_app_only(django_capture_on_commit_callbacks):
    from notifications.services import notification_settings_update

    notification_settings_update(email_enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_deliver(recipient=RepFactory(), key="k", title="Visit tomorrow")
    assert notification.email_status == EmailStatus.OFF and not mail.outbox
    assert notifications_send_pending(older_than=timedelta(0)) == 0

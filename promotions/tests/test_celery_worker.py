"""A real Celery worker on Redis: the follow-up clock sent twice through the broker
thanks each attendee once and emails each address once."""

import datetime
import time

import pytest
from django.core import mail
from django.utils import timezone

from notifications.tests.test_celery_worker import celery_worker_on_redis, wait_for  # noqa: F401 (fixture)
from promotions.models import CampaignStatus, ThankYou, ThankYouStatus
from promotions.tests.factories import AttendeeFactory, CampaignFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_follow_up_clock_sent_twice_through_redis_thanks_once(celery_worker_on_redis):  # noqa: F811
    from promotions.tasks import run_follow_up_clock

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    campaign = CampaignFactory(status=CampaignStatus.ENDED, start_date=yesterday, end_date=yesterday)
    AttendeeFactory(campaign=campaign, email="guest@example.com")
    AttendeeFactory(campaign=campaign, email="")
    first, second = (run_follow_up_clock.apply_async(ignore_result=False) for _ in range(2))
    first.get(timeout=30)
    second.get(timeout=30)
    assert wait_for(lambda: ThankYou.objects.filter(status=ThankYouStatus.SENT).exists())
    time.sleep(0.5)  # room for a wrong second email to arrive
    assert ThankYou.objects.count() == 2
    assert len([message for message in mail.outbox if "guest@example.com" in message.to]) == 1

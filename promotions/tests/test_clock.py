"""The post-event follow-up clock (SPEC §4, seed 001), day by day with time travel:
each step fires once, on its day, however many times the beat runs."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from accounts.tests.factories import AdminFactory, ManagerFactory, RepFactory
from dealers.tests.factories import DealerFactory
from notifications.models import Notification
from promotions import services
from promotions.models import CampaignStatus, Interest, ThankYou, ThankYouStatus
from promotions.tasks import run_follow_up_clock
from promotions.tests.factories import AttendeeFactory, CampaignFactory, LeadFollowUpFactory, PreparationTaskFactory
from regions.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
END = datetime.date(2026, 11, 10)  # the event's last day: day 0


def day(n: int, hour: int = 9) -> datetime.datetime:
    moment = END + datetime.timedelta(days=n)
    return datetime.datetime(moment.year, moment.month, moment.day, hour, tzinfo=SHANGHAI)


@pytest.fixture
def event(django_capture_on_commit_callbacks):
    province = RegionFactory(name="Province")
    city = RegionFactory(name="City", parent=province)
    manager = ManagerFactory(username="manager_province", regions=[province])
    owner = ManagerFactory(username="owner", regions=[city])
    rep_a, rep_b = RepFactory(username="rep_a"), RepFactory(username="rep_b")
    dealer = DealerFactory(region=city, rep=rep_a)
    DealerFactory(region=city, rep=rep_b)
    campaign = CampaignFactory(
        name="Autumn conference", status=CampaignStatus.RUNNING, owner=owner, dealers=[dealer],
        start_date=END - datetime.timedelta(days=1), end_date=END,
    )
    hot = AttendeeFactory(campaign=campaign, name="Hot lead", email="hot@example.com", interest=Interest.HOT)
    warm = AttendeeFactory(campaign=campaign, name="Warm lead", interest=Interest.WARM)
    guest = AttendeeFactory(campaign=campaign, name="Guest", email="guest@example.com", interest=Interest.NONE)
    return {
        "campaign": campaign, "owner": owner, "manager": manager, "rep_a": rep_a, "rep_b": rep_b,
        "hot": hot, "warm": warm, "guest": guest, "capture": django_capture_on_commit_callbacks,
    }


def beat(event, n: int, *, times: int = 2) -> None:
    """The beat on day `n` after the event, run `times` times (a doubled beat)."""
    with time_machine.travel(day(n), tick=False), event["capture"](execute=True):
        for _ in range(times):
            run_follow_up_clock.delay()


def keys() -> list[tuple[str, str]]:
    return sorted(Notification.objects.values_list("recipient__username", "key"))


def test_clock_each_step_fires_once_on_its_day_with_a_doubled_beat(event):
    campaign, cid = event["campaign"], event["campaign"].pk
    seen: list[tuple[str, str]] = []

    def new_keys() -> list[tuple[str, str]]:
        now = keys()
        fresh = [key for key in now if key not in seen]
        seen.extend(fresh)
        return fresh

    beat(event, 0)  # the last day of the event: nothing yet
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.RUNNING
    assert new_keys() == [] and not ThankYou.objects.exists()

    beat(event, 1)  # next day: the event has ended, every attendee is thanked
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.ENDED
    assert ThankYou.objects.count() == 3
    assert dict(ThankYou.objects.values_list("attendee__name", "status")) == {
        "Hot lead": ThankYouStatus.SENT, "Warm lead": ThankYouStatus.RECORDED, "Guest": ThankYouStatus.SENT,
    }
    attendee_mail = [message for message in mail.outbox if set(message.to) & {"hot@example.com", "guest@example.com"}]
    assert sorted(address for message in attendee_mail for address in message.to) == ["guest@example.com", "hot@example.com"]
    assert "Thank you for joining us at Autumn conference" in attendee_mail[0].body
    assert new_keys() == [("owner", f"campaign:{cid}:thank-you")]

    with time_machine.travel(day(2), tick=False), event["capture"](execute=True):
        services.leads_assign(campaign=campaign, by=event["owner"], assignments={event["hot"].pk: event["rep_a"].pk})
    assert new_keys() == [("rep_a", next(key for _, key in keys() if ":leads-assigned:" in key))]
    beat(event, 2)
    assert new_keys() == []

    beat(event, 3)  # within 3 days the leads should be assigned: one is not
    assert new_keys() == [("owner", f"campaign:{cid}:leads-unassigned")]
    beat(event, 4)
    assert new_keys() == []

    beat(event, 5)  # the rep with a lead not followed up, and the review due
    assert new_keys() == [("owner", f"campaign:{cid}:review-due"), ("rep_a", f"campaign:{cid}:follow-up-reminder")]
    beat(event, 6)
    beat(event, 7)
    assert new_keys() == []

    beat(event, 8)  # past the 7 days: escalated to the managers overseeing the region
    assert new_keys() == [
        ("manager_province", f"campaign:{cid}:follow-ups-overdue"),
        ("manager_province", f"campaign:{cid}:review-overdue"),
        ("owner", f"campaign:{cid}:follow-ups-overdue"),
        ("owner", f"campaign:{cid}:review-overdue"),
    ]
    escalation = Notification.objects.get(recipient=event["manager"], key=f"campaign:{cid}:follow-ups-overdue")
    assert "rep_a: 1 without a follow-up" in escalation.body and "1 never assigned" in escalation.body
    beat(event, 9)
    beat(event, 20)
    assert new_keys() == []
    assert ThankYou.objects.count() == 3
    assert len([message for message in mail.outbox if "hot@example.com" in message.to]) == 1


def test_clock_done_work_is_not_reminded(event):
    campaign, cid = event["campaign"], event["campaign"].pk
    beat(event, 1)
    services.leads_assign(
        campaign=campaign, by=event["owner"],
        assignments={event["hot"].pk: event["rep_a"].pk, event["warm"].pk: event["rep_b"].pk},
    )
    event["hot"].refresh_from_db()
    event["warm"].refresh_from_db()
    LeadFollowUpFactory(attendee=event["hot"])
    LeadFollowUpFactory(attendee=event["warm"])
    with time_machine.travel(day(4), tick=False):
        services.campaign_review_write(
            campaign=campaign, by=event["owner"], what_worked="Demos", what_did_not_work="Parking", lessons="Book buses",
        )
    for n in range(2, 10):
        beat(event, n)
    clock_keys = [key for _, key in keys() if ":leads-assigned:" not in key]
    assert clock_keys == [f"campaign:{cid}:thank-you"]


def test_clock_follow_up_by_another_rep_does_not_count(event):
    """Only the assigned rep's own follow-up counts (a reassigned lead needs the new rep's)."""
    campaign = event["campaign"]
    beat(event, 1)
    services.leads_assign(campaign=campaign, by=event["owner"], assignments={event["hot"].pk: event["rep_a"].pk})
    LeadFollowUpFactory(attendee=event["hot"], by=event["rep_b"])
    beat(event, 5)
    assert Notification.objects.filter(recipient=event["rep_a"], key=f"campaign:{campaign.pk}:follow-up-reminder").exists()


def test_clock_missed_day_catches_up_once_the_next_day(event):
    beat(event, 2, times=1)  # the beat was down on day 1
    assert ThankYou.objects.count() == 3
    beat(event, 3)
    assert ThankYou.objects.count() == 3


def test_clock_attendee_recorded_late_is_still_thanked_once(event):
    beat(event, 1)
    late = AttendeeFactory(campaign=event["campaign"], name="Late entry", email="late@example.com")
    beat(event, 2)
    beat(event, 3)
    assert ThankYou.objects.filter(attendee=late).count() == 1
    assert len([message for message in mail.outbox if "late@example.com" in message.to]) == 1


def test_clock_leaves_old_campaigns_alone(event):
    beat(event, 31)
    assert not ThankYou.objects.exists()
    assert not Notification.objects.filter(key__contains="campaign:").exists()


def test_clock_escalates_to_hq_admin_when_no_manager_oversees_the_region():
    admin = AdminFactory(username="hq")
    lonely = RegionFactory(name="Nobody's")
    owner = RepFactory(username="owner_rep")
    campaign = CampaignFactory(status=CampaignStatus.ENDED, regions=[lonely], owner=owner,
                               start_date=END, end_date=END)
    with time_machine.travel(day(8), tick=False):
        services.follow_up_clock_run()
    assert Notification.objects.filter(recipient=admin, key=f"campaign:{campaign.pk}:review-overdue").exists()


def test_thank_you_email_lost_while_the_broker_was_down_is_sent_by_a_later_beat(event, monkeypatch):
    monkeypatch.setattr("promotions.services.clock._queue_thank_you_email", lambda pk: None)
    beat(event, 1, times=1)
    assert ThankYou.objects.filter(status=ThankYouStatus.PENDING).count() == 2
    monkeypatch.undo()
    with time_machine.travel(day(1, hour=10), tick=False):
        assert services.thank_yous_send_pending() == 2
        assert services.thank_yous_send_pending() == 0
    assert ThankYou.objects.filter(status=ThankYouStatus.SENT).count() == 2


def test_thank_you_email_task_run_twice_sends_once(event):
    beat(event, 1, times=1)
    thank_you = ThankYou.objects.get(attendee=event["hot"])
    ThankYou.objects.filter(pk=thank_you.pk).update(status=ThankYouStatus.PENDING)
    outbox_before = len(mail.outbox)
    assert services.thank_you_send_email(thank_you_id=thank_you.pk) is True
    assert services.thank_you_send_email(thank_you_id=thank_you.pk) is False
    assert len(mail.outbox) == outbox_before + 1


# --- Preparation task reminders ----------------------------------------------------------------
def test_task_reminder_on_its_due_date_once():
    owner = RepFactory(username="task_owner")
    campaign = CampaignFactory(status=CampaignStatus.APPROVED, dealers=[DealerFactory()],
                               start_date=END + datetime.timedelta(days=10), end_date=END + datetime.timedelta(days=11))
    task = PreparationTaskFactory(campaign=campaign, owner=owner, due_date=END, title="Book the venue")
    PreparationTaskFactory(campaign=campaign, owner=owner, due_date=END + datetime.timedelta(days=1))
    with time_machine.travel(day(-1), tick=False):
        assert services.preparation_task_reminders() == 0
    with time_machine.travel(day(0), tick=False):
        assert services.preparation_task_reminders() == 1
        assert services.preparation_task_reminders() == 0
    notification = Notification.objects.get(recipient=owner)
    assert notification.key == f"campaign-task:{task.pk}:due" and "Book the venue" in notification.title


def test_task_reminder_skips_done_tasks_and_finished_campaigns():
    running = CampaignFactory(status=CampaignStatus.RUNNING, dealers=[DealerFactory()])
    ended = CampaignFactory(status=CampaignStatus.ENDED, dealers=[DealerFactory()])
    PreparationTaskFactory(campaign=running, due_date=END, done_at=day(-2))
    PreparationTaskFactory(campaign=ended, due_date=END)
    with time_machine.travel(day(0), tick=False):
        assert services.preparation_task_reminders() == 0


def test_clock_step_failing_for_one_campaign_does_not_stop_the_others(event, monkeypatch):
    other = CampaignFactory(status=CampaignStatus.ENDED, dealers=[DealerFactory()], start_date=END, end_date=END)
    AttendeeFactory(campaign=other, name="Other guest")
    original = services._step_thank_you

    def flaky(campaign, today):
        if campaign.pk == event["campaign"].pk:
            raise RuntimeError("mail server on fire")
        return original(campaign, today)

    monkeypatch.setitem(services.CLOCK_STEPS, "thank_you", flaky)
    with time_machine.travel(day(1), tick=False):
        done = services.follow_up_clock_run()
    assert done["failed"] == 1 and ThankYou.objects.filter(attendee__campaign=other).count() == 1
    monkeypatch.undo()
    beat(event, 2)
    assert ThankYou.objects.filter(attendee__campaign=event["campaign"]).count() == 3

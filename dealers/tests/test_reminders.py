"""Beat tasks: "going cold" per cold spell, and contract-end reminders 60 and 30 days
before the end, each exactly once — with time travel, and with the beat doubled."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.tests.factories import ManagerFactory, RepFactory
from dealers import services, tasks
from dealers.models import ContractStatus, DealerStatus, Onboarding
from dealers.tests.factories import ContractFactory, DealerFactory, DraftContractFactory, ProspectFactory
from notifications.models import Notification
from regions.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def at(days: int):
    return time_machine.travel(START + timedelta(days=days), tick=False)


def beat_twice(task) -> None:
    """A doubled beat: the same task twice in a row."""
    task.delay()
    task.delay()


def cold_notifications(rep):
    return list(Notification.objects.filter(recipient=rep, kind="prospect_cold").order_by("id").values_list("key", flat=True))


# --- going cold ------------------------------------------------------------------------
def test_prospect_going_cold_reminds_its_rep_once_per_cold_spell():
    with at(0):
        prospect = ProspectFactory()
    rep = prospect.rep
    with at(13):
        beat_twice(tasks.prospects_going_cold)
    assert cold_notifications(rep) == []
    with at(14):
        beat_twice(tasks.prospects_going_cold)
    assert cold_notifications(rep) == [f"prospect:{prospect.pk}:cold:2026-03-02"]
    with at(25):
        beat_twice(tasks.prospects_going_cold)
    assert len(cold_notifications(rep)) == 1, "still the same cold spell"
    with at(26):
        services.contact_log_create(dealer=prospect, logged_by=rep, summary="Visited again")
    with at(39):
        beat_twice(tasks.prospects_going_cold)
    assert len(cold_notifications(rep)) == 1
    with at(40):
        beat_twice(tasks.prospects_going_cold)
    assert cold_notifications(rep) == [f"prospect:{prospect.pk}:cold:2026-03-02", f"prospect:{prospect.pk}:cold:2026-03-28"]


def test_prospect_going_cold_follows_the_setting(settings):
    settings.PROSPECT_COLD_AFTER_DAYS = 3
    with at(0):
        prospect = ProspectFactory()
    with at(3):
        assert services.prospects_going_cold_notify() == 1
        assert services.prospects_going_cold_notify() == 0
    assert len(cold_notifications(prospect.rep)) == 1


def test_writing_a_document_warms_the_prospect_up():
    with at(0):
        prospect = ProspectFactory()
    with at(10):
        services.onboarding_update(dealer=prospect, updated_by=prospect.rep, stage="first_meeting")
    with at(14):
        assert services.prospects_going_cold_notify() == 0
    assert Onboarding.objects.get(dealer=prospect).last_contact_on.isoformat() == "2026-03-12"


@pytest.mark.parametrize("status", [DealerStatus.ACTIVE, DealerStatus.TERMINATED])
def test_dealer_out_of_the_pipeline_never_goes_cold(status):
    with at(0):
        ProspectFactory(status=status)
    with at(60):
        assert services.prospects_going_cold_notify() == 0


# --- contract end -----------------------------------------------------------------------
@pytest.fixture
def contract_world():
    province = RegionFactory(name="Province")
    city = RegionFactory(name="City", parent=province)
    manager = ManagerFactory(regions=[province])
    ManagerFactory(regions=[RegionFactory(name="Elsewhere")])
    with at(0):
        dealer = DealerFactory(region=city, status=DealerStatus.ACTIVE)
        contract = ContractFactory(dealer=dealer, start_date=START.date() - timedelta(days=275), end_date=START.date() + timedelta(days=90))
    return {"dealer": dealer, "rep": dealer.rep, "manager": manager, "contract": contract}


def contract_keys(user):
    return sorted(Notification.objects.filter(recipient=user, kind="contract_ending").values_list("key", flat=True))


def test_contract_reminders_60_and_30_days_before_the_end_once_each(contract_world):
    rep, manager, contract = contract_world["rep"], contract_world["manager"], contract_world["contract"]
    prefix = f"contract:{contract.pk}:ends:2026-05-31"
    for day in (0, 29):
        with at(day):
            beat_twice(tasks.contract_end_reminders)
    assert contract_keys(rep) == [] and contract_keys(manager) == []
    for day in (30, 30, 31, 45, 59):
        with at(day):
            beat_twice(tasks.contract_end_reminders)
    assert contract_keys(rep) == contract_keys(manager) == [f"{prefix}:60d"]
    for day in (60, 61, 89, 90, 91, 120):
        with at(day):
            beat_twice(tasks.contract_end_reminders)
    assert contract_keys(rep) == contract_keys(manager) == [f"{prefix}:30d", f"{prefix}:60d"]
    assert Notification.objects.filter(kind="contract_ending").count() == 4  # nobody else


def test_contract_first_seen_20_days_before_its_end_sends_only_the_30_day_reminder(contract_world):
    with at(70):
        assert services.contract_end_reminders_send() == 2
        assert services.contract_end_reminders_send() == 0
    assert [key.rsplit(":", 1)[1] for key in contract_keys(contract_world["rep"])] == ["30d"]


def test_contract_already_renewed_is_not_reminded(contract_world):
    contract = contract_world["contract"]
    ContractFactory(dealer=contract.dealer, start_date=contract.end_date + timedelta(days=1),
                    end_date=contract.end_date + timedelta(days=366))
    with at(40):
        assert services.contract_end_reminders_send() == 0


def test_draft_contract_and_terminated_dealer_are_not_reminded(contract_world):
    DraftContractFactory(status=ContractStatus.DRAFT, end_date=START.date() + timedelta(days=40),
                         start_date=START.date() - timedelta(days=300))
    dealer = contract_world["dealer"]
    dealer.status = DealerStatus.TERMINATED
    dealer.save()
    with at(40):
        assert services.contract_end_reminders_send() == 0


def test_contract_reminder_is_written_in_the_recipients_language(contract_world):
    rep = contract_world["rep"]
    rep.language = "zh-hans"
    rep.save()
    with at(30):
        services.contract_end_reminders_send()
    title = Notification.objects.get(recipient=rep).title
    assert "合同" in title and contract_world["dealer"].name in title
    other = RepFactory()
    assert not other.notifications.exists()

"""dealers_upsert: dealers created or updated by code (the import and the ERP sync)."""

from decimal import Decimal

import pytest

from accounts.tests.factories import AdminFactory, ManagerFactory, RepFactory
from common.upsert import BulkInvalid, Outcome
from dealers.models import Dealer, DealerStatusChange, Onboarding, RepAssignment
from dealers.services import NOT_AN_ACTIVE_REP
from dealers.tests.factories import DealerFactory
from dealers.upsert import REGION_REQUIRED, dealers_upsert
from notifications.models import Notification
from regions.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return AdminFactory()


def row(code, region, **fields):
    return {"code": code, "name": f"Dealer {code}", "region": region, "tier": "city",
            "credit_limit": Decimal("50000.00"), **fields}


def test_dealers_upsert_creates_active_dealers_with_history_and_one_notification_per_rep(admin):
    region, rep = RegionFactory(), RepFactory()
    results = dealers_upsert(rows=[row("D1", region, rep=rep), row("D2", region, rep=rep), row("D3", region)], by=admin)
    assert [result.outcome for result in results] == [Outcome.CREATE] * 3
    assert set(Dealer.objects.values_list("code", "status")) == {("D1", "active"), ("D2", "active"), ("D3", "active")}
    assert DealerStatusChange.objects.filter(from_status="", to_status="active").count() == 3
    assert RepAssignment.objects.filter(to_rep=rep).count() == 2
    assert Notification.objects.filter(recipient=rep).count() == 1


def test_dealers_upsert_same_rows_twice_is_unchanged_and_writes_no_history(admin):
    region, rep = RegionFactory(), RepFactory()
    rows = [row("D1", region, rep=rep, status="active")]
    dealers_upsert(rows=rows, by=admin)
    results = dealers_upsert(rows=rows, by=admin)
    assert results[0].outcome == Outcome.UNCHANGED
    assert DealerStatusChange.objects.count() == 1 and RepAssignment.objects.count() == 1


def test_dealers_upsert_rep_change_and_status_change_are_recorded(admin):
    old, new = RepFactory(), RepFactory()
    dealer = DealerFactory(code="D1", rep=old, status="active")
    results = dealers_upsert(rows=[{"code": "D1", "rep": new, "status": "suspended"}], by=admin, reason="ERP sync")
    assert results[0].outcome == Outcome.UPDATE and set(results[0].changed) == {"rep", "status"}
    dealer.refresh_from_db()
    assert (dealer.rep, dealer.status) == (new, "suspended")
    assert RepAssignment.objects.get(dealer=dealer).from_rep == old
    assert DealerStatusChange.objects.get(dealer=dealer).reason == "ERP sync"


def test_dealers_upsert_refuses_a_rep_who_is_not_a_rep_a_status_jump_and_no_region(admin):
    region = RegionFactory()
    DealerFactory(code="T1", status="terminated")
    with pytest.raises(BulkInvalid) as error:
        dealers_upsert(rows=[
            row("OK", region),
            row("M1", region, rep=ManagerFactory()),
            {"code": "T1", "status": "active"},
            {"code": "N1", "name": "No region"},
            row("OK", region),
            row("NEG", region, credit_limit=Decimal("-1")),
        ], by=admin)
    errors = error.value.errors
    assert errors[1] == {"rep": [str(NOT_AN_ACTIVE_REP)]}
    assert "status" in errors[2] and errors[3]["region"] == [str(REGION_REQUIRED)]
    assert "code" in errors[4] and "credit_limit" in errors[5]
    assert not Dealer.objects.filter(code="OK").exists()


def test_dealers_upsert_prospects_get_their_onboarding_record(admin):
    dealers_upsert(rows=[row("P1", RegionFactory(), status="prospect")], by=admin)
    assert Onboarding.objects.filter(dealer__code="P1").exists()


def test_dealers_upsert_makes_a_fixed_number_of_queries(admin, django_assert_max_num_queries):
    region, rep = RegionFactory(), RepFactory()
    for size in (5, 60):
        rows = [row(f"S{size}-{n}", region, rep=rep) for n in range(size)]
        with django_assert_max_num_queries(20):
            dealers_upsert(rows=rows, by=admin)
        with django_assert_max_num_queries(20):
            dealers_upsert(rows=[{**item, "credit_limit": Decimal("1.00")} for item in rows], by=admin)

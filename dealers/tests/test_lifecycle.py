"""The status lifecycle: the pure table, and the service that records every change."""

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import ManagerFactory
from dealers import lifecycle, services
from dealers.models import DealerStatus, DealerStatusChange
from dealers.tests.factories import DealerFactory, ProspectFactory

ALLOWED = {
    ("prospect", "negotiating"), ("prospect", "terminated"),
    ("negotiating", "active"), ("negotiating", "prospect"), ("negotiating", "terminated"),
    ("active", "suspended"), ("active", "terminated"),
    ("suspended", "active"), ("suspended", "terminated"),
}
STATUSES = list(DealerStatus.values)


@pytest.mark.parametrize("from_status", STATUSES)
@pytest.mark.parametrize("to_status", STATUSES)
def test_lifecycle_table_allows_exactly_the_documented_moves(from_status, to_status):
    assert lifecycle.can_transition(from_status, to_status) == ((from_status, to_status) in ALLOWED)


def test_lifecycle_terminated_is_final():
    assert lifecycle.allowed_targets("terminated") == []


def test_lifecycle_negotiating_reaches_active_only_by_signing():
    assert "active" not in lifecycle.allowed_targets("negotiating")
    assert lifecycle.allowed_targets("negotiating", by_signing=True) == ["active"]
    assert lifecycle.allowed_targets("prospect", by_signing=True) == ["active"]
    assert lifecycle.allowed_targets("active", by_signing=True) == []


pytestmark_db = pytest.mark.django_db


@pytestmark_db
def test_status_change_records_who_when_from_to_and_why():
    dealer = DealerFactory(status=DealerStatus.ACTIVE)
    manager = ManagerFactory()
    change = services.dealer_status_change(dealer=dealer, to_status="suspended", changed_by=manager, reason="Cross-territory selling")
    dealer.refresh_from_db()
    assert dealer.status == "suspended"
    assert (change.from_status, change.to_status, change.changed_by, change.reason) == ("active", "suspended", manager, "Cross-territory selling")
    assert change.changed_at is not None


@pytestmark_db
@pytest.mark.parametrize(("from_status", "to_status"), [
    ("prospect", "active"), ("prospect", "suspended"), ("terminated", "active"), ("suspended", "negotiating"), ("active", "prospect"),
])
def test_status_change_the_lifecycle_does_not_allow_is_refused_and_nothing_saved(from_status, to_status):
    dealer = DealerFactory(status=from_status)
    with pytest.raises(ValidationError) as error:
        services.dealer_status_change(dealer=dealer, to_status=to_status, changed_by=ManagerFactory(), reason="because")
    assert "status" in error.value.message_dict
    dealer.refresh_from_db()
    assert dealer.status == from_status and not DealerStatusChange.objects.filter(dealer=dealer).exists()


@pytestmark_db
def test_status_change_negotiating_to_active_asks_for_a_contract():
    dealer = DealerFactory(status=DealerStatus.NEGOTIATING)
    with pytest.raises(ValidationError) as error:
        services.dealer_status_change(dealer=dealer, to_status="active", changed_by=ManagerFactory(), reason="x")
    assert error.value.message_dict["status"] == [str(services.ACTIVATE_BY_SIGNING)]


@pytestmark_db
def test_status_change_without_a_reason_is_refused():
    dealer = DealerFactory(status=DealerStatus.ACTIVE)
    with pytest.raises(ValidationError) as error:
        services.dealer_status_change(dealer=dealer, to_status="suspended", changed_by=ManagerFactory(), reason="  ")
    assert error.value.message_dict["reason"] == [str(services.REASON_REQUIRED)]
    dealer.refresh_from_db()
    assert dealer.status == "active"


@pytestmark_db
def test_status_change_active_suspended_and_back_keeps_the_whole_history():
    dealer = DealerFactory(status=DealerStatus.ACTIVE)
    manager = ManagerFactory()
    services.dealer_status_change(dealer=dealer, to_status="suspended", changed_by=manager, reason="violation")
    services.dealer_status_change(dealer=dealer, to_status="active", changed_by=manager, reason="rectified")
    services.dealer_status_change(dealer=dealer, to_status="terminated", changed_by=manager, reason="contract ended")
    moves = list(DealerStatusChange.objects.filter(dealer=dealer).order_by("changed_at", "id").values_list("from_status", "to_status"))
    assert moves == [("active", "suspended"), ("suspended", "active"), ("active", "terminated")]


@pytestmark_db
def test_status_change_by_a_manager_notifies_the_rep():
    dealer = DealerFactory(status=DealerStatus.ACTIVE)
    services.dealer_status_change(dealer=dealer, to_status="suspended", changed_by=ManagerFactory(), reason="stock diverted")
    notification = dealer.rep.notifications.get()
    assert dealer.name in notification.title and "stock diverted" in notification.body


@pytestmark_db
def test_prospect_reaching_the_memo_stage_is_negotiating():
    prospect = ProspectFactory()
    services.onboarding_update(dealer=prospect, updated_by=prospect.rep, stage="memo")
    prospect.refresh_from_db()
    assert prospect.status == "negotiating"
    assert DealerStatusChange.objects.get(dealer=prospect).changed_by == prospect.rep

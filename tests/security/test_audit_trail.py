"""The audit trail of sensitive changes (issue #12): old and new value, when, by
whom; written in the same transaction as the change, through services, the API
and the pages; read by HQ admin on the record's page and through the API."""

from __future__ import annotations

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.db import transaction
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.tests.factories import AdminFactory, ManagerFactory, RepFactory
from accounts.tokens import api_token_issue
from common.audit import audit_actor, audit_history
from dealers import services
from dealers.models import Dealer
from dealers.tests.factories import DealerFactory
from inventory.tests.factories import ProductFactory
from rebates import services as rebate_services
from rebates.tests.factories import TieredPlanFactory
from regions.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


def changes_of(instance):
    return [(entry.actor_id, entry.changes_dict) for entry in LogEntry.objects.get_for_object(instance).order_by("id")
            if entry.action == LogEntry.Action.UPDATE]


def test_audit_dealer_update_through_the_api_with_a_token_records_old_new_and_the_user():
    region, other = RegionFactory(), RegionFactory()
    manager = ManagerFactory(regions=[region, other])
    dealer = DealerFactory(region=region, credit_limit=Decimal("1000.00"), tier="county")
    key, _token = api_token_issue(user=manager)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.patch(f"/api/v1/dealers/{dealer.pk}/", {"credit_limit": "5000.00", "tier": "city", "region": other.pk,
                                                              "name": "Not audited"}, format="json")
    assert response.status_code == 200, response.json()
    [(actor, changes)] = changes_of(dealer)
    assert actor == manager.pk
    assert changes == {"credit_limit": ["1000.00", "5000.00"], "tier": ["county", "city"],
                       "region": [str(region.pk), str(other.pk)]}


def test_audit_dealer_status_and_rep_through_services_record_the_acting_user():
    admin, rep = AdminFactory(), RepFactory()
    dealer = DealerFactory()
    old_rep = dealer.rep
    services.dealer_status_change(dealer=dealer, to_status="suspended", changed_by=admin, reason="Overdue")
    services.dealer_assign_rep(dealer=dealer, rep=rep, assigned_by=admin, reason="Territory")
    assert changes_of(dealer) == [
        (admin.pk, {"status": ["active", "suspended"]}),
        (admin.pk, {"rep": [str(old_rep.pk), str(rep.pk)]}),
    ]


def test_audit_bulk_reassignment_is_recorded_per_dealer():
    manager, leaving, taking = AdminFactory(), RepFactory(), RepFactory()
    dealers = DealerFactory.create_batch(2, rep=leaving)
    assert services.dealers_reassign(from_rep=leaving, to_rep=taking, assigned_by=manager, reason="Left") == 2
    for dealer in dealers:
        assert changes_of(dealer) == [(manager.pk, {"rep": [str(leaving.pk), str(taking.pk)]})]


def test_audit_entry_is_written_in_the_same_transaction_as_the_change():
    admin = AdminFactory()
    dealer = DealerFactory(credit_limit=Decimal("1000.00"))
    with pytest.raises(RuntimeError), transaction.atomic():
        services.dealer_update(dealer=dealer, updated_by=admin, credit_limit=Decimal("9000.00"))
        assert len(changes_of(dealer)) == 1  # written with the change...
        raise RuntimeError("a later step fails")
    dealer.refresh_from_db()
    assert dealer.credit_limit == Decimal("1000.00") and changes_of(dealer) == []  # ...and undone with it


def test_audit_api_patch_that_fails_half_way_leaves_no_entry(api_as):
    manager = ManagerFactory()
    region = RegionFactory()
    manager.regions.set([region])
    dealer = DealerFactory(region=region, credit_limit=Decimal("1000.00"))
    response = api_as(manager).patch(f"/api/v1/dealers/{dealer.pk}/", {"credit_limit": "2000.00", "status": "prospect",
                                                                       "status_reason": "x"}, format="json")
    assert response.status_code == 400
    assert changes_of(dealer) == [] and Dealer.objects.get(pk=dealer.pk).credit_limit == Decimal("1000.00")


def test_audit_dealer_edit_page_records_the_signed_in_user(client):
    region = RegionFactory()
    manager = ManagerFactory(regions=[region])
    dealer = DealerFactory(region=region, credit_limit=Decimal("1000.00"))
    client.force_login(manager)
    data = {"name": dealer.name, "code": dealer.code, "region": region.pk, "tier": dealer.tier, "credit_limit": "3000.00",
            "channel_types": []}
    response = client.post(f"/dealers/{dealer.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert changes_of(dealer) == [(manager.pk, {"credit_limit": ["1000.00", "3000.00"]})]


def test_audit_product_prices_and_tier_prices_through_the_api(api_as):
    admin = AdminFactory()
    product = ProductFactory(guideline_price=Decimal("4.50"))
    price = product.tier_prices.get(tier="city")
    client = api_as(admin)
    assert client.patch(f"/api/v1/products/{product.pk}/", {"guideline_price": "4.80"}, format="json").status_code == 200
    assert client.patch(f"/api/v1/tier-prices/{price.pk}/", {"price": "60.00"}, format="json").status_code == 200
    assert changes_of(product) == [(admin.pk, {"guideline_price": ["4.50", "4.80"]})]
    assert changes_of(price)[0][1] == {"price": [str(price.price), "60.00"]}


def test_audit_rebate_plan_terms_and_tiers():
    admin = AdminFactory()
    plan = TieredPlanFactory()
    tiers = [rebate_services.TierInput(threshold=Decimal("50000"), rate=Decimal("1.5"))]
    rebate_services.rebate_plan_update(plan=plan, by=admin, name="Renamed", tiers=tiers)
    entries = changes_of(plan)
    assert (admin.pk, {"name": [plan.name, "Renamed"]}) in entries
    [tier_change] = [changes for actor, changes in entries if "tiers" in changes]
    assert tier_change["tiers"] == ["≥ 100000.00 → 1 %; ≥ 200000.00 → 2 %", "≥ 50000.00 → 1.5 %"]


def test_audit_user_role_dealer_and_regions_through_the_api(api_as):
    admin = AdminFactory()
    region = RegionFactory()
    user = RepFactory()
    response = api_as(admin).patch(f"/api/v1/users/{user.pk}/", {"role": "manager", "regions": [region.pk]}, format="json")
    assert response.status_code == 200, response.json()
    entries = [changes for _actor, changes in changes_of(user)]
    assert {"role": ["rep", "manager"]} in entries
    assert any(changes.get("regions", {}).get("operation") == "add" for changes in entries)


def test_audit_service_outside_a_request_takes_the_actor_given():
    admin = AdminFactory()
    user = RepFactory()
    with audit_actor(admin):
        account_services.user_update(user=user, is_active=False)
    assert changes_of(user) == [(admin.pk, {"is_active": ["True", "False"]})]


def test_audit_api_lists_a_records_trail_for_hq_admin_only(api_as):
    admin = AdminFactory()
    dealer = DealerFactory(tier="county")
    services.dealer_update(dealer=dealer, updated_by=admin, tier="city")
    body = api_as(admin).get(f"/api/v1/audit/?model=dealer&object_id={dealer.pk}").json()
    [entry] = [row for row in body["results"] if row["action"] == "update"]
    assert entry["changes"] == {"tier": ["county", "city"]} and entry["actor"] == admin.pk and entry["model"] == "dealer"
    assert api_as(admin).get("/api/v1/audit/?model=nothing").status_code == 400
    assert api_as(admin).get("/api/v1/audit/?model=dealer&object_id=abc").status_code == 400
    assert api_as(RepFactory()).get(f"/api/v1/audit/?model=dealer&object_id={dealer.pk}").status_code == 403


def test_audit_dealer_page_shows_the_trail_to_hq_admin_only(client):
    admin = AdminFactory()
    region = RegionFactory()
    manager = ManagerFactory(regions=[region])
    dealer = DealerFactory(region=region, credit_limit=Decimal("1000.00"))
    services.dealer_update(dealer=dealer, updated_by=admin, credit_limit=Decimal("2500.00"))
    client.force_login(admin)
    page = client.get(f"/dealers/{dealer.pk}/").content.decode()
    assert 'data-testid="audit-trail"' in page and "1000.00" in page and "2500.00" in page
    rows = audit_history(instance=dealer)
    assert rows[0].changes[0].label == "credit limit" and (rows[0].changes[0].old, rows[0].changes[0].new) == ("1000.00", "2500.00")
    client.force_login(manager)
    assert 'data-testid="audit-trail"' not in client.get(f"/dealers/{dealer.pk}/").content.decode()


def test_audit_product_page_shows_prices_history_to_hq_admin(client, api_as):
    admin = AdminFactory()
    product = ProductFactory(guideline_price=Decimal("4.50"))
    api_as(admin).patch(f"/api/v1/products/{product.pk}/", {"guideline_price": "4.95"}, format="json")
    client.force_login(admin)
    page = client.get(f"/inventory/products/{product.pk}/").content.decode()
    assert 'data-testid="audit-trail"' in page and "4.95" in page


def test_audit_user_setup_page_shows_role_and_regions_changes_to_hq_admin(client, api_as):
    admin = AdminFactory()
    region = RegionFactory(name="Jiangsu")
    user = RepFactory()
    api_as(admin).patch(f"/api/v1/users/{user.pk}/", {"role": "manager", "regions": [region.pk]}, format="json")
    client.force_login(admin)
    page = client.get(f"/setup/users/{user.pk}/").content.decode()
    assert 'data-testid="audit-trail"' in page
    trail = page.split('data-testid="audit-trail"')[1]
    assert "Role" in trail and "Regional manager" in trail and "Jiangsu" in trail and admin.username in trail
    client.force_login(ManagerFactory())
    assert client.get(f"/setup/users/{user.pk}/").status_code == 403

"""The workflow matrix: every state × action × role, through the API (SPEC §3 "Orders")."""

from decimal import Decimal

import pytest

from inventory.models import Order, OrderStatus
from inventory.tests.conftest import user_for
from inventory.tests.factories import OrderFactory
from inventory.workflow import MAIN_PATH, OrderAction, Verdict, allowed_actions, judge

ROLES = ["admin", "manager", "rep", "finance", "warehouse", "dealer"]
STATES = list(OrderStatus.values)
ACTIONS = list(OrderAction.values)

# Written out by hand from SPEC §3 (not derived from workflow.TRANSITIONS), so the
# table and this test check each other: (state, action) → (next state, roles allowed).
EXPECTED = {
    ("submitted", "confirm"): ("confirmed", {"admin", "manager", "rep"}),
    ("submitted", "reject"): ("rejected", {"admin", "manager", "rep"}),
    ("submitted", "cancel"): ("cancelled", {"admin", "manager", "rep", "dealer"}),
    ("confirmed", "pay"): ("paid", {"admin", "finance"}),
    ("confirmed", "cancel"): ("cancelled", {"admin", "manager", "rep"}),
    ("paid", "pick"): ("picked", {"admin", "warehouse"}),
    ("picked", "ship"): ("shipped", {"admin", "warehouse"}),
    ("shipped", "receive"): ("received", {"admin", "dealer"}),
}


def roles_ever_allowed(action: str) -> set[str]:
    return set().union(*(roles for (_state, act), (_to, roles) in EXPECTED.items() if act == action))


def order_in(world, status: str) -> Order:
    order = OrderFactory(dealer=world.dealer, lines=[(world.cola, 2)])
    paid = status in ("paid", "picked", "shipped", "received")
    Order.objects.filter(pk=order.pk).update(
        status=status, amount_paid=order.total if paid else Decimal("0.00"),
        reason="x" if status in ("rejected", "cancelled") else "",
    )
    order.refresh_from_db()
    return order


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("state", STATES)
def test_workflow_api_state_action_role_gives_expected_outcome(world, api_as, state, action):
    """Each role on a fresh order in `state`: 200 and the next state, 403 for a role
    that may never take the step, 409 for one that may but not from this state."""
    body = {"reject": {"reason": "No stock"}, "cancel": {"reason": "Changed plan"}, "ship": {"reference": "WB-1"}}
    for role in ROLES:
        order = order_in(world, state)
        data = {"amount": str(order.total)} if action == "pay" else body.get(action, {})
        response = api_as(user_for(world, role)).post(f"/api/v1/orders/{order.pk}/{action}/", data, format="json")
        order.refresh_from_db()
        expected = EXPECTED.get((state, action))
        if expected and role in expected[1]:
            assert response.status_code == 200, (role, response.content)
            assert order.status == expected[0] == response.json()["status"], role
            assert order.transitions.filter(from_status=state, to_status=expected[0]).count() == 1, role
        else:
            expected_code = 403 if role not in roles_ever_allowed(action) else 409
            assert response.status_code == expected_code, (role, response.content)
            assert order.status == state, role
            assert not order.transitions.exclude(from_status="").exists(), role


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("state", STATES)
def test_workflow_judge_matches_the_expected_table(state, action, role):
    expected = EXPECTED.get((state, action))
    if expected and role in expected[1]:
        assert judge(state, action, role) == Verdict.ALLOWED
    elif role not in roles_ever_allowed(action):
        assert judge(state, action, role) == Verdict.WRONG_ROLE
    else:
        assert judge(state, action, role) == Verdict.WRONG_STATE


def test_workflow_allowed_actions_never_skip_a_state_of_the_main_path():
    for index, state in enumerate(MAIN_PATH[:-1]):
        forward = {
            to for (from_state, _action), (to, _roles) in EXPECTED.items()
            if from_state == state and to in MAIN_PATH
        }
        assert forward == {MAIN_PATH[index + 1]}
    assert allowed_actions("received", "admin") == []
    assert allowed_actions("cancelled", "admin") == allowed_actions("rejected", "admin") == []

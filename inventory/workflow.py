"""The order workflow as a pure table: state × action → next state and the roles
allowed (SPEC §3 "Orders"). No ORM here; services, pages and the API all ask it.

    submitted → confirmed → paid → picked → shipped → received
    submitted → rejected (rep/manager, with a reason)
    submitted → cancelled (the dealer or its rep/manager, with a reason)
    confirmed → cancelled (rep/manager, with a reason, while nothing is paid)

`pay` records a payment while the order is confirmed; the order moves to `paid`
only once the payments cover the total (services.order_record_payment).
HQ admin may do every step.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from inventory.models import OrderStatus


class OrderAction(models.TextChoices):
    CONFIRM = "confirm", _("Confirm order")
    PAY = "pay", _("Record payment")
    PICK = "pick", _("Mark picked")
    SHIP = "ship", _("Ship")
    RECEIVE = "receive", _("Confirm receipt")
    REJECT = "reject", _("Reject order")
    CANCEL = "cancel", _("Cancel order")


@dataclass(frozen=True)
class Step:
    to_status: str
    roles: frozenset[str]
    needs_reason: bool = False


_SALES = frozenset({Role.ADMIN, Role.MANAGER, Role.REP})

TRANSITIONS: dict[tuple[str, str], Step] = {
    (OrderStatus.SUBMITTED, OrderAction.CONFIRM): Step(OrderStatus.CONFIRMED, _SALES),
    (OrderStatus.SUBMITTED, OrderAction.REJECT): Step(OrderStatus.REJECTED, _SALES, needs_reason=True),
    (OrderStatus.SUBMITTED, OrderAction.CANCEL): Step(OrderStatus.CANCELLED, _SALES | {Role.DEALER}, needs_reason=True),
    (OrderStatus.CONFIRMED, OrderAction.PAY): Step(OrderStatus.PAID, frozenset({Role.ADMIN, Role.FINANCE})),
    (OrderStatus.CONFIRMED, OrderAction.CANCEL): Step(OrderStatus.CANCELLED, _SALES, needs_reason=True),
    (OrderStatus.PAID, OrderAction.PICK): Step(OrderStatus.PICKED, frozenset({Role.ADMIN, Role.WAREHOUSE})),
    (OrderStatus.PICKED, OrderAction.SHIP): Step(OrderStatus.SHIPPED, frozenset({Role.ADMIN, Role.WAREHOUSE})),
    (OrderStatus.SHIPPED, OrderAction.RECEIVE): Step(OrderStatus.RECEIVED, frozenset({Role.ADMIN, Role.DEALER})),
}

# The happy path, in order: what a progress bar shows.
MAIN_PATH = [
    OrderStatus.SUBMITTED, OrderStatus.CONFIRMED, OrderStatus.PAID,
    OrderStatus.PICKED, OrderStatus.SHIPPED, OrderStatus.RECEIVED,
]


class Verdict(models.TextChoices):
    ALLOWED = "allowed"
    WRONG_STATE = "wrong_state"  # API 409: the role may do this, but not from this state
    WRONG_ROLE = "wrong_role"  # API 403: the role may never do this


def roles_for_action(action: str) -> frozenset[str]:
    """Every role that may take `action` from some state."""
    roles: set[str] = set()
    for (_status, step_action), step in TRANSITIONS.items():
        if step_action == action:
            roles |= step.roles
    return frozenset(roles)


def judge(status: str, action: str, role: str) -> Verdict:
    """May `role` take `action` on an order in `status`?

    A role that may never take the action is refused for its role (403); a role
    that may take it, but not from this state, meets a state conflict (409).
    """
    step = TRANSITIONS.get((status, action))
    if step is not None and role in step.roles:
        return Verdict.ALLOWED
    if role not in roles_for_action(action):
        return Verdict.WRONG_ROLE
    return Verdict.WRONG_STATE


def step_for(status: str, action: str) -> Step | None:
    return TRANSITIONS.get((status, action))


def allowed_actions(status: str, role: str) -> list[str]:
    """The actions `role` may take now on an order in `status`, in the table's order."""
    return [action for (from_status, action), step in TRANSITIONS.items() if from_status == status and role in step.roles]

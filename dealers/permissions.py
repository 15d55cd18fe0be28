"""Who may do what with dealers, in one table (used by the pages and the API).

Two questions, always in this order:
1. Scope — may the user see this dealer at all? `dealer_queryset_for(user)` and
   the scope functions built on it answer; outside the scope is 404.
2. Role — may the user's role perform this action on a dealer it can see?
   This table answers; "no" is 403.

A rep's scope is the dealers assigned to them, so "a rep may edit" means "a rep
may edit their own dealers". A manager's scope is their regions' subtrees. Both
come from accounts.policy, the one access policy.

* A rep records a prospect only inside their territory — the regions of the
  dealers given to them (dealers.scope.territory_regions) — and it widens nothing.

| action                     | admin | manager | rep | finance | warehouse | dealer user |
|----------------------------|:-----:|:-------:|:---:|:-------:|:---------:|:-----------:|
| view dealer (own record)   |   ✓   |    ✓    |  ✓  |    ✓    |     ✓     |      ✓      |
| view internal: contacts log, onboarding, history, evaluations, violations | ✓ | ✓ | ✓ | ✓ | ✓ | — |
| create dealer (any status) |   ✓   |    ✓    |  —  |    —    |     —     |      —      |
| create prospect (owns it)  |   ✓   |    ✓    |  ✓* |    —    |     —     |      —      |
| edit profile and contacts  |   ✓   |    ✓    |  ✓  |    —    |     —     |      —      |
| edit commercial terms (code, region, tier, credit limit) | ✓ | ✓ | — | — | — | — |
| change status              |   ✓   |    ✓    | prospect → negotiating only | — | — | — |
| assign rep / bulk reassign |   ✓   |    ✓    |  —  |    —    |     —     |      —      |
| log contacts, onboarding stage and documents | ✓ | ✓ | ✓ | — | — | — |
| view contracts             |   ✓   |    ✓    |  ✓  |    ✓    |     ✓     | signed ones |
| draft and edit contracts   |   ✓   |    ✓    |  ✓  |    —    |     —     |      —      |
| sign contracts             |   ✓   |    ✓    |  —  |    —    |     —     |      —      |
| evaluate                   |   ✓   |    ✓    |  ✓  |    —    |     —     |      —      |
| report violations, edit pending ones | ✓ | ✓ | ✓ | — | — | — |
| decide a violation's outcome |  ✓   |    ✓    |  —  |    —    |     —     |      —      |
| export the dealer list     |   ✓   |    ✓    |  ✓  |    ✓    |     ✓     |      —      |
| review applications (first review) | ✓ | ✓ | ✓ | — | — | — |
| approve or reject applications |  ✓ |    ✓    |  —  |    —    |     —     |      —      |
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from dealers.lifecycle import NEGOTIATING, PROSPECT

ROLE_MAY_NOT = _("Your role may not do this.")


class Action(StrEnum):
    VIEW = "view"
    VIEW_INTERNAL = "view_internal"
    CREATE = "create"
    CREATE_PROSPECT = "create_prospect"
    EDIT_PROFILE = "edit_profile"
    EDIT_COMMERCIAL = "edit_commercial"
    CHANGE_STATUS = "change_status"
    ASSIGN_REP = "assign_rep"
    WORK_ONBOARDING = "work_onboarding"
    VIEW_CONTRACTS = "view_contracts"
    VIEW_DRAFT_CONTRACTS = "view_draft_contracts"
    DRAFT_CONTRACT = "draft_contract"
    SIGN_CONTRACT = "sign_contract"
    EVALUATE = "evaluate"
    REPORT_VIOLATION = "report_violation"
    DECIDE_VIOLATION = "decide_violation"
    EXPORT = "export"
    REVIEW_APPLICATION = "review_application"
    DECIDE_APPLICATION = "decide_application"


ADMIN, MANAGER, REP, FINANCE, WAREHOUSE, DEALER = (
    Role.ADMIN, Role.MANAGER, Role.REP, Role.FINANCE, Role.WAREHOUSE, Role.DEALER,
)
STAFF = frozenset({ADMIN, MANAGER, REP, FINANCE, WAREHOUSE})
FIELD_WORK = frozenset({ADMIN, MANAGER, REP})
MANAGEMENT = frozenset({ADMIN, MANAGER})

PERMISSIONS: dict[Action, frozenset[str]] = {
    Action.VIEW: STAFF | {DEALER},
    Action.VIEW_INTERNAL: STAFF,
    Action.CREATE: MANAGEMENT,
    Action.CREATE_PROSPECT: FIELD_WORK,
    Action.EDIT_PROFILE: FIELD_WORK,
    Action.EDIT_COMMERCIAL: MANAGEMENT,
    Action.CHANGE_STATUS: FIELD_WORK,  # a rep only the moves in REP_STATUS_CHANGES
    Action.ASSIGN_REP: MANAGEMENT,
    Action.WORK_ONBOARDING: FIELD_WORK,
    Action.VIEW_CONTRACTS: STAFF | {DEALER},
    Action.VIEW_DRAFT_CONTRACTS: STAFF,
    Action.DRAFT_CONTRACT: FIELD_WORK,
    Action.SIGN_CONTRACT: MANAGEMENT,
    Action.EVALUATE: FIELD_WORK,
    Action.REPORT_VIOLATION: FIELD_WORK,
    Action.DECIDE_VIOLATION: MANAGEMENT,
    Action.EXPORT: STAFF,
    Action.REVIEW_APPLICATION: FIELD_WORK,
    Action.DECIDE_APPLICATION: MANAGEMENT,
}

# The status moves a rep may make on their own prospects; everything else is a manager's.
REP_STATUS_CHANGES = frozenset({(PROSPECT, NEGOTIATING)})

# Dealer fields a rep may edit; the rest (code, region, tier, credit limit, status, rep)
# are a manager's decision or have their own services.
PROFILE_FIELDS = (
    "name", "legal_entity", "address", "latitude", "longitude", "phone",
    "decision_maker", "decision_maker_phone", "influencer", "influencer_phone",
    "channel_types", "operating_model", "warehouse_area", "vehicles", "sales_staff",
    "other_brands", "other_industries", "other_industries_note", "notes",
)
COMMERCIAL_FIELDS = ("code", "region", "tier", "credit_limit")


def role_of(user) -> str | None:
    if user is None or not user.is_authenticated:
        return None
    return user.effective_role


def can(user, action: Action) -> bool:
    """Whether the user's role may perform `action` (on a dealer within their scope)."""
    return role_of(user) in PERMISSIONS[action]


def require(user, action: Action) -> None:
    """403 (PermissionDenied) unless the role may perform `action`."""
    if not can(user, action):
        raise PermissionDenied(ROLE_MAY_NOT)


def can_change_status(user, from_status: str, to_status: str) -> bool:
    role = role_of(user)
    if role in MANAGEMENT:
        return True
    return role == REP and (from_status, to_status) in REP_STATUS_CHANGES


def can_edit_fields(user, fields) -> bool:
    """Whether the role may write all of `fields` of a dealer."""
    fields = set(fields)
    if fields & set(COMMERCIAL_FIELDS) and not can(user, Action.EDIT_COMMERCIAL):
        return False
    return not fields or can(user, Action.EDIT_PROFILE)

"""The access policy: what each role may see, declared once, as tables.

Two questions decide what a person sees (SPEC "Who uses it", "Scope is given,
never taken"):

1. **Scope** — which part of the business is theirs. Every role has exactly one
   kind of scope, and every kind is *given* by an administrator or a manager:

   | scope kind          | given by                                           | roles                      |
   |---------------------|----------------------------------------------------|----------------------------|
   | everything          | the role itself                                    | HQ admin, finance, warehouse |
   | region subtrees     | HQ assigns regions to the user (`User.regions`)    | regional manager           |
   | assigned dealers    | HQ or a manager makes the user a dealer's rep      | sales rep                  |
   | own company         | HQ attaches the user to a dealer (`User.dealer`)   | dealer user                |

   Nothing a user creates widens it. A rep's *territory* — the regions used for
   anything placed by region (campaigns of a region, applications, market sizes,
   where the rep may record a new prospect) — is the regions of the dealers
   given to them: dealers that left the onboarding pipeline (only a manager's
   signature or decision moves them out) or that an admin or a manager assigned
   to them. A prospect the rep recorded themselves is theirs to work, but adds
   nothing to their territory (dealers.scope.territory_dealers).

2. **Visibility** — per area of the business, how much of the scope the role
   sees (`VISIBILITY` below): nothing, the rows within the scope, every row
   (the catalogue), the published part only (a dealer user sees signed
   contracts and live campaigns), or the rows assigned to them personally.

Every `*_queryset_for(user)` of every app reads these two tables through
`dealers.scope.scoped()`; aggregates (effects, totals, charts, exports) count
only rows those functions return. A new role is a `Role` member plus a row in
`ROLE_SCOPE` and a column in `VISIBILITY` (a test fails until every area has one).
What a role may *do* with what it sees stays in each app's permissions module.

This module imports no app but accounts: it is the bottom of the layering.
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import ImproperlyConfigured

from accounts.models import Role


class ScopeKind(StrEnum):
    EVERYTHING = "everything"
    REGIONS = "regions"  # the subtrees of the regions HQ assigned (User.regions)
    ASSIGNED_DEALERS = "assigned_dealers"  # the dealers whose rep the user is
    OWN_COMPANY = "own_company"  # the dealer the user belongs to (User.dealer)
    NOTHING = "nothing"


class Visibility(StrEnum):
    NONE = "none"  # never, whatever the scope
    ALL = "all"  # every row, whatever the scope (the catalogue, plans)
    SCOPE = "scope"  # the rows of the dealers / regions in the user's scope
    SCOPE_AND_ABOVE = "scope_and_above"  # ... and rows placed at a region above the territory
    SCOPE_OR_ASSIGNED = "scope_or_assigned"  # ... and rows assigned to or owned by the user
    PUBLISHED = "published"  # the published part of the rows in scope
    ASSIGNED = "assigned"  # only the rows assigned to the user personally


class Area(StrEnum):
    """The families of records the scope functions serve (one or more models each)."""

    DEALERS = "dealers"  # dealers, their contacts
    DEALER_INTERNAL = "dealer_internal"  # contact log, onboarding, evaluations, violations, history
    CONTRACTS = "contracts"
    APPLICATIONS = "applications"  # self-registration applications (placed by region)
    ORDERS = "orders"  # orders, payments, shipments
    PRODUCTS = "products"
    TIER_PRICES = "tier_prices"
    VISITS = "visits"  # visits, market checks, photos, plans
    STOCK_COUNTS = "stock_counts"  # stock counts and their suggested orders
    REQUESTS = "requests"  # dealer requests and commitments
    CAMPAIGNS = "campaigns"  # campaigns, their tasks, reviews and effect
    ATTENDEES = "attendees"  # attendees of campaigns (names, phones)
    LEADS = "leads"  # attendees with interest, worked by reps
    REBATE_STATEMENTS = "rebate_statements"  # statements and plan assignments
    REBATE_PLANS = "rebate_plans"
    QUESTIONS = "questions"  # dealer questions and answers
    SCORECARDS = "scorecards"  # the dealers on scorecards and dashboards
    MARKET_SIZES = "market_sizes"  # market sizes (placed by region)


ADMIN, MANAGER, REP, FINANCE, WAREHOUSE, DEALER = (
    Role.ADMIN, Role.MANAGER, Role.REP, Role.FINANCE, Role.WAREHOUSE, Role.DEALER,
)

ROLE_SCOPE: dict[str, ScopeKind] = {
    ADMIN: ScopeKind.EVERYTHING,
    MANAGER: ScopeKind.REGIONS,
    REP: ScopeKind.ASSIGNED_DEALERS,
    FINANCE: ScopeKind.EVERYTHING,
    WAREHOUSE: ScopeKind.EVERYTHING,
    DEALER: ScopeKind.OWN_COMPANY,
}

NONE, ALL, SCOPE = Visibility.NONE, Visibility.ALL, Visibility.SCOPE
ABOVE, OR_ASSIGNED = Visibility.SCOPE_AND_ABOVE, Visibility.SCOPE_OR_ASSIGNED
PUBLISHED, ASSIGNED = Visibility.PUBLISHED, Visibility.ASSIGNED

_COLUMNS = (ADMIN, MANAGER, REP, FINANCE, WAREHOUSE, DEALER)
# Read a row as: area → (admin, manager, rep, finance, warehouse, dealer user).
_TABLE: dict[Area, tuple[Visibility, ...]] = {
    #                            admin  manager      rep          finance  warehouse  dealer user
    Area.DEALERS:               (ALL,   SCOPE,       SCOPE,       ALL,     ALL,       SCOPE),
    Area.DEALER_INTERNAL:       (ALL,   SCOPE,       SCOPE,       ALL,     ALL,       NONE),
    Area.CONTRACTS:             (ALL,   SCOPE,       SCOPE,       ALL,     ALL,       PUBLISHED),
    Area.APPLICATIONS:          (ALL,   SCOPE,       ABOVE,       NONE,    NONE,      NONE),
    Area.ORDERS:                (ALL,   SCOPE,       SCOPE,       ALL,     ALL,       SCOPE),
    Area.PRODUCTS:              (ALL,   ALL,         ALL,         ALL,     ALL,       PUBLISHED),
    Area.TIER_PRICES:           (ALL,   ALL,         ALL,         ALL,     ALL,       PUBLISHED),
    Area.VISITS:                (ALL,   SCOPE,       SCOPE,       NONE,    NONE,      NONE),
    Area.STOCK_COUNTS:          (ALL,   SCOPE,       SCOPE,       NONE,    NONE,      SCOPE),
    Area.REQUESTS:              (ALL,   SCOPE,       OR_ASSIGNED, NONE,    NONE,      SCOPE),
    Area.CAMPAIGNS:             (ALL,   OR_ASSIGNED, OR_ASSIGNED, ALL,     ALL,       PUBLISHED),
    Area.ATTENDEES:             (ALL,   SCOPE,       SCOPE,       NONE,    NONE,      NONE),
    Area.LEADS:                 (ALL,   SCOPE,       ASSIGNED,    NONE,    NONE,      NONE),
    Area.REBATE_STATEMENTS:     (ALL,   SCOPE,       SCOPE,       ALL,     NONE,      SCOPE),
    Area.REBATE_PLANS:          (ALL,   ALL,         ALL,         ALL,     NONE,      PUBLISHED),
    Area.QUESTIONS:             (ALL,   SCOPE,       SCOPE,       NONE,    NONE,      SCOPE),
    Area.SCORECARDS:            (ALL,   SCOPE,       SCOPE,       NONE,    NONE,      NONE),
    Area.MARKET_SIZES:          (ALL,   SCOPE,       SCOPE,       NONE,    NONE,      NONE),
}

VISIBILITY: dict[Area, dict[str, Visibility]] = {
    area: dict(zip(_COLUMNS, row, strict=True)) for area, row in _TABLE.items()
}


def role_of(user) -> str | None:
    """The role that decides access (a superuser is HQ admin); None when signed out or deactivated."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return user.effective_role


def scope_kind(user) -> ScopeKind:
    """The kind of scope the user's role is given (NOTHING when signed out)."""
    role = role_of(user)
    if role is None:
        return ScopeKind.NOTHING
    try:
        return ROLE_SCOPE[role]
    except KeyError as error:
        raise ImproperlyConfigured(f"accounts.policy.ROLE_SCOPE has no row for the role {role!r}.") from error


def visibility(user, area: Area) -> Visibility:
    """How much of `area` the user's role sees (NONE when signed out)."""
    role = role_of(user)
    if role is None:
        return Visibility.NONE
    try:
        return VISIBILITY[area][role]
    except KeyError as error:
        raise ImproperlyConfigured(f"accounts.policy.VISIBILITY has no entry for {area!r} and {role!r}.") from error


def sees(user, area: Area) -> bool:
    """Whether the user's role sees anything of `area` (menus, pages that are all-or-nothing)."""
    return visibility(user, area) != Visibility.NONE


def sees_everything(user, area: Area) -> bool:
    """Whether the user sees every row of `area`, so that no filter is needed."""
    seen = visibility(user, area)
    return seen == Visibility.ALL or (
        scope_kind(user) == ScopeKind.EVERYTHING and seen in (SCOPE, ABOVE, OR_ASSIGNED)
    )


def is_dealer_user(user) -> bool:
    """A dealer's own user (signed in), as opposed to the manufacturer's people."""
    return role_of(user) == Role.DEALER

"""The dealer status lifecycle as a pure transition table (SPEC §1).

    prospect → negotiating → active ⇄ suspended → terminated

Two exits are added to the diagram, because the business needs them:
- a prospect or a negotiation that comes to nothing is closed as `terminated`
  (the reason says "lost"), so it leaves the pipeline but its history stays;
- an active dealer can be terminated at once (a violation's outcome may be
  termination), without being suspended first.

`negotiating → active` happens only when a contract is signed
(`dealers.services.contract_sign`); a plain status change cannot activate a dealer
that has never signed. No ORM here: the services and the tests use the table.
"""

from __future__ import annotations

PROSPECT = "prospect"
NEGOTIATING = "negotiating"
ACTIVE = "active"
SUSPENDED = "suspended"
TERMINATED = "terminated"

STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    PROSPECT: frozenset({NEGOTIATING, TERMINATED}),
    NEGOTIATING: frozenset({ACTIVE, PROSPECT, TERMINATED}),
    ACTIVE: frozenset({SUSPENDED, TERMINATED}),
    SUSPENDED: frozenset({ACTIVE, TERMINATED}),
    TERMINATED: frozenset(),
}

# Statuses of a dealer still in the onboarding pipeline.
PIPELINE_STATUSES = frozenset({PROSPECT, NEGOTIATING})
# Moves that only the signing of a contract makes.
SIGNING_ONLY = frozenset({(NEGOTIATING, ACTIVE)})
# Statuses from which signing a contract activates the dealer (a prospect may sign at once).
SIGNING_ACTIVATES_FROM = frozenset({PROSPECT, NEGOTIATING})


def can_transition(from_status: str, to_status: str) -> bool:
    """Whether the lifecycle allows `from_status → to_status`."""
    return to_status in STATUS_TRANSITIONS.get(from_status, frozenset())


def allowed_targets(from_status: str, *, by_signing: bool = False) -> list[str]:
    """The statuses a dealer may move to by a status change (or by signing a contract)."""
    if by_signing:
        return [ACTIVE] if from_status in SIGNING_ACTIVATES_FROM else []
    order = [PROSPECT, NEGOTIATING, ACTIVE, SUSPENDED, TERMINATED]
    return [
        status for status in order
        if can_transition(from_status, status) and (from_status, status) not in SIGNING_ONLY
    ]

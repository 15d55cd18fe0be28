"""Writes of the dealers app, one module per sub-domain: dealers, their status and
rep (dealers), contacts and the contact log (contacts), the onboarding pipeline
(onboarding), contracts and their reminders (contracts), evaluations, criteria
and grade thresholds (evaluations), market violations (violations), self-registration
(applications) and the new dealer user's invitation (invitations); the messages
they raise are in messages. Every public name is re-exported here, so
`from dealers import services` and `services.dealer_create(...)` keep working.

Views, API endpoints and tasks call these; each validates in full before it
writes, runs in one transaction, and records who did what. Bad input raises
ValidationError (400 / form errors); a change the current state does not allow
raises StateConflict (409).
"""

from dealers.services.applications import (
    application_approve,
    application_default_rep,
    application_rate_limited,
    application_reject,
    application_review,
    application_submit,
)
from dealers.services.contacts import (
    contact_delete,
    contact_log_create,
    contact_save,
)
from dealers.services.contracts import (
    contract_create,
    contract_end_reminders_send,
    contract_sign,
    contract_update,
)
from dealers.services.dealers import (
    NO_CHANGE,
    dealer_assign_rep,
    dealer_create,
    dealer_edit,
    dealer_status_change,
    dealer_update,
    dealers_reassign,
)
from dealers.services.evaluations import (
    CRITERION_CODE_TAKEN,
    CRITERION_FIELDS,
    evaluation_create,
    evaluation_criterion_create,
    evaluation_criterion_update,
    grade_thresholds_update,
)
from dealers.services.invitations import (
    dealer_invitation_send,
    dealer_user_invite,
)
from dealers.services.messages import (
    ACTIVATE_BY_SIGNING,
    APPLICATION_NEEDS_REP,
    APPLICATION_NEEDS_REVIEW,
    APPLICATION_NOT_OPEN,
    APPLICATION_NOT_SUBMITTED,
    CONTACT_IN_FUTURE,
    CONTRACT_ALREADY_SIGNED,
    CONTRACT_NOT_DRAFT,
    DEALER_TERMINATED,
    FOUND_IN_FUTURE,
    MISSING_SCORES,
    NO_CRITERIA,
    NOT_AN_ACTIVE_REP,
    ONBOARDING_FINISHED,
    OUTCOME_REQUIRED,
    REASON_REQUIRED,
    REGION_OUT_OF_SCOPE,
    REP_UNCHANGED,
    SAME_REP,
    SCORE_OUT_OF_RANGE,
    SIGNED_BY_CONTRACT,
    STATUS_AND_REP_HAVE_SERVICES,
    STATUS_NOT_ALLOWED,
    STATUS_UNCHANGED,
    UNKNOWN_CRITERIA,
    USERNAME_TAKEN,
    VIOLATION_DECIDED,
)
from dealers.services.onboarding import (
    onboarding_document_save,
    onboarding_update,
    prospects_going_cold_notify,
)
from dealers.services.shared import (
    FUTURE_TOLERANCE,
)
from dealers.services.violations import (
    violation_add_photos,
    violation_create,
    violation_decide,
    violation_update,
)

__all__ = [
    "ACTIVATE_BY_SIGNING",
    "APPLICATION_NEEDS_REP",
    "APPLICATION_NEEDS_REVIEW",
    "APPLICATION_NOT_OPEN",
    "APPLICATION_NOT_SUBMITTED",
    "CONTACT_IN_FUTURE",
    "CONTRACT_ALREADY_SIGNED",
    "CONTRACT_NOT_DRAFT",
    "CRITERION_CODE_TAKEN",
    "CRITERION_FIELDS",
    "DEALER_TERMINATED",
    "FOUND_IN_FUTURE",
    "FUTURE_TOLERANCE",
    "MISSING_SCORES",
    "NOT_AN_ACTIVE_REP",
    "NO_CRITERIA",
    "ONBOARDING_FINISHED",
    "OUTCOME_REQUIRED",
    "REASON_REQUIRED",
    "REGION_OUT_OF_SCOPE",
    "REP_UNCHANGED",
    "SAME_REP",
    "SCORE_OUT_OF_RANGE",
    "SIGNED_BY_CONTRACT",
    "STATUS_AND_REP_HAVE_SERVICES",
    "STATUS_NOT_ALLOWED",
    "STATUS_UNCHANGED",
    "UNKNOWN_CRITERIA",
    "USERNAME_TAKEN",
    "VIOLATION_DECIDED",
    "application_approve",
    "application_default_rep",
    "application_rate_limited",
    "application_reject",
    "application_review",
    "application_submit",
    "contact_delete",
    "contact_log_create",
    "contact_save",
    "contract_create",
    "contract_end_reminders_send",
    "contract_sign",
    "contract_update",
    "dealer_assign_rep",
    "dealer_create",
    "NO_CHANGE",
    "dealer_edit",
    "dealer_invitation_send",
    "dealer_status_change",
    "dealer_update",
    "dealer_user_invite",
    "dealers_reassign",
    "evaluation_create",
    "evaluation_criterion_create",
    "evaluation_criterion_update",
    "grade_thresholds_update",
    "onboarding_document_save",
    "onboarding_update",
    "prospects_going_cold_notify",
    "violation_add_photos",
    "violation_create",
    "violation_decide",
    "violation_update",
]

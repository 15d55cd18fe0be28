"""Pages of visits, phone first, one module per sub-domain the way dealers/views/
is: the rep's day, the list and an ad hoc visit (day), the visit page and its
photos (detail), the steps of a visit (steps), the manager's review (review),
visit plans (plans), dealers' requests and commitments (dealer_requests) and
the reps' discipline (discipline); what they share is in helpers. Every view is
re-exported here, so visits/urls.py keeps `views.visit_detail`.

Every page starts from a scope function in visits.selectors (outside it: 404),
asks visits.permissions what the user may do (else 403), and hands writes to
visits.services.
"""

from visits.views.day import (
    today,
    visit_create,
    visit_list,
)
from visits.views.dealer_requests import (
    request_create,
    request_decide,
    request_detail,
    request_done,
    request_escalate,
    request_list,
)
from visits.views.detail import (
    notes_form_for,
    visit_detail,
    visit_photo,
)
from visits.views.discipline import (
    discipline,
)
from visits.views.helpers import (
    PAGE_SIZE,
)
from visits.views.plans import (
    plan_edit,
)
from visits.views.review import (
    visit_review,
)
from visits.views.steps import (
    market_check,
    observation_violation,
    visit_cancel,
    visit_complete,
    visit_notes,
    visit_photo_add,
    visit_reschedule,
    visit_start,
)

__all__ = [
    "PAGE_SIZE",
    "discipline",
    "market_check",
    "notes_form_for",
    "observation_violation",
    "plan_edit",
    "request_create",
    "request_decide",
    "request_detail",
    "request_done",
    "request_escalate",
    "request_list",
    "today",
    "visit_cancel",
    "visit_complete",
    "visit_create",
    "visit_detail",
    "visit_list",
    "visit_notes",
    "visit_photo",
    "visit_photo_add",
    "visit_reschedule",
    "visit_review",
    "visit_start",
]

"""Pages of promotions, phone first, one module per sub-domain the way dealers/views/
is: campaigns (list, form, page, status steps), the preparation checklist
(preparation), attendees and their export (attendees), leads, their assignment and
follow-up (leads), the review and the effect (review); what they share is in helpers.
Every view is re-exported here, so promotions/urls.py keeps `views.campaign_list`.

Every page starts from a scope function in promotions.selectors (outside it: 404),
asks promotions.permissions what the user may do (else 403), and hands writes to
promotions.services.
"""

from promotions.views.attendees import (
    LEAD_COLUMNS,
    RECENT_ATTENDEES,
    attendee_edit,
    attendees,
    attendees_import,
    leads_export,
)
from promotions.views.campaigns import (
    ACTION_DONE,
    campaign_create,
    campaign_detail,
    campaign_edit,
    campaign_list,
    campaign_transition,
)
from promotions.views.helpers import (
    PAGE_SIZE,
)
from promotions.views.leads import (
    assign,
    lead_detail,
    my_leads,
)
from promotions.views.preparation import (
    task_add,
    task_toggle,
)
from promotions.views.review import (
    effect,
    review,
)

__all__ = [
    "ACTION_DONE",
    "LEAD_COLUMNS",
    "PAGE_SIZE",
    "RECENT_ATTENDEES",
    "assign",
    "attendee_edit",
    "attendees",
    "attendees_import",
    "campaign_create",
    "campaign_detail",
    "campaign_edit",
    "campaign_list",
    "campaign_transition",
    "effect",
    "lead_detail",
    "leads_export",
    "my_leads",
    "review",
    "task_add",
    "task_toggle",
]

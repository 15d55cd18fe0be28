"""The messages the dealers services raise (shown on forms and in API errors)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

STATUS_NOT_ALLOWED = _("A dealer cannot go from “%(from)s” to “%(to)s”.")
STATUS_UNCHANGED = _("The dealer already has this status.")
ACTIVATE_BY_SIGNING = _("A dealer in negotiation becomes active when its contract is signed.")
REASON_REQUIRED = _("Give a reason.")
NOT_AN_ACTIVE_REP = _("Choose an active sales rep.")
REP_UNCHANGED = _("This rep is already responsible for the dealer.")
SAME_REP = _("Choose a different rep to hand the dealers to.")
REGION_OUT_OF_SCOPE = _("Choose a region within your territory.")
STATUS_AND_REP_HAVE_SERVICES = _("Change the status and the rep with their own actions.")
CONTACT_IN_FUTURE = _("A contact cannot be logged in the future.")
ONBOARDING_FINISHED = _("This dealer is no longer in the onboarding pipeline.")
SIGNED_BY_CONTRACT = _("A prospect reaches “contract signed” by signing its contract.")
CONTRACT_NOT_DRAFT = _("A signed contract cannot be changed.")
CONTRACT_ALREADY_SIGNED = _("This contract is already signed.")
DEALER_TERMINATED = _("The dealer is terminated.")
UNKNOWN_CRITERIA = _("Unknown criterion code: %(codes)s.")
SCORE_OUT_OF_RANGE = _("The score for %(code)s must be a whole number from 1 to 5.")
MISSING_SCORES = _("Score every criterion; missing: %(codes)s.")
NO_CRITERIA = _("There are no active evaluation criteria.")
FOUND_IN_FUTURE = _("The time found cannot be in the future.")
VIOLATION_DECIDED = _("The outcome of this violation has already been decided.")
OUTCOME_REQUIRED = _("Choose an outcome.")
APPLICATION_NOT_OPEN = _("This application has already been decided.")
APPLICATION_NOT_SUBMITTED = _("This application has already had its first review.")
APPLICATION_NEEDS_REVIEW = _("Only an open application can be approved.")
APPLICATION_NEEDS_REP = _("Choose the rep who will look after this dealer: no rep reviewed this application.")
USERNAME_TAKEN = _("This username is taken; choose another one.")

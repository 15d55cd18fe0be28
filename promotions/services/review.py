"""The campaign review (objective against actual, lessons)."""

import logging
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import User
from common.exceptions import StateConflict
from promotions import permissions
from promotions.models import (
    MEASURED_OBJECTIVES,
    Campaign,
    CampaignReview,
    CampaignStatus,
)
from promotions.selectors import objective_result
from promotions.services.campaigns import _move
from promotions.services.messages import (
    MAY_NOT,
    REVIEW_ACTUAL_NEGATIVE,
    REVIEW_ACTUAL_REQUIRED,
    REVIEW_ONLY_WHEN_ENDED,
    REVIEW_PART_REQUIRED,
)

logger = logging.getLogger(__name__)


# --- The review --------------------------------------------------------------------------------
@transaction.atomic
def campaign_review_write(
    *, campaign: Campaign, by: User, what_worked: str, what_did_not_work: str, lessons: str,
    objective_actual: Decimal | int | str | None = None,
) -> CampaignReview:
    """Write the review and close the campaign (ended → reviewed) in one step.

    The actual is measured where the app can (sell-in volume or amount, leads,
    attendees) and entered by the writer otherwise (new dealers signed).
    """
    campaign = Campaign.objects.select_for_update().select_related("owner").get(pk=campaign.pk)
    if not permissions.can_manage(by, campaign):
        raise PermissionDenied(MAY_NOT)
    if campaign.status != CampaignStatus.ENDED:
        raise StateConflict(REVIEW_ONLY_WHEN_ENDED % {"status": campaign.get_status_display()})
    texts = {"what_worked": what_worked, "what_did_not_work": what_did_not_work, "lessons": lessons}
    texts = {name: (value or "").strip() for name, value in texts.items()}
    errors: dict[str, list] = {name: [REVIEW_PART_REQUIRED] for name, value in texts.items() if not value}
    if campaign.objective_kind in MEASURED_OBJECTIVES:
        actual = objective_result(campaign=campaign, user=None).actual  # the whole campaign's result
    else:
        try:
            actual = None if objective_actual in (None, "") else Decimal(str(objective_actual))
        except InvalidOperation:
            actual = None
        if actual is None:
            errors["objective_actual"] = [REVIEW_ACTUAL_REQUIRED]
        elif actual < 0:
            errors["objective_actual"] = [REVIEW_ACTUAL_NEGATIVE]
    review = CampaignReview(campaign=campaign, objective_actual=actual or Decimal(0), written_by=by, **texts)
    try:
        review.full_clean(exclude=[*errors.keys(), "campaign", "written_by"], validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, messages)
    if errors:
        raise ValidationError(errors)
    review.save()
    _move(campaign, CampaignStatus.REVIEWED, by=by)
    return review

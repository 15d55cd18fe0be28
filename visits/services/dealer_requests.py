"""Dealers' requests and commitments (事事有回音): recorded, escalated, decided, done, the dealer told."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.selectors import managers_for_region
from common.exceptions import StateConflict
from dealers.models import Dealer
from notifications.services import notification_deliver_in_language
from visits.models import DealerRequest, RequestStatus, Visit
from visits.services.messages import (
    ANSWER_REQUIRED,
    CANNOT_CLOSE,
    CANNOT_DECIDE,
    CANNOT_ESCALATE,
    DESCRIPTION_REQUIRED,
    DUE_IN_PAST,
    NO_MANAGER,
    OWNER_NOT_STAFF,
    REASON_REQUIRED,
    VISIT_OF_ANOTHER_DEALER,
)
from visits.services.shared import _request_url

# --- requests and commitments (事事有回音) ---------------------------------------------------

def _tell_dealer(request: DealerRequest, *, key: str) -> None:
    url = reverse("portal:home")
    for user in User.objects.filter(role=Role.DEALER, dealer_id=request.dealer_id, is_active=True):
        notification_deliver_in_language(recipient=user, key=f"request:{request.pk}:{key}", kind="request", url=url,
                                         title=_("Answer to your request: %(status)s"), body=request.answer,
                                         status=request.get_status_display())


@transaction.atomic
def dealer_request_create(
    *, dealer: Dealer, by: User, description: str, due_on: datetime.date, owner: User | None = None,
    visit: Visit | None = None, beyond_authority: bool = False,
) -> DealerRequest:
    """Record a dealer's request or a commitment, with an owner (default: the rep
    who records it, else the dealer's rep) and a due date. Beyond the rep's
    authority it goes straight to the manager."""
    errors = {}
    if not (description or "").strip():
        errors["description"] = DESCRIPTION_REQUIRED
    if due_on is None or due_on < timezone.localdate():
        errors["due_on"] = DUE_IN_PAST
    if visit is not None and visit.dealer_id != dealer.pk:
        errors["visit"] = VISIT_OF_ANOTHER_DEALER
    owner = owner or (by if by.effective_role == Role.REP else dealer.rep) or by
    if owner.role not in (Role.REP, Role.MANAGER, Role.ADMIN) or not owner.is_active:
        errors["owner"] = OWNER_NOT_STAFF
    if errors:
        raise ValidationError(errors)
    request = DealerRequest(
        dealer=dealer, visit=visit, description=description.strip(), owner=owner, due_on=due_on, created_by=by,
        beyond_authority=beyond_authority,
    )
    request.full_clean()
    request.save()
    if beyond_authority:
        request = dealer_request_escalate(request=request, by=by)
    return request


@transaction.atomic
def dealer_request_escalate(*, request: DealerRequest, by: User) -> DealerRequest:
    """Beyond the rep's authority: to the first manager overseeing the dealer's region."""
    request = DealerRequest.objects.select_for_update(of=("self",)).select_related("dealer__region").get(pk=request.pk)
    if request.status != RequestStatus.OPEN:
        raise StateConflict(CANNOT_ESCALATE)
    manager = managers_for_region(request.dealer.region).first() if request.dealer.region_id else None
    if manager is None:
        raise ValidationError({"beyond_authority": NO_MANAGER})
    request.status, request.beyond_authority = RequestStatus.ESCALATED, True
    request.escalated_to, request.escalated_at = manager, timezone.now()
    request.save(update_fields=["status", "beyond_authority", "escalated_to", "escalated_at"])
    notification_deliver_in_language(recipient=manager, key=f"request:{request.pk}:escalated", kind="request", url=_request_url(request),
                                     title=_("Request to decide: %(dealer)s"), body=request.description, dealer=request.dealer.name)
    return request


@transaction.atomic
def dealer_request_decide(*, request: DealerRequest, by: User, approve: bool, answer: str) -> DealerRequest:
    """The manager approves or declines an escalated request; a decline needs a
    reason. The dealer and the owner are told."""
    answer = (answer or "").strip()
    if not approve and not answer:
        raise ValidationError({"answer": REASON_REQUIRED})
    request = DealerRequest.objects.select_for_update(of=("self",)).select_related("dealer").get(pk=request.pk)
    if request.status != RequestStatus.ESCALATED:
        raise StateConflict(CANNOT_DECIDE)
    request.status = RequestStatus.APPROVED if approve else RequestStatus.DECLINED
    request.answer = answer or str(_("Approved."))
    request.decided_by, request.decided_at = by, timezone.now()
    if not approve:
        request.closed_at = request.decided_at
    request.save(update_fields=["status", "answer", "decided_by", "decided_at", "closed_at"])
    _tell_dealer(request, key=request.status)
    if request.owner_id != by.pk:
        notification_deliver_in_language(recipient=request.owner, key=f"request:{request.pk}:{request.status}", kind="request", url=_request_url(request),
                                         title=_("Request %(status)s: %(dealer)s"), body=request.answer,
                                         status=request.get_status_display(), dealer=request.dealer.name)
    return request


@transaction.atomic
def dealer_request_done(*, request: DealerRequest, by: User, answer: str) -> DealerRequest:
    """The owner closes the loop: done, with the answer the dealer sees."""
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": ANSWER_REQUIRED})
    request = DealerRequest.objects.select_for_update(of=("self",)).select_related("dealer").get(pk=request.pk)
    if request.status not in (RequestStatus.OPEN, RequestStatus.APPROVED):
        raise StateConflict(CANNOT_CLOSE)
    request.status, request.answer, request.closed_at = RequestStatus.DONE, answer, timezone.now()
    request.save(update_fields=["status", "answer", "closed_at"])
    _tell_dealer(request, key="done")
    return request

"""Dealers: create and change them, their status (dealers.lifecycle) and their responsible rep."""

from __future__ import annotations

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common.audit import acting, audit_log_changes
from dealers import lifecycle
from dealers.models import Dealer, DealerStatus, DealerStatusChange, Onboarding, RepAssignment
from dealers.selectors import dealer_queryset_for, region_in_scope
from dealers.services.messages import (
    ACTIVATE_BY_SIGNING,
    NOT_AN_ACTIVE_REP,
    REASON_REQUIRED,
    REGION_OUT_OF_SCOPE,
    REP_UNCHANGED,
    SAME_REP,
    STATUS_AND_REP_HAVE_SERVICES,
    STATUS_NOT_ALLOWED,
    STATUS_UNCHANGED,
)
from dealers.services.shared import _dealer_url, _is_active_rep
from notifications.services import notification_deliver_in_language


def _generated_code(dealer: Dealer) -> str:
    return f"DL{dealer.pk:06d}"


@acting("created_by")
@transaction.atomic
def dealer_create(
    *, created_by: User, name: str, region, code: str = "", rep: User | None = None,
    status: str = DealerStatus.PROSPECT, source: str = "", next_follow_up_on: date | None = None,
    region_given: bool = False, **fields,
) -> Dealer:
    """Create a dealer (or prospect) with its first history rows; a dealer entering
    the pipeline gets its onboarding record. An empty code is generated ("DL000042").

    The region must lie in the creator's territory, unless `region_given`: the region
    comes from what a manager gave the creator (a campaign's lead assigned to a rep
    becomes a prospect in the campaign's region). Either way the new prospect widens
    nothing: a rep's territory is made of the dealers given to them."""
    if not region_given and not region_in_scope(user=created_by, region=region):
        raise ValidationError({"region": REGION_OUT_OF_SCOPE})
    if rep is not None and not _is_active_rep(rep):
        raise ValidationError({"rep": NOT_AN_ACTIVE_REP})
    dealer = Dealer(name=name, region=region, rep=rep, status=status, code=code or f"new-{uuid.uuid4().hex[:20]}", **fields)
    dealer.full_clean()
    dealer.save()
    if not code:
        dealer.code = _generated_code(dealer)
        dealer.save(update_fields=["code"])
    DealerStatusChange.objects.create(
        dealer=dealer, from_status="", to_status=status, changed_by=created_by, reason=gettext("Created")
    )
    if rep is not None:
        RepAssignment.objects.create(dealer=dealer, to_rep=rep, assigned_by=created_by, reason=gettext("Created"))
        if rep != created_by:
            notification_deliver_in_language(recipient=rep, key=f"dealer:{dealer.pk}:assigned:created", kind="dealer_assigned", url=_dealer_url(dealer),
                                             title=_("A dealer was assigned to you: %(dealer)s"), dealer=dealer.name)
    if status in lifecycle.PIPELINE_STATUSES:
        onboarding = Onboarding(dealer=dealer, source=source, next_follow_up_on=next_follow_up_on)
        onboarding.full_clean(exclude=["dealer"])
        onboarding.save()
    return dealer


@acting("updated_by")
@transaction.atomic
def dealer_update(*, dealer: Dealer, updated_by: User, **fields) -> Dealer:
    """Change a dealer's record (profile and commercial fields; not status or rep)."""
    if {"status", "rep"} & set(fields):
        raise ValidationError(STATUS_AND_REP_HAVE_SERVICES)
    dealer = Dealer.objects.select_for_update().get(pk=dealer.pk)
    region = fields.get("region")
    if region is not None and region.pk != dealer.region_id and not region_in_scope(user=updated_by, region=region):
        raise ValidationError({"region": REGION_OUT_OF_SCOPE})
    for name, value in fields.items():
        setattr(dealer, name, value)
    dealer.full_clean()
    dealer.save()
    return dealer


NO_CHANGE = object()  # dealer_edit: the rep was not sent


@transaction.atomic
def dealer_edit(
    *, dealer: Dealer, edited_by: User, fields: dict, rep: User | None | object = NO_CHANGE, rep_reason: str = "",
    to_status: str = "", status_reason: str = "",
) -> Dealer:
    """One edit of a dealer with its profile fields, its rep and its status together
    (the API's PATCH): each part through its own service, all of it or nothing."""
    if fields:
        dealer_update(dealer=dealer, updated_by=edited_by, **fields)
    if rep is not NO_CHANGE:
        if rep is None:
            raise ValidationError({"rep": NOT_AN_ACTIVE_REP})
        if rep.pk != dealer.rep_id:
            dealer_assign_rep(dealer=dealer, rep=rep, assigned_by=edited_by, reason=rep_reason)
    if to_status and to_status != dealer.status:
        dealer_status_change(dealer=dealer, to_status=to_status, changed_by=edited_by, reason=status_reason)
    return dealer


@acting("changed_by")
@transaction.atomic
def dealer_status_change(
    *, dealer: Dealer, to_status: str, changed_by: User | None, reason: str = "", by_signing: bool = False
) -> DealerStatusChange:
    """Move a dealer along its lifecycle (see dealers.lifecycle) and record who, when, from, to and why."""
    dealer = Dealer.objects.select_for_update().get(pk=dealer.pk)
    from_status = dealer.status
    if to_status == from_status:
        raise ValidationError({"status": STATUS_UNCHANGED})
    if to_status not in lifecycle.allowed_targets(from_status, by_signing=by_signing):
        message = ACTIVATE_BY_SIGNING if (from_status, to_status) in lifecycle.SIGNING_ONLY else STATUS_NOT_ALLOWED
        raise ValidationError({"status": ValidationError(message, params={
            "from": DealerStatus(from_status).label, "to": DealerStatus(to_status).label if to_status in DealerStatus.values else to_status,
        })})
    if not reason.strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    dealer.status = to_status
    dealer.save(update_fields=["status", "updated_at"])
    change = DealerStatusChange.objects.create(
        dealer=dealer, from_status=from_status, to_status=to_status, changed_by=changed_by, reason=reason.strip()
    )
    if dealer.rep_id and dealer.rep_id != getattr(changed_by, "pk", None):
        notification_deliver_in_language(recipient=dealer.rep, key=f"dealer:{dealer.pk}:status:{change.pk}", kind="dealer_status", url=_dealer_url(dealer),
                                         title=_("%(dealer)s is now “%(status)s”"), body=_("Reason: %(reason)s"),
                                         dealer=dealer.name, status=DealerStatus(to_status).label, reason=change.reason)
    return change


def _validate_new_rep(rep) -> None:
    if not _is_active_rep(rep):
        raise ValidationError({"rep": NOT_AN_ACTIVE_REP})


@acting("assigned_by")
@transaction.atomic
def dealer_assign_rep(*, dealer: Dealer, rep: User, assigned_by: User, reason: str) -> RepAssignment:
    """Make `rep` responsible for the dealer (a prospect's owner changes only this way), with history."""
    _validate_new_rep(rep)
    if not (reason or "").strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    dealer = Dealer.objects.select_for_update().get(pk=dealer.pk)
    if dealer.rep_id == rep.pk:
        raise ValidationError({"rep": REP_UNCHANGED})
    assignment = RepAssignment.objects.create(
        dealer=dealer, from_rep_id=dealer.rep_id, to_rep=rep, assigned_by=assigned_by, reason=reason.strip()
    )
    dealer.rep = rep
    dealer.save(update_fields=["rep", "updated_at"])
    notification_deliver_in_language(recipient=rep, key=f"dealer:{dealer.pk}:assigned:{assignment.pk}", kind="dealer_assigned", url=_dealer_url(dealer),
                                     title=_("A dealer was assigned to you: %(dealer)s"), body=_("Reason: %(reason)s"),
                                     dealer=dealer.name, reason=assignment.reason)
    return assignment


@acting("assigned_by")
@transaction.atomic
def dealers_reassign(*, from_rep: User, to_rep: User, assigned_by: User, reason: str) -> int:
    """Hand every dealer and prospect of `from_rep` that `assigned_by` may see to
    `to_rep` (a rep leaves: the data stays with the company). Returns how many moved."""
    _validate_new_rep(to_rep)
    if from_rep is None or from_rep.pk == to_rep.pk:
        raise ValidationError({"to_rep": SAME_REP})
    if not (reason or "").strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    dealer_ids = list(
        dealer_queryset_for(assigned_by).filter(rep=from_rep).select_for_update(of=("self",))
        .order_by("pk").values_list("pk", flat=True)
    )
    if not dealer_ids:
        return 0
    now = timezone.now()
    Dealer.objects.filter(pk__in=dealer_ids).update(rep=to_rep, updated_at=now)
    audit_log_changes(instances=Dealer.objects.filter(pk__in=dealer_ids), changes={"rep": (from_rep, to_rep)})
    assignments = RepAssignment.objects.bulk_create([
        RepAssignment(dealer_id=pk, from_rep=from_rep, to_rep=to_rep, assigned_by=assigned_by,
                      assigned_at=now, reason=reason.strip())
        for pk in dealer_ids
    ])
    key = f"dealers:reassigned:{from_rep.pk}:{now.isoformat()}"
    if assignments and assignments[0].pk:
        key = f"dealers:reassigned:{assignments[0].pk}"
    notification_deliver_in_language(recipient=to_rep, key=key, kind="dealer_assigned", url=reverse("dealers:list") + f"?rep={to_rep.pk}",
                                     title=_("%(count)s dealers were handed to you from %(rep)s"), body=_("Reason: %(reason)s"),
                                     count=len(dealer_ids), rep=str(from_rep), reason=reason.strip())
    return len(dealer_ids)

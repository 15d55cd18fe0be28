"""Dealers created or updated by code, many at once: the dealers import and the
ERP sync (`PUT /api/v1/dealers/by-code/{code}/` and its bulk form) call
`dealers_upsert`. It applies the same rules as the one-dealer services
(dealers.services): the model's validation, a responsible rep must be an active
sales rep, a status moves only along the lifecycle (dealers.lifecycle), and every
new status and rep is recorded with who, when and why. It plans every row first
(common.upsert) and writes only when none has an error, with a fixed number of
queries per batch whatever its size.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from common.upsert import BulkInvalid, Outcome, RowResult, apply_changes, mark_repeated_keys, model_errors
from dealers import lifecycle
from dealers.models import Dealer, DealerStatus, DealerStatusChange, Onboarding, RepAssignment
from dealers.selectors import region_in_scope
from dealers.services import NOT_AN_ACTIVE_REP, REGION_OUT_OF_SCOPE, STATUS_NOT_ALLOWED
from notifications.services import notification_deliver_in_language

CODE_REQUIRED = _("Give the dealer's code.")
REGION_REQUIRED = _("Give the dealer's region.")
STATUS_UNKNOWN = _("Unknown status “%(status)s”.")
CONCURRENT_CHANGE = _("Someone changed the same dealers at the same time; try again.")
DEFAULT_REASON = _("Imported")

# What a row may set besides `code` (its key), `status` and `rep`.
DEALER_FIELDS = (
    "name", "legal_entity", "region", "address", "phone", "decision_maker", "decision_maker_phone", "tier",
    "credit_limit", "channel_types", "operating_model",
)
# A dealer new to the CRM that an ERP or a file sends is a customer already.
DEFAULT_STATUS = DealerStatus.ACTIVE


def _is_active_rep(user) -> bool:
    return user is not None and user.is_active and user.role == Role.REP


def dealers_upsert(
    *, rows: Sequence[Mapping], by: User, dry_run: bool = False, reason: str = "", seen: dict | None = None,
    notify: bool = True,
) -> list[RowResult]:
    """Create or update dealers by code; one RowResult per row.

    A row is `{"code": ..., <any of DEALER_FIELDS>, "status": ..., "rep": User | None}`
    with `region` a Region. Fields left out keep their value (a new dealer: the
    model's defaults; status `active`); `rep` None leaves an existing dealer's rep
    as it is. Raises BulkInvalid (nothing saved) when any row has an error; with
    `dry_run` only plans. `seen` carries the codes of earlier batches of one file.
    Each rep who gets dealers is told once per call; a caller that saves many
    batches passes `notify=False` and calls `dealers_assigned_notify` at the end
    with `assigned_reps(results)` of every batch.
    """
    if dry_run:
        return _plan(rows=rows, by=by, seen=seen, lock=False)
    with transaction.atomic():
        results = _plan(rows=rows, by=by, seen=seen, lock=True)
        if any(result.errors for result in results):
            raise BulkInvalid(results)
        _write(results, by=by, reason=str(reason or DEFAULT_REASON))
        if notify:
            dealers_assigned_notify(assigned=assigned_reps(results), by=by)
    return results


def assigned_reps(results: Sequence[RowResult]) -> dict[int, list[int]]:
    """{rep id: ids of the dealers these results gave them} (new dealers with a rep, changed reps)."""
    assigned: dict[int, list[int]] = defaultdict(list)
    for result in results:
        dealer = result.instance
        if dealer is None or not dealer.rep_id or result.errors:
            continue
        if result.outcome == Outcome.CREATE or "rep" in result.changed:
            assigned[dealer.rep_id].append(dealer.pk)
    return assigned


def _plan(*, rows: Sequence[Mapping], by: User, seen: dict | None, lock: bool) -> list[RowResult]:
    results = [RowResult(index=index, key=str(row.get("code") or "").strip()) for index, row in enumerate(rows)]
    for result in results:
        if not result.key:
            result.add_error("code", CODE_REQUIRED)
    mark_repeated_keys(results, column="code", first_rows=seen)
    codes = [result.key for result in results if result.key]
    dealers = Dealer.objects.all()
    if lock:
        dealers = dealers.select_for_update()
    existing = dealers.in_bulk(codes, field_name="code")
    for result, row in zip(results, rows, strict=True):
        if result.errors:
            continue
        values = {name: row[name] for name in DEALER_FIELDS if name in row}
        if isinstance(values.get("name"), str):
            values["name"] = values["name"].strip()
        dealer = existing.get(result.key)
        status = row.get("status") or None
        rep = row.get("rep")
        if status is not None and status not in DealerStatus.values:
            result.add_error("status", STATUS_UNKNOWN % {"status": status})
        if rep is not None and not _is_active_rep(rep):
            result.add_error("rep", NOT_AN_ACTIVE_REP)
        region = values.get("region")
        if region is None and not (dealer is not None and "region" not in values):
            result.add_error("region", REGION_REQUIRED)
        elif region is not None and (dealer is None or region.pk != dealer.region_id) \
                and not region_in_scope(user=by, region=region):
            result.add_error("region", REGION_OUT_OF_SCOPE)
        if dealer is None:
            dealer = Dealer(code=result.key, status=status or DEFAULT_STATUS, rep=rep, **values)
            result.outcome = Outcome.CREATE
        else:
            result.extra["from_status"], result.extra["from_rep_id"] = dealer.status, dealer.rep_id
            result.changed = apply_changes(dealer, values)
            if status and status != dealer.status and status in DealerStatus.values:
                if status not in lifecycle.allowed_targets(dealer.status):
                    result.add_error("status", STATUS_NOT_ALLOWED % {
                        "from": DealerStatus(dealer.status).label, "to": DealerStatus(status).label})
                dealer.status = status
                result.changed.append("status")
            if rep is not None and rep.pk != dealer.rep_id:
                dealer.rep = rep
                result.changed.append("rep")
            result.outcome = Outcome.UPDATE if result.changed else Outcome.UNCHANGED
        for name, messages in model_errors(dealer, exclude=["region", "rep"]).items():
            for message in messages:
                result.add_error(name, message)
        result.instance = dealer
    return results


def _write(results: list[RowResult], *, by: User, reason: str) -> None:
    now = timezone.now()
    new = [result.instance for result in results if result.outcome == Outcome.CREATE]
    changed = [result for result in results if result.outcome == Outcome.UPDATE]
    try:
        with transaction.atomic():
            for dealer in new:
                dealer.created_at = dealer.updated_at = now
            Dealer.objects.bulk_create(new, batch_size=1000)
            if changed:
                for result in changed:
                    result.instance.updated_at = now
                fields = sorted({name for result in changed for name in result.changed} | {"updated_at"})
                Dealer.objects.bulk_update([result.instance for result in changed], fields, batch_size=1000)
    except IntegrityError as error:
        raise ValidationError(CONCURRENT_CHANGE) from error
    status_changes, assignments, onboardings = [], [], []
    for dealer in new:
        status_changes.append(DealerStatusChange(
            dealer=dealer, from_status="", to_status=dealer.status, changed_by=by, changed_at=now, reason=reason))
        if dealer.rep_id:
            assignments.append(RepAssignment(dealer=dealer, to_rep_id=dealer.rep_id, assigned_by=by,
                                             assigned_at=now, reason=reason))
        if dealer.status in lifecycle.PIPELINE_STATUSES:
            onboardings.append(Onboarding(dealer=dealer))
    for result in changed:
        dealer = result.instance
        if "status" in result.changed:
            status_changes.append(DealerStatusChange(
                dealer=dealer, from_status=result.extra["from_status"], to_status=dealer.status, changed_by=by,
                changed_at=now, reason=reason))
            if dealer.status in lifecycle.PIPELINE_STATUSES:
                onboardings.append(Onboarding(dealer=dealer))
        if "rep" in result.changed:
            assignments.append(RepAssignment(dealer=dealer, from_rep_id=result.extra["from_rep_id"],
                                             to_rep_id=dealer.rep_id, assigned_by=by, assigned_at=now, reason=reason))
    DealerStatusChange.objects.bulk_create(status_changes, batch_size=1000)
    RepAssignment.objects.bulk_create(assignments, batch_size=1000)
    Onboarding.objects.bulk_create(onboardings, batch_size=1000, ignore_conflicts=True)


def dealers_assigned_notify(*, assigned: Mapping[int, Sequence[int]], by: User) -> None:
    """Tell each rep once which dealers they were given (one notification per rep,
    not one per dealer): {rep id: [dealer ids]}."""
    if not assigned:
        return
    batch = uuid.uuid4().hex[:12]
    reps = User.objects.in_bulk(list(assigned))
    singles = Dealer.objects.in_bulk([ids[0] for ids in assigned.values() if len(ids) == 1])
    for rep_id, dealer_ids in assigned.items():
        rep = reps.get(rep_id)
        if rep is None or rep.pk == by.pk:
            continue
        if len(dealer_ids) == 1:
            dealer = singles[dealer_ids[0]]
            notification_deliver_in_language(recipient=rep, key=f"dealer:{dealer.pk}:assigned:batch-{batch}", kind="dealer_assigned",
                                             url=reverse("dealers:detail", args=[dealer.pk]),
                                             title=_("A dealer was assigned to you: %(dealer)s"), dealer=dealer.name)
        else:
            notification_deliver_in_language(recipient=rep, key=f"dealers:assigned:batch-{batch}", kind="dealer_assigned",
                                             url=reverse("dealers:list") + f"?rep={rep.pk}",
                                             title=_("%(count)s dealers were assigned to you"), count=len(dealer_ids))

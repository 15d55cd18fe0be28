"""Writes of the dealers app. Views, API endpoints and tasks call these; each
validates in full before it writes, runs in one transaction, and records who
did what. Bad input raises ValidationError (400 / form errors); a change the
current state does not allow raises StateConflict (409)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from common.exceptions import StateConflict
from common.validators import validate_photo
from dealers import lifecycle
from dealers.calculations import SCORE_MAX, SCORE_MIN, contract_reminder_due, grade_for, weighted_total
from dealers.models import (
    STAGE_DATE_FIELD,
    STAGE_ORDER,
    ApplicationStatus,
    ContactChannel,
    ContactLog,
    Contract,
    ContractStatus,
    Dealer,
    DealerApplication,
    DealerContact,
    DealerStatus,
    DealerStatusChange,
    Evaluation,
    EvaluationCriterion,
    EvaluationScore,
    GradeSettings,
    Onboarding,
    OnboardingDocument,
    OnboardingStage,
    ProspectSource,
    RepAssignment,
    Severity,
    Violation,
    ViolationOutcome,
    ViolationPhoto,
)
from dealers.selectors import dealer_queryset_for, region_in_scope
from notifications.services import notification_deliver
from regions.selectors import managers_for_region

logger = logging.getLogger(__name__)

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
APPLICATION_NEEDS_REVIEW = _("A rep's first review comes before approval.")
APPLICATION_NEEDS_REP = _("Choose the rep who will look after this dealer.")
USERNAME_TAKEN = _("This username is taken; choose another one.")

FUTURE_TOLERANCE = timedelta(minutes=5)


def _is_active_rep(user) -> bool:
    return user is not None and user.is_active and user.role == Role.REP


def _dealer_url(dealer: Dealer) -> str:
    return reverse("dealers:detail", args=[dealer.pk])


def _notify(recipient, *, key: str, kind: str, url: str, title, body="", **params) -> None:
    """Deliver a notification written in the recipient's language."""
    if recipient is None:
        return
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        notification_deliver(
            recipient=recipient, key=key, kind=kind, url=url,
            title=str(title) % params if params else str(title), body=str(body) % params if params else str(body),
        )


# --- dealers ------------------------------------------------------------------------
def _generated_code(dealer: Dealer) -> str:
    return f"DL{dealer.pk:06d}"


@transaction.atomic
def dealer_create(
    *, created_by: User, name: str, region, code: str = "", rep: User | None = None,
    status: str = DealerStatus.PROSPECT, source: str = "", next_follow_up_on: date | None = None,
    **fields,
) -> Dealer:
    """Create a dealer (or prospect) with its first history rows; a dealer entering
    the pipeline gets its onboarding record. An empty code is generated ("DL000042")."""
    if not region_in_scope(user=created_by, region=region):
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
            _notify(rep, key=f"dealer:{dealer.pk}:assigned:created", kind="dealer_assigned", url=_dealer_url(dealer),
                    title=_("A dealer was assigned to you: %(dealer)s"), dealer=dealer.name)
    if status in lifecycle.PIPELINE_STATUSES:
        onboarding = Onboarding(dealer=dealer, source=source, next_follow_up_on=next_follow_up_on)
        onboarding.full_clean(exclude=["dealer"])
        onboarding.save()
    return dealer


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
        _notify(dealer.rep, key=f"dealer:{dealer.pk}:status:{change.pk}", kind="dealer_status", url=_dealer_url(dealer),
                title=_("%(dealer)s is now “%(status)s”"), body=_("Reason: %(reason)s"),
                dealer=dealer.name, status=DealerStatus(to_status).label, reason=change.reason)
    return change


def _validate_new_rep(rep) -> None:
    if not _is_active_rep(rep):
        raise ValidationError({"rep": NOT_AN_ACTIVE_REP})


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
    _notify(rep, key=f"dealer:{dealer.pk}:assigned:{assignment.pk}", kind="dealer_assigned", url=_dealer_url(dealer),
            title=_("A dealer was assigned to you: %(dealer)s"), body=_("Reason: %(reason)s"),
            dealer=dealer.name, reason=assignment.reason)
    return assignment


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
    assignments = RepAssignment.objects.bulk_create([
        RepAssignment(dealer_id=pk, from_rep=from_rep, to_rep=to_rep, assigned_by=assigned_by,
                      assigned_at=now, reason=reason.strip())
        for pk in dealer_ids
    ])
    key = f"dealers:reassigned:{from_rep.pk}:{now.isoformat()}"
    if assignments and assignments[0].pk:
        key = f"dealers:reassigned:{assignments[0].pk}"
    _notify(to_rep, key=key, kind="dealer_assigned", url=reverse("dealers:list") + f"?rep={to_rep.pk}",
            title=_("%(count)s dealers were handed to you from %(rep)s"), body=_("Reason: %(reason)s"),
            count=len(dealer_ids), rep=str(from_rep), reason=reason.strip())
    return len(dealer_ids)


# --- contacts and the contact log -----------------------------------------------------
@transaction.atomic
def contact_save(*, dealer: Dealer, contact: DealerContact | None = None, **fields) -> DealerContact:
    """Create or change a contact person; one primary contact per dealer."""
    contact = contact or DealerContact(dealer=dealer)
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.full_clean()
    contact.save()
    if contact.is_primary:
        DealerContact.objects.filter(dealer=dealer, is_primary=True).exclude(pk=contact.pk).update(is_primary=False)
    return contact


def contact_delete(*, contact: DealerContact) -> None:
    contact.delete()


def _touch_onboarding(dealer: Dealer, *, contact_on: date, follow_up_on: date | None = None) -> None:
    """A contact or a step keeps the prospect warm: move last contact (and the next follow-up)."""
    onboarding = Onboarding.objects.select_for_update().filter(dealer=dealer).first()
    if onboarding is None:
        return
    changed = []
    if contact_on > onboarding.last_contact_on:
        onboarding.last_contact_on = contact_on
        changed.append("last_contact_on")
    if follow_up_on is not None:
        onboarding.next_follow_up_on = follow_up_on
        changed.append("next_follow_up_on")
    if changed:
        onboarding.save(update_fields=changed)


@transaction.atomic
def contact_log_create(
    *, dealer: Dealer, logged_by: User, summary: str, channel: str = ContactChannel.MEETING,
    contacted_at: datetime | None = None, next_follow_up_on: date | None = None,
) -> ContactLog:
    """Log a contact with a dealer or prospect; it resets the prospect's "going cold" clock."""
    contacted_at = contacted_at or timezone.now()
    if contacted_at > timezone.now() + FUTURE_TOLERANCE:
        raise ValidationError({"contacted_at": CONTACT_IN_FUTURE})
    entry = ContactLog(
        dealer=dealer, logged_by=logged_by, summary=summary, channel=channel,
        contacted_at=contacted_at, next_follow_up_on=next_follow_up_on,
    )
    entry.full_clean()
    entry.save()
    _touch_onboarding(dealer, contact_on=timezone.localtime(contacted_at).date(), follow_up_on=next_follow_up_on)
    return entry


# --- onboarding ---------------------------------------------------------------------
def _open_onboarding(dealer: Dealer) -> Onboarding:
    onboarding = Onboarding.objects.select_for_update().filter(dealer=dealer).first()
    if onboarding is None or dealer.status not in lifecycle.PIPELINE_STATUSES:
        raise StateConflict(ONBOARDING_FINISHED)
    return onboarding


def _reach_stage(onboarding: Onboarding, stage: str, *, on: date, by: User | None) -> None:
    """Record that a step was taken; a prospect past the first meeting is negotiating."""
    date_field = STAGE_DATE_FIELD[stage]
    if getattr(onboarding, date_field) is None:
        setattr(onboarding, date_field, on)
    onboarding.stage = stage
    onboarding.last_contact_on = max(onboarding.last_contact_on, min(on, timezone.localdate()))
    onboarding.save()
    dealer = onboarding.dealer
    if STAGE_ORDER.index(stage) >= STAGE_ORDER.index(OnboardingStage.MEMO) and dealer.status == DealerStatus.PROSPECT:
        dealer_status_change(
            dealer=dealer, to_status=DealerStatus.NEGOTIATING, changed_by=by,
            reason=gettext("Onboarding reached “%(stage)s”") % {"stage": OnboardingStage(stage).label},
        )


@transaction.atomic
def onboarding_update(
    *, dealer: Dealer, updated_by: User, stage: str | None = None, step_on: date | None = None,
    source: str | None = None, next_follow_up_on: date | None = None, clear_follow_up: bool = False,
) -> Onboarding:
    """Move a prospect to a stage (recording the step's date), or change its source or next follow-up."""
    dealer = Dealer.objects.select_for_update().get(pk=dealer.pk)
    onboarding = _open_onboarding(dealer)
    if source is not None:
        onboarding.source = source
    if next_follow_up_on is not None or clear_follow_up:
        onboarding.next_follow_up_on = next_follow_up_on
    onboarding.full_clean(exclude=["dealer"])
    onboarding.save()
    if stage is not None and stage != onboarding.stage:
        if stage == OnboardingStage.SIGNED:
            raise ValidationError({"stage": SIGNED_BY_CONTRACT})
        if stage not in STAGE_ORDER:
            raise ValidationError({"stage": _("Unknown stage.")})
        _reach_stage(onboarding, stage, on=step_on or timezone.localdate(), by=updated_by)
    return onboarding


@transaction.atomic
def onboarding_document_save(
    *, dealer: Dealer, document_class: type[OnboardingDocument], author: User, **fields
) -> OnboardingDocument:
    """Write (or rewrite) one of the three staged documents; the prospect reaches its stage."""
    dealer = Dealer.objects.select_for_update().get(pk=dealer.pk)
    onboarding = _open_onboarding(dealer)
    document = document_class.objects.filter(dealer=dealer).first() or document_class(dealer=dealer, author=author)
    for name, value in fields.items():
        setattr(document, name, value)
    document.full_clean()
    document.save()
    current = STAGE_ORDER.index(onboarding.stage)
    if STAGE_ORDER.index(document_class.STAGE) > current:
        _reach_stage(onboarding, document_class.STAGE, on=document.written_on, by=author)
    else:
        _touch_onboarding(dealer, contact_on=min(document.written_on, timezone.localdate()))
    return document


def prospects_going_cold_notify(*, today: date | None = None) -> int:
    """Remind each rep of their prospects with no contact for PROSPECT_COLD_AFTER_DAYS
    days, once per cold spell: the key carries the date of the last contact, so a
    new contact starts a new spell and a doubled beat sends nothing new."""
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=settings.PROSPECT_COLD_AFTER_DAYS)
    prospects = (
        Dealer.objects.in_pipeline()
        .filter(rep__isnull=False, onboarding__last_contact_on__lte=cutoff)
        .select_related("rep", "onboarding")
        .order_by("pk")
    )
    sent = 0
    for dealer in prospects:
        last = dealer.onboarding.last_contact_on
        with translation.override(dealer.rep.language or settings.LANGUAGE_CODE):
            delivered = notification_deliver(
                recipient=dealer.rep, key=f"prospect:{dealer.pk}:cold:{last.isoformat()}", kind="prospect_cold",
                url=reverse("dealers:onboarding", args=[dealer.pk]),
                title=gettext("Going cold: %(dealer)s") % {"dealer": dealer.name},
                body=gettext("No contact for %(days)s days (last: %(date)s). Follow up to keep the heat.")
                % {"days": (today - last).days, "date": last.isoformat()},
            )
        sent += delivered is not None
    return sent


# --- contracts ------------------------------------------------------------------------
@transaction.atomic
def contract_create(*, dealer: Dealer, created_by: User, **fields) -> Contract:
    """Draft a contract for a dealer or prospect."""
    if dealer.status == DealerStatus.TERMINATED:
        raise StateConflict(DEALER_TERMINATED)
    contract = Contract(dealer=dealer, created_by=created_by, status=ContractStatus.DRAFT, **fields)
    contract.full_clean()
    contract.save()
    return contract


@transaction.atomic
def contract_update(*, contract: Contract, **fields) -> Contract:
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.status != ContractStatus.DRAFT:
        raise StateConflict(CONTRACT_NOT_DRAFT)
    for name, value in fields.items():
        setattr(contract, name, value)
    contract.full_clean()
    contract.save()
    return contract


@transaction.atomic
def contract_sign(*, contract: Contract, signed_by: User) -> Contract:
    """Sign a draft contract. A prospect or dealer in negotiation becomes active
    (SPEC §1: contract signed → dealer becomes active); an active dealer renews."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.status != ContractStatus.DRAFT:
        raise StateConflict(CONTRACT_ALREADY_SIGNED)
    dealer = Dealer.objects.select_for_update().get(pk=contract.dealer_id)
    if dealer.status == DealerStatus.TERMINATED:
        raise StateConflict(DEALER_TERMINATED)
    contract.status = ContractStatus.SIGNED
    contract.signed_by = signed_by
    contract.signed_at = timezone.now()
    contract.save(update_fields=["status", "signed_by", "signed_at"])
    if contract.rebate_plan_id:
        from rebates.services import rebate_assignment_from_contract

        rebate_assignment_from_contract(contract=contract)
    if dealer.status in lifecycle.SIGNING_ACTIVATES_FROM:
        dealer_status_change(
            dealer=dealer, to_status=DealerStatus.ACTIVE, changed_by=signed_by, by_signing=True,
            reason=gettext("Contract %(number)s signed") % {"number": contract.number or f"#{contract.pk}"},
        )
        Onboarding.objects.filter(dealer=dealer).update(stage=OnboardingStage.SIGNED, signed_on=timezone.localdate())
    if dealer.rep_id and dealer.rep_id != signed_by.pk:
        _notify(dealer.rep, key=f"contract:{contract.pk}:signed", kind="contract_signed", url=_dealer_url(dealer),
                title=_("Contract signed: %(dealer)s"), dealer=dealer.name)
    return contract


def contract_end_reminders_send(*, today: date | None = None) -> int:
    """Remind the rep and the region's managers 60 and 30 days before a contract
    ends, once each (SPEC §1). Only the dealer's latest signed contract counts: a
    renewal already signed makes the reminder moot."""
    today = today or timezone.localdate()
    later_contract = Contract.objects.signed().filter(dealer=OuterRef("dealer"), end_date__gt=OuterRef("end_date"))
    contracts = (
        Contract.objects.signed()
        .filter(end_date__gte=today, end_date__lte=today + timedelta(days=60),
                dealer__status__in=[DealerStatus.ACTIVE, DealerStatus.SUSPENDED])
        .exclude(Exists(later_contract))
        .select_related("dealer__region", "dealer__rep")
        .order_by("end_date", "pk")
    )
    managers_by_region: dict[int, list] = {}
    sent = 0
    for contract in contracts:
        threshold = contract_reminder_due(contract.end_date, today)
        if threshold is None:
            continue
        dealer = contract.dealer
        if dealer.region_id not in managers_by_region:
            managers_by_region[dealer.region_id] = list(managers_for_region(dealer.region))
        recipients = [dealer.rep, *managers_by_region[dealer.region_id]] if dealer.rep else managers_by_region[dealer.region_id]
        for recipient in {user.pk: user for user in recipients}.values():
            with translation.override(recipient.language or settings.LANGUAGE_CODE):
                delivered = notification_deliver(
                    recipient=recipient, key=f"contract:{contract.pk}:ends:{contract.end_date.isoformat()}:{threshold}d",
                    kind="contract_ending", url=reverse("dealers:contract", args=[contract.pk]),
                    title=gettext("Contract ends in %(days)s days: %(dealer)s") % {"days": (contract.end_date - today).days, "dealer": dealer.name},
                    body=gettext("Contract %(number)s ends on %(date)s. Prepare the renewal.")
                    % {"number": str(contract), "date": contract.end_date.isoformat()},
                )
            sent += delivered is not None
    return sent


# --- evaluations ----------------------------------------------------------------------
def _valid_score(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and SCORE_MIN <= value <= SCORE_MAX


@transaction.atomic
def evaluation_create(
    *, dealer: Dealer, evaluator: User, scores: Mapping[str, int], comment: str = "",
    evaluated_at: datetime | None = None,
) -> Evaluation:
    """Score a dealer 1–5 on every active criterion; the weighted total and grade are
    computed (dealers.calculations) and become the dealer's current grade. All or nothing."""
    criteria = {criterion.code: criterion for criterion in EvaluationCriterion.objects.filter(active=True)}
    if not criteria:
        raise ValidationError({"scores": NO_CRITERIA})
    if not isinstance(scores, Mapping):
        raise ValidationError({"scores": _("Expected an object of criterion codes and scores.")})
    errors = []
    unknown = sorted(set(scores) - set(criteria))
    if unknown:
        errors.append(ValidationError(UNKNOWN_CRITERIA, params={"codes": ", ".join(unknown)}))
    errors += [ValidationError(SCORE_OUT_OF_RANGE, params={"code": code})
               for code, value in scores.items() if code in criteria and not _valid_score(value)]
    missing = [code for code in criteria if code not in scores]
    if missing:
        errors.append(ValidationError(MISSING_SCORES, params={"codes": ", ".join(missing)}))
    if errors:
        raise ValidationError({"scores": errors})
    weights = {code: criteria[code].weight for code in scores}
    total = weighted_total(scores, weights)
    grade = grade_for(total, GradeSettings.current().as_thresholds())
    evaluation = Evaluation(dealer=dealer, evaluator=evaluator, comment=comment, total=total, grade=grade)
    if evaluated_at is not None:
        evaluation.created_at = evaluated_at
    evaluation.full_clean()
    evaluation.save()
    EvaluationScore.objects.bulk_create([
        EvaluationScore(evaluation=evaluation, criterion=criteria[code], score=value, weight=criteria[code].weight)
        for code, value in scores.items()
    ])
    dealer = Dealer.objects.select_for_update().get(pk=dealer.pk)
    if dealer.last_evaluated_at is None or evaluation.created_at >= dealer.last_evaluated_at:
        Dealer.objects.filter(pk=dealer.pk).update(
            current_grade=grade, current_score=total, last_evaluated_at=evaluation.created_at
        )
    return evaluation


# --- violations -----------------------------------------------------------------------
def _validate_photos(photos: Sequence) -> None:
    errors = []
    for photo in photos:
        try:
            validate_photo(photo)
        except ValidationError as error:
            errors.extend(error.error_list)
    if errors:
        raise ValidationError({"photos": errors})


def _save_photos(violation: Violation, photos: Iterable, uploaded_by: User | None) -> list[ViolationPhoto]:
    return [ViolationPhoto.objects.create(violation=violation, image=photo, uploaded_by=uploaded_by) for photo in photos]


@transaction.atomic
def violation_create(
    *, dealer: Dealer, reported_by: User, type: str, evidence: str, found_where: str,
    found_at: datetime | None = None, severity: str = Severity.MEDIUM, photos: Sequence = (),
) -> Violation:
    """Record a market violation with its evidence (notes and photos), all or nothing.
    The region's managers are told. The visits app calls this to turn a market-check
    finding into a violation in one step."""
    found_at = found_at or timezone.now()
    if found_at > timezone.now() + FUTURE_TOLERANCE:
        raise ValidationError({"found_at": FOUND_IN_FUTURE})
    violation = Violation(
        dealer=dealer, reported_by=reported_by, type=type, evidence=evidence, found_where=found_where,
        found_at=found_at, severity=severity, outcome=ViolationOutcome.PENDING,
    )
    violation.full_clean()
    _validate_photos(photos)
    violation.save()
    _save_photos(violation, photos, reported_by)
    url = reverse("dealers:violation", args=[violation.pk])
    recipients = [*managers_for_region(dealer.region), dealer.rep]
    for recipient in {user.pk: user for user in recipients if user is not None}.values():
        if recipient.pk == reported_by.pk:
            continue
        _notify(recipient, key=f"violation:{violation.pk}:reported", kind="violation", url=url,
                title=_("Violation reported: %(dealer)s — %(type)s"), body=_("Found at %(where)s."),
                dealer=dealer.name, type=violation.get_type_display(), where=found_where)
    return violation


@transaction.atomic
def violation_update(*, violation: Violation, **fields) -> Violation:
    """Correct a violation's evidence while its outcome is pending."""
    violation = Violation.objects.select_for_update().get(pk=violation.pk)
    if violation.outcome != ViolationOutcome.PENDING:
        raise StateConflict(VIOLATION_DECIDED)
    if "found_at" in fields and fields["found_at"] > timezone.now() + FUTURE_TOLERANCE:
        raise ValidationError({"found_at": FOUND_IN_FUTURE})
    for name, value in fields.items():
        setattr(violation, name, value)
    violation.full_clean()
    violation.save()
    return violation


@transaction.atomic
def violation_add_photos(*, violation: Violation, photos: Sequence, uploaded_by: User) -> list[ViolationPhoto]:
    """Attach evidence photos (images only, size-limited), all or none."""
    if not photos:
        raise ValidationError({"photos": _("Choose at least one photo.")})
    _validate_photos(photos)
    return _save_photos(violation, photos, uploaded_by)


@transaction.atomic
def violation_decide(
    *, violation: Violation, outcome: str, decided_by: User, note: str = "", fine_amount=None,
) -> Violation:
    """Decide a violation's outcome. Suspension or termination also moves the dealer's
    status (with the violation as the reason) when its lifecycle allows."""
    violation = Violation.objects.select_for_update().select_related("dealer").get(pk=violation.pk)
    if violation.outcome != ViolationOutcome.PENDING:
        raise StateConflict(VIOLATION_DECIDED)
    if not outcome or outcome == ViolationOutcome.PENDING:
        raise ValidationError({"outcome": OUTCOME_REQUIRED})
    violation.outcome = outcome
    violation.outcome_note = note
    violation.fine_amount = fine_amount
    violation.decided_by = decided_by
    violation.decided_at = timezone.now()
    violation.full_clean()
    violation.save()
    target = {ViolationOutcome.SUSPENSION: DealerStatus.SUSPENDED, ViolationOutcome.TERMINATION: DealerStatus.TERMINATED}.get(outcome)
    dealer = violation.dealer
    if target and target in lifecycle.allowed_targets(dealer.status):
        dealer_status_change(
            dealer=dealer, to_status=target, changed_by=decided_by,
            reason=gettext("Violation: %(type)s. %(note)s") % {"type": violation.get_type_display(), "note": note},
        )
    return violation


# --- self-registration ------------------------------------------------------------------
def application_rate_limited(*, ip_address: str | None) -> bool:
    """Count an application from this address; True when it is over the hourly limit
    (DEALER_APPLICATIONS_PER_HOUR, default 5). Kept in the cache (Redis in production)."""
    limit = getattr(settings, "DEALER_APPLICATIONS_PER_HOUR", 5)
    key = f"dealers:application-rate:{ip_address or 'unknown'}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > limit


@transaction.atomic
def application_submit(*, ip_address: str | None = None, language: str = "", **fields) -> DealerApplication:
    """Record a would-be dealer's application from the public form; the managers of its region are told."""
    application = DealerApplication(ip_address=ip_address, language=language, **fields)
    application.full_clean()
    application.save()
    url = reverse("dealers:application", args=[application.pk])
    for manager in managers_for_region(application.region):
        _notify(manager, key=f"application:{application.pk}:submitted", kind="application", url=url,
                title=_("New dealer application: %(company)s"), body=_("From %(region)s. A rep reviews it first."),
                company=application.company_name, region=application.region.name)
    return application


def _locked_open_application(application: DealerApplication) -> DealerApplication:
    application = DealerApplication.objects.select_for_update().get(pk=application.pk)
    if not application.is_open:
        raise StateConflict(APPLICATION_NOT_OPEN)
    return application


@transaction.atomic
def application_review(*, application: DealerApplication, reviewed_by: User, note: str = "") -> DealerApplication:
    """The first review (by a rep): the application goes on to a manager for approval."""
    application = _locked_open_application(application)
    if application.status != ApplicationStatus.SUBMITTED:
        raise StateConflict(APPLICATION_NOT_SUBMITTED)
    application.status = ApplicationStatus.REVIEWED
    application.reviewed_by = reviewed_by
    application.reviewed_at = timezone.now()
    application.review_note = note
    application.save()
    url = reverse("dealers:application", args=[application.pk])
    for manager in managers_for_region(application.region):
        _notify(manager, key=f"application:{application.pk}:reviewed", kind="application", url=url,
                title=_("Dealer application ready for approval: %(company)s"), body=_("Reviewed by %(rep)s: %(note)s"),
                company=application.company_name, rep=str(reviewed_by), note=note)
    return application


@transaction.atomic
def application_reject(*, application: DealerApplication, rejected_by: User, reason: str) -> DealerApplication:
    """Reject an application (at the first review or at approval), recording the reason."""
    if not (reason or "").strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    application = _locked_open_application(application)
    if application.status == ApplicationStatus.SUBMITTED:
        application.reviewed_by = rejected_by
        application.reviewed_at = timezone.now()
    application.status = ApplicationStatus.REJECTED
    application.rejection_reason = reason.strip()
    application.decided_by = rejected_by
    application.decided_at = timezone.now()
    application.save()
    return application


@transaction.atomic
def application_approve(
    *, application: DealerApplication, approved_by: User, region, tier: str,
    rep: User | None = None, username: str = "", code: str = "", credit_limit=0,
) -> Dealer:
    """Approve a reviewed application: the dealer is created (as a prospect from
    self-registration, owned by the reviewing rep unless another is chosen) with its
    first portal user, who is emailed an invitation to set a password."""
    application = _locked_open_application(application)
    if application.status != ApplicationStatus.REVIEWED:
        raise StateConflict(APPLICATION_NEEDS_REVIEW)
    if rep is None and application.reviewed_by and _is_active_rep(application.reviewed_by):
        rep = application.reviewed_by
    if rep is None:
        raise ValidationError({"rep": APPLICATION_NEEDS_REP})
    username = (username or application.email).strip().lower()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": USERNAME_TAKEN})
    dealer = dealer_create(
        created_by=approved_by, name=application.company_name, legal_entity=application.legal_entity,
        region=region, tier=tier, rep=rep, code=code, status=DealerStatus.PROSPECT,
        source=ProspectSource.SELF_REGISTRATION, address=application.address, phone=application.phone,
        decision_maker=application.contact_name, channel_types=list(application.channel_types),
        operating_model=application.operating_model, other_brands=application.brands_carried,
        notes=application.message, credit_limit=credit_limit,
    )
    contact_save(dealer=dealer, name=application.contact_name, phone=application.phone,
                 email=application.email, is_primary=True)
    user = User(username=username, email=application.email, role=Role.DEALER, dealer=dealer,
                first_name=application.contact_name[:150], language=application.language)
    user.set_unusable_password()
    try:
        user.full_clean()
    except ValidationError as error:
        raise ValidationError({"username": error.message_dict.get("username", error.messages)}) from error
    user.save()
    application.status = ApplicationStatus.APPROVED
    application.decided_by = approved_by
    application.decided_at = timezone.now()
    application.dealer = dealer
    application.save()
    transaction.on_commit(lambda: _queue_invitation(user.pk))
    return dealer


def _queue_invitation(user_id: int) -> None:
    from dealers.tasks import send_dealer_invitation

    try:
        send_dealer_invitation.delay(user_id)
    except Exception:  # the broker is down: the manager can resend from the application page
        logger.warning("Could not queue the invitation for user %s.", user_id)


def dealer_user_invite(*, user: User) -> None:
    """Email a dealer user a link to set their password (Django's password-reset token)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    if not user.email or not user.is_active:
        return
    path = reverse("accounts:password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user),
    })
    context = {"user": user, "dealer": user.dealer, "link": f"{settings.SITE_URL.rstrip('/')}{path}",
               "login": f"{settings.SITE_URL.rstrip('/')}{reverse('accounts:login')}"}
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = render_to_string("dealers/email/invitation_subject.txt", context).strip()
        body = render_to_string("dealers/email/invitation.txt", context)
    send_mail(subject, body, None, [user.email])

"""Self-registration: a would-be dealer's application, its review, rejection and approval."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.selectors import managers_for_region
from common.audit import acting
from common.exceptions import StateConflict
from common.queueing import enqueue
from dealers.models import ApplicationStatus, Dealer, DealerApplication, DealerStatus, ProspectSource
from dealers.services.contacts import contact_save
from dealers.services.dealers import dealer_create
from dealers.services.messages import (
    APPLICATION_NEEDS_REP,
    APPLICATION_NEEDS_REVIEW,
    APPLICATION_NOT_OPEN,
    APPLICATION_NOT_SUBMITTED,
    REASON_REQUIRED,
    USERNAME_TAKEN,
)
from dealers.services.shared import _is_active_rep
from notifications.services import notification_deliver_in_language


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
        notification_deliver_in_language(recipient=manager, key=f"application:{application.pk}:submitted", kind="application", url=url,
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
        notification_deliver_in_language(recipient=manager, key=f"application:{application.pk}:reviewed", kind="application", url=url,
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


@acting("approved_by")
@transaction.atomic
def application_approve(
    *, application: DealerApplication, approved_by: User, region, tier: str,
    rep: User | None = None, username: str = "", code: str = "", credit_limit=0,
) -> Dealer:
    """Approve an application: the dealer is created (as a prospect from
    self-registration, owned by `rep`, or by default by the rep who reviewed it)
    with its first portal user, who is emailed an invitation to set a password.

    A manager may approve an application nobody has reviewed yet: their approval
    is its review too. Without a rep who reviewed it, `rep` is required."""
    application = _locked_open_application(application)
    if application.status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.REVIEWED):
        raise StateConflict(APPLICATION_NEEDS_REVIEW)
    if rep is None:
        rep = application_default_rep(application)
    if rep is None:
        raise ValidationError({"rep": APPLICATION_NEEDS_REP})
    if application.status == ApplicationStatus.SUBMITTED:
        application.reviewed_by, application.reviewed_at = approved_by, timezone.now()
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


def application_default_rep(application: DealerApplication) -> User | None:
    """The rep a new dealer goes to when the approver names none: the rep who reviewed
    the application, if a rep (still active) did; None when a manager reviewed it."""
    reviewer = application.reviewed_by
    return reviewer if _is_active_rep(reviewer) else None


def _queue_invitation(user_id: int) -> None:
    enqueue("dealers.tasks.send_dealer_invitation", user_id,
            when_down="the manager can resend it from the application page.")

"""The onboarding pipeline of prospects: stages, staged documents and the "going cold" reminder."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common.exceptions import StateConflict
from dealers import lifecycle
from dealers.models import (
    STAGE_DATE_FIELD,
    STAGE_ORDER,
    Dealer,
    DealerStatus,
    Onboarding,
    OnboardingDocument,
    OnboardingStage,
)
from dealers.services.dealers import dealer_status_change
from dealers.services.messages import ONBOARDING_FINISHED, SIGNED_BY_CONTRACT
from dealers.services.shared import _format_date_lazy
from notifications.services import notification_deliver_in_language


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
        sent += notification_deliver_in_language(
            recipient=dealer.rep, key=f"prospect:{dealer.pk}:cold:{last.isoformat()}", kind="prospect_cold",
            url=reverse("dealers:onboarding", args=[dealer.pk]),
            title=_("Going cold: %(dealer)s"),
            body=_("No contact for %(days)s days (last: %(date)s). Follow up to keep the heat."),
            dealer=dealer.name, days=(today - last).days, date=_format_date_lazy(last),
        )
    return sent

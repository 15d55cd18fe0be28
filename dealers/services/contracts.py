"""Contracts: draft, change, sign (which activates a prospect) and the end-of-contract reminders."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors import managers_for_region
from common.audit import acting
from common.exceptions import StateConflict
from dealers import lifecycle
from dealers.calculations import CONTRACT_REMINDER_DAYS, contract_reminder_due
from dealers.models import Contract, ContractStatus, Dealer, DealerStatus, Onboarding, OnboardingStage
from dealers.services.dealers import dealer_status_change
from dealers.services.messages import CONTRACT_ALREADY_SIGNED, CONTRACT_NOT_DRAFT, DEALER_TERMINATED
from dealers.services.shared import _dealer_url, _format_date_lazy
from dealers.signals import contract_signed
from notifications.services import notification_deliver_in_language


@transaction.atomic
def contract_create(*, dealer: Dealer, created_by: User, **fields) -> Contract:
    """Draft a contract for a dealer or prospect. `product_categories` (optional):
    the categories it covers, whose products the dealer carries once it is signed."""
    if dealer.status == DealerStatus.TERMINATED:
        raise StateConflict(DEALER_TERMINATED)
    categories = fields.pop("product_categories", None)
    contract = Contract(dealer=dealer, created_by=created_by, status=ContractStatus.DRAFT, **fields)
    contract.full_clean()
    contract.save()
    if categories is not None:
        contract.product_categories.set(categories)
    return contract


@transaction.atomic
def contract_update(*, contract: Contract, **fields) -> Contract:
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.status != ContractStatus.DRAFT:
        raise StateConflict(CONTRACT_NOT_DRAFT)
    categories = fields.pop("product_categories", None)
    for name, value in fields.items():
        setattr(contract, name, value)
    contract.full_clean()
    contract.save()
    if categories is not None:
        contract.product_categories.set(categories)
    return contract


@acting("signed_by")
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
    contract_signed.send(sender=Contract, contract=contract, signed_by=signed_by)
    if dealer.status in lifecycle.SIGNING_ACTIVATES_FROM:
        dealer_status_change(
            dealer=dealer, to_status=DealerStatus.ACTIVE, changed_by=signed_by, by_signing=True,
            reason=gettext("Contract %(number)s signed") % {"number": contract.number or f"#{contract.pk}"},
        )
        Onboarding.objects.filter(dealer=dealer).update(stage=OnboardingStage.SIGNED, signed_on=timezone.localdate())
    if dealer.rep_id and dealer.rep_id != signed_by.pk:
        notification_deliver_in_language(recipient=dealer.rep, key=f"contract:{contract.pk}:signed", kind="contract_signed", url=_dealer_url(dealer),
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
        .filter(end_date__gte=today, end_date__lte=today + timedelta(days=max(CONTRACT_REMINDER_DAYS)),
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
            sent += notification_deliver_in_language(
                recipient=recipient, key=f"contract:{contract.pk}:ends:{contract.end_date.isoformat()}:{threshold}d",
                kind="contract_ending", url=reverse("dealers:contract", args=[contract.pk]),
                title=_("Contract ends in %(days)s days: %(dealer)s"),
                body=_("Contract %(number)s ends on %(date)s. Prepare the renewal."),
                days=(contract.end_date - today).days, dealer=dealer.name, number=str(contract),
                date=_format_date_lazy(contract.end_date),
            )
    return sent

"""Contracts: draft, edit while a draft, sign (a prospect becomes active), print."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.exceptions import StateConflict
from dealers import services
from dealers.forms import ContractForm, apply_service_errors
from dealers.models import ContractStatus
from dealers.permissions import Action, can, require
from dealers.selectors import contract_queryset_for
from dealers.views.helpers import conflict, form_page, scoped_dealer


def _scoped_contract(request, pk: int):
    return get_object_or_404(contract_queryset_for(request.user).select_related("dealer__region", "dealer__rep", "signed_by", "created_by"), pk=pk)


@login_required
def contract_create(request, pk: int):
    dealer = scoped_dealer(request, pk, Action.DRAFT_CONTRACT)
    form = ContractForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.contract_create(dealer=dealer, created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        except StateConflict as error:
            return conflict(request, error, reverse("dealers:detail", args=[dealer.pk]))
        else:
            messages.success(request, _("Contract drafted."))
            return redirect("dealers:contract", pk=contract.pk)
    return form_page(request, form=form, title=_("New contract"), dealer=dealer,
                     cancel_url=reverse("dealers:detail", args=[dealer.pk]))


@login_required
def contract_detail(request, pk: int):
    """The contract, printable; a draft can be edited and signed here."""
    contract = _scoped_contract(request, pk)
    context = {
        "contract": contract, "dealer": contract.dealer,
        "may_edit": can(request.user, Action.DRAFT_CONTRACT) and contract.status == ContractStatus.DRAFT,
        "may_sign": can(request.user, Action.SIGN_CONTRACT) and contract.status == ContractStatus.DRAFT,
    }
    return render(request, "dealers/contract.html", context)


@login_required
def contract_edit(request, pk: int):
    contract = _scoped_contract(request, pk)
    require(request.user, Action.DRAFT_CONTRACT)
    if contract.status != ContractStatus.DRAFT:
        return conflict(request, services.CONTRACT_NOT_DRAFT, reverse("dealers:contract", args=[contract.pk]))
    form = ContractForm(request.POST or None, instance=contract)
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_update(contract=contract, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        except StateConflict as error:
            return conflict(request, error, reverse("dealers:contract", args=[contract.pk]))
        else:
            messages.success(request, _("Saved."))
            return redirect("dealers:contract", pk=contract.pk)
    return form_page(request, form=form, title=_("Edit contract"), dealer=contract.dealer,
                     cancel_url=reverse("dealers:contract", args=[contract.pk]))


@login_required
@require_POST
def contract_sign(request, pk: int):
    contract = _scoped_contract(request, pk)
    require(request.user, Action.SIGN_CONTRACT)
    try:
        services.contract_sign(contract=contract, signed_by=request.user)
    except StateConflict as error:
        return conflict(request, error, reverse("dealers:contract", args=[contract.pk]))
    messages.success(request, _("Contract signed."))
    return redirect("dealers:detail", pk=contract.dealer_id)

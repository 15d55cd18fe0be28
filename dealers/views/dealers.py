"""Dealer list, detail, record edits, status, rep assignment, contacts and the contact log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.audit import audit_history
from common.exports import MONEY, Column, export_response
from common.sections import sections_for
from dealers import services
from dealers.forms import (
    AssignRepForm,
    ContactForm,
    ContactLogForm,
    DealerFilterForm,
    DealerForm,
    ReassignForm,
    StatusChangeForm,
    apply_service_errors,
)
from dealers.lifecycle import allowed_targets
from dealers.models import ContractStatus, DealerStatus
from dealers.permissions import Action, can, can_change_status, can_edit_fields, require
from dealers.selectors import (
    contact_queryset_for,
    contract_queryset_for,
    current_contract,
    dealer_history,
    dealer_list,
    dealer_queryset_for,
    evaluation_list,
    evaluation_trend,
    violation_queryset_for,
)
from dealers.views.helpers import form_page, scoped_dealer

PAGE_SIZE = 25

EXPORT_COLUMNS = [
    Column(gettext_lazy("Code"), "code"),
    Column(gettext_lazy("Company name"), "name"),
    Column(gettext_lazy("Region"), "region__name"),
    Column(gettext_lazy("Tier"), lambda dealer: dealer.get_tier_display()),
    Column(gettext_lazy("Status"), lambda dealer: dealer.get_status_display()),
    Column(gettext_lazy("Rep"), lambda dealer: str(dealer.rep) if dealer.rep else ""),
    Column(gettext_lazy("Grade"), "current_grade"),
    Column(gettext_lazy("Score"), "current_score"),
    Column(gettext_lazy("Credit limit"), "credit_limit", kind=MONEY),
    Column(gettext_lazy("Channel types"), lambda dealer: ", ".join(dealer.channel_type_labels)),
    Column(gettext_lazy("Decision-maker"), "decision_maker"),
    Column(gettext_lazy("Phone"), "phone"),
    Column(gettext_lazy("Address"), "address"),
    Column(gettext_lazy("Created at"), "created_at"),
]


@login_required
def dealer_list_page(request):
    """The dealers in the user's scope: search, filter, sort, paginate, export."""
    form = DealerFilterForm(request.GET or None, user=request.user)
    dealers = dealer_list(user=request.user, filters=form.filters())
    page = Paginator(dealers, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form, "page": page, "ordering": form.filters().ordering,
        # Open the phone's collapsed filter panel when one of its filters is in use.
        "filtered": any(request.GET.get(name) for name in ("region", "status", "tier", "grade", "rep")),
        "can_create": can(request.user, Action.CREATE),
        "can_create_prospect": can(request.user, Action.CREATE_PROSPECT),
        "can_export": can(request.user, Action.EXPORT),
        "can_reassign": can(request.user, Action.ASSIGN_REP),
    }
    return render(request, "dealers/dealer_list.html", context)


@login_required
def dealer_export(request):
    """The dealer list as CSV or XLSX, with the page's filters, within the user's scope."""
    require(request.user, Action.EXPORT)
    form = DealerFilterForm(request.GET or None, user=request.user)
    dealers = dealer_list(user=request.user, filters=form.filters())
    return export_response(dealers.iterator(chunk_size=500), EXPORT_COLUMNS, filename="dealers", fmt=request.GET.get("format"))


@login_required
def dealer_mine(request):
    """A dealer user's own company record."""
    if not request.user.dealer_id:
        raise Http404
    return redirect("dealers:detail", pk=request.user.dealer_id)


@login_required
def dealer_create(request):
    require(request.user, Action.CREATE)
    form = DealerForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            dealer = services.dealer_create(
                created_by=request.user, rep=form.cleaned_data.get("rep"), status=form.cleaned_data["status"],
                source=form.cleaned_data.get("source", ""), **form.service_fields(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Dealer %(name)s created.") % {"name": dealer.name})
            return redirect("dealers:detail", pk=dealer.pk)
    return form_page(request, form=form, title=_("New dealer"), cancel_url=reverse("dealers:list"))


@login_required
def dealer_detail(request, pk: int):
    """A dealer's page: profile, contacts, contract, evaluations (with the trend),
    violations, history, and the sections other apps add (orders, visits, KPIs)."""
    dealer = scoped_dealer(request, pk)
    user = request.user
    internal = can(user, Action.VIEW_INTERNAL)
    contracts = list(contract_queryset_for(user).filter(dealer=dealer).select_related("signed_by"))
    context = {
        "dealer": dealer,
        "region_path": dealer.region.full_name,
        "contacts": list(contact_queryset_for(user).filter(dealer=dealer)),
        "contracts": contracts,
        "contract": current_contract(dealer=dealer, contracts=contracts),
        "internal": internal,
        "onboarding": getattr(dealer, "onboarding", None) if internal else None,
        "perms": {
            "edit": can(user, Action.EDIT_PROFILE),
            "status": can(user, Action.CHANGE_STATUS) and any(
                can_change_status(user, dealer.status, status) for status in allowed_targets(dealer.status)
            ),
            "assign": can(user, Action.ASSIGN_REP),
            "onboarding": can(user, Action.WORK_ONBOARDING),
            "contract": can(user, Action.DRAFT_CONTRACT) and dealer.status != DealerStatus.TERMINATED,
            "sign": can(user, Action.SIGN_CONTRACT),
            "evaluate": can(user, Action.EVALUATE),
            "violation": can(user, Action.REPORT_VIOLATION),
        },
        "sections": sections_for("dealer_detail", request=request, dealer=dealer),
    }
    if internal:
        evaluations = list(evaluation_list(user=user, dealer=dealer)[:10])
        context.update({
            "evaluations": evaluations,
            "trend": evaluation_trend(dealer=dealer),
            "violations": list(
                violation_queryset_for(user).filter(dealer=dealer).select_related("reported_by")
                .annotate(photo_count=Count("photos")).order_by("-found_at", "-id")[:20]
            ),
            "history": dealer_history(dealer=dealer),
            "contact_logs": list(dealer.contact_logs.select_related("logged_by")[:10]),
            "contact_log_form": ContactLogForm() if can(user, Action.WORK_ONBOARDING) else None,
        })
    context["draft_contracts"] = [c for c in contracts if c.status == ContractStatus.DRAFT]
    if user.is_hq_admin:
        context["audit"] = audit_history(instance=dealer)
    return render(request, "dealers/dealer_detail.html", context)


@login_required
def dealer_edit(request, pk: int):
    dealer = scoped_dealer(request, pk, Action.EDIT_PROFILE)
    form = DealerForm(request.POST or None, instance=dealer, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name in form.fields}
        if not can_edit_fields(request.user, fields):
            raise PermissionDenied
        try:
            services.dealer_update(dealer=dealer, updated_by=request.user, **fields)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("dealers:detail", pk=dealer.pk)
    return form_page(request, form=form, title=_("Edit dealer"), dealer=dealer,
                     cancel_url=reverse("dealers:detail", args=[dealer.pk]))


@login_required
def dealer_status(request, pk: int):
    dealer = scoped_dealer(request, pk, Action.CHANGE_STATUS)
    form = StatusChangeForm(request.POST or None, user=request.user, dealer=dealer)
    if not form.fields["status"].choices:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        try:
            services.dealer_status_change(dealer=dealer, to_status=form.cleaned_data["status"],
                                          changed_by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Status changed."))
            return redirect("dealers:detail", pk=dealer.pk)
    intro = _("Current status: %(status)s. A dealer in negotiation becomes active when its contract is signed.") % {
        "status": dealer.get_status_display()}
    return form_page(request, form=form, title=_("Change status"), dealer=dealer, intro=intro,
                     cancel_url=reverse("dealers:detail", args=[dealer.pk]))


@login_required
def dealer_assign(request, pk: int):
    dealer = scoped_dealer(request, pk, Action.ASSIGN_REP)
    form = AssignRepForm(request.POST or None, dealer=dealer)
    if request.method == "POST" and form.is_valid():
        try:
            services.dealer_assign_rep(dealer=dealer, rep=form.cleaned_data["rep"], assigned_by=request.user,
                                       reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Rep assigned."))
            return redirect("dealers:detail", pk=dealer.pk)
    intro = _("Responsible rep now: %(rep)s.") % {"rep": dealer.rep or "—"}
    return form_page(request, form=form, title=_("Assign rep"), dealer=dealer, intro=intro,
                     cancel_url=reverse("dealers:detail", args=[dealer.pk]))


@login_required
def dealers_reassign(request):
    """A rep leaves: hand all their dealers and prospects (within your scope) to another rep."""
    require(request.user, Action.ASSIGN_REP)
    form = ReassignForm(request.POST or None, initial={"from_rep": request.GET.get("from_rep")})
    preview = None
    from_rep_id = request.POST.get("from_rep") or request.GET.get("from_rep")
    if from_rep_id and str(from_rep_id).isdigit():
        preview = dealer_queryset_for(request.user).filter(rep_id=from_rep_id).count()
    if request.method == "POST" and form.is_valid():
        try:
            moved = services.dealers_reassign(
                from_rep=form.cleaned_data["from_rep"], to_rep=form.cleaned_data["to_rep"],
                assigned_by=request.user, reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("%(count)s dealers handed to %(rep)s.") % {"count": moved, "rep": form.cleaned_data["to_rep"]})
            return redirect(reverse("dealers:list") + f"?rep={form.cleaned_data['to_rep'].pk}")
    intro = _("All dealers and prospects of the leaving rep that you oversee move to the new rep; their history stays.")
    return form_page(request, form=form, title=_("Reassign a rep's dealers"), intro=intro, preview=preview,
                     cancel_url=reverse("dealers:list"), submit_label=_("Reassign"))


# --- contacts -----------------------------------------------------------------------
@login_required
def contact_create(request, pk: int):
    dealer = scoped_dealer(request, pk, Action.EDIT_PROFILE)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_save(dealer=dealer, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect(reverse("dealers:detail", args=[dealer.pk]) + "#contacts")
    return form_page(request, form=form, title=_("New contact"), dealer=dealer,
                     cancel_url=reverse("dealers:detail", args=[dealer.pk]))


@login_required
def contact_edit(request, pk: int):
    contact = get_object_or_404(contact_queryset_for(request.user).select_related("dealer"), pk=pk)
    require(request.user, Action.EDIT_PROFILE)
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_save(dealer=contact.dealer, contact=contact, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect(reverse("dealers:detail", args=[contact.dealer_id]) + "#contacts")
    return form_page(request, form=form, title=_("Edit contact"), dealer=contact.dealer,
                     cancel_url=reverse("dealers:detail", args=[contact.dealer_id]),
                     delete_url=reverse("dealers:contact_delete", args=[contact.pk]))


@login_required
@require_POST
def contact_delete(request, pk: int):
    contact = get_object_or_404(contact_queryset_for(request.user), pk=pk)
    require(request.user, Action.EDIT_PROFILE)
    services.contact_delete(contact=contact)
    messages.success(request, _("Contact removed."))
    return redirect(reverse("dealers:detail", args=[contact.dealer_id]) + "#contacts")


@login_required
@require_POST
def contact_log_create(request, pk: int):
    """Log a contact (from the dealer page or the onboarding page)."""
    dealer = scoped_dealer(request, pk, Action.WORK_ONBOARDING)
    form = ContactLogForm(request.POST)
    back = request.POST.get("next") or reverse("dealers:detail", args=[dealer.pk])
    if not back.startswith("/"):
        back = reverse("dealers:detail", args=[dealer.pk])
    if form.is_valid():
        try:
            services.contact_log_create(dealer=dealer, logged_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Contact logged."))
            return redirect(back)
    return form_page(request, form=form, title=_("Log a contact"), dealer=dealer, cancel_url=back, status=400,
                     action=reverse("dealers:contact_log", args=[dealer.pk]))

"""Pages: rebate statements (list with filters and export, detail showing how
each was computed, settlement by finance) and rebate plans. Every page starts
from a scope function in rebates.selectors; outside it answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.policy import is_dealer_user
from common.audit import audit_history
from common.exceptions import StateConflict
from common.exports import MONEY, PERCENT, Column, export_response
from rebates import services
from rebates.forms import STATEMENT_SORTS, SettleForm, StatementFilterForm
from rebates.models import PlanKind, RebateStatement, StatementStatus
from rebates.permissions import can_manage_plans, can_see_rebates, can_settle_rebates
from rebates.selectors import (
    dealer_rebate_overview,
    rebate_assignment_queryset_for,
    rebate_plan_list,
    rebate_plan_queryset_for,
    rebate_statement_detail,
    rebate_statement_list,
    rebate_statement_orders,
)

PAGE_SIZE = 25
SETTLED = gettext_lazy("Rebate settled.")


def _require_rebate_access(user) -> None:
    if not can_see_rebates(user):
        # Warehouse has no rebates: nothing here exists for them.
        raise Http404


def _statement_columns(dealer_user: bool) -> list[Column]:
    columns = [] if dealer_user else [Column(_("Dealer code"), "dealer__code"), Column(_("Dealer"), "dealer__name")]
    return [
        *columns,
        Column(_("Plan"), "plan__name"),
        Column(_("Period"), "period_label"),
        Column(_("Period from"), "period_start"),
        Column(_("Period to"), "period_end"),
        Column(_("Basis"), "basis", kind=MONEY),
        Column(_("Rate (%)"), "rate", kind=PERCENT),
        Column(_("Amount"), "amount", kind=MONEY),
        Column(_("Status"), lambda s: s.get_status_display()),
        Column(_("State"), "state_label"),
        Column(_("To the next tier"), "amount_to_next_tier", kind=MONEY),
        Column(_("Settled at"), "settled_at"),
        Column(_("Settled by means of"), lambda s: s.get_settlement_method_display()),
        Column(_("Settlement reference"), "settlement_reference"),
    ]


@login_required
def statement_list(request):
    """Statements in the user's scope: finance all, managers and reps their dealers', a dealer its own."""
    user = request.user
    _require_rebate_access(user)
    dealer_user = is_dealer_user(user)
    form = StatementFilterForm(request.GET or None, plans=rebate_plan_queryset_for(user).order_by("name"),
                               dealer_user=dealer_user)
    form.is_valid()  # the valid filters apply; a bad one is shown and ignored
    values = getattr(form, "cleaned_data", {})
    statements = rebate_statement_list(user=user)
    if values.get("q"):
        statements = statements.filter(Q(dealer__name__icontains=values["q"]) | Q(dealer__code__icontains=values["q"]))
    if values.get("plan"):
        statements = statements.filter(plan=values["plan"])
    if values.get("state"):
        statements = statements.in_state(values["state"])
    if values.get("status"):
        statements = statements.filter(status=values["status"])
    if values.get("year"):
        statements = statements.filter(period_start__year=values["year"])
    if values.get("period_kind"):
        statements = statements.filter(plan__period_kind=values["period_kind"])
    ordering = request.GET.get("ordering", "")
    if ordering.lstrip("-") in STATEMENT_SORTS:
        statements = statements.order_by(ordering, "-period_start", "id")
    else:
        ordering = ""
        statements = statements.order_by("-period_start", "dealer__name", "plan__name", "id")
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(statements, _statement_columns(dealer_user), filename="rebate-statements", fmt=fmt)
    page = Paginator(statements, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "rebates/statement_list.html", {
        "page": page, "form": form, "ordering": ordering, "sorts": STATEMENT_SORTS, "dealer_user": dealer_user,
        "overview": dealer_rebate_overview(dealer=user.dealer) if dealer_user else None,
        "totals": None if dealer_user else statements.order_by().totals(),
        "can_settle": can_settle_rebates(user), "can_manage_plans": can_manage_plans(user),
    })


def _get_statement(request, pk: int) -> RebateStatement:
    _require_rebate_access(request.user)
    try:
        return rebate_statement_detail(user=request.user, pk=pk)
    except RebateStatement.DoesNotExist:
        raise Http404 from None


@login_required
def statement_detail(request, pk: int):
    """One statement and how it was computed: the orders counted, the tiers, the rate, the rounding."""
    statement = _get_statement(request, pk)
    user = request.user
    may_settle = (
        can_settle_rebates(user) and statement.status == StatementStatus.ACCRUED and statement.period_ended
    )
    return render(request, "rebates/statement_detail.html", {
        "statement": statement,
        "orders": rebate_statement_orders(statement=statement),
        "tiers": list(statement.plan.tiers.all()),
        "settle_form": SettleForm() if may_settle else None,
        "dealer_user": is_dealer_user(user),
    })


@login_required
@require_POST
def statement_settle(request, pk: int):
    statement = _get_statement(request, pk)
    if not can_settle_rebates(request.user):
        raise PermissionDenied
    form = SettleForm(request.POST)
    if form.is_valid():
        try:
            services.rebate_statement_settle(
                statement=statement, by=request.user, method=form.cleaned_data["method"],
                reference=form.cleaned_data["reference"], note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        except StateConflict as error:
            messages.error(request, str(error))
            return redirect("rebates:statement_detail", pk=statement.pk)
        else:
            messages.success(request, SETTLED)
            return redirect("rebates:statement_detail", pk=statement.pk)
    return render(request, "rebates/statement_detail.html", {
        "statement": statement,
        "orders": rebate_statement_orders(statement=statement),
        "tiers": list(statement.plan.tiers.all()),
        "settle_form": form,
        "dealer_user": False,
    }, status=400)


@login_required
def plan_list(request):
    user = request.user
    _require_rebate_access(user)
    # How many of the user's dealers are on each plan (a count counts only what the user may see).
    in_scope = Q(assignments__in=rebate_assignment_queryset_for(user))
    plans = rebate_plan_list(user=user).annotate(
        dealer_count=Count("assignments", filter=in_scope, distinct=True)
    ).order_by("-is_active", "name")
    return render(request, "rebates/plan_list.html", {
        "plans": plans, "can_manage": can_manage_plans(user), "dealer_user": is_dealer_user(user),
    })


@login_required
def plan_detail(request, pk: int):
    user = request.user
    _require_rebate_access(user)
    plan = get_object_or_404(rebate_plan_list(user=user), pk=pk)
    assignments = None
    if not is_dealer_user(user):
        assignments = (
            rebate_assignment_queryset_for(user).filter(plan=plan)
            .select_related("dealer", "dealer__region")
            .order_by("dealer__name")
        )
        assignments = Paginator(assignments, 50).get_page(request.GET.get("page"))
    return render(request, "rebates/plan_detail.html", {
        "plan": plan, "page": assignments, "can_manage": can_manage_plans(user),
        "is_campaign": plan.kind == PlanKind.CAMPAIGN,
        "audit": audit_history(instance=plan) if user.is_hq_admin else None,
    })


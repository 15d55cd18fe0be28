"""Pages of the stock count and the suggested order of a visit (SPEC §2 steps 3–4),
phone first. Every page starts from visits.selectors.visit_queryset_for: a visit
outside the user's scope is 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from common.exceptions import StateConflict
from inventory.selectors import PROBLEM_FLAGS, flag_texts, suggestion_settings
from visits import counting
from visits.models import DealerProduct, VisitStatus
from visits.selectors import visit_queryset_for


def _visit(request, pk: int):
    return get_object_or_404(visit_queryset_for(request.user).select_related("dealer", "rep", "order"), pk=pk)


@login_required
def stock_count(request, pk: int):
    """Every product the dealer carries in one form: stock, production date, batch;
    the previous count as a hint. Saved whole or not at all."""
    visit = _visit(request, pk)
    carried = list(
        DealerProduct.objects.filter(dealer_id=visit.dealer_id).select_related("product")
        .order_by("product__sku", "product_id")
    )
    previous, hints = counting.previous_count_hints(dealer_id=visit.dealer_id)
    errors: dict = {}
    general: list = []
    values = {}
    if request.method == "POST":
        lines = []
        for row in carried:
            pid = row.product_id
            values[pid] = {
                "quantity": request.POST.get(f"qty-{pid}", "").strip(),
                "production_date": request.POST.get(f"pd-{pid}", "").strip(),
                "batch": request.POST.get(f"batch-{pid}", "").strip(),
            }
            lines.append({"product": pid, **values[pid]})
        try:
            counting.stock_count_create(visit=visit, user=request.user, lines=lines)
        except StateConflict as error:
            general.append(str(error))
        except ValidationError as error:
            for key, messages_ in error.message_dict.items():
                if key.startswith("lines.") and key[6:].isdigit() and int(key[6:]) < len(carried):
                    errors[carried[int(key[6:])].product_id] = messages_
                else:
                    general.extend(messages_)
        else:
            messages.success(request, _("Stock count saved."))
            return redirect("visits:suggested_order", pk=visit.pk)
    rows = []
    for row in carried:
        hint = hints.get(row.product_id)
        value = values.get(row.product_id, {})
        rows.append({
            "product": row.product, "hint": hint, "errors": errors.get(row.product_id, []),
            "quantity": value.get("quantity", ""), "production_date": value.get("production_date", ""),
            "batch": value.get("batch", ""),
        })
    return render(request, "visits/count/stock_count.html", {
        "visit": visit, "rows": rows, "previous": previous, "general_errors": general,
        "can_count": visit.status == VisitStatus.IN_PROGRESS,
        "count_refusal": counting.count_refusal(visit),
    })


@login_required
def suggested_order(request, pk: int):
    """The suggested order of the visit's latest count with its working; editable
    quantities (a reason when changed); one button places the order."""
    visit = _visit(request, pk)
    count = counting.latest_count_of_visit(visit)
    lines = counting.suggestion_lines(count)
    errors: list = []
    posted = {}
    if request.method == "POST" and count is not None:
        quantities, reasons = {}, {}
        for line in lines:
            pid = line.product_id
            quantities[pid] = request.POST.get(f"qty-{pid}", "").strip()
            reasons[pid] = request.POST.get(f"reason-{pid}", "").strip()
            posted[pid] = (quantities[pid], reasons[pid])
        try:
            order = counting.suggested_order_place(stock_count=count, user=request.user, quantities=quantities,
                                                   reasons=reasons)
        except (ValidationError, StateConflict, PermissionDenied) as error:
            errors.extend(error.messages if isinstance(error, ValidationError) else [str(error)])
        else:
            messages.success(request, _("Order %(number)s placed from the suggested order.") % {"number": order.number})
            return redirect("inventory:order_detail", pk=order.pk)
    rows = []
    for line in lines:
        quantity, reason = posted.get(line.product_id, (None, None))
        if quantity is None:
            quantity = line.ordered_quantity if line.ordered_quantity is not None else (line.suggested_quantity or 0)
            reason = line.change_reason
        rows.append({
            "line": line, "flags": flag_texts(line.flags), "quantity": quantity, "reason": reason,
            "problem": any(flag in PROBLEM_FLAGS for flag in line.flags),
        })
    default, _lookback, _threshold = suggestion_settings()
    return render(request, "visits/count/suggested_order.html", {
        "visit": visit, "count": count, "rows": rows, "errors": errors, "coefficient_default": default,
        "can_order": count is not None and visit.order_id is None and bool(lines),
    })

"""Pages of the stock count and the suggested order of a visit (SPEC §2 steps 3–4),
phone first. Every page starts from visits.selectors.visit_queryset_for: a visit
outside the user's scope is 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.exceptions import StateConflict
from inventory.counting import is_only_implausible
from inventory.models import Product
from inventory.selectors import (
    PROBLEM_FLAGS,
    carried_product_list,
    carried_products,
    flag_texts,
    suggestion_settings,
)
from visits.models import VisitStatus
from visits.selectors import visit_queryset_for
from visits.services import counting

FOUND_ROWS_DEFAULT = 1
FOUND_ROWS_MAX = 10
FOUND_PRODUCT_MISSING = gettext_lazy("Choose the product you found on the shelf.")


def _visit(request, pk: int):
    return get_object_or_404(visit_queryset_for(request.user).select_related("dealer", "rep", "order"), pk=pk)


def _found_rows(request) -> int:
    try:
        wanted = int(request.POST.get("found_rows") or request.GET.get("found") or FOUND_ROWS_DEFAULT)
    except ValueError:
        wanted = FOUND_ROWS_DEFAULT
    return max(FOUND_ROWS_DEFAULT, min(wanted, FOUND_ROWS_MAX))


@login_required
def stock_count(request, pk: int):
    """Every product the dealer carries in one form, each with its unit and labelled
    fields (stock, production date, batch) and the previous count as a hint; a few
    rows for products found on the shelf. Counting again pre-fills this visit's
    count. Saved whole or not at all; implausible quantities are questioned and
    saved once the rep confirms them. A double submission saves once."""
    visit = _visit(request, pk)
    carried_now = carried_products(dealer_ids=[visit.dealer_id])[visit.dealer_id]
    carried_ids = sorted(carried_now)
    found_rows = _found_rows(request)
    errors: dict = {}
    found_errors: dict = {}
    general: list = []
    values: dict = {}
    found_values: list = []
    ask_confirmation = False
    if request.method == "POST":
        lines, positions = [], []
        for pid in carried_ids:
            values[pid] = {
                "quantity": request.POST.get(f"qty-{pid}", "").strip(),
                "production_date": request.POST.get(f"pd-{pid}", "").strip(),
                "batch": request.POST.get(f"batch-{pid}", "").strip(),
            }
            lines.append({"product": pid, **values[pid]})
            positions.append(("carried", pid))
        for index in range(found_rows):
            row = {
                "product": request.POST.get(f"found-{index}-product", "").strip(),
                "quantity": request.POST.get(f"found-{index}-qty", "").strip(),
                "production_date": request.POST.get(f"found-{index}-pd", "").strip(),
                "batch": request.POST.get(f"found-{index}-batch", "").strip(),
            }
            found_values.append(row)
            if row["product"]:
                lines.append({**row, "found_on_shelf": True})
                positions.append(("found", index))
            elif row["quantity"] or row["production_date"] or row["batch"]:
                found_errors[index] = [FOUND_PRODUCT_MISSING]
        if "add_found" in request.POST:  # one more "found on the shelf" row; nothing is saved yet
            found_rows = min(found_rows + 1, FOUND_ROWS_MAX)
            found_errors = {}
        elif not found_errors:  # a found row without its product is said before anything is saved
            try:
                saved = counting.stock_count_create(
                    visit=visit, user=request.user, lines=lines,
                    confirm_implausible=request.POST.get("confirm_implausible") == "1",
                )
            except (StateConflict, PermissionDenied) as error:
                general.append(str(error))
            except ValidationError as error:
                ask_confirmation = is_only_implausible(error)
                if ask_confirmation:
                    general.append(_("Some quantities look implausible. Check them: if they are right, tick "
                                     "the box below and save again."))
                for key, messages_ in error.message_dict.items():
                    if key.startswith("lines.") and key[6:].isdigit() and int(key[6:]) < len(positions):
                        kind, where = positions[int(key[6:])]
                        (errors if kind == "carried" else found_errors).setdefault(where, []).extend(messages_)
                    elif key != "confirm_implausible":
                        general.extend(messages_)
            else:
                if not saved.created:
                    messages.info(request, _("This count was already saved."))
                elif saved.replaced is not None:
                    messages.success(request, _("Stock count saved: it replaces the earlier count of this visit."))
                else:
                    messages.success(request, _("Stock count saved."))
                return redirect("visits:suggested_order", pk=visit.pk)
    # The page: what the dealer carries, this visit's count (counting again starts
    # from it) and the previous visit's as hints.
    carried = carried_product_list(dealer=visit.dealer, carried=carried_now)
    carried_ids = [product.pk for product, _carried in carried]
    current = counting.current_count_of_visit(visit)
    current_lines = counting.count_lines_by_product(current)
    previous, hints = counting.previous_count_hints(dealer_id=visit.dealer_id, visit=visit)
    rows = []
    for product, carried_row in carried:
        value = values.get(product.pk)
        line = current_lines.get(product.pk)
        if value is None:  # counting again: start from this visit's count
            value = {
                "quantity": "" if line is None else line.quantity,
                "production_date": line.production_date.isoformat() if line and line.production_date else "",
                "batch": line.batch if line else "",
            }
        rows.append({
            "product": product, "carried": carried_row, "hint": hints.get(product.pk),
            "errors": errors.get(product.pk, []), **value,
        })
    found_choices = []
    if visit.status == VisitStatus.IN_PROGRESS:
        found_choices = list(
            Product.objects.active().exclude(pk__in=carried_ids).order_by("name", "sku").values_list("pk", "name", "sku")
        )
    found = [
        {"index": index, "errors": found_errors.get(index, []),
         **(found_values[index] if index < len(found_values) else {"product": "", "quantity": "",
                                                                   "production_date": "", "batch": ""})}
        for index in range(found_rows)
    ]
    return render(request, "visits/count/stock_count.html", {
        "visit": visit, "rows": rows, "previous": previous, "current": current, "general_errors": general,
        "can_count": visit.status == VisitStatus.IN_PROGRESS, "count_refusal": counting.count_refusal(visit),
        "found": found, "found_rows": found_rows, "found_choices": found_choices,
        "more_found": min(found_rows + 1, FOUND_ROWS_MAX), "can_add_found": found_rows < FOUND_ROWS_MAX,
        "ask_confirmation": ask_confirmation,
    })


@login_required
def suggested_order(request, pk: int):
    """The suggested order of the visit's count with its working in full (every
    period, the median, the coefficient and where it came from); editable
    quantities (a reason when changed); one button places the order."""
    visit = _visit(request, pk)
    count = counting.current_count_of_visit(visit)
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
        "can_count": visit.status == VisitStatus.IN_PROGRESS,
    })

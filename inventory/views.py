"""Pages: products, price lists, orders (list, detail with its workflow buttons,
placement, re-order) and printable slips. Every page starts from a scope
function in inventory.selectors; outside it answers 404."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.policy import is_dealer_user
from common.audit import audit_history_of
from common.exceptions import StateConflict
from common.exports import MONEY, Column, export_response
from dealers.models import DealerStatus, DealerTier
from dealers.selectors import dealer_queryset_for
from inventory import counting, services
from inventory.calculations import money
from inventory.filters import OrderFilter, order_number_q
from inventory.forms import (
    ORDER_SORTS,
    DealerChoiceForm,
    OrderFilterForm,
    OrderPlacementForm,
    PaymentForm,
    ReasonForm,
    ShipForm,
    TierChoiceForm,
)
from inventory.models import Order, OrderStatus, Product, ProductCategory, TierPrice
from inventory.permissions import (
    can_change_carried_products,
    can_manage_catalogue,
    can_place_orders,
    can_print_picking_slip,
    order_actions_for,
)
from inventory.selectors import (
    order_detail,
    order_queryset_for,
    orderable_products,
    product_queryset_for,
    tier_price_queryset_for,
    tiers_visible_to,
)
from inventory.workflow import MAIN_PATH, OrderAction

PAGE_SIZE = 25

ACTION_DONE = {
    OrderAction.CONFIRM: gettext_lazy("Order confirmed."),
    OrderAction.PAY: gettext_lazy("Payment recorded."),
    OrderAction.PICK: gettext_lazy("Order marked as picked."),
    OrderAction.SHIP: gettext_lazy("Order shipped."),
    OrderAction.RECEIVE: gettext_lazy("Receipt confirmed."),
    OrderAction.REJECT: gettext_lazy("Order rejected."),
    OrderAction.CANCEL: gettext_lazy("Order cancelled."),
}
REORDER_SKIPPED = gettext_lazy("No longer orderable, left out: %(products)s.")


# --- Products and prices ---------------------------------------------------------------
@login_required
def product_list(request):
    user = request.user
    products = product_queryset_for(user)
    query = request.GET.get("q", "").strip()
    if query:
        products = products.filter(Q(sku__icontains=query) | Q(name__icontains=query))
    category = request.GET.get("category", "")
    if category.isdigit():
        products = products.filter(category_id=int(category))
    if is_dealer_user(user):
        price = TierPrice.objects.filter(product=OuterRef("pk"), tier=user.dealer.tier).values("price")[:1]
        products = products.annotate(my_price=Subquery(price))
    else:
        products = products.prefetch_related(Prefetch("tier_prices", queryset=TierPrice.objects.order_by("tier")))
    page = Paginator(products.order_by("category__sort_order", "sku"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inventory/product_list.html", {
        "page": page, "query": query, "category": category,
        "categories": ProductCategory.objects.all(),
        "can_manage": can_manage_catalogue(user), "tiers": DealerTier.choices,
    })


@login_required
def product_detail(request, pk: int):
    user = request.user
    product = get_object_or_404(product_queryset_for(user), pk=pk)
    prices = tier_price_queryset_for(user).filter(product=product).order_by("tier")
    audit = audit_history_of(instances=[product, *prices]) if user.is_hq_admin else None
    return render(request, "inventory/product_detail.html", {
        "product": product, "prices": prices, "can_manage": can_manage_catalogue(user), "audit": audit,
    })


@login_required
def price_list(request):
    """A tier's price list: a dealer user sees only its own tier; staff pick one."""
    user = request.user
    tiers = tiers_visible_to(user)
    tier_form = None
    if is_dealer_user(user):
        tier = user.dealer.tier
    else:
        tier_form = TierChoiceForm(request.GET or None, initial={"tier": tiers[0]})
        tier = tier_form.cleaned_data["tier"] if tier_form.is_bound and tier_form.is_valid() else tiers[0]
    products = orderable_products(tier=tier)
    query = request.GET.get("q", "").strip()
    if query:
        products = products.filter(Q(sku__icontains=query) | Q(name__icontains=query))
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        columns = [
            Column(_("SKU"), "sku"), Column(_("Product"), "name"), Column(_("Category"), "category__name"),
            Column(_("Specification"), "specification"), Column(_("Unit"), lambda p: p.get_unit_display()),
            Column(_("Units per case"), "units_per_case"), Column(_("Price"), lambda p: money(p.tier_price), kind=MONEY),
            Column(_("Guideline retail price"), "guideline_price", kind=MONEY),
        ]
        return export_response(products, columns, filename=f"prices-{tier}", fmt=fmt)
    groups = [(category, list(items)) for category, items in groupby(products, key=lambda p: p.category)]
    return render(request, "inventory/price_list.html", {
        "tier": tier, "tier_label": DealerTier(tier).label, "tier_form": tier_form, "groups": groups, "query": query,
    })


# --- Orders ------------------------------------------------------------------------------
def _order_columns() -> list[Column]:
    return [
        Column(_("Order"), "number"),
        Column(_("Submitted"), "submitted_at"),
        Column(_("Dealer code"), "dealer__code"),
        Column(_("Dealer"), "dealer__name"),
        Column(_("Status"), lambda order: order.get_status_display()),
        Column(_("Source"), lambda order: order.get_source_display()),
        Column(_("Total"), "total", kind=MONEY),
        Column(_("Amount paid"), "amount_paid", kind=MONEY),
        Column(_("Amount due"), "amount_due", kind=MONEY),
        Column(_("Payment due"), "payment_due_date"),
        Column(_("Shipped at"), "shipped_at"),
        Column(_("Placed by"), lambda order: str(order.placed_by)),
        Column(_("Reason"), "reason"),
    ]


@login_required
def order_list(request):
    user = request.user
    dealer_user = is_dealer_user(user)
    dealers = None if dealer_user else dealer_queryset_for(user).order_by("name").only("id", "name", "code")
    form = OrderFilterForm(request.GET or None, dealers=dealers)
    form.is_valid()  # filters that are valid apply; a bad one is shown and ignored
    values = getattr(form, "cleaned_data", {})
    orders = order_queryset_for(user).select_related("dealer", "placed_by")
    filters = {
        "status": [values["status"]] if values.get("status") else None,
        "dealer": values["dealer"].pk if values.get("dealer") else None,
        "submitted_after": values.get("submitted_after"),
        "submitted_before": values.get("submitted_before"),
        "overdue": request.GET.get("overdue") or None,
        "open": request.GET.get("open") or None,
    }
    orders = OrderFilter({k: v for k, v in filters.items() if v}, queryset=orders).qs
    query = values.get("q", "")
    if query:
        condition = Q(dealer__name__icontains=query) | Q(dealer__code__icontains=query)
        by_number = order_number_q(query)
        orders = orders.filter(condition | by_number if by_number is not None else condition)
    ordering = request.GET.get("ordering", "")
    if ordering.lstrip("-") in ORDER_SORTS:
        orders = orders.order_by(ordering, "-id")
    else:
        ordering = ""
        orders = orders.order_by("-submitted_at", "-id")
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(orders, _order_columns(), filename="orders", fmt=fmt)
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inventory/order_list.html", {
        "page": page, "form": form, "ordering": ordering, "sorts": ORDER_SORTS,
        "dealer_user": dealer_user, "can_place": can_place_orders(user),
        "filtered": any(request.GET.get(name) for name in ("status", "dealer", "submitted_after", "submitted_before", "ordering", "overdue", "open")),
    })


def _get_order(request, pk: int) -> Order:
    try:
        return order_detail(user=request.user, pk=pk)
    except Order.DoesNotExist:
        raise Http404 from None


@login_required
def order_detail_page(request, pk: int):
    user = request.user
    order = _get_order(request, pk)
    actions = order_actions_for(user=user, order=order)
    progress = []
    if order.status in MAIN_PATH:
        reached = MAIN_PATH.index(order.status)
        progress = [(OrderStatus(status).label, index <= reached) for index, status in enumerate(MAIN_PATH)]
    return render(request, "inventory/order_detail.html", {
        "order": order,
        "actions": actions,
        "progress": progress,
        "payment_form": PaymentForm(initial={"amount": order.amount_due}, auto_id="pay_%s"),
        "reject_form": ReasonForm(auto_id="reject_%s"),
        "cancel_form": ReasonForm(auto_id="cancel_%s"),
        "ship_form": ShipForm(auto_id="ship_%s"),
        "can_reorder": can_place_orders(user) and order.dealer.status == DealerStatus.ACTIVE,
        "can_print_picking": can_print_picking_slip(user),
    })


@login_required
@require_POST
def order_action(request, pk: int, action: str):
    """One workflow step from the order page's buttons; the same service as the API."""
    if action not in OrderAction.values:
        raise Http404
    order = get_object_or_404(order_queryset_for(request.user), pk=pk)
    form_class = {
        OrderAction.PAY: PaymentForm, OrderAction.REJECT: ReasonForm, OrderAction.CANCEL: ReasonForm,
        OrderAction.SHIP: ShipForm,
    }.get(action)
    kwargs = {}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect("inventory:order_detail", pk=order.pk)
        kwargs = form.cleaned_data
    try:
        services.order_transition(order=order, action=action, by=request.user, **kwargs)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except StateConflict as error:
        messages.error(request, str(error))
    except PermissionDenied:
        raise
    else:
        messages.success(request, ACTION_DONE[action])
    return redirect("inventory:order_detail", pk=order.pk)


@login_required
def order_create(request):
    """Place an order: a dealer user for its own company, a rep or manager on the
    behalf of a dealer in scope (代客下单). `?from=<order>` re-orders a past order."""
    user = request.user
    if not can_place_orders(user):
        raise PermissionDenied
    source_order = None
    source_id = request.GET.get("from", "")
    if source_id.isdigit():
        source_order = get_object_or_404(order_queryset_for(user).prefetch_related("lines__product"), pk=int(source_id))
    if is_dealer_user(user):
        dealer = user.dealer
    else:
        dealer_id = request.POST.get("dealer") or request.GET.get("dealer") or (source_order and source_order.dealer_id)
        choices = dealer_queryset_for(user).filter(status=DealerStatus.ACTIVE).order_by("name")
        if not dealer_id or not str(dealer_id).isdigit():
            return render(request, "inventory/order_dealer_choice.html", {"form": DealerChoiceForm(dealers=choices)})
        dealer = get_object_or_404(dealer_queryset_for(user), pk=int(dealer_id))
    if source_order is not None and source_order.dealer_id != dealer.pk:
        raise Http404
    context = {"dealer": dealer, "source_order": source_order}
    if dealer.status != DealerStatus.ACTIVE:
        context["blocked"] = services.DEALER_NOT_ACTIVE % {"dealer": dealer.name}
        return render(request, "inventory/order_form.html", context)
    products = list(orderable_products(tier=dealer.tier))
    initial = {}
    if source_order is not None:
        orderable = {product.pk for product in products}
        initial = {line.product_id: line.quantity for line in source_order.lines.all() if line.product_id in orderable}
        skipped = [line.product.name for line in source_order.lines.all() if line.product_id not in orderable]
        if skipped and request.method == "GET":
            messages.warning(request, REORDER_SKIPPED % {"products": ", ".join(skipped)})
    form = OrderPlacementForm(request.POST or None, products=products, initial_quantities=initial)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.order_create(
                dealer=dealer, placed_by=user, lines=form.line_inputs(), note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Order %(number)s submitted.") % {"number": order.number})
            return redirect("inventory:order_detail", pk=order.pk)
    rows = form.rows()
    context.update({
        "form": form,
        "groups": [(category, list(items)) for category, items in groupby(rows, key=lambda row: row[0].category)],
        "tier_label": DealerTier(dealer.tier).label,
    })
    return render(request, "inventory/order_form.html", context)


SLIPS = {
    "order": gettext_lazy("Order"),
    "picking": gettext_lazy("Picking slip"),
    "delivery": gettext_lazy("Delivery slip"),
}


@login_required
def order_slip(request, pk: int, kind: str):
    """Printable order, picking and delivery slips (static/css/print.css)."""
    if kind not in SLIPS:
        raise Http404
    order = _get_order(request, pk)
    if kind == "picking" and not can_print_picking_slip(request.user):
        raise PermissionDenied
    return render(request, "inventory/slip.html", {"order": order, "kind": kind, "title": SLIPS[kind]})


# --- Products a dealer carries (SPEC §3): a manager or HQ admin adds or stops one -------------
def _carried_dealer(request, dealer_id: int):
    dealer = get_object_or_404(dealer_queryset_for(request.user), pk=dealer_id)
    if not can_change_carried_products(request.user):
        raise PermissionDenied
    return dealer


def _back_to_carried(dealer_id: int):
    return redirect(reverse("dealers:detail", args=[dealer_id]) + "#carried")


@login_required
@require_POST
def dealer_product_add(request, dealer_id: int):
    """Carry a product at the dealer (added by hand); a stopped one is carried again."""
    dealer = _carried_dealer(request, dealer_id)
    product = Product.objects.filter(pk=counting.parse_product_id(request.POST.get("product")) or 0).first()
    if product is None:
        messages.error(request, counting.PRODUCT_UNKNOWN)
        return _back_to_carried(dealer.pk)
    _carried, created = counting.dealer_product_add(dealer=dealer, product=product, by=request.user)
    if created:
        messages.success(request, _("%(product)s is carried from today: it is on the stock count.")
                         % {"product": product.name})
    else:
        messages.info(request, _("%(product)s is already carried.") % {"product": product.name})
    return _back_to_carried(dealer.pk)


@login_required
@require_POST
def dealer_product_stop(request, dealer_id: int, product_id: int):
    """Stop a product: it leaves the stock count; its counts stay in the history."""
    dealer = _carried_dealer(request, dealer_id)
    product = get_object_or_404(Product, pk=product_id)
    try:
        counting.dealer_product_stop(dealer=dealer, product=product, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(product)s stopped: it leaves the stock count; its counts stay in the "
                                    "history.") % {"product": product.name})
    return _back_to_carried(dealer.pk)

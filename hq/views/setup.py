"""The setup index, regions, categories, products and tier price lists."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from common.forms import add_service_errors
from common.upsert import BulkInvalid
from dealers.models import Dealer, DealerTier, EvaluationCriterion
from hq.forms import CategoryForm, ProductForm, RegionForm
from hq.selectors import setup_checklist
from hq.views.common import hq_admin_required
from inventory import catalogue
from inventory.models import Product, ProductCategory, TierPrice
from rebates.models import RebatePlan
from regions import services as region_services
from regions.models import Region
from regions.selectors import region_name_paths
from visits.models import VisitPlan

PAGE_SIZE = 50


@hq_admin_required
def index(request):
    """Setup: one card per thing HQ maintains, with how many there are (one query each)."""
    counts = {
        "regions": Region.objects.count(),
        "categories": ProductCategory.objects.count(),
        "products": Product.objects.count(),
        "prices": TierPrice.objects.count(),
        "users": User.objects.filter(is_active=True).count(),
        "criteria": EvaluationCriterion.objects.filter(active=True).count(),
        "rebate_plans": RebatePlan.objects.filter(is_active=True).count(),
        "plans": VisitPlan.objects.filter(is_active=True).count(),
        "dealers": Dealer.objects.count(),
    }
    checklist = setup_checklist()
    return render(request, "hq/index.html", {"counts": counts, "checklist": checklist})


# --- regions -----------------------------------------------------------------------------------
@hq_admin_required
def regions(request):
    """The territory tree, indented, with each region's dealers and sub-regions counted (two queries)."""
    paths = region_name_paths()
    tree = Region.objects.order_by("path").annotate(
        dealer_count=Count("dealers", distinct=True), child_count=Count("children", distinct=True))
    query = request.GET.get("q", "").strip()
    if query:
        matching = [pk for pk, path in paths.items() if query.casefold() in path.casefold()]
        tree = tree.filter(pk__in=matching)
    form = RegionForm(initial={"parent": request.GET.get("parent") or None})
    return render(request, "hq/regions.html", {"tree": tree, "paths": paths, "form": form, "query": query})


@hq_admin_required
def region_create(request):
    form = RegionForm(request.POST or None, initial={"parent": request.GET.get("parent") or None})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            region = region_services.region_create(name=data["name"], parent=data["parent"], kind=data["kind"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Region “%(name)s” added.") % {"name": region.name})
            return redirect(reverse("hq:regions") + f"#region-{region.pk}")
    return render(request, "hq/region_form.html", {"form": form, "region": None})


@hq_admin_required
def region_edit(request, pk: int):
    region = get_object_or_404(Region, pk=pk)
    initial = {"name": region.name, "kind": region.kind, "parent": region.parent_id}
    form = RegionForm(request.POST or None, initial=initial, region=region)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            region = region_services.region_update(region=region, name=data["name"], kind=data["kind"],
                                                   parent=data["parent"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Region “%(name)s” saved.") % {"name": region.name})
            return redirect(reverse("hq:regions") + f"#region-{region.pk}")
    return render(request, "hq/region_form.html", {"form": form, "region": region,
                                                   "path": region_name_paths().get(region.pk, region.name)})


@hq_admin_required
@require_POST
def region_delete(request, pk: int):
    region = get_object_or_404(Region, pk=pk)
    try:
        region_services.region_delete(region=region)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("hq:region_edit", pk=pk)
    messages.success(request, _("Region “%(name)s” deleted.") % {"name": region.name})
    return redirect("hq:regions")


# --- categories and products -------------------------------------------------------------------
@hq_admin_required
def categories(request):
    rows = ProductCategory.objects.annotate(product_count=Count("products")).order_by("sort_order", "name")
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            category = catalogue.category_create(name=form.cleaned_data["name"],
                                                 sort_order=form.cleaned_data["sort_order"] or 0)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Category “%(name)s” added.") % {"name": category.name})
            return redirect("hq:categories")
    return render(request, "hq/categories.html", {"categories": rows, "form": form})


@hq_admin_required
def category_edit(request, pk: int):
    category = get_object_or_404(ProductCategory, pk=pk)
    form = CategoryForm(request.POST or None, initial={"name": category.name, "sort_order": category.sort_order})
    if request.method == "POST" and form.is_valid():
        try:
            catalogue.category_update(category=category, name=form.cleaned_data["name"],
                                      sort_order=form.cleaned_data["sort_order"] or 0)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Category saved."))
            return redirect("hq:categories")
    return render(request, "hq/category_form.html", {"form": form, "category": category})


@hq_admin_required
def products(request):
    query = request.GET.get("q", "").strip()
    rows = Product.objects.select_related("category").prefetch_related(
        Prefetch("tier_prices", queryset=TierPrice.objects.only("tier", "price", "product_id"))).order_by("sku")
    if query:
        rows = rows.filter(Q(sku__icontains=query) | Q(name__icontains=query))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for product in page:
        product.price_by_tier = {price.tier: price.price for price in product.tier_prices.all()}
    return render(request, "hq/products.html", {"page": page, "query": query, "tiers": DealerTier.choices})


def _product_form_page(request, product: Product | None):
    if product is None:
        initial = {"unit": "case", "units_per_case": 1, "is_active": True, "category": request.GET.get("category")}
    else:
        initial = {name: getattr(product, name) for name in (
            "sku", "name", "specification", "unit", "units_per_case", "shelf_life_days", "guideline_price",
            "floor_price", "safety_coefficient", "is_active")}
        initial["category"] = product.category_id
        initial.update({f"price_{price.tier}": price.price for price in product.tier_prices.all()})
    form = ProductForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields, prices = form.product_fields(), form.tier_prices()
        try:
            if product is None:
                product = catalogue.product_create(**fields, tier_prices=prices, by=request.user)
            else:
                product = catalogue.product_update(product=product, **fields, tier_prices=prices, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Product %(sku)s saved.") % {"sku": product.sku})
            return redirect("hq:products")
    return render(request, "hq/product_form.html", {"form": form, "product": product,
                                                    "categories_exist": ProductCategory.objects.exists()})


@hq_admin_required
def product_create(request):
    return _product_form_page(request, None)


@hq_admin_required
def product_edit(request, pk: int):
    return _product_form_page(request, get_object_or_404(Product.objects.prefetch_related("tier_prices"), pk=pk))


@hq_admin_required
def prices(request):
    """One tier's price list: every product with its price for the tier, a page of
    them editable at once (saved whole or not at all)."""
    tier = request.GET.get("tier") or request.POST.get("tier") or DealerTier.PROVINCE
    if tier not in DealerTier.values:
        tier = DealerTier.PROVINCE
    query = request.GET.get("q", "").strip()
    rows = Product.objects.select_related("category").order_by("sku")
    if query:
        rows = rows.filter(Q(sku__icontains=query) | Q(name__icontains=query))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    current = dict(TierPrice.objects.filter(tier=tier, product__in=list(page)).values_list("product_id", "price"))
    errors: dict[int, str] = {}
    if request.method == "POST":
        changes, cleared = [], []
        for product in page:
            raw = request.POST.get(f"price-{product.pk}", "").strip().replace(",", "")
            if raw == "":
                if product.pk in current:
                    cleared.append(product.pk)
                continue
            try:
                value = Decimal(raw)
            except InvalidOperation:
                errors[product.pk] = _("Enter a number.")
                continue
            changes.append({"tier": tier, "product": product, "price": value})
        if not errors:
            try:
                with transaction.atomic():
                    catalogue.tier_prices_upsert(rows=changes, by=request.user)
                    catalogue.tier_prices_clear(tier=tier, product_ids=cleared, by=request.user)
            except BulkInvalid as error:
                for result in error.results:
                    if result.errors:
                        errors[changes[result.index]["product"].pk] = " ".join(
                            message for messages_ in result.errors.values() for message in messages_)
            else:
                messages.success(request, _("Price list saved."))
                return redirect(f"{reverse('hq:prices')}?{request.GET.urlencode()}" if request.GET
                                else f"{reverse('hq:prices')}?tier={tier}")
        if errors:
            messages.error(request, _("Nothing was saved: correct the prices marked below."))
    for product in page:
        product.tier_price = request.POST.get(f"price-{product.pk}") if request.method == "POST" else current.get(product.pk)
        product.price_error = errors.get(product.pk)
    return render(request, "hq/prices.html", {"page": page, "tier": tier, "tiers": DealerTier.choices,
                                              "query": query, "tier_label": DealerTier(tier).label})



"""Writes of the catalogue: product categories, products and tier prices (SPEC §3
"Products and prices"). The setup pages, the API (products/, tier-prices/, the
upsert-by-code endpoints) and the imports all call these, so a product is
validated by one rule wherever it comes from: the model's field validators
(no negative price, whole positive shelf life, ...) and `Product.clean()` (the
floor resale price never above the guideline price).

The bulk forms (`products_upsert`, `tier_prices_upsert`) match rows by code (SKU;
tier and SKU), plan every row first (create / update / unchanged / error, see
common.upsert) and write only when no row has an error, with one lookup and a
few bulk writes per batch rather than queries per row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common.upsert import BulkInvalid, Outcome, RowResult, apply_changes, mark_repeated_keys, model_errors
from dealers.models import DealerTier
from inventory.models import Product, ProductCategory, TierPrice

CATEGORY_NAME_REQUIRED = _("Give the category a name.")
CATEGORY_NAME_TAKEN = _("There is already a category “%(name)s”.")
DEFAULT_CATEGORY_NAME = _("Uncategorised")
SKU_REQUIRED = _("Give the product a SKU.")
SKU_TAKEN = _("There is already a product with SKU “%(sku)s”.")
PRODUCT_UNKNOWN_SKU = _("There is no product with SKU “%(sku)s”.")
TIER_UNKNOWN = _("Unknown tier “%(tier)s”: use province, city or county.")
PRICE_REQUIRED = _("Give a price.")
CONCURRENT_CHANGE = _("Someone changed the same records at the same time; try again.")

# What a product row may set (besides `sku`, its key, and `category`).
PRODUCT_FIELDS = (
    "name", "specification", "unit", "units_per_case", "shelf_life_days", "guideline_price", "floor_price",
    "safety_coefficient", "is_active",
)
# Values of a new product's optional fields when a row leaves them out.
PRODUCT_DEFAULTS = {"specification": "", "units_per_case": 1, "safety_coefficient": None, "is_active": True}


# --- Categories ------------------------------------------------------------------------------
def _check_category_name(name: str, *, exclude_pk: int | None = None) -> None:
    if not name:
        raise ValidationError({"name": CATEGORY_NAME_REQUIRED})
    taken = ProductCategory.objects.filter(name__iexact=name)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError({"name": ValidationError(CATEGORY_NAME_TAKEN, params={"name": name})})


@transaction.atomic
def category_create(*, name: str, sort_order: int = 0) -> ProductCategory:
    name = (name or "").strip()
    _check_category_name(name)
    category = ProductCategory(name=name, sort_order=sort_order or 0)
    category.full_clean()
    category.save()
    return category


@transaction.atomic
def category_update(*, category: ProductCategory, name: str | None = None, sort_order: int | None = None) -> ProductCategory:
    category = ProductCategory.objects.select_for_update().get(pk=category.pk)
    if name is not None:
        category.name = name.strip()
        _check_category_name(category.name, exclude_pk=category.pk)
    if sort_order is not None:
        category.sort_order = sort_order
    category.full_clean()
    category.save()
    return category


def category_default() -> ProductCategory:
    """The category of a product given none (API.md: `category` is optional on
    write), created on demand with its name in the current language."""
    name = str(DEFAULT_CATEGORY_NAME)
    category = ProductCategory.objects.filter(name__iexact=name).first()
    if category is None:
        try:
            with transaction.atomic():
                category = ProductCategory.objects.create(name=name, sort_order=999)
        except IntegrityError:  # created at the same moment by another request
            category = ProductCategory.objects.get(name=name)
    return category


def categories_for_names(names: Sequence[str], *, create: bool) -> dict[str, ProductCategory | None]:
    """{name (case-folded): category} for these names, one query; missing ones are
    created when `create` (an import's new category), else None."""
    wanted = {name.strip().casefold(): name.strip() for name in names if name and name.strip()}
    found = {category.name.casefold(): category for category in ProductCategory.objects.all()
             if category.name.casefold() in wanted}
    result: dict[str, ProductCategory | None] = {}
    for key, name in wanted.items():
        category = found.get(key)
        if category is None and create:
            category = _category_get_or_create(name)
        result[key] = category
    return result


def _category_get_or_create(name: str) -> ProductCategory:
    """The category of that name, created when missing — also when another request
    creates it at the same moment (two ERP calls naming the same new category)."""
    try:
        with transaction.atomic():
            return category_create(name=name)
    except (IntegrityError, ValidationError):
        category = ProductCategory.objects.filter(name__iexact=name).first()
        if category is None:
            raise
        return category


# --- Products ----------------------------------------------------------------------------------
def _product_errors(product: Product) -> dict[str, list[str]]:
    """The one rule of a product: its fields' validators and Product.clean()."""
    return model_errors(product, exclude=["category"])


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError({("__all__" if name == "non_field_errors" else name): messages
                               for name, messages in errors.items()})


@transaction.atomic
def product_create(
    *, sku: str, name: str, category: ProductCategory | None = None,
    tier_prices: Mapping[str, Decimal | None] | None = None, by: User | None = None, **fields,
) -> Product:
    """A new product (in the default category when none is given), with its tier prices."""
    sku = (sku or "").strip()
    if not sku:
        raise ValidationError({"sku": SKU_REQUIRED})
    if Product.objects.filter(sku=sku).exists():
        raise ValidationError({"sku": ValidationError(SKU_TAKEN, params={"sku": sku})})
    unknown = set(fields) - set(PRODUCT_FIELDS)
    if unknown:
        raise TypeError(f"product_create() got unexpected fields {sorted(unknown)}")
    product = Product(sku=sku, name=(name or "").strip(), **{**PRODUCT_DEFAULTS, **fields})
    _raise(_product_errors(product))
    product.category = category or category_default()
    product.save()
    if tier_prices:
        _set_tier_prices(product=product, tier_prices=tier_prices)
    return product


@transaction.atomic
def product_update(
    *, product: Product, tier_prices: Mapping[str, Decimal | None] | None = None, by: User | None = None, **fields,
) -> Product:
    """Change a product's fields (its SKU too) and, when given, its tier prices
    (a tier given None loses its price)."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    unknown = set(fields) - {*PRODUCT_FIELDS, "sku", "category"}
    if unknown:
        raise TypeError(f"product_update() got unexpected fields {sorted(unknown)}")
    if "sku" in fields:
        fields["sku"] = (fields["sku"] or "").strip()
        if not fields["sku"]:
            raise ValidationError({"sku": SKU_REQUIRED})
        if Product.objects.filter(sku=fields["sku"]).exclude(pk=product.pk).exists():
            raise ValidationError({"sku": ValidationError(SKU_TAKEN, params={"sku": fields["sku"]})})
    if "category" in fields and fields["category"] is None:
        fields["category"] = category_default()
    apply_changes(product, fields)
    _raise(_product_errors(product))
    product.save()
    if tier_prices is not None:
        _set_tier_prices(product=product, tier_prices=tier_prices)
    return product


def _set_tier_prices(*, product: Product, tier_prices: Mapping[str, Decimal | None]) -> None:
    """Set or clear (None) the product's price per tier; errors come back per tier as `price_<tier>`."""
    rows = [{"tier": tier, "product": product, "price": price} for tier, price in tier_prices.items() if price is not None]
    cleared = [tier for tier, price in tier_prices.items() if price is None]
    if cleared:
        TierPrice.objects.filter(product=product, tier__in=cleared).delete()
    if rows:
        try:
            tier_prices_upsert(rows=rows)
        except BulkInvalid as error:
            errors: dict[str, list[str]] = {}
            for row, result in zip(rows, error.results, strict=True):
                for messages in result.errors.values():
                    errors.setdefault(f"price_{row['tier']}", []).extend(messages)
            raise ValidationError(errors) from error


def products_upsert(*, rows: Sequence[Mapping], by: User | None = None, dry_run: bool = False,
                    seen: dict | None = None) -> list[RowResult]:
    """Create or update products by SKU (ERP sync, the products import): one
    RowResult per row. Each row is `{"sku": ..., <any of PRODUCT_FIELDS>, "category":
    ProductCategory | None, "category_name": str}`; fields left out keep their value
    (a new product: their defaults; no category: the default one). Nothing is
    written when `dry_run` or when any row has an error (BulkInvalid). `seen`
    carries the SKUs of earlier batches of the same file (a SKU may appear once)."""
    results = [RowResult(index=index, key=str(row.get("sku") or "").strip()) for index, row in enumerate(rows)]
    for result in results:
        if not result.key:
            result.add_error("sku", SKU_REQUIRED)
    mark_repeated_keys(results, column="sku", first_rows=seen)
    existing = Product.objects.select_related("category").in_bulk(
        [result.key for result in results if result.key], field_name="sku")
    names = [row.get("category_name") or "" for row in rows]
    categories = categories_for_names(names, create=False)
    for result, row in zip(results, rows, strict=True):
        if result.errors:
            continue
        values = {name: row[name] for name in PRODUCT_FIELDS if name in row}
        if isinstance(values.get("name"), str):
            values["name"] = values["name"].strip()
        product = existing.get(result.key)
        new_category_name = ""
        if row.get("category") is not None:
            category = row["category"]
        elif (row.get("category_name") or "").strip():
            category = categories.get(row["category_name"].strip().casefold())
            if category is None:
                new_category_name = row["category_name"].strip()
        else:
            category = product.category if product else None
        if product is None:
            product = Product(sku=result.key, **{**PRODUCT_DEFAULTS, **values})
            result.outcome = Outcome.CREATE
        else:
            result.changed = apply_changes(product, values)
        if new_category_name:
            result.extra["category_name"] = new_category_name
            if result.action != Outcome.CREATE:
                result.changed.append("category")
        elif category is not None and product.category_id != category.pk:
            product.category = category
            if result.action != Outcome.CREATE:
                result.changed.append("category")
        if result.action != Outcome.CREATE:
            result.outcome = Outcome.UPDATE if result.changed else Outcome.UNCHANGED
        for name, messages in _product_errors(product).items():
            for message in messages:
                result.add_error(name, message)
        result.instance = product
    if dry_run:
        return results
    if any(result.errors for result in results):
        raise BulkInvalid(results)
    _write_products(results)
    return results


@transaction.atomic
def _write_products(results: list[RowResult]) -> None:
    new_names = [result.extra["category_name"] for result in results if "category_name" in result.extra]
    created_categories = categories_for_names(new_names, create=True) if new_names else {}
    default = None
    for result in results:
        product = result.instance
        if "category_name" in result.extra:
            product.category = created_categories[result.extra["category_name"].casefold()]
        elif product.category_id is None:
            default = default or category_default()
            product.category = default
    new = [result.instance for result in results if result.outcome == Outcome.CREATE]
    changed = [result for result in results if result.outcome == Outcome.UPDATE]
    try:
        with transaction.atomic():
            Product.objects.bulk_create(new, batch_size=1000)
            fields = sorted({name for result in changed for name in result.changed} | {"updated_at"})
            if changed:
                now = timezone.now()
                for result in changed:
                    result.instance.updated_at = now
                Product.objects.bulk_update([result.instance for result in changed], fields, batch_size=1000)
    except IntegrityError as error:
        raise ValidationError(CONCURRENT_CHANGE) from error


# --- Tier prices -------------------------------------------------------------------------------
def tier_prices_upsert(*, rows: Sequence[Mapping], by: User | None = None, dry_run: bool = False,
                       seen: dict | None = None) -> list[RowResult]:
    """Set the price of products for dealer tiers, matched by (tier, SKU): each row
    `{"tier": "city", "sku": "BEV-001" or "product": Product, "price": Decimal}`.
    Same all-or-nothing contract as products_upsert."""
    results = []
    for index, row in enumerate(rows):
        product = row.get("product")
        sku = product.sku if isinstance(product, Product) else str(row.get("sku") or "").strip()
        results.append(RowResult(index=index, key=f"{row.get('tier') or ''}/{sku}"))
    mark_repeated_keys(results, column="sku", first_rows=seen)
    skus = {str(row.get("sku") or "").strip() for row in rows if not isinstance(row.get("product"), Product)}
    products = Product.objects.in_bulk([sku for sku in skus if sku], field_name="sku")
    for row in rows:
        if isinstance(row.get("product"), Product):
            products[row["product"].sku] = row["product"]
    product_ids = [product.pk for product in products.values()]
    existing = {(price.tier, price.product_id): price
                for price in TierPrice.objects.filter(product_id__in=product_ids)}
    for result, row in zip(results, rows, strict=True):
        tier = row.get("tier") or ""
        sku = result.key.split("/", 1)[1]
        if tier not in DealerTier.values:
            result.add_error("tier", TIER_UNKNOWN % {"tier": tier})
        product = products.get(sku)
        if product is None:
            result.add_error("sku", PRODUCT_UNKNOWN_SKU % {"sku": sku} if sku else SKU_REQUIRED)
        price = row.get("price")
        if price is None or price == "":
            result.add_error("price", PRICE_REQUIRED)
        if result.errors:
            continue
        current = existing.get((tier, product.pk))
        if current is None:
            current = TierPrice(tier=tier, product=product, price=price)
            result.outcome = Outcome.CREATE
        else:
            result.changed = apply_changes(current, {"price": price})
            result.outcome = Outcome.UPDATE if result.changed else Outcome.UNCHANGED
        for name, messages in model_errors(current, exclude=["product"]).items():
            for message in messages:
                result.add_error(name, message)
        result.instance = current
    if dry_run:
        return results
    if any(result.errors for result in results):
        raise BulkInvalid(results)
    _write_tier_prices(results)
    return results


@transaction.atomic
def _write_tier_prices(results: list[RowResult]) -> None:
    new = [result.instance for result in results if result.outcome == Outcome.CREATE]
    changed = [result.instance for result in results if result.outcome == Outcome.UPDATE]
    now = timezone.now()
    for price in changed:
        price.updated_at = now
    try:
        with transaction.atomic():
            TierPrice.objects.bulk_create(new, batch_size=1000)
            TierPrice.objects.bulk_update(changed, ["price", "updated_at"], batch_size=1000)
    except IntegrityError as error:
        raise ValidationError(CONCURRENT_CHANGE) from error


@transaction.atomic
def tier_price_set(*, tier: str, product: Product, price: Decimal, by: User | None = None) -> tuple[TierPrice, str]:
    """Set one product's price for one tier: (the price row, "create" / "update" / "unchanged")."""
    try:
        [result] = tier_prices_upsert(rows=[{"tier": tier, "product": product, "price": price}], by=by)
    except BulkInvalid as error:
        raise ValidationError(error.results[0].errors) from error
    return result.instance, result.outcome


@transaction.atomic
def tier_price_update(*, tier_price: TierPrice, by: User | None = None, **fields) -> TierPrice:
    """Change a tier price row (its price; or its tier or product, if that one is free)."""
    tier_price = TierPrice.objects.select_for_update().get(pk=tier_price.pk)
    apply_changes(tier_price, {name: fields[name] for name in ("tier", "product", "price") if name in fields})
    tier_price.full_clean()
    tier_price.save()
    return tier_price


@transaction.atomic
def tier_prices_clear(*, tier: str, product_ids: Sequence[int], by: User | None = None) -> int:
    """Stop selling these products to a tier (their price rows go; orders already
    placed keep their prices). Returns how many prices were removed."""
    if not product_ids:
        return 0
    deleted, _per_model = TierPrice.objects.filter(tier=tier, product_id__in=list(product_ids)).delete()
    return deleted


@transaction.atomic
def tier_price_delete(*, tier_price: TierPrice, by: User | None = None) -> None:
    """Stop selling a product to a tier (orders already placed keep their prices)."""
    TierPrice.objects.filter(pk=tier_price.pk).delete()

"""ERP sync: create or update products, tier prices and dealers by their codes
(API.md "Upsert by code"), one at a time or in bulk, HQ admin only.

- `PUT products/by-sku/{sku}/`, `PUT tier-prices/by-key/{tier}/{sku}/`,
  `PUT dealers/by-code/{code}/`: 201 when created, 200 when updated or unchanged;
  sending the same body twice changes nothing the second time.
- `PUT products/bulk/`, `PUT tier-prices/bulk/`, `PUT dealers/bulk/`:
  `{"items": [...], "dry_run": false}`, up to 1,000 items, saved all together or
  not at all: 200 with what happened to each item, or 400 naming every invalid
  item (`{"detail": ..., "items": {"3": {"floor_price": ["..."]}}}`) and nothing saved.

The services are the ones the setup pages and the imports use
(inventory.catalogue, dealers.upsert), so the rules are the same everywhere.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from common.api.permissions import IsHQAdmin
from common.upsert import NOTHING_VALID, BulkInvalid, Outcome, RowResult
from dealers.api.serializers import DealerSerializer
from dealers.models import Dealer, DealerTier
from dealers.upsert import dealers_upsert
from hq.api import serializers as s
from hq.carried import carried_products_add, carried_skus
from hq.imports.kinds import PRODUCTS_UNKNOWN, REGION_PATH_UNKNOWN, USER_UNKNOWN
from inventory.api.serializers import ProductSerializer, TierPriceSerializer
from inventory.catalogue import products_upsert, tier_prices_upsert
from inventory.models import Product
from regions.models import Region
from regions.selectors import normalized_region_path, regions_by_path

SYNC_REASON = _("ERP sync")
PRODUCT_NOT_FOUND = _("There is no product with this SKU.")
TIER_NOT_FOUND = _("There is no such dealer tier: use province, city or county.")

ERRORS = {
    400: OpenApiResponse(description="Invalid: `{\"field\": [\"message\"]}`; nothing saved."),
    401: OpenApiResponse(description="Not signed in."),
    403: OpenApiResponse(description="Not an HQ admin."),
}
BULK_ERRORS = {
    400: OpenApiResponse(s.BulkErrorSerializer, description="Some items are invalid; none was saved."),
    401: ERRORS[401], 403: ERRORS[403],
}


def _flat(errors: dict) -> dict:
    return {("non_field_errors" if name == "__all__" else name): messages for name, messages in errors.items()}


def _messages(value) -> list[str]:
    """DRF's error value (a message, a list, a dict of nested errors) as a flat list of messages."""
    if isinstance(value, dict):
        return [f"{key}: {message}" for key, nested in value.items() for message in _messages(nested)]
    if isinstance(value, (list, tuple)):
        return [message for nested in value for message in _messages(nested)]
    return [str(value)]


def _bulk_items(serializer_class, request) -> tuple[list[dict], bool]:
    """The validated items of a bulk body, or 400 in the bulk error format (always
    `{"detail": ..., "items": {"<index>": {"<field>": [...]}}}`, as the schema says)."""
    body = serializer_class(data=request.data)
    if body.is_valid():
        return body.validated_data["items"], body.validated_data["dry_run"]
    errors = body.errors
    items = errors.get("items")
    # Errors of some items: {index: {field: [...]}} (or DRF's older list with {} for good items).
    if isinstance(items, list) and items and all(isinstance(item, dict) for item in items):
        items = dict(enumerate(items))
    if isinstance(items, dict) and items and all(isinstance(index, int) for index in items):
        bad = {
            str(index): {name: _messages(messages) for name, messages in item.items()}
            for index, item in sorted(items.items()) if isinstance(item, dict) and item
        }
        if bad and len(bad) == sum(1 for item in items.values() if item):
            detail = NOTHING_VALID % {"errors": len(bad), "rows": len(request.data.get("items") or [])}
            raise exceptions.ValidationError({"detail": str(detail), "items": bad})
    # The body itself is wrong (no list, an empty one, an item that is not an object, ...).
    raise exceptions.ValidationError({"detail": " ".join(
        f"{name}: {message}" for name, messages in errors.items() for message in _messages(messages)
    ), "items": {}})


def _bulk_error(results: list[RowResult]):
    bad = {str(result.index): _flat(result.errors) for result in results if result.errors}
    detail = NOTHING_VALID % {"errors": len(bad), "rows": len(results)}
    return exceptions.ValidationError({"detail": str(detail), "items": bad})


def _bulk_response(results: list[RowResult], *, dry_run: bool) -> Response:
    outcomes = [result.outcome for result in results]
    return Response({
        "dry_run": dry_run, "created": outcomes.count(Outcome.CREATE), "updated": outcomes.count(Outcome.UPDATE),
        "unchanged": outcomes.count(Outcome.UNCHANGED),
        "items": [{
            "index": result.index, "key": result.key, "outcome": result.outcome, "changed": result.changed,
            "id": result.instance.pk if result.instance is not None else None,
        } for result in results],
    })


def _single_status(result: RowResult) -> int:
    return status.HTTP_201_CREATED if result.outcome == Outcome.CREATE else status.HTTP_200_OK


# --- products ----------------------------------------------------------------------------------
def _product_row(sku: str, data: dict) -> dict:
    row = {"sku": sku, **{name: value for name, value in data.items() if name != "sku"}}
    if row.get("category") is None:
        row.pop("category", None)
    return row


PRODUCT_EXAMPLE = OpenApiExample("An ERP's product", value={
    "name": "Iced tea 500ml", "category_name": "Drinks", "specification": "500 ml × 24", "unit": "case",
    "units_per_case": 24, "shelf_life_days": 270, "guideline_price": "4.50", "floor_price": "3.80",
}, request_only=True)


class ProductBySkuView(APIView):
    permission_classes = [IsHQAdmin]

    @extend_schema(
        operation_id="products_upsert_by_sku", tags=["products"], request=s.ProductUpsertSerializer,
        parameters=[OpenApiParameter("sku", OpenApiTypes.STR, OpenApiParameter.PATH, description="The product's SKU.")],
        responses={201: ProductSerializer, 200: ProductSerializer, **ERRORS}, examples=[PRODUCT_EXAMPLE],
        summary="Create or update a product by its SKU (ERP sync)",
        description="201 when the SKU is new, 200 when it existed (updated or unchanged). Fields left out keep "
                    "their value; a new product needs name, shelf_life_days, guideline_price and floor_price.",
    )
    def put(self, request, sku: str):
        body = s.ProductUpsertSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            [result] = products_upsert(rows=[_product_row(sku, body.validated_data)], by=request.user)
        except BulkInvalid as error:
            raise exceptions.ValidationError(_flat(error.results[0].errors)) from error
        product = Product.objects.select_related("category").get(pk=result.instance.pk)
        return Response(ProductSerializer(product).data, status=_single_status(result))


class ProductBulkView(APIView):
    permission_classes = [IsHQAdmin]

    @extend_schema(
        operation_id="products_upsert_bulk", tags=["products"], request=s.ProductBulkSerializer,
        responses={200: s.BulkResultSerializer, **BULK_ERRORS},
        examples=[OpenApiExample("Two products", request_only=True, value={"items": [
            {"sku": "BEV-001", "name": "Iced tea 500ml", "category_name": "Drinks", "shelf_life_days": 270,
             "guideline_price": "4.50", "floor_price": "3.80"},
            {"sku": "BEV-002", "name": "Green tea 500ml", "shelf_life_days": 270, "guideline_price": "4.00",
             "floor_price": "3.50"},
        ], "dry_run": False})],
        summary="Create or update many products by SKU, all or nothing",
    )
    def put(self, request):
        items, dry_run = _bulk_items(s.ProductBulkSerializer, request)
        try:
            results = products_upsert(rows=[_product_row(item["sku"], item) for item in items], by=request.user,
                                      dry_run=dry_run)
        except BulkInvalid as error:
            raise _bulk_error(error.results) from error
        if dry_run and any(result.errors for result in results):
            raise _bulk_error(results)
        return _bulk_response(results, dry_run=dry_run)


# --- tier prices -------------------------------------------------------------------------------
class TierPriceByKeyView(APIView):
    permission_classes = [IsHQAdmin]

    @extend_schema(
        operation_id="tier_prices_upsert_by_key", tags=["tier-prices"], request=s.TierPriceUpsertSerializer,
        parameters=[
            OpenApiParameter("tier", OpenApiTypes.STR, OpenApiParameter.PATH, enum=DealerTier.values,
                             description="The dealer tier."),
            OpenApiParameter("sku", OpenApiTypes.STR, OpenApiParameter.PATH, description="The product's SKU."),
        ],
        responses={201: TierPriceSerializer, 200: TierPriceSerializer,
                   404: OpenApiResponse(description="No such tier or no product with this SKU."), **ERRORS},
        examples=[OpenApiExample("City tier price", value={"price": "33.00"}, request_only=True)],
        summary="Set a product's price for a dealer tier (ERP sync)",
        description="201 when the product had no price for this tier, 200 otherwise.",
    )
    def put(self, request, tier: str, sku: str):
        if tier not in DealerTier.values:
            raise exceptions.NotFound(TIER_NOT_FOUND)
        if not Product.objects.filter(sku=sku).exists():
            raise exceptions.NotFound(PRODUCT_NOT_FOUND)
        body = s.TierPriceUpsertSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            [result] = tier_prices_upsert(rows=[{"tier": tier, "sku": sku, **body.validated_data}], by=request.user)
        except BulkInvalid as error:
            raise exceptions.ValidationError(_flat(error.results[0].errors)) from error
        return Response(TierPriceSerializer(result.instance).data, status=_single_status(result))


class TierPriceBulkView(APIView):
    permission_classes = [IsHQAdmin]

    @extend_schema(
        operation_id="tier_prices_upsert_bulk", tags=["tier-prices"], request=s.TierPriceBulkSerializer,
        responses={200: s.BulkResultSerializer, **BULK_ERRORS},
        examples=[OpenApiExample("A price list", request_only=True, value={"items": [
            {"tier": "province", "sku": "BEV-001", "price": "30.00"},
            {"tier": "city", "sku": "BEV-001", "price": "33.00"},
            {"tier": "county", "sku": "BEV-001", "price": "36.00"},
        ]})],
        summary="Set many tier prices, all or nothing",
    )
    def put(self, request):
        items, dry_run = _bulk_items(s.TierPriceBulkSerializer, request)
        try:
            results = tier_prices_upsert(rows=items, by=request.user, dry_run=dry_run)
        except BulkInvalid as error:
            raise _bulk_error(error.results) from error
        if dry_run and any(result.errors for result in results):
            raise _bulk_error(results)
        return _bulk_response(results, dry_run=dry_run)


# --- dealers -----------------------------------------------------------------------------------
class _DealerRows:
    """API items → dealers_upsert rows: region by id or path, rep by id or username,
    carried products by SKU (one lookup each for all items)."""

    def __init__(self, items: list[dict]):
        self.paths = regions_by_path() if any("region_path" in item for item in items) else {}
        usernames = {item["rep_username"] for item in items if item.get("rep_username")}
        self.users = {user.username: user for user in User.objects.filter(username__in=usernames)}
        skus = {sku for item in items for sku in item.get("carried_products", [])}
        self.products = dict(Product.objects.filter(sku__in=skus).values_list("sku", "pk"))
        region_ids = {self.paths.get(normalized_region_path(item["region_path"])) for item in items
                      if "region_path" in item}
        self.regions = Region.objects.in_bulk([pk for pk in region_ids if pk])

    def row(self, code: str, item: dict) -> tuple[dict, dict]:
        """(service row, errors by field)."""
        errors: dict[str, list[str]] = {}
        row = {"code": code, **{name: value for name, value in item.items()
                                if name not in ("code", "region_path", "rep_username", "carried_products")}}
        if "region_path" in item:
            region_id = self.paths.get(normalized_region_path(item["region_path"]))
            if region_id is None:
                errors["region_path"] = [str(REGION_PATH_UNKNOWN % {"path": item["region_path"]})]
            else:
                row["region"] = self.regions[region_id]
        if item.get("rep_username"):
            rep = self.users.get(item["rep_username"])
            if rep is None:
                errors["rep_username"] = [str(USER_UNKNOWN % {"username": item["rep_username"]})]
            row["rep"] = rep
        skus = item.get("carried_products", [])
        unknown = [sku for sku in skus if sku not in self.products]
        if unknown:
            errors["carried_products"] = [str(PRODUCTS_UNKNOWN % {"skus": ", ".join(unknown)})]
        return row, errors


def _dealers_sync(*, codes: list[str], items: list[dict], by: User, dry_run: bool) -> list[RowResult]:
    """dealers_upsert plus the carried products, all in one transaction; BulkInvalid when anything is wrong."""
    lookups = _DealerRows(items)
    rows, own_errors = [], []
    for code, item in zip(codes, items, strict=True):
        row, errors = lookups.row(code, item)
        rows.append(row)
        own_errors.append(errors)
    with transaction.atomic():
        try:
            results = dealers_upsert(rows=rows, by=by, dry_run=dry_run or any(own_errors), reason=SYNC_REASON)
        except BulkInvalid as error:
            results = error.results
        for result, errors in zip(results, own_errors, strict=True):
            for name, messages in errors.items():
                for message in messages:
                    result.add_error(name, message)
        if any(result.errors for result in results):
            raise BulkInvalid(results)
        have = carried_skus(dealer_ids=[r.instance.pk for r in results if r.instance is not None and r.instance.pk])
        pairs = []
        for result, item in zip(results, items, strict=True):
            dealer = result.instance
            owned = have.get(dealer.pk, set()) if dealer.pk else set()
            missing = [sku for sku in dict.fromkeys(item.get("carried_products", [])) if sku not in owned]
            if missing:
                if result.outcome == Outcome.UNCHANGED:
                    result.outcome = Outcome.UPDATE
                result.changed.append("carried_products")
                pairs += [(dealer.pk, lookups.products[sku]) for sku in missing] if dealer.pk else []
        if pairs and not dry_run:
            carried_products_add(pairs=pairs)
    return results


DEALER_EXAMPLE = OpenApiExample("An ERP's customer", request_only=True, value={
    "name": "Baishun Trading Co.", "region_path": "China/Zhejiang/Hangzhou", "tier": "city", "status": "active",
    "rep_username": "rep_zhang", "credit_limit": "200000.00", "carried_products": ["BEV-001", "BEV-002"],
})


class DealerByCodeView(APIView):
    permission_classes = [IsHQAdmin]

    @extend_schema(
        operation_id="dealers_upsert_by_code", tags=["dealers"], request=s.DealerUpsertSerializer,
        parameters=[OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH, description="The dealer's code.")],
        responses={201: DealerSerializer, 200: DealerSerializer, **ERRORS}, examples=[DEALER_EXAMPLE],
        summary="Create or update a dealer by its code (ERP sync)",
        description="201 when the code is new, 200 when it existed. A new dealer needs name and region (or "
                    "region_path) and is `active` unless a status is given; a status change must be one the "
                    "lifecycle allows and is recorded with the reason \"ERP sync\"; a new rep must be an active "
                    "sales rep. `carried_products` adds to what the dealer carries.",
    )
    def put(self, request, code: str):
        body = s.DealerUpsertSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            [result] = _dealers_sync(codes=[code], items=[body.validated_data], by=request.user, dry_run=False)
        except BulkInvalid as error:
            raise exceptions.ValidationError(_flat(error.results[0].errors)) from error
        dealer = Dealer.objects.select_related("region", "rep").get(pk=result.instance.pk)
        return Response(DealerSerializer(dealer, context={"request": request}).data, status=_single_status(result))


class DealerBulkView(APIView):
    permission_classes = [IsHQAdmin]

    @extend_schema(
        operation_id="dealers_upsert_bulk", tags=["dealers"], request=s.DealerBulkSerializer,
        responses={200: s.BulkResultSerializer, **BULK_ERRORS},
        examples=[OpenApiExample("Two customers", request_only=True, value={"items": [
            {"code": "ZJ-HZ-001", "name": "Baishun Trading Co.", "region_path": "China/Zhejiang/Hangzhou",
             "tier": "city", "rep_username": "rep_zhang"},
            {"code": "ZJ-HZ-002", "name": "Xinyuan Wholesale", "region_path": "China/Zhejiang/Hangzhou",
             "tier": "county", "credit_limit": "80000.00"},
        ]})],
        summary="Create or update many dealers by code, all or nothing",
    )
    def put(self, request):
        items, dry_run = _bulk_items(s.DealerBulkSerializer, request)
        try:
            results = _dealers_sync(codes=[item["code"] for item in items], items=items, by=request.user,
                                    dry_run=dry_run)
        except BulkInvalid as error:
            raise _bulk_error(error.results) from error
        return _bulk_response(results, dry_run=dry_run)

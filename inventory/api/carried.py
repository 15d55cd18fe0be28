"""`dealers/{id}/products/` (API.md): the products a dealer carries, with since
when and how (`source`: shipment, contract, count, manual). GET for everyone
with the dealer in scope; POST `{product}` (add by hand) and DELETE `{product}`
(stop: it leaves the count form, its history stays) for a manager and HQ admin.
A dealer outside the caller's scope answers 404."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response

from dealers.models import Dealer
from dealers.selectors import dealer_queryset_for
from inventory import counting
from inventory.models import CarrySource, Product
from inventory.permissions import can_change_carried_products
from inventory.selectors import carried_product_list

MAY_NOT_CHANGE = _("Only a manager or HQ admin may change the products a dealer carries.")


class CarriedProductSerializer(serializers.Serializer):
    product = serializers.IntegerField(source="product.pk", read_only=True)
    sku = serializers.CharField(source="product.sku", read_only=True)
    name = serializers.CharField(source="product.name", read_only=True)
    unit = serializers.CharField(source="product.unit", read_only=True)
    since = serializers.DateField(source="carried.since", read_only=True)
    source = serializers.ChoiceField(
        source="carried.source", choices=CarrySource.choices, read_only=True,
        help_text="shipment: shipped to the dealer; contract: in a signed contract's product categories; "
                  "count: found on the shelf in a stock count; manual: added by hand.",
    )


class CarriedProductInputSerializer(serializers.Serializer):
    product = serializers.IntegerField(min_value=1, max_value=counting.ID_MAX)


class _Row:
    def __init__(self, product, carried):
        self.product, self.carried = product, carried


class DealerCarriedProducts(generics.GenericAPIView):
    """The products a dealer carries: what its stock count lists (paginated, in SKU order)."""

    serializer_class = CarriedProductSerializer
    queryset = Dealer.objects.none()  # the dealer is looked up in the caller's scope (dealer_queryset_for)
    filter_backends = []

    def _dealer(self, request, pk: int):
        return get_object_or_404(dealer_queryset_for(request.user), pk=pk)

    def _change(self, request, pk: int):
        dealer = self._dealer(request, pk)
        if not can_change_carried_products(request.user):
            raise exceptions.PermissionDenied(MAY_NOT_CHANGE)
        data = dict(request.data.items()) if hasattr(request.data, "items") else {}
        if "product" not in data and "product" in request.query_params:
            data["product"] = request.query_params["product"]
        payload = CarriedProductInputSerializer(data=data)
        payload.is_valid(raise_exception=True)
        product = Product.objects.filter(pk=payload.validated_data["product"]).first()
        if product is None:
            raise exceptions.ValidationError({"product": [counting.PRODUCT_UNKNOWN]})
        return dealer, product

    @extend_schema(responses={200: CarriedProductSerializer(many=True), 404: OpenApiResponse(
        description="No such dealer in your scope.")}, operation_id="dealers_products_list")
    def get(self, request, pk: int):
        dealer = self._dealer(request, pk)
        rows = [_Row(product, carried) for product, carried in carried_product_list(dealer=dealer)]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(CarriedProductSerializer(page, many=True).data)

    @extend_schema(
        request=CarriedProductInputSerializer,
        responses={
            201: CarriedProductSerializer, 200: OpenApiResponse(CarriedProductSerializer, description="Already carried."),
            400: OpenApiResponse(description="No such product."),
            403: OpenApiResponse(description="Only a manager or HQ admin adds products by hand."),
            404: OpenApiResponse(description="No such dealer in your scope."),
        },
        operation_id="dealers_products_create",
        description="Carry a product (source `manual`); a stopped one is carried again from today.",
    )
    def post(self, request, pk: int):
        dealer, product = self._change(request, pk)
        carried, created = counting.dealer_product_add(dealer=dealer, product=product, by=request.user)
        return Response(CarriedProductSerializer(_Row(product, carried)).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(
        request=CarriedProductInputSerializer,
        parameters=[OpenApiParameter("product", int, description="The product, if not sent in the body.")],
        responses={
            204: None, 400: OpenApiResponse(description="No such product, or the dealer does not carry it."),
            403: OpenApiResponse(description="Only a manager or HQ admin stops a product."),
            404: OpenApiResponse(description="No such dealer in your scope."),
        },
        operation_id="dealers_products_destroy",
        description="Stop carrying a product: it leaves the count form, its counts stay in the history. Shipping it "
                    "again, or adding it again, carries it again.",
    )
    def delete(self, request, pk: int):
        dealer, product = self._change(request, pk)
        counting.dealer_product_stop(dealer=dealer, product=product, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

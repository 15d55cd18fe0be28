"""API of the stock count and the suggested order of a visit (API.md
`visits/{id}/stock-counts/`, `visits/{id}/suggested-order/`, and
`visits/{id}/suggested-order/order/`). The visit is looked up in
visits.selectors.visit_queryset_for: outside the caller's scope, 404. Services
raise ValidationError (400), StateConflict (409), PermissionDenied (403)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from inventory.api.serializers import OrderDetailSerializer
from inventory.selectors import order_detail, suggestion_settings
from visits import counting
from visits.api import count_serializers as s
from visits.models import StockCountLine
from visits.selectors import visit_queryset_for


def _visit(request, pk: int):
    return get_object_or_404(visit_queryset_for(request.user).select_related("dealer"), pk=pk)


class StockCountListCreate(APIView):
    """The stock counts of a visit; POST saves one whole or not at all."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.StockCountSerializer

    @extend_schema(responses={200: s.StockCountSerializer(many=True)}, operation_id="visits_stock_counts_list")
    def get(self, request, pk: int):
        visit = _visit(request, pk)
        counts = visit.stock_counts.order_by("-counted_at", "-id").prefetch_related(
            Prefetch("lines", queryset=StockCountLine.objects.order_by("product_id"))
        )
        return Response(s.StockCountSerializer(counts, many=True).data)

    @extend_schema(request=s.StockCountInputSerializer, responses={201: s.StockCountSerializer},
                   operation_id="visits_stock_counts_create")
    def post(self, request, pk: int):
        visit = _visit(request, pk)
        payload = s.StockCountInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        count = counting.stock_count_create(
            visit=visit, user=request.user, lines=payload.validated_data["lines"],
            counted_at=payload.validated_data.get("counted_at"),
        )
        count = visit.stock_counts.prefetch_related(
            Prefetch("lines", queryset=StockCountLine.objects.order_by("product_id"))
        ).get(pk=count.pk)
        return Response(s.StockCountSerializer(count).data, status=status.HTTP_201_CREATED)


class SuggestedOrderView(APIView):
    """The suggested order of the visit's latest stock count, with its working and flags."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.SuggestedOrderSerializer

    @extend_schema(responses={200: s.SuggestedOrderSerializer}, operation_id="visits_suggested_order_retrieve")
    def get(self, request, pk: int):
        visit = _visit(request, pk)
        count = counting.latest_count_of_visit(visit)
        default, _lookback, _threshold = suggestion_settings()
        data = {
            "visit": visit.pk, "stock_count": count.pk if count else None,
            "counted_at": count.counted_at if count else None, "coefficient_default": str(default),
            "order": visit.order_id, "lines": counting.suggestion_lines(count),
        }
        return Response(s.SuggestedOrderSerializer(data).data)


class SuggestedOrderPlace(APIView):
    """Turn the suggested order into an order for the dealer in one step (代客下单)."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.SuggestedOrderPlaceSerializer

    @extend_schema(request=s.SuggestedOrderPlaceSerializer, responses={201: OrderDetailSerializer},
                   operation_id="visits_suggested_order_place")
    def post(self, request, pk: int):
        visit = _visit(request, pk)
        payload = s.SuggestedOrderPlaceSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        count = counting.latest_count_of_visit(visit)
        if count is None:
            raise ValidationError({"lines": [counting.ORDER_NO_COUNT]})
        lines = payload.validated_data["lines"]
        order = counting.suggested_order_place(
            stock_count=count, user=request.user,
            quantities={line["product"]: line["quantity"] for line in lines},
            reasons={line["product"]: line.get("reason", "") for line in lines},
        )
        return Response(OrderDetailSerializer(order_detail(user=request.user, pk=order.pk)).data,
                        status=status.HTTP_201_CREATED)

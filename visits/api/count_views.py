"""API of the stock count and the suggested order of a visit (API.md
`visits/{id}/stock-counts/`, `visits/{id}/suggested-order/`, and
`visits/{id}/suggested-order/order/`). The visit is looked up in
visits.selectors.visit_queryset_for: outside the caller's scope, 404. Services
raise ValidationError (400), StateConflict (409), PermissionDenied (403)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from common.idempotency import IDEMPOTENCY_RESPONSES, idempotent
from inventory.api.serializers import OrderDetailSerializer
from inventory.models import StockCountLine
from inventory.selectors import order_detail, suggestion_settings
from visits.api import count_serializers as s
from visits.selectors import visit_queryset_for
from visits.services import counting


def _visit(request, pk: int):
    return get_object_or_404(visit_queryset_for(request.user).select_related("dealer"), pk=pk)


class StockCountListCreate(APIView):
    """The stock counts of a visit, the replaced ones included (newest first); POST
    saves one whole or not at all."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.StockCountSerializer

    @extend_schema(responses={200: s.StockCountSerializer(many=True)}, operation_id="visits_stock_counts_list")
    def get(self, request, pk: int):
        visit = _visit(request, pk)
        counts = counting.visit_counts(visit).newest_first().prefetch_related(
            Prefetch("lines", queryset=StockCountLine.objects.order_by("product_id"))
        )
        return Response(s.StockCountSerializer(counts, many=True).data)

    @extend_schema(
        request=s.StockCountInputSerializer,
        responses={
            201: s.StockCountSerializer,
            200: OpenApiResponse(s.StockCountSerializer, description=(
                "The same count was already saved (an identical submission of this visit within the last minutes, "
                "e.g. a double tap): nothing new was written; the saved count is returned.")),
            400: OpenApiResponse(description=(
                "`{\"lines.<index>\": [messages], ...}` per bad line (the product named), `counted_at`, `lines`; "
                "`confirm_implausible` when a quantity is questioned (send it again with confirm_implausible: "
                "true if it is right). Nothing saved.")),
            404: OpenApiResponse(description="No such visit in your scope."),
            409: OpenApiResponse(description="The visit is not in progress (not started yet, or over)."),
            **IDEMPOTENCY_RESPONSES,
        },
        operation_id="visits_stock_counts_create",
        description=(
            "Save the visit's stock count, whole or not at all, and its suggested order. A second count in the same "
            "visit replaces the first (kept, marked replaced; `replaces` names it). Send an `Idempotency-Key` header "
            "to make a retried POST return the count it already saved (same `id`)."
        ),
    )
    @idempotent
    def post(self, request, pk: int):
        visit = _visit(request, pk)
        payload = s.StockCountInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        saved = counting.stock_count_create(
            visit=visit, user=request.user, lines=data["lines"], counted_at=data.get("counted_at"),
            confirm_implausible=data["confirm_implausible"],
        )
        count = saved.count
        count._prefetched_objects_cache = {"lines": saved.lines}  # the lines just written: no query
        return Response(s.StockCountSerializer(count).data,
                        status=status.HTTP_201_CREATED if saved.created else status.HTTP_200_OK)


class SuggestedOrderView(APIView):
    """The suggested order of the visit's count with its working in full and flags."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.SuggestedOrderSerializer

    @extend_schema(responses={200: s.SuggestedOrderSerializer}, operation_id="visits_suggested_order_retrieve")
    def get(self, request, pk: int):
        visit = _visit(request, pk)
        count = counting.current_count_of_visit(visit)
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
        count = counting.current_count_of_visit(visit)
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

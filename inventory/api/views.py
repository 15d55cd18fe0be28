"""products/, tier-prices/, orders/ (with its workflow actions), payments/, shipments/ (API.md)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Role
from common.api.pagination import CountedRows
from common.api.permissions import IsHQAdminOrReadOnly
from dealers.selectors import dealer_queryset_for
from inventory import services
from inventory.api import serializers as s
from inventory.filters import OrderFilter, ProductFilter, TierPriceFilter
from inventory.models import OrderLine, ProductCategory, ShipmentLine
from inventory.order_rows import order_list_values, order_rows_with_lines
from inventory.permissions import can_place_orders
from inventory.selectors import (
    order_detail,
    order_list,
    order_queryset_for,
    payment_queryset_for,
    product_queryset_for,
    shipment_queryset_for,
    tier_price_queryset_for,
)
from inventory.services import OrderLineInput
from inventory.workflow import OrderAction

DEALER_REQUIRED = _("Say which dealer orders.")
MAY_NOT_PLACE_ORDERS = _("Your role may not place orders.")


class ProductCategoryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                             mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Product categories: everyone signed in reads; HQ admin creates and renames them."""

    serializer_class = s.ProductCategorySerializer
    permission_classes = [IsHQAdminOrReadOnly]
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = ProductCategory.objects.all()
    search_fields = ["name"]
    ordering_fields = ["sort_order", "name"]


class ProductViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Products: everyone signed in reads (a dealer user: products on sale); HQ admin writes."""

    serializer_class = s.ProductSerializer
    permission_classes = [IsHQAdminOrReadOnly]
    filterset_class = ProductFilter
    search_fields = ["sku", "name"]
    ordering_fields = ["sku", "name", "shelf_life_days", "guideline_price"]
    ordering = ["sku"]

    def get_queryset(self):
        return product_queryset_for(self.request.user)


class TierPriceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Tier price lists (`province`, `city`, `county`): a dealer user sees only its own tier's; HQ admin writes."""

    serializer_class = s.TierPriceSerializer
    permission_classes = [IsHQAdminOrReadOnly]
    filterset_class = TierPriceFilter
    search_fields = ["product__sku", "product__name"]
    ordering_fields = ["tier", "product__sku", "price"]
    ordering = ["tier", "product__sku"]

    def get_queryset(self):
        return tier_price_queryset_for(self.request.user)


class _TransitionMixin:
    def _transition(self, request, action_name: str, input_serializer=None, **kwargs):
        order = get_object_or_404(order_queryset_for(request.user), pk=self.kwargs["pk"])
        if input_serializer is not None:
            data = input_serializer(data=request.data)
            data.is_valid(raise_exception=True)
            kwargs.update(data.validated_data)
        services.order_transition(order=order, action=action_name, by=request.user, **kwargs)
        return Response(s.OrderDetailSerializer(order_detail(user=request.user, pk=order.pk)).data)


TRANSITION_RESPONSES = {
    200: s.OrderDetailSerializer,
    400: OpenApiResponse(description="Bad input (e.g. a payment above the amount due, no reason)."),
    403: OpenApiResponse(description="Your role may not take this step."),
    404: OpenApiResponse(description="No such order in your scope."),
    409: OpenApiResponse(description="Not allowed from the order's current state (or the credit limit blocks it)."),
}


class OrderViewSet(_TransitionMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Orders within the caller's scope (a dealer user: its own company's), with the
    workflow steps as actions: 409 when not allowed from the current state, 403
    when the caller's role may not take the step, 404 outside the caller's scope."""

    filterset_class = OrderFilter
    search_fields = ["dealer__name", "dealer__code", "note"]
    ordering_fields = ["id", "submitted_at", "total", "amount_paid", "status", "payment_due_date", "shipped_at"]
    ordering = ["-submitted_at", "-id"]

    def get_queryset(self):
        if self.action == "retrieve":
            return order_queryset_for(self.request.user).select_related("dealer").prefetch_related(
                Prefetch("lines", queryset=OrderLine.objects.select_related("product").order_by("id")),
                "transitions__by", "payments",
                Prefetch("shipments__lines", queryset=ShipmentLine.objects.order_by("id")),
            )
        return order_list(user=self.request.user)

    def get_serializer_class(self):
        return s.OrderDetailSerializer if self.action == "retrieve" else s.OrderSerializer

    def list(self, request, *args, **kwargs):
        # The orders in scope, filtered, searched, ordered and paginated; read as values
        # (inventory.order_rows) and represented exactly as OrderSerializer does. (No
        # docstring: the schema describes the list with the view set's.)
        orders = self.filter_queryset(order_queryset_for(request.user))
        rows = order_list_values(orders)
        page = self.paginate_queryset(CountedRows(rows, count_from=orders))
        data = s.order_rows_data(order_rows_with_lines(rows if page is None else page))
        return Response(data) if page is None else self.get_paginated_response(data)

    @extend_schema(request=s.OrderCreateSerializer, responses={201: s.OrderDetailSerializer})
    def create(self, request, *args, **kwargs):
        """Place an order: `{"dealer": id, "lines": [{"product": id, "quantity": int}], "note": ""}`,
        priced from the dealer's tier now. Every line is valid or nothing is saved."""
        user = request.user
        if not can_place_orders(user):
            raise exceptions.PermissionDenied(MAY_NOT_PLACE_ORDERS)
        data = s.OrderCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        dealer_id = data.validated_data.get("dealer")
        if dealer_id is None:
            if user.effective_role != Role.DEALER:
                raise exceptions.ValidationError({"dealer": [DEALER_REQUIRED]})
            dealer_id = user.dealer_id
        # Another dealer, or one outside the caller's scope, does not exist for them.
        dealer = get_object_or_404(dealer_queryset_for(user), pk=dealer_id)
        order = services.order_create(
            dealer=dealer, placed_by=user, note=data.validated_data["note"],
            lines=[OrderLineInput(product=line["product"], quantity=line["quantity"]) for line in data.validated_data["lines"]],
        )
        return Response(s.OrderDetailSerializer(order_detail(user=user, pk=order.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """submitted → confirmed (rep, manager). 409 when the credit limit blocks it."""
        return self._transition(request, OrderAction.CONFIRM)

    @extend_schema(request=s.PaymentInputSerializer, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        """Record a payment (finance): `{"amount": "1250.00", "reference": ""}`. Partial
        payments add up (each is a step of the order's `history`, with its `amount`); the
        order becomes `paid` once covered. Above the amount due → 400."""
        return self._transition(request, OrderAction.PAY, s.PaymentInputSerializer)

    @extend_schema(request=None, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"])
    def pick(self, request, pk=None):
        """paid → picked (warehouse)."""
        return self._transition(request, OrderAction.PICK)

    @extend_schema(request=s.ShipInputSerializer, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"])
    def ship(self, request, pk=None):
        """picked → shipped (warehouse): `{"reference": "SF1234567"}` — the waybill or vehicle
        number is required (400 without it); records the shipment of every line."""
        return self._transition(request, OrderAction.SHIP, s.ShipInputSerializer)

    @extend_schema(request=None, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        """shipped → received (the dealer confirms receipt)."""
        return self._transition(request, OrderAction.RECEIVE)

    @extend_schema(request=s.ReasonInputSerializer, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """submitted → rejected (rep, manager): `{"reason": "..."}`."""
        return self._transition(request, OrderAction.REJECT, s.ReasonInputSerializer)

    @extend_schema(request=s.ReasonInputSerializer, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """→ cancelled, with `{"reason": "..."}`: the dealer while submitted; rep/manager while nothing is paid."""
        return self._transition(request, OrderAction.CANCEL, s.ReasonInputSerializer)


class PaymentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Payments recorded on the orders in the caller's scope."""

    serializer_class = s.PaymentSerializer
    filterset_fields = ["order"]
    ordering_fields = ["at", "amount"]
    ordering = ["-at", "-id"]

    def get_queryset(self):
        return payment_queryset_for(self.request.user)


class ShipmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Shipments to the dealers in the caller's scope: what left the warehouse and when."""

    serializer_class = s.ShipmentSerializer
    filterset_fields = ["order", "dealer"]
    ordering_fields = ["shipped_at"]
    ordering = ["-shipped_at", "-id"]

    def get_queryset(self):
        return shipment_queryset_for(self.request.user).prefetch_related(
            Prefetch("lines", queryset=ShipmentLine.objects.order_by("id"))
        )

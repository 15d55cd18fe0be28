"""rebates/statements/ (API.md: `basis, rate, amount, status`) with its settle action,
rebates/plans/ and rebates/assignments/ (HQ admin writes)."""

from __future__ import annotations

import django_filters
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.api.permissions import IsHQAdminOrReadOnly
from dealers.selectors import dealer_queryset_for
from rebates import services
from rebates.api import serializers as s
from rebates.models import PeriodKind, RebateStatement, StatementState, StatementStatus
from rebates.permissions import can_settle_rebates
from rebates.selectors import (
    rebate_assignment_queryset_for,
    rebate_plan_list,
    rebate_statement_detail,
    rebate_statement_list,
    rebate_statement_queryset_for,
)

MAY_NOT_SETTLE = _("Only finance settles rebates.")


class RebateStatementFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=StatementState.CHOICES, method="filter_state", label="State")
    status = django_filters.ChoiceFilter(choices=StatementStatus.choices)
    period_kind = django_filters.ChoiceFilter(field_name="plan__period_kind", choices=PeriodKind.choices)
    period_start_after = django_filters.DateFilter(field_name="period_start", lookup_expr="gte")
    period_start_before = django_filters.DateFilter(field_name="period_start", lookup_expr="lte")
    year = django_filters.NumberFilter(field_name="period_start", lookup_expr="year")

    class Meta:
        model = RebateStatement
        fields = ["dealer", "plan", "status", "state", "period_kind"]

    def filter_state(self, queryset, name, value):
        return queryset.in_state(value)


class RebateStatementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Rebate statements per dealer and period within the caller's scope: finance and HQ all,
    managers and reps their dealers', a dealer user its own; anything else answers 404."""

    serializer_class = s.RebateStatementSerializer
    filterset_class = RebateStatementFilter
    search_fields = ["dealer__name", "dealer__code", "plan__name"]
    ordering_fields = ["period_start", "basis", "amount", "status", "dealer__name"]
    ordering = ["-period_start", "dealer__name", "id"]

    def get_queryset(self):
        return rebate_statement_list(user=self.request.user)

    @extend_schema(
        request=s.SettleInputSerializer,
        responses={
            200: s.RebateStatementSerializer,
            400: OpenApiResponse(description="Bad input (no method, or no reference for an amount above zero)."),
            403: OpenApiResponse(description="Only finance (or HQ admin) settles rebates."),
            404: OpenApiResponse(description="No such statement in your scope."),
            409: OpenApiResponse(description="Already settled, or the period has not ended yet."),
        },
    )
    @action(detail=True, methods=["post"])
    def settle(self, request, pk=None):
        """Settle a statement whose period has ended: `{"method": "credit_note"|"payment", "reference": "", "note": ""}`."""
        statement = get_object_or_404(rebate_statement_queryset_for(request.user), pk=pk)
        if not can_settle_rebates(request.user):
            raise exceptions.PermissionDenied(MAY_NOT_SETTLE)
        data = s.SettleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.rebate_statement_settle(statement=statement, by=request.user, **data.validated_data)
        return Response(s.RebateStatementSerializer(rebate_statement_detail(user=request.user, pk=statement.pk)).data)


class RebatePlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                        mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Rebate plans: staff who deal with rebates read all, a dealer user the plans assigned to it; HQ admin writes."""

    serializer_class = s.RebatePlanSerializer
    permission_classes = [IsHQAdminOrReadOnly]
    filterset_fields = ["kind", "period_kind", "is_active"]
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name", "starts_on"]
    ordering = ["name"]

    def get_queryset(self):
        return rebate_plan_list(user=self.request.user)

    @staticmethod
    def _parts(data: dict) -> dict:
        parts = {}
        if "tiers" in data:
            parts["tiers"] = [services.TierInput(**tier) for tier in data.pop("tiers")]
        if "product_ids" in data:
            parts["product_ids"] = data.pop("product_ids")
        return parts

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        parts = self._parts(data)
        serializer.instance = services.rebate_plan_create(by=self.request.user, **data, **parts)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        parts = self._parts(data)
        serializer.instance = services.rebate_plan_update(plan=serializer.instance, by=self.request.user, **data, **parts)

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        response.data = s.RebatePlanSerializer(rebate_plan_list(user=request.user).get(pk=response.data["id"])).data
        return response

    def update(self, request, *args, **kwargs):
        response = super().update(request, *args, **kwargs)
        response.data = s.RebatePlanSerializer(rebate_plan_list(user=request.user).get(pk=response.data["id"])).data
        return response


class RebateAssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                              mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Which dealers have which plan, within the caller's scope; HQ admin assigns and removes."""

    serializer_class = s.RebateAssignmentSerializer
    permission_classes = [IsHQAdminOrReadOnly]
    filterset_fields = ["plan", "dealer"]
    search_fields = ["dealer__name", "dealer__code", "plan__name"]
    ordering_fields = ["created_at", "dealer__name"]
    ordering = ["plan__name", "dealer__name"]

    def get_queryset(self):
        return rebate_assignment_queryset_for(self.request.user).select_related("plan", "dealer")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        dealer = get_object_or_404(dealer_queryset_for(request.user), pk=data["dealer"].pk)
        assignment = services.rebate_assignment_create(
            plan=data["plan"], dealer=dealer, starts_on=data.get("starts_on"), ends_on=data.get("ends_on"), by=request.user,
        )
        return Response(self.get_serializer(assignment).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        services.rebate_assignment_delete(assignment=instance, by=self.request.user)

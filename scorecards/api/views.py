"""The scorecards API: the region scorecard (the same selector as the page and the
export), one dealer's KPIs over 12 periods, and market sizes (HQ admin writes)."""

from __future__ import annotations

from dataclasses import asdict

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from common.api.fields import is_id_value
from common.api.permissions import IsHQAdminOrReadOnly
from scorecards import calculations, selectors, services
from scorecards.api import serializers as s
from scorecards.models import MarketSize

WHOLE_NUMBER_REQUIRED = _("A whole number is required.")


class CanViewScorecards(permissions.BasePermission):
    message = "Your role may not see scorecards."

    def has_permission(self, request, view) -> bool:
        return selectors.can_view_scorecards(request.user)


def _period(request) -> calculations.Period:
    try:
        return calculations.parse_period(request.query_params.get("period"), today=timezone.localdate())
    except ValueError as error:
        raise ValidationError({"period": [str(error)]}) from error


def _int_param(request, name: str) -> int | None:
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    if not is_id_value(value):
        raise ValidationError({name: [str(WHOLE_NUMBER_REQUIRED)]})
    return int(value)


PERIOD_PARAM = OpenApiParameter(
    "period", str,
    description="2026-10 (month), 2026-Q4 (quarter) or 2026 (year); default the last complete month. On the region "
                "scorecard a period still running is counted to today and compared with the same days of the previous "
                "period and of last year (period_start/period_end, previous_start/previous_end in each row).",
)


class RegionScorecardViewSet(viewsets.GenericViewSet):
    """The region scorecard: one row per dealer in the caller's scope for a period
    (HQ admin all dealers, a manager their regions', a rep their own; dealer users 403)."""

    permission_classes = [CanViewScorecards]
    serializer_class = s.ScorecardRowSerializer
    filter_backends: list = []

    @extend_schema(
        parameters=[
            PERIOD_PARAM,
            OpenApiParameter("grade", str, description="A, B, C, D, or - for not yet evaluated."),
            OpenApiParameter("region", int, description="A sub-region: its dealers and those below it."),
            OpenApiParameter("rep", int),
            OpenApiParameter("ordering", str, description=f"One of {', '.join(selectors.SORTABLE)}; - first for descending."),
        ],
        responses=s.ScorecardRowSerializer(many=True),
        summary="Region scorecard",
    )
    def list(self, request):
        grade = request.query_params.get("grade", "")
        if grade not in ("", "A", "B", "C", "D", "-"):
            raise ValidationError({"grade": ["Give A, B, C, D or -."]})
        filters = selectors.ScorecardFilters(
            grade=grade, region_id=_int_param(request, "region"), rep_id=_int_param(request, "rep"),
            ordering=request.query_params.get("ordering", ""),
        )
        rows = selectors.region_scorecard(user=request.user, period=_period(request), filters=filters)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class DealerKpiViewSet(viewsets.GenericViewSet):
    """One dealer's scorecard figures over the 12 periods ending with `period`."""

    permission_classes = [CanViewScorecards]
    serializer_class = s.DealerKpisSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.scorecard_dealer_queryset_for(self.request.user)

    @extend_schema(parameters=[PERIOD_PARAM], responses=s.DealerKpisSerializer, summary="A dealer's KPIs over 12 periods")
    def retrieve(self, request, pk=None):
        dealer = get_object_or_404(self.get_queryset(), pk=pk)
        kpis = selectors.dealer_kpis(user=request.user, dealer=dealer, period=_period(request))
        periods = [
            {**asdict(row), "period": period.key, "grade_in_force": grade}
            for period, row, grade in zip(kpis.periods, kpis.rows, kpis.grades, strict=False)
        ]
        return Response(s.DealerKpisSerializer({"dealer_id": dealer.pk, "code": dealer.code, "name": dealer.name,
                                                "periods": periods}).data)


class MarketSizeFilter(filters.FilterSet):
    period_from = filters.DateFilter(field_name="period_start", lookup_expr="gte")
    period_to = filters.DateFilter(field_name="period_start", lookup_expr="lte")

    class Meta:
        model = MarketSize
        fields = ["region", "category", "period_start"]


class MarketSizeViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    mixins.DestroyModelMixin, viewsets.GenericViewSet,
):
    """Market sizes per region, month and category (the penetration index). Managers
    and reps read those of their dealers' regions; only HQ admin writes."""

    serializer_class = s.MarketSizeSerializer
    permission_classes = [CanViewScorecards, IsHQAdminOrReadOnly]
    filterset_class = MarketSizeFilter
    ordering_fields = ["period_start", "region", "category", "amount"]
    ordering = ["-period_start", "region", "category"]
    search_fields = ["region__name"]

    def get_queryset(self):
        return selectors.market_size_queryset_for(self.request.user).select_related("region", "category")

    def perform_create(self, serializer):
        serializer.instance = services.market_size_create(by=self.request.user, **serializer.validated_data)

    @extend_schema(request=s.MarketSizeImportSerializer, responses=s.MarketSizeImportResultSerializer,
                   summary="Create or update many market sizes at once (all or nothing; HQ admin)")
    @action(detail=False, methods=["post"], url_path="import", url_name="import")
    def import_rows(self, request):
        rows = request.data.get("rows") if isinstance(request.data, dict) else None
        if not isinstance(rows, list):
            raise ValidationError({"rows": ["Send a list of rows."]})
        created, updated = services.market_sizes_import(rows=rows, by=request.user)
        return Response({"created": created, "updated": updated}, status=status.HTTP_200_OK)

    def perform_update(self, serializer):
        serializer.instance = services.market_size_update(
            market_size=serializer.instance, by=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.market_size_delete(market_size=instance, by=self.request.user)


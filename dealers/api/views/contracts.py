"""Contracts: draft, change, sign."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from dealers import services
from dealers.api import serializers as s
from dealers.api.views.shared import RolePermission
from dealers.models import Contract, ContractStatus
from dealers.permissions import Action
from dealers.selectors import contract_queryset_for


class ContractFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ContractStatus.choices)
    ends_before = django_filters.DateFilter(field_name="end_date", lookup_expr="lte")

    class Meta:
        model = Contract
        fields = ["dealer", "status", "ends_before"]


class ContractViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin,
                      mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Dealer contracts. Drafts are edited; signing (manager, HQ admin) fixes them and
    turns a prospect into an active dealer. A dealer user reads its signed contracts."""

    serializer_class = s.ContractSerializer
    permission_classes = [RolePermission]
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_class = ContractFilter
    search_fields = ["number", "dealer__name", "dealer__code"]
    ordering_fields = ["start_date", "end_date", "created_at"]
    action_permissions = {
        "list": Action.VIEW_CONTRACTS, "retrieve": Action.VIEW_CONTRACTS, "create": Action.DRAFT_CONTRACT,
        "partial_update": Action.DRAFT_CONTRACT, "sign": Action.SIGN_CONTRACT,
    }

    def get_queryset(self):
        return contract_queryset_for(self.request.user).select_related("dealer").prefetch_related("product_categories")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.contract_create(dealer=data.pop("dealer"), created_by=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        if "dealer" in data and data.pop("dealer").pk != serializer.instance.dealer_id:
            raise PermissionDenied(_("A contract cannot move to another dealer."))
        serializer.instance = services.contract_update(contract=serializer.instance, **data)

    @extend_schema(request=None, responses={200: s.ContractSerializer, 409: OpenApiResponse(description="Already signed")})
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        contract = services.contract_sign(contract=self.get_object(), signed_by=request.user)
        return Response(self.get_serializer(contract).data)

"""Dealers: list, create, change, status, rep (assign, reassign) and history."""

from __future__ import annotations

from collections.abc import Mapping

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.models import Role, User
from common.api.pagination import CountedRows
from dealers import services
from dealers.api import serializers as s
from dealers.api.views.shared import RegionSubtreeFilter, RolePermission, _dealer_write_fields
from dealers.models import Dealer, DealerStatus, DealerTier, Grade
from dealers.permissions import Action, can, can_change_status, can_edit_fields, require
from dealers.selectors import dealer_queryset_for
from regions.models import Region


class DealerFilter(django_filters.FilterSet):
    region = RegionSubtreeFilter(queryset=Region.objects.all(), label="Region (with its sub-regions)")
    status = django_filters.MultipleChoiceFilter(choices=DealerStatus.choices)
    tier = django_filters.ChoiceFilter(choices=DealerTier.choices)
    rep = django_filters.ModelChoiceFilter(queryset=User.objects.filter(role=Role.REP))
    grade = django_filters.ChoiceFilter(field_name="current_grade", choices=Grade.choices, label="Current grade")

    class Meta:
        model = Dealer
        fields = ["region", "status", "tier", "rep", "grade"]


@extend_schema_view(
    list=extend_schema(description="Dealers in the caller's scope. Filters: region (subtree), status, tier, rep, grade; ?search=; ?ordering=."),
    create=extend_schema(description="Create a dealer (HQ admin, manager) or a prospect (a rep: status prospect, owned by the rep)."),
    partial_update=extend_schema(description="Change a dealer's record. A rep edits the profile only. "
                                             "`status` (with `status_reason`) follows the lifecycle; `rep` (with `rep_reason`) is a reassignment."),
)
class DealerViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin,
                    mixins.UpdateModelMixin, viewsets.GenericViewSet):
    serializer_class = s.DealerSerializer
    permission_classes = [RolePermission]
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_class = DealerFilter
    search_fields = ["code", "name", "legal_entity", "decision_maker", "phone", "address"]
    ordering_fields = ["name", "code", "status", "tier", "credit_limit", "current_grade", "current_score",
                       "created_at", "region__name"]
    ordering = ["name"]
    action_permissions = {
        "list": Action.VIEW, "retrieve": Action.VIEW, "create": Action.CREATE_PROSPECT,
        "partial_update": Action.EDIT_PROFILE, "change_status": Action.CHANGE_STATUS,
        "assign": Action.ASSIGN_REP, "reassign": Action.ASSIGN_REP, "history": Action.VIEW_INTERNAL,
    }

    def get_queryset(self):
        return dealer_queryset_for(self.request.user).select_related("region", "rep")

    def list(self, request, *args, **kwargs):
        """The dealers in scope, filtered, searched, ordered and paginated; read as
        values and represented exactly as DealerSerializer does (see dealer_rows_data)."""
        dealers = self.filter_queryset(self.get_queryset())
        rows = s.dealer_list_values(dealers)
        page = self.paginate_queryset(CountedRows(rows, count_from=dealers.select_related(None)))
        data = s.dealer_rows_data(rows if page is None else page)
        return Response(data) if page is None else self.get_paginated_response(data)

    def perform_create(self, serializer):
        user = self.request.user
        data = dict(serializer.validated_data)
        for name in ("status_reason", "rep_reason"):
            data.pop(name, None)
        if not can(user, Action.CREATE):  # a rep: only a prospect of their own
            if data.get("status", DealerStatus.PROSPECT) != DealerStatus.PROSPECT or data.get("rep") not in (None, user):
                raise PermissionDenied(_("A rep may create only a prospect of their own."))
            if _dealer_write_fields(data) & {"credit_limit", "tier", "code"}:
                raise PermissionDenied(_("A rep may not set the tier, code or credit limit."))
            data["rep"] = user
        serializer.instance = services.dealer_create(created_by=user, **data)

    def partial_update(self, request, *args, **kwargs):
        dealer = self.get_object()
        user = request.user
        # A body that is not an object (null, a list) names no field: the serializer answers it 400.
        sent = request.data if isinstance(request.data, Mapping) else {}
        if not can_edit_fields(user, _dealer_write_fields(sent)):
            raise PermissionDenied(_("Your role may not change these fields."))
        if "rep" in sent:
            require(user, Action.ASSIGN_REP)
        serializer = self.get_serializer(dealer, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        to_status, status_reason = data.pop("status", None), data.pop("status_reason", "")
        rep, rep_reason = data.pop("rep", None), data.pop("rep_reason", "")
        data.pop("source", None)
        if to_status and to_status != dealer.status and not (can(user, Action.CHANGE_STATUS) and can_change_status(user, dealer.status, to_status)):
            raise PermissionDenied(_("Your role may not make this status change."))
        services.dealer_edit(dealer=dealer, edited_by=user, fields=data, rep=rep if "rep" in sent else services.NO_CHANGE,
                             rep_reason=rep_reason, to_status=to_status or "", status_reason=status_reason)
        return Response(self.get_serializer(self.get_queryset().get(pk=dealer.pk)).data)

    @extend_schema(request=s.StatusChangeRequestSerializer, responses=s.DealerSerializer,
                   description="Move the dealer along its lifecycle (prospect → negotiating → active ⇄ suspended → terminated). "
                               "A move the lifecycle does not allow answers 400; a rep may only move prospect → negotiating.")
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request, pk=None):
        dealer = self.get_object()
        body = s.StatusChangeRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if not can_change_status(request.user, dealer.status, body.validated_data["status"]):
            raise PermissionDenied(_("Your role may not make this status change."))
        services.dealer_status_change(dealer=dealer, to_status=body.validated_data["status"], changed_by=request.user,
                                      reason=body.validated_data["reason"])
        return Response(self.get_serializer(self.get_queryset().get(pk=dealer.pk)).data)

    @extend_schema(request=s.AssignRepRequestSerializer, responses=s.DealerSerializer,
                   description="Make another rep responsible (kept in the assignment history).")
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        dealer = self.get_object()
        body = s.AssignRepRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.dealer_assign_rep(dealer=dealer, rep=body.validated_data["rep"], assigned_by=request.user,
                                   reason=body.validated_data["reason"])
        return Response(self.get_serializer(self.get_queryset().get(pk=dealer.pk)).data)

    @extend_schema(request=s.ReassignRequestSerializer, responses=s.ReassignResponseSerializer,
                   description="A rep leaves: every dealer and prospect of `from_rep` within the caller's scope moves to `to_rep`.")
    @action(detail=False, methods=["post"])
    def reassign(self, request):
        body = s.ReassignRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        moved = services.dealers_reassign(assigned_by=request.user, **body.validated_data)
        return Response({"moved": moved})

    @extend_schema(responses=s.DealerHistorySerializer, description="Status changes and rep assignments, newest first.")
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        dealer = self.get_object()
        return Response(s.DealerHistorySerializer({
            "status_changes": dealer.status_changes.select_related("changed_by"),
            "assignments": dealer.rep_assignments.all(),
        }).data)

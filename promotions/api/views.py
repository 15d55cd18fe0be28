"""The promotions API (API.md `promotions/`, and the project's own design for
tasks, attendees and leads, assignments, follow-ups, the review and the effect).

Every endpoint starts from a scope function in promotions.selectors: outside it
answers 404; a role that may see but not act gets 403; a step the campaign's
status does not allow gets 409 (services raise, common.api.exceptions maps).
"""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from accounts.policy import is_dealer_user
from common.api.parsers import JSONParser
from promotions import permissions, selectors, services
from promotions.api import serializers as s
from promotions.filters import CampaignFilter
from promotions.forms import people_q
from promotions.models import (
    Attendee,
    Campaign,
    CampaignProduct,
    Interest,
    PreparationTask,
)
from promotions.workflow import CampaignAction


class AttendeeFilter(django_filters.FilterSet):
    interest = django_filters.ChoiceFilter(choices=Interest.choices)
    is_lead = django_filters.BooleanFilter(method="filter_is_lead", label="Leads only (some interest)")
    followed_up = django_filters.BooleanFilter(field_name="followed_up", label="Followed up by the assigned rep")
    unassigned = django_filters.BooleanFilter(field_name="assigned_to", lookup_expr="isnull", label="Not assigned")

    class Meta:
        model = Attendee
        fields = ["interest", "assigned_to", "is_lead", "followed_up", "unassigned"]

    def filter_is_lead(self, queryset, name, value):
        return queryset.leads() if value else queryset.filter(interest=Interest.NONE)


class LeadFilter(AttendeeFilter):
    class Meta(AttendeeFilter.Meta):
        fields = [*AttendeeFilter.Meta.fields, "campaign"]


ATTENDEE_PARAMETERS = [
    OpenApiParameter("interest", str, enum=Interest.values, description="Interest level"),
    OpenApiParameter("is_lead", bool, description="true: leads (some interest); false: attendees only"),
    OpenApiParameter("assigned_to", int, description="Assigned rep"),
    OpenApiParameter("unassigned", bool, description="Leads not assigned yet"),
    OpenApiParameter("followed_up", bool, description="Followed up by the assigned rep"),
    OpenApiParameter("search", str, description="Name, phone or company"),
    OpenApiParameter("page", int), OpenApiParameter("page_size", int),
]


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(str(services.MAY_NOT))


@extend_schema_view(
    list=extend_schema(summary="Campaigns in the caller's scope", responses=s.CampaignSerializer(many=True)),
    retrieve=extend_schema(summary="One campaign, with its objective against actual and follow-up state",
                           responses=s.CampaignDetailSerializer),
    create=extend_schema(request=s.CampaignWriteSerializer, responses={201: s.CampaignDetailSerializer}),
    partial_update=extend_schema(request=s.CampaignWriteSerializer, responses=s.CampaignDetailSerializer),
)
class CampaignViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Promotion campaigns (SPEC §4). Staff create drafts; a manager (within their
    regions) or HQ admin approves; dealer users read the campaigns they take part in."""

    filterset_class = CampaignFilter
    # A dealer user reads a campaign without its internals (DealerCampaignSerializer).
    schema_response_alternatives = {
        s.CampaignSerializer: [s.DealerCampaignSerializer], s.CampaignDetailSerializer: [s.DealerCampaignSerializer],
    }
    search_fields = ["name", "theme"]
    ordering_fields = ["start_date", "end_date", "name", "status", "created_at"]
    ordering = ["-start_date", "-id"]
    http_method_names = ["get", "post", "patch", "put", "head", "options"]

    def get_queryset(self):
        product_lines = Prefetch(
            "product_lines", queryset=CampaignProduct.objects.select_related("product").order_by("product__sku")
        )
        campaigns = selectors.campaign_list(user=self.request.user).prefetch_related("regions", "dealers", product_lines)
        if self.action == "retrieve":
            campaigns = campaigns.prefetch_related("transitions")
        return campaigns

    def get_serializer_class(self):
        if is_dealer_user(self.request.user):
            return s.DealerCampaignSerializer
        if self.action in ("create", "partial_update", "update"):
            return s.CampaignWriteSerializer
        return s.CampaignDetailSerializer if self.action == "retrieve" else s.CampaignSerializer

    def _detail(self, campaign: Campaign, status_code=status.HTTP_200_OK, warnings=()) -> Response:
        campaign = self.get_queryset().prefetch_related("transitions").get(pk=campaign.pk)
        if is_dealer_user(self.request.user):
            return Response(s.DealerCampaignSerializer(campaign).data, status=status_code)
        follow_up = selectors.campaign_follow_up_state(campaign=campaign)
        context = {
            **self.get_serializer_context(), "follow_up": follow_up,
            "objective": selectors.objective_result(campaign=campaign, user=self.request.user, follow_up=follow_up),
            "warnings": warnings,
        }
        return Response(s.CampaignDetailSerializer(campaign, context=context).data, status=status_code)

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object())

    def create(self, request, *args, **kwargs):
        _require(permissions.can_create_campaigns(request.user))
        serializer = s.CampaignWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = self._service_kwargs(serializer.validated_data)
        campaign = services.campaign_create(by=request.user, **data)
        return self._detail(campaign, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        campaign = self.get_object()
        serializer = s.CampaignWriteSerializer(
            data=request.data, partial=kwargs.get("partial", False), context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        services.campaign_update(campaign=campaign, by=request.user, **self._service_kwargs(serializer.validated_data))
        return self._detail(campaign)

    @staticmethod
    def _service_kwargs(data: dict) -> dict:
        data = dict(data)
        if "products" in data:
            data["products"] = [dict(line) for line in data["products"]]
        if data.get("owner") is None:
            data.pop("owner", None)
        return data

    def _transition(self, request, action_name: str) -> Response:
        campaign = self.get_object()
        warning = selectors.open_tasks_warning(campaign=campaign, action=action_name)
        services.campaign_transition(campaign=campaign, action=action_name, by=request.user)
        return self._detail(campaign, warnings=[warning] if warning else ())

    @extend_schema(request=None, responses={200: s.CampaignDetailSerializer, 403: None, 409: None},
                   summary="Approve a draft (a manager within their regions, or HQ admin)")
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._transition(request, CampaignAction.APPROVE)

    @extend_schema(request=None, responses={200: s.CampaignDetailSerializer, 403: None, 409: None},
                   summary="Start an approved campaign (on or after its start date)")
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._transition(request, CampaignAction.START)

    @extend_schema(request=None, responses={200: s.CampaignDetailSerializer, 403: None, 409: None},
                   summary="End the event (early ends move the end date to today); the follow-up clock starts")
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        return self._transition(request, CampaignAction.END)

    # --- Preparation tasks ---------------------------------------------------------------------
    @extend_schema(methods=["get"], responses=s.TaskSerializer(many=True), summary="The preparation checklist")
    @extend_schema(methods=["post"], request=s.TaskCreateSerializer, responses={201: s.TaskSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def tasks(self, request, pk=None):
        campaign = self.get_object()
        _require(not is_dealer_user(request.user))
        if request.method == "POST":
            serializer = s.TaskCreateSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            task = services.preparation_task_add(campaign=campaign, by=request.user, **serializer.validated_data)
            return Response(s.TaskSerializer(task).data, status=status.HTTP_201_CREATED)
        tasks = PreparationTask.objects.filter(campaign=campaign).order_by("due_date", "sort_order", "id")
        return Response(s.TaskSerializer(tasks, many=True).data)

    @extend_schema(request=s.TaskWriteSerializer, responses=s.TaskSerializer,
                   summary="Check a task off (`done`) or change it")
    @action(detail=True, methods=["patch"], url_path=r"tasks/(?P<task_id>[0-9]+)", url_name="task")
    def task(self, request, pk=None, task_id=None):
        campaign = self.get_object()
        _require(not is_dealer_user(request.user))
        task = get_object_or_404(PreparationTask.objects.filter(campaign=campaign), pk=task_id)
        serializer = s.TaskWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        if "owner" not in changes:
            changes["owner"] = services.UNCHANGED
        task = services.preparation_task_update(task=task, by=request.user, **changes)
        return Response(s.TaskSerializer(task).data)

    # --- Attendees and leads -------------------------------------------------------------------
    def _field_campaign(self) -> Campaign:
        campaign = self.get_object()
        _require(permissions.can_see_attendees(self.request.user))
        return campaign

    @extend_schema(methods=["get"], responses=s.AttendeeSerializer(many=True), parameters=ATTENDEE_PARAMETERS,
                   summary="Attendees and leads of the campaign")
    @extend_schema(methods=["post"], request=s.AttendeeCreateSerializer, responses={201: s.AttendeeSerializer},
                   summary="Record a person met at the event")
    @action(detail=True, methods=["get", "post"], filter_backends=[])
    def attendees(self, request, pk=None):
        campaign = self._field_campaign()
        if request.method == "POST":
            serializer = s.AttendeeCreateSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            attendee = services.attendee_record(campaign=campaign, by=request.user, **serializer.validated_data)
            attendee = Attendee.objects.select_related("thank_you").with_follow_up_state().get(pk=attendee.pk)
            return Response(s.AttendeeSerializer(attendee).data, status=status.HTTP_201_CREATED)
        people = (
            Attendee.objects.filter(campaign=campaign).select_related("thank_you").with_follow_up_state()
            .order_by("-recorded_at", "-id")
        )
        people = AttendeeFilter(request.query_params, queryset=people, request=request).qs
        if request.query_params.get("search"):
            people = people.filter(people_q(request.query_params["search"]))
        page = self.paginate_queryset(people)
        return self.get_paginated_response(s.AttendeeSerializer(page, many=True).data)

    @extend_schema(request=s.AttendeeWriteSerializer, responses=s.AttendeeSerializer,
                   summary="Correct a person recorded at the event (the recorder, or whoever manages the campaign)")
    @action(detail=True, methods=["patch"], url_path=r"attendees/(?P<attendee_id>[0-9]+)", url_name="attendee")
    def attendee(self, request, pk=None, attendee_id=None):
        campaign = self._field_campaign()
        attendee = get_object_or_404(Attendee.objects.filter(campaign=campaign), pk=attendee_id)
        serializer = s.AttendeeWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        attendee = services.attendee_update(attendee=attendee, by=request.user, **serializer.validated_data)
        attendee = Attendee.objects.select_related("thank_you").with_follow_up_state().get(pk=attendee.pk)
        return Response(s.AttendeeSerializer(attendee).data)

    @extend_schema(request={"multipart/form-data": s.ImportSerializer},
                   responses={201: s.ImportResultSerializer, 400: s.ImportErrorSerializer},
                   summary="Import attendees and leads from CSV: all rows or none (400 lists every bad row)")
    @action(detail=True, methods=["post"], url_path="attendees/import", url_name="attendees-import",
            parser_classes=[MultiPartParser, FormParser])
    def attendees_import(self, request, pk=None):
        campaign = self._field_campaign()
        serializer = s.ImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            created = services.attendees_import(campaign=campaign, by=request.user, upload=serializer.validated_data["file"])
        except services.AttendeeImportError as error:
            rows = [{"row": row.row, "field": row.field, "message": row.message} for row in error.row_errors]
            return Response({"rows": rows}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"created": len(created)}, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.AssignmentsSerializer, responses=s.AssignmentResultSerializer,
                   summary="Assign leads to reps (rep null: take back); all or nothing")
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def assignments(self, request, pk=None):
        campaign = self._field_campaign()
        serializer = s.AssignmentsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assignments = {item["attendee"]: item["rep"] for item in serializer.validated_data["assignments"]}
        changed = services.leads_assign(campaign=campaign, by=request.user, assignments=assignments)
        return Response({"changed": changed})

    # --- Review and effect ---------------------------------------------------------------------
    @extend_schema(methods=["get"], responses={200: s.ReviewSerializer, 404: None}, summary="The campaign review")
    @extend_schema(methods=["put"], request=s.ReviewWriteSerializer, responses={201: s.ReviewSerializer, 409: None},
                   summary="Write the review; the campaign moves from ended to reviewed")
    @action(detail=True, methods=["get", "put"])
    def review(self, request, pk=None):
        campaign = self.get_object()
        _require(not is_dealer_user(request.user))
        if request.method == "PUT":
            serializer = s.ReviewWriteSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            written = services.campaign_review_write(campaign=campaign, by=request.user, **serializer.validated_data)
            return Response(s.ReviewSerializer(written).data, status=status.HTTP_201_CREATED)
        existing = selectors.campaign_review_or_none(campaign)
        if existing is None:
            return Response({"detail": str(services.REVIEW_REQUIRED)}, status=status.HTTP_404_NOT_FOUND)
        return Response(s.ReviewSerializer(existing).data)

    @extend_schema(responses=s.EffectSerializer,
                   summary="Sell-in during the campaign against the same-length period before, per dealer and product")
    @action(detail=True, methods=["get"])
    def effect(self, request, pk=None):
        campaign = self.get_object()
        _require(not is_dealer_user(request.user))
        result = selectors.campaign_effect(campaign=campaign, user=request.user, with_names=False)
        totals = result.totals
        objective = selectors.objective_result(campaign=campaign, user=request.user, effect_totals=totals)
        data = {
            "before": {"start": result.before[0], "end": result.before[1]},
            "during": {"start": result.during[0], "end": result.during[1]},
            "totals": totals,
            "objective": objective,
            "rows": sorted(result.rows, key=lambda row: (row.dealer_id, row.product_id)),
        }
        return Response(s.EffectSerializer(data).data)


@extend_schema_view(
    list=extend_schema(summary="Leads to follow up: a rep's own; for managers and HQ admin those of their campaigns"),
    retrieve=extend_schema(summary="One lead"),
)
class LeadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.LeadSerializer
    filterset_class = LeadFilter
    search_fields = ["name", "phone", "company"]
    ordering_fields = ["recorded_at", "assigned_at", "name"]
    ordering = ["-recorded_at", "-id"]

    def get_queryset(self):
        return selectors.lead_list(user=self.request.user)

    @extend_schema(methods=["get"], responses=s.FollowUpSerializer(many=True))
    @extend_schema(methods=["post"], request=s.FollowUpWriteSerializer, responses={201: s.FollowUpSerializer},
                   summary="Log a follow-up (only the rep the lead is assigned to)")
    @action(detail=True, methods=["get", "post"], url_path="follow-ups", url_name="follow-ups", pagination_class=None)
    def follow_ups(self, request, pk=None):
        lead = self.get_object()
        if request.method == "POST":
            _require(permissions.can_log_follow_up(request.user, lead))
            serializer = s.FollowUpWriteSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            follow_up = services.lead_follow_up_log(attendee=lead, by=request.user, **serializer.validated_data)
            return Response(s.FollowUpSerializer(follow_up).data, status=status.HTTP_201_CREATED)
        follow_ups = lead.follow_ups.order_by("-at", "-id")
        return Response(s.FollowUpSerializer(follow_ups, many=True).data)


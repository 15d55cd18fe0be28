"""The visits API (API.md `visits/`, `visits/{id}/market-check/`, `start/`,
`complete/`; and `visit-plans/`, `requests/`, `visits/{id}/comments/`).

Every endpoint starts from a scope function in visits.selectors: outside it
answers 404; a role that may see but not act gets 403; a step the visit's state
does not allow gets 409 (services raise StateConflict, common.api.exceptions maps)."""

from __future__ import annotations

import datetime
import mimetypes

import django_filters
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from common.idempotency import IDEMPOTENCY_KEY_PARAMETER, IDEMPOTENCY_RESPONSES, idempotent
from dealers.selectors import dealer_queryset_for
from visits import offline, permissions, selectors, services
from visits.api import serializers as s
from visits.models import DealerRequest, MarketCheck, MarketObservation, RequestStatus, Visit, VisitStatus


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied()


def _staff(user) -> None:
    if not user.is_authenticated:  # the schema generator's anonymous user: an empty scope
        return
    if not permissions.is_staff_field_role(user):
        raise NotFound()


class VisitFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=VisitStatus.choices)
    date_from = django_filters.DateFilter(field_name="scheduled_for", lookup_expr="date__gte", label="Scheduled on or after")
    date_to = django_filters.DateFilter(field_name="scheduled_for", lookup_expr="date__lte", label="Scheduled on or before")

    class Meta:
        model = Visit
        fields = ["status", "dealer", "rep", "plan", "date_from", "date_to"]


@extend_schema_view(
    list=extend_schema(summary="Visits in the caller's scope", responses=s.VisitSerializer(many=True)),
    retrieve=extend_schema(responses=s.VisitSerializer),
    create=extend_schema(request=s.VisitCreateSerializer, responses={201: s.VisitSerializer},
                         summary="Plan an ad hoc visit (a rep to their own dealer; a manager for any rep)"),
    partial_update=extend_schema(request=s.VisitUpdateSerializer, responses=s.VisitSerializer,
                                 summary="Move, cancel (with `cancel_reason`) or take the visit's notes"),
)
class VisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   mixins.UpdateModelMixin, viewsets.GenericViewSet):
    serializer_class = s.VisitSerializer
    filterset_class = VisitFilter
    search_fields = ["dealer__name", "dealer__code"]
    ordering_fields = ["scheduled_for", "status", "created_at"]
    ordering = ["scheduled_for", "id"]
    http_method_names = ["get", "post", "patch", "put", "head", "options"]

    def get_queryset(self):
        _staff(self.request.user)
        return selectors.visit_list(user=self.request.user)

    def _visit(self) -> Visit:
        return self.get_object()

    def _out(self, visit: Visit, code=status.HTTP_200_OK) -> Response:
        visit = self.get_queryset().get(pk=visit.pk)
        return Response(s.VisitSerializer(visit).data, status=code)

    def create(self, request, *args, **kwargs):
        _staff(request.user)
        _require(permissions.can_create_visits(request.user))
        serializer = s.VisitCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        dealer = get_object_or_404(dealer_queryset_for(request.user), pk=data["dealer"])
        visit = services.visit_create(dealer=dealer, by=request.user, scheduled_for=data["scheduled_for"],
                                      rep=data.get("rep"))
        return self._out(visit, status.HTTP_201_CREATED)

    @idempotent
    def update(self, request, *args, **kwargs):
        visit = self._visit()
        serializer = s.VisitUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        notes = {name: data.pop(name) for name in services.NOTE_FIELDS if name in data}
        visit = services.visit_update(
            visit=visit, by=request.user, cancel=data.get("status") == "cancelled" or "cancel_reason" in data,
            cancel_reason=data.get("cancel_reason", ""), scheduled_for=data.get("scheduled_for"), notes=notes,
        )
        return self._out(visit)

    @extend_schema(
        parameters=[OpenApiParameter("day", OpenApiTypes.DATE, description="YYYY-MM-DD (default: today)")],
        responses={200: s.OfflineBundleSerializer, 400: None},
        summary="The rep's day for working offline: own visits, their dealers, carried products, the counts and "
                "deliveries the suggested order reads, open requests",
        description="What a phone stores to record the day's visits without a signal and send them later (each "
                    "step with `recorded_at` and an `Idempotency-Key`). The caller's own visits of the day; a fixed "
                    "number of queries.",
    )
    @action(detail=False, methods=["get"], url_path="offline-bundle", url_name="offline-bundle",
            filter_backends=[], pagination_class=None)
    def offline_bundle(self, request):
        _staff(request.user)
        day = None
        raw = request.query_params.get("day")
        if raw:
            try:
                day = datetime.date.fromisoformat(raw)
            except ValueError as error:
                raise ValidationError({"day": ["YYYY-MM-DD"]}) from error
            if abs((day - timezone.localdate()).days) > offline.DAY_RANGE_DAYS:
                raise ValidationError({"day": [offline.DAY_OUT_OF_RANGE]})
        return Response(s.OfflineBundleSerializer(offline.offline_bundle(user=request.user, day=day)).data)

    @extend_schema(methods=["get"], responses={200: s.MarketCheckSerializer, 404: None},
                   summary="The pre-visit market check (404 until recorded)")
    @extend_schema(methods=["put"], request=s.MarketCheckWriteSerializer,
                   responses={200: s.MarketCheckSerializer, 400: None, 409: None, **IDEMPOTENCY_RESPONSES},
                   parameters=[IDEMPOTENCY_KEY_PARAMETER],
                   summary="Record the market check (all or nothing) or why none was possible (`skipped_reason`)",
                   description="409 once the visit has started. `recorded_at` (optional): when the phone recorded "
                               "it offline. An `Idempotency-Key` makes a retried PUT change nothing.")
    @action(detail=True, methods=["get", "put"], url_path="market-check", url_name="market-check",
            filter_backends=[], pagination_class=None)
    def market_check(self, request, pk=None):
        if request.method == "PUT":
            return self._market_check_put(request, pk=pk)
        return self._market_check_out(self._visit())

    @idempotent
    def _market_check_put(self, request, pk=None):
        visit = self._visit()
        _require(permissions.can_work_visit(request.user, visit))
        serializer = s.MarketCheckWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.market_check_save(
            visit=visit, by=request.user, observations=[dict(row) for row in data["observations"]],
            outlets_walked=data["outlets_walked"], notes=data["notes"], skipped_reason=data["skipped_reason"],
            recorded_at=data["recorded_at"], scheduled_for_seen=data["scheduled_for_seen"],
        )
        return self._market_check_out(visit)

    def _market_check_out(self, visit: Visit) -> Response:
        check = MarketCheck.objects.filter(visit=visit).prefetch_related("observations").first()
        if check is None:
            raise NotFound()
        return Response(s.MarketCheckSerializer(check).data)

    @extend_schema(request=None, responses={201: s.ViolationRefSerializer, 400: None},
                   summary="Record a 窜货 / 砸价 finding of the market check as a dealer violation (idempotent)")
    @action(detail=True, methods=["post"], url_path=r"observations/(?P<observation_id>[0-9]+)/violation",
            url_name="observation-violation")
    def observation_violation(self, request, pk=None, observation_id=None):
        visit = self._visit()
        observation = get_object_or_404(MarketObservation.objects.filter(market_check__visit=visit), pk=observation_id)
        created = observation.violation_id is None
        violation = services.observation_violation_record(observation=observation, by=request.user)
        return Response({"observation": observation.pk, "violation": violation.pk},
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=s.StartSerializer, responses={200: s.VisitSerializer, 400: None, 409: None,
                                                         **IDEMPOTENCY_RESPONSES},
                   summary="Start the visit: 409 until the market check is recorded or skipped",
                   description="`recorded_at` (optional): when the phone recorded the start offline; a visit "
                               "marked missed meanwhile starts if that was on its day. An `Idempotency-Key` makes a "
                               "retried start answer as the first did.")
    @idempotent
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        visit = self._visit()
        _require(permissions.can_work_visit(request.user, visit))
        serializer = s.StartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        visit = services.visit_start(visit=visit, by=request.user, **serializer.validated_data)
        return self._out(visit)

    @extend_schema(request=s.CompleteSerializer, responses={200: s.VisitSerializer, 400: None, 409: None,
                                                            **IDEMPOTENCY_RESPONSES},
                   summary="Complete a started visit (409 if never started)",
                   description="The body is optional: `recorded_at` when the phone recorded it offline. An "
                               "`Idempotency-Key` makes a retried completion answer as the first did.")
    @idempotent
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        visit = self._visit()
        _require(permissions.can_work_visit(request.user, visit))
        serializer = s.CompleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        visit = services.visit_complete(visit=visit, by=request.user, **serializer.validated_data)
        return self._out(visit)

    @extend_schema(methods=["get"], responses=s.VisitPhotoSerializer(many=True), summary="The visit's photos")
    @extend_schema(methods=["post"], request={"multipart/form-data": s.VisitPhotoUploadSerializer},
                   responses={201: s.VisitPhotoSerializer, 400: None, **IDEMPOTENCY_RESPONSES},
                   parameters=[IDEMPOTENCY_KEY_PARAMETER],
                   summary="Add a photo of the market check, the display or the stock count (images only, size-limited)",
                   description="An `Idempotency-Key` makes a retried upload add the photo once.")
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None,
            parser_classes=[MultiPartParser, FormParser])
    def photos(self, request, pk=None):
        if request.method == "POST":
            return self._photo_add(request, pk=pk)
        return Response(s.VisitPhotoSerializer(self._visit().photos.all(), many=True).data)

    @idempotent
    def _photo_add(self, request, pk=None):
        visit = self._visit()
        _require(permissions.can_work_visit(request.user, visit))
        serializer = s.VisitPhotoUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        photo = services.visit_photo_add(visit=visit, by=request.user, **serializer.validated_data)
        return Response(s.VisitPhotoSerializer(photo).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "image/*"): OpenApiTypes.BINARY}, summary="One photo of the visit (the file)")
    @action(detail=True, methods=["get"], url_path=r"photos/(?P<photo_id>[0-9]+)", url_name="photo-file")
    def photo_file(self, request, pk=None, photo_id=None):
        visit = self._visit()
        photo = get_object_or_404(visit.photos.all(), pk=photo_id)
        try:
            handle = photo.image.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        response = FileResponse(handle, content_type=mimetypes.guess_type(photo.image.name)[0] or "application/octet-stream")
        response["X-Content-Type-Options"] = "nosniff"
        return response

    @extend_schema(methods=["get"], responses=s.CommentSerializer(many=True), summary="Comments on the visit")
    @extend_schema(methods=["post"], request=s.CommentSerializer, responses={201: s.CommentSerializer})
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def comments(self, request, pk=None):
        visit = self._visit()
        if request.method == "POST":
            _require(permissions.can_comment(request.user, visit))
            serializer = s.CommentSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            comment = services.visit_comment_add(visit=visit, author=request.user, body=serializer.validated_data["body"])
            return Response(s.CommentSerializer(comment).data, status=status.HTTP_201_CREATED)
        return Response(s.CommentSerializer(visit.comments.select_related("author"), many=True).data)


@extend_schema_view(
    list=extend_schema(summary="Visit plans of the dealers in scope", responses=s.VisitPlanSerializer(many=True)),
    retrieve=extend_schema(responses=s.VisitPlanSerializer),
    create=extend_schema(request=s.VisitPlanWriteSerializer, responses={201: s.VisitPlanSerializer},
                         summary="Set (or replace) a dealer's visit plan; visits for four weeks are generated"),
)
class VisitPlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       viewsets.GenericViewSet):
    serializer_class = s.VisitPlanSerializer
    filterset_fields = ["dealer", "rule", "is_active"]
    ordering_fields = ["dealer", "updated_at"]
    ordering = ["dealer", "id"]
    search_fields = ["dealer__name"]

    def get_queryset(self):
        _staff(self.request.user)
        return selectors.visit_plan_queryset_for(self.request.user)

    def create(self, request, *args, **kwargs):
        _staff(request.user)
        serializer = s.VisitPlanWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        dealer = get_object_or_404(dealer_queryset_for(request.user), pk=data.pop("dealer"))
        _require(permissions.can_edit_plan(request.user, dealer))
        plan = services.visit_plan_save(dealer=dealer, by=request.user, **data)
        return Response(s.VisitPlanSerializer(plan).data, status=status.HTTP_201_CREATED)


class RequestFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=RequestStatus.choices)
    due_before = django_filters.DateFilter(field_name="due_on", lookup_expr="lte")

    class Meta:
        model = DealerRequest
        fields = ["status", "dealer", "owner", "escalated_to", "visit", "due_before"]


@extend_schema_view(
    list=extend_schema(summary="Requests and commitments (事事有回音) in scope; a dealer user sees its own",
                       responses=s.RequestItemSerializer(many=True)),
    retrieve=extend_schema(responses=s.RequestItemSerializer),
    create=extend_schema(request=s.DealerRequestCreateSerializer, responses={201: s.RequestItemSerializer},
                         summary="Record a request or commitment; `beyond_authority` escalates it to the manager"),
)
class DealerRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                           viewsets.GenericViewSet):
    serializer_class = s.RequestItemSerializer
    filterset_class = RequestFilter
    search_fields = ["description", "dealer__name"]
    ordering_fields = ["due_on", "created_at", "status"]
    ordering = ["due_on", "id"]

    def get_queryset(self):
        return selectors.dealer_request_list(user=self.request.user)

    @idempotent
    def create(self, request, *args, **kwargs):
        _staff(request.user)
        serializer = s.DealerRequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        dealer = get_object_or_404(dealer_queryset_for(request.user), pk=data["dealer"])
        visit = None
        if data.get("visit"):
            visit = get_object_or_404(selectors.visit_queryset_for(request.user).filter(dealer=dealer), pk=data["visit"])
        item = services.dealer_request_create(
            dealer=dealer, by=request.user, description=data["description"], due_on=data["due_on"],
            owner=data.get("owner"), visit=visit, beyond_authority=data["beyond_authority"],
        )
        return Response(s.RequestItemSerializer(item).data, status=status.HTTP_201_CREATED)

    def _staff_item(self) -> DealerRequest:
        _staff(self.request.user)
        return self.get_object()

    @extend_schema(request=None, responses={200: s.RequestItemSerializer, 409: None},
                   summary="Beyond my authority: to the region's manager")
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        item = self._staff_item()
        _require(permissions.can_close_request(request.user, item))
        return Response(s.RequestItemSerializer(services.dealer_request_escalate(request=item, by=request.user)).data)

    @extend_schema(request=s.DecisionSerializer, responses={200: s.RequestItemSerializer, 409: None},
                   summary="The manager approves or declines (a reason required) an escalated request")
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        item = self._staff_item()
        _require(permissions.can_decide_request(request.user, item))
        serializer = s.DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.dealer_request_decide(request=item, by=request.user, **serializer.validated_data)
        return Response(s.RequestItemSerializer(item).data)

    @extend_schema(request=s.AnswerSerializer, responses={200: s.RequestItemSerializer, 409: None},
                   summary="Mark done with the answer the dealer sees")
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        item = self._staff_item()
        _require(permissions.can_close_request(request.user, item))
        serializer = s.AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.dealer_request_done(request=item, by=request.user, **serializer.validated_data)
        return Response(s.RequestItemSerializer(item).data)


@extend_schema(parameters=[OpenApiParameter("month", str, description="YYYY-MM (default: this month)")],
               responses=s.DisciplineRowSerializer(many=True),
               summary="Rep discipline for a month: the reps in scope against the targets")
@api_view(["GET"])
def discipline(request):
    _staff(request.user)
    if not request.user.is_authenticated:
        raise NotFound()
    month = timezone.localdate().replace(day=1)
    raw = request.query_params.get("month")
    if raw:
        try:
            month = datetime.datetime.strptime(raw, "%Y-%m").date()
        except ValueError as error:
            raise ValidationError({"month": ["YYYY-MM"]}) from error
    rows = selectors.rep_discipline(user=request.user, month=month)
    return Response(s.DisciplineRowSerializer(rows, many=True).data)

"""The dealers REST API (API.md: `dealers/`, `dealers/{id}/evaluations/`, and the
project's own endpoints for status, assignments, contacts, the contact log,
prospects and their documents, contracts, violations and applications).

Order of checks, as everywhere: the role (dealers.permissions → 403), then the
scope (querysets from dealers.selectors → 404), then the input (→ 400), then
the state (→ 409)."""

from __future__ import annotations

import mimetypes

import django_filters
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, Throttled, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from accounts.models import Role, User
from common.api.pagination import CountedRows
from dealers import services
from dealers.api import serializers as s
from dealers.models import (
    DOCUMENT_MODELS,
    ApplicationStatus,
    ContactChannel,
    ContactLog,
    Contract,
    ContractStatus,
    Dealer,
    DealerApplication,
    DealerContact,
    DealerStatus,
    DealerTier,
    EvaluationCriterion,
    Grade,
    OnboardingStage,
    Violation,
    ViolationOutcome,
    ViolationType,
)
from dealers.permissions import PROFILE_FIELDS, Action, can, can_change_status, can_edit_fields, require
from dealers.selectors import (
    application_queryset_for,
    contact_log_queryset_for,
    contact_queryset_for,
    contract_queryset_for,
    dealer_queryset_for,
    evaluation_queryset_for,
    prospect_queryset_for,
    violation_queryset_for,
)
from regions.models import Region, subtree_q


class RolePermission(permissions.BasePermission):
    """The role check of dealers.permissions for the view's current action
    (`view.action_permissions = {"list": Action.VIEW, ...}`)."""

    message = "Your role may not do this."

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        required = getattr(view, "action_permissions", {}).get(view.action)
        return required is None or can(request.user, required)


class RegionSubtreeFilter(django_filters.ModelChoiceFilter):
    """`?region=<id>`: dealers of that region and every region under it."""

    def filter(self, queryset, value):
        if value in (None, ""):
            return queryset
        return queryset.filter(subtree_q([value], prefix="region__"))


class DealerFilter(django_filters.FilterSet):
    region = RegionSubtreeFilter(queryset=Region.objects.all(), label="Region (with its sub-regions)")
    status = django_filters.MultipleChoiceFilter(choices=DealerStatus.choices)
    tier = django_filters.ChoiceFilter(choices=DealerTier.choices)
    rep = django_filters.ModelChoiceFilter(queryset=User.objects.filter(role=Role.REP))
    grade = django_filters.ChoiceFilter(field_name="current_grade", choices=Grade.choices, label="Current grade")

    class Meta:
        model = Dealer
        fields = ["region", "status", "tier", "rep", "grade"]


def _dealer_write_fields(data) -> set[str]:
    writable = set(PROFILE_FIELDS) | {"code", "region", "tier", "credit_limit"}
    return {name for name in data if name in writable}


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
                raise PermissionDenied("A rep may create only a prospect of their own.")
            if _dealer_write_fields(data) & {"credit_limit", "tier", "code"}:
                raise PermissionDenied("A rep may not set the tier, code or credit limit.")
            data["rep"] = user
        serializer.instance = services.dealer_create(created_by=user, **data)

    def partial_update(self, request, *args, **kwargs):
        dealer = self.get_object()
        user = request.user
        if not can_edit_fields(user, _dealer_write_fields(request.data)):
            raise PermissionDenied("Your role may not change these fields.")
        if "rep" in request.data:
            require(user, Action.ASSIGN_REP)
        serializer = self.get_serializer(dealer, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        to_status, status_reason = data.pop("status", None), data.pop("status_reason", "")
        rep, rep_reason = data.pop("rep", None), data.pop("rep_reason", "")
        data.pop("source", None)
        if to_status and to_status != dealer.status and not (can(user, Action.CHANGE_STATUS) and can_change_status(user, dealer.status, to_status)):
            raise PermissionDenied("Your role may not make this status change.")
        with transaction.atomic():
            if data:
                services.dealer_update(dealer=dealer, updated_by=user, **data)
            if "rep" in request.data and rep is None:
                raise ValidationError({"rep": [str(services.NOT_AN_ACTIVE_REP)]})
            if "rep" in request.data and rep.pk != dealer.rep_id:
                services.dealer_assign_rep(dealer=dealer, rep=rep, assigned_by=user, reason=rep_reason)
            if to_status and to_status != dealer.status:
                services.dealer_status_change(dealer=dealer, to_status=to_status, changed_by=user, reason=status_reason)
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
            raise PermissionDenied("Your role may not make this status change.")
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


class DealerEvaluationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """`dealers/{id}/evaluations/`: a dealer's evaluation history, and a new evaluation."""

    serializer_class = s.EvaluationSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends = []

    def dealer(self) -> Dealer:
        dealer = get_object_or_404(dealer_queryset_for(self.request.user), pk=self.kwargs["dealer_pk"])
        require(self.request.user, Action.VIEW_INTERNAL)
        return dealer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return evaluation_queryset_for(self.request.user).none()
        return (evaluation_queryset_for(self.request.user).filter(dealer=self.dealer())
                .select_related("evaluator").prefetch_related("scores__criterion"))

    @extend_schema(request=s.EvaluationCreateSerializer, responses={201: s.EvaluationSerializer},
                   description='`{"scores": {"marketing_awareness": 4, ...}, "comment": ""}`: every active criterion, '
                               "scores 1–5. Unknown codes or scores out of range → 400, nothing saved.")
    def create(self, request, dealer_pk=None):
        dealer = self.dealer()
        require(request.user, Action.EVALUATE)
        body = s.EvaluationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        evaluation = services.evaluation_create(dealer=dealer, evaluator=request.user, **body.validated_data)
        evaluation = self.get_queryset().get(pk=evaluation.pk)
        return Response(self.get_serializer(evaluation).data, status=status.HTTP_201_CREATED)


class EvaluationCriterionViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin,
                                 mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Evaluation criteria and their weights: staff read them, HQ admin sets them."""

    serializer_class = s.EvaluationCriterionSerializer
    permission_classes = [RolePermission]
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = EvaluationCriterion.objects.order_by("order", "code")
    filterset_fields = ["active"]
    action_permissions = {"list": Action.VIEW_INTERNAL, "retrieve": Action.VIEW_INTERNAL}

    def check_permissions(self, request):
        super().check_permissions(request)
        if self.action in ("create", "partial_update") and not request.user.is_hq_admin:
            raise PermissionDenied("Only an HQ admin may change the criteria.")


class ContactFilter(django_filters.FilterSet):
    class Meta:
        model = DealerContact
        fields = ["dealer", "is_primary"]


class DealerContactViewSet(viewsets.ModelViewSet):
    """Contact people of the dealers in scope (a dealer user reads its own company's)."""

    serializer_class = s.DealerContactSerializer
    permission_classes = [RolePermission]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    filterset_class = ContactFilter
    search_fields = ["name", "phone", "position"]
    ordering_fields = ["name"]
    action_permissions = {"list": Action.VIEW, "retrieve": Action.VIEW, "create": Action.EDIT_PROFILE,
                          "partial_update": Action.EDIT_PROFILE, "destroy": Action.EDIT_PROFILE}

    def get_queryset(self):
        return contact_queryset_for(self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.contact_save(dealer=data.pop("dealer"), **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        dealer = data.pop("dealer", serializer.instance.dealer)
        if dealer.pk != serializer.instance.dealer_id:
            raise PermissionDenied("A contact cannot move to another dealer.")
        serializer.instance = services.contact_save(dealer=dealer, contact=serializer.instance, **data)

    def perform_destroy(self, instance):
        services.contact_delete(contact=instance)


class ContactLogFilter(django_filters.FilterSet):
    channel = django_filters.ChoiceFilter(choices=ContactChannel.choices)

    class Meta:
        model = ContactLog
        fields = ["dealer", "channel", "logged_by"]


class ContactLogViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Logged contacts with dealers and prospects; a new one resets a prospect's "going cold" clock."""

    serializer_class = s.ContactLogSerializer
    permission_classes = [RolePermission]
    filterset_class = ContactLogFilter
    ordering_fields = ["contacted_at"]
    action_permissions = {"list": Action.VIEW_INTERNAL, "retrieve": Action.VIEW_INTERNAL, "create": Action.WORK_ONBOARDING}

    def get_queryset(self):
        return contact_log_queryset_for(self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.contact_log_create(logged_by=self.request.user, **data)


# --- prospects and their documents -------------------------------------------------------
class ProspectFilter(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(field_name="onboarding__stage", choices=OnboardingStage.choices)
    source = django_filters.CharFilter(field_name="onboarding__source")
    rep = django_filters.ModelChoiceFilter(queryset=User.objects.filter(role=Role.REP))
    region = RegionSubtreeFilter(queryset=Region.objects.all())

    class Meta:
        model = Dealer
        fields = ["stage", "source", "rep", "region"]


DOCUMENT_KINDS = "|".join(DOCUMENT_MODELS)
DOCUMENT_DESCRIPTION = (
    "The staged documents: `memo` (communication memo), `proposal` (cooperation proposal), `samples` "
    "(samples and invitation); the fields follow the kind (the schema shows the memo's)."
)


@extend_schema_view(
    create=extend_schema(description="Record a prospect: a rep owns what they create; a manager names the owner rep."),
    update=extend_schema(exclude=True),
    partial_update=extend_schema(request=s.ProspectUpdateSerializer, responses=s.ProspectSerializer,
                                 description="Move the prospect to a stage (its date is recorded), set source or next follow-up. "
                                             "The stage 'signed' is reached only by signing a contract."),
)
class ProspectViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin,
                      mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """The onboarding pipeline: dealers in status prospect or negotiating, with their onboarding."""

    serializer_class = s.ProspectSerializer
    permission_classes = [RolePermission]
    http_method_names = ["get", "post", "patch", "put", "head", "options"]
    filterset_class = ProspectFilter
    search_fields = ["name", "code", "decision_maker", "phone"]
    ordering_fields = ["name", "onboarding__next_follow_up_on", "onboarding__last_contact_on", "created_at"]
    ordering = ["name"]
    action_permissions = {
        "list": Action.VIEW_INTERNAL, "retrieve": Action.VIEW_INTERNAL, "create": Action.CREATE_PROSPECT,
        "partial_update": Action.WORK_ONBOARDING, "document": Action.VIEW_INTERNAL,
    }

    def get_queryset(self):
        return prospect_queryset_for(self.request.user).select_related("region", "rep")

    def update(self, request, *args, **kwargs):
        if not kwargs.get("partial"):
            return Response(status=status.HTTP_405_METHOD_NOT_ALLOWED)
        dealer = self.get_object()
        body = s.ProspectUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        services.onboarding_update(
            dealer=dealer, updated_by=request.user, stage=data.get("stage"), step_on=data.get("step_on"),
            source=data.get("source"), next_follow_up_on=data.get("next_follow_up_on"),
            clear_follow_up="next_follow_up_on" in data and data["next_follow_up_on"] is None,
        )
        return Response(self.get_serializer(Dealer.objects.select_related("onboarding").get(pk=dealer.pk)).data)

    def perform_create(self, serializer):
        user = serializer.context["request"].user
        data = dict(serializer.validated_data)
        onboarding = data.pop("onboarding", {})
        rep = data.pop("rep", None)
        if user.effective_role == Role.REP:
            if rep not in (None, user):
                raise PermissionDenied("A rep's new prospect is their own.")
            rep = user
        serializer.instance = services.dealer_create(
            created_by=user, rep=rep, status=DealerStatus.PROSPECT, source=onboarding.get("source", ""),
            next_follow_up_on=onboarding.get("next_follow_up_on"), **data,
        )

    @extend_schema(methods=["GET"], operation_id="prospects_document_retrieve",
                   parameters=[OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=list(DOCUMENT_MODELS))],
                   responses=s.CommunicationMemoSerializer, description=DOCUMENT_DESCRIPTION)
    @extend_schema(methods=["PUT"], operation_id="prospects_document_update",
                   parameters=[OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=list(DOCUMENT_MODELS))],
                   request=s.CommunicationMemoSerializer, responses=s.CommunicationMemoSerializer,
                   description="The staged documents: `memo` (communication memo), `proposal` (cooperation proposal), "
                               "`samples` (samples and invitation). GET reads (empty fields when not written yet); "
                               "PUT writes the whole document, which moves the prospect to that stage.")
    @action(detail=True, methods=["get", "put"], url_path=f"(?P<kind>{DOCUMENT_KINDS})")
    def document(self, request, pk=None, kind=None):
        dealer = get_object_or_404(dealer_queryset_for(request.user).select_related("onboarding"), pk=pk, onboarding__isnull=False)
        model, serializer_class = DOCUMENT_MODELS[kind], s.DOCUMENT_SERIALIZERS[kind]
        document = model.objects.filter(dealer=dealer).select_related("author").first()
        if request.method == "GET":
            return Response(serializer_class(document or model(dealer=dealer)).data)
        require(request.user, Action.WORK_ONBOARDING)
        body = serializer_class(document, data=request.data)
        body.is_valid(raise_exception=True)
        document = services.onboarding_document_save(dealer=dealer, document_class=model, author=request.user, **body.validated_data)
        return Response(serializer_class(document).data)


# --- contracts ----------------------------------------------------------------------------
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
        return contract_queryset_for(self.request.user).select_related("dealer")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.contract_create(dealer=data.pop("dealer"), created_by=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        if "dealer" in data and data.pop("dealer").pk != serializer.instance.dealer_id:
            raise PermissionDenied("A contract cannot move to another dealer.")
        serializer.instance = services.contract_update(contract=serializer.instance, **data)

    @extend_schema(request=None, responses={200: s.ContractSerializer, 409: OpenApiResponse(description="Already signed")})
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        contract = services.contract_sign(contract=self.get_object(), signed_by=request.user)
        return Response(self.get_serializer(contract).data)


# --- violations ------------------------------------------------------------------------------
class ViolationFilter(django_filters.FilterSet):
    type = django_filters.ChoiceFilter(choices=ViolationType.choices)
    outcome = django_filters.ChoiceFilter(choices=ViolationOutcome.choices)

    class Meta:
        model = Violation
        fields = ["dealer", "type", "outcome", "severity"]


class ViolationViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin,
                       mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Market violations (窜货, 砸价, 截留促销品, other) with evidence and photos.
    Create as JSON, or multipart with `upload_photos` files."""

    serializer_class = s.ViolationSerializer
    permission_classes = [RolePermission]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_class = ViolationFilter
    ordering_fields = ["found_at", "created_at"]
    action_permissions = {
        "list": Action.VIEW_INTERNAL, "retrieve": Action.VIEW_INTERNAL, "create": Action.REPORT_VIOLATION,
        "partial_update": Action.REPORT_VIOLATION, "decide": Action.DECIDE_VIOLATION,
        "photos": Action.REPORT_VIOLATION, "photo_file": Action.VIEW_INTERNAL,
    }

    def get_queryset(self):
        return violation_queryset_for(self.request.user).select_related("dealer").prefetch_related("photos")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        photos = data.pop("upload_photos", [])
        serializer.instance = services.violation_create(reported_by=self.request.user, photos=photos, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("upload_photos", None)
        if "dealer" in data and data.pop("dealer").pk != serializer.instance.dealer_id:
            raise PermissionDenied("A violation cannot move to another dealer.")
        serializer.instance = services.violation_update(violation=serializer.instance, **data)

    @extend_schema(request=s.ViolationDecideSerializer, responses=s.ViolationSerializer,
                   description="Decide the outcome; suspension or termination also moves the dealer's status.")
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        violation = self.get_object()
        body = s.ViolationDecideSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        violation = services.violation_decide(violation=violation, decided_by=request.user, **body.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=violation.pk)).data)

    @extend_schema(request={"multipart/form-data": s.PhotoUploadSerializer}, responses={201: s.ViolationPhotoSerializer(many=True)},
                   description="Add evidence photos (images only, size-limited); all or none are saved.")
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def photos(self, request, pk=None):
        violation = self.get_object()
        body = s.PhotoUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        photos = services.violation_add_photos(violation=violation, photos=body.validated_data["photos"], uploaded_by=request.user)
        return Response(s.ViolationPhotoSerializer(photos, many=True, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "image/*"): OpenApiTypes.BINARY}, description="One evidence photo (the file).")
    @action(detail=True, methods=["get"], url_path=r"photos/(?P<photo_id>\d+)", url_name="photo-file")
    def photo_file(self, request, pk=None, photo_id=None):
        violation = self.get_object()
        photo = get_object_or_404(violation.photos.all(), pk=photo_id)
        try:
            handle = photo.image.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        response = FileResponse(handle, content_type=mimetypes.guess_type(photo.image.name)[0] or "application/octet-stream")
        response["X-Content-Type-Options"] = "nosniff"
        return response


# --- applications ---------------------------------------------------------------------------------
class ApplicationFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=ApplicationStatus.choices)

    class Meta:
        model = DealerApplication
        fields = ["status", "region"]


class DealerApplicationViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin,
                               viewsets.GenericViewSet):
    """Self-registration. Anyone may POST an application (rate-limited per address; the
    `website` honeypot must stay empty). Staff see the applications of their area
    (see dealers.selectors.application_queryset_for): a rep reviews first, a manager
    approves (creating the dealer and its portal user) or rejects with a reason."""

    serializer_class = s.DealerApplicationSerializer
    filterset_class = ApplicationFilter
    search_fields = ["company_name", "contact_name", "phone", "email"]
    ordering_fields = ["submitted_at"]
    action_permissions = {
        "list": Action.REVIEW_APPLICATION, "retrieve": Action.REVIEW_APPLICATION, "review": Action.REVIEW_APPLICATION,
        "reject": Action.REVIEW_APPLICATION, "approve": Action.DECIDE_APPLICATION,
    }

    def get_permissions(self):
        if self.action == "create":
            return [permissions.AllowAny()]
        return [RolePermission()]

    def get_queryset(self):
        return application_queryset_for(self.request.user).select_related("region")

    @extend_schema(auth=[], responses={201: s.PublicApplicationResponseSerializer})
    def create(self, request, *args, **kwargs):
        from dealers.views.applications import TOO_MANY_APPLICATIONS, client_ip

        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if data.pop("website", ""):
            return Response({"detail": str(s.APPLICATION_RECEIVED)}, status=status.HTTP_201_CREATED)
        if services.application_rate_limited(ip_address=client_ip(request)):
            raise Throttled(detail=str(TOO_MANY_APPLICATIONS))
        from django.utils import translation

        services.application_submit(ip_address=client_ip(request), language=translation.get_language() or "", **data)
        return Response({"detail": str(s.APPLICATION_RECEIVED)}, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ApplicationReviewSerializer, responses=s.DealerApplicationSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        application = self.get_object()
        body = s.ApplicationReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        application = services.application_review(application=application, reviewed_by=request.user, note=body.validated_data["note"])
        return Response(self.get_serializer(application).data)

    @extend_schema(request=s.ApplicationRejectSerializer, responses=s.DealerApplicationSerializer,
                   description="Reject with a reason: a rep at the first review, a manager at either step.")
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        application = self.get_object()
        if application.status == ApplicationStatus.REVIEWED:
            require(request.user, Action.DECIDE_APPLICATION)
        body = s.ApplicationRejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        application = services.application_reject(application=application, rejected_by=request.user, reason=body.validated_data["reason"])
        return Response(self.get_serializer(application).data)

    @extend_schema(request=s.ApplicationApproveSerializer, responses=s.DealerSerializer,
                   description="Approve a reviewed application: creates the dealer (a prospect from self-registration) and its "
                               "first portal user, who is emailed a link to set a password.")
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        application = self.get_object()
        body = s.ApplicationApproveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        dealer = services.application_approve(application=application, approved_by=request.user, **body.validated_data)
        return Response(s.DealerSerializer(dealer, context={"request": request}).data)

"""Prospects in the onboarding pipeline and their staged documents."""

from __future__ import annotations

import django_filters
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.models import Role, User
from dealers import services
from dealers.api import serializers as s
from dealers.api.views.shared import RegionSubtreeFilter, RolePermission
from dealers.models import DOCUMENT_MODELS, Dealer, DealerStatus, OnboardingStage
from dealers.permissions import Action, require
from dealers.selectors import dealer_queryset_for, prospect_queryset_for
from regions.models import Region


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
                raise PermissionDenied(_("A rep's new prospect is their own."))
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

"""Self-registration: the public application form and its review, rejection and approval."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled
from rest_framework.response import Response

from dealers import services
from dealers.api import serializers as s
from dealers.api.views.shared import RolePermission
from dealers.models import ApplicationStatus, DealerApplication
from dealers.permissions import Action, require
from dealers.selectors import application_queryset_for
from dealers.views.applications import TOO_MANY_APPLICATIONS, client_ip


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
                   description="Approve an open application (a manager may approve one nobody reviewed yet: the approval "
                               "is its review): creates the dealer (a prospect from self-registration) and its "
                               "first portal user, who is emailed a link to set a password. 400 when no rep reviewed it "
                               "and no `rep` is given.")
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        application = self.get_object()
        body = s.ApplicationApproveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        dealer = services.application_approve(application=application, approved_by=request.user, **body.validated_data)
        return Response(s.DealerSerializer(dealer, context={"request": request}).data)

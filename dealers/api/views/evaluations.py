"""A dealer's evaluations, and the evaluation criteria HQ keeps."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from dealers import services
from dealers.api import serializers as s
from dealers.api.views.shared import RolePermission
from dealers.models import Dealer, EvaluationCriterion
from dealers.permissions import Action, require
from dealers.selectors import dealer_queryset_for, evaluation_queryset_for


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
            raise PermissionDenied(_("Only an HQ admin may change the criteria."))

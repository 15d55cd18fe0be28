"""Market violations, their photos and their outcome."""

from __future__ import annotations

import mimetypes

import django_filters
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from common.api.parsers import JSONParser
from dealers import services
from dealers.api import serializers as s
from dealers.api.views.shared import RolePermission
from dealers.models import Violation, ViolationOutcome, ViolationType
from dealers.permissions import Action
from dealers.selectors import violation_queryset_for


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
            raise PermissionDenied(_("A violation cannot move to another dealer."))
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
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser], pagination_class=None)
    def photos(self, request, pk=None):
        violation = self.get_object()
        body = s.PhotoUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        photos = services.violation_add_photos(violation=violation, photos=body.validated_data["photos"], uploaded_by=request.user)
        return Response(s.ViolationPhotoSerializer(photos, many=True, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "image/*"): OpenApiTypes.BINARY}, description="One evidence photo (the file).")
    @action(detail=True, methods=["get"], url_path=r"photos/(?P<photo_id>[0-9]+)", url_name="photo-file")
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

"""A tiny API for the generic Idempotency-Key tests (common/tests/test_idempotency.py):
POST creates a region and answers its id; PUT answers 400 without writing; a
ViewSet action renames a region (appends "+")."""

from django.urls import path
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from common.idempotency import idempotent
from regions.models import Region


class _Input(serializers.Serializer):
    name = serializers.CharField(max_length=100)


class RegionWrite(APIView):
    @idempotent
    def post(self, request):
        data = _Input(data=request.data)
        data.is_valid(raise_exception=True)
        region = Region.objects.create(name=data.validated_data["name"], kind="other")
        return Response({"id": region.pk, "name": region.name}, status=status.HTTP_201_CREATED)

    @idempotent
    def put(self, request):
        return Response({"detail": "refused"}, status=status.HTTP_400_BAD_REQUEST)


class RegionViewSet(viewsets.GenericViewSet):
    """A ViewSet action (as #18's visit steps will be) takes the decorator the same way."""

    queryset = Region.objects.all()

    @idempotent
    @action(detail=True, methods=["post"])
    def rename(self, request, pk=None):
        region = self.get_object()
        region.name = f"{region.name}+"
        region.save(update_fields=["name"])
        return Response({"id": region.pk, "name": region.name})


router = SimpleRouter()
router.register("regions", RegionViewSet, basename="region")
urlpatterns = [path("write/", RegionWrite.as_view()), *router.urls]

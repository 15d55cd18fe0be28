import django_filters
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, permissions, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.serializers import (
    CurrentUserSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
    UserSerializer,
)
from accounts.models import User
from common.api.permissions import IsHQAdmin

INVALID_CREDENTIALS = _("Unable to sign in with the username and password given.")


class UserFilter(django_filters.FilterSet):
    class Meta:
        model = User
        fields = ["role", "dealer", "regions", "is_active"]


class UserViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin, viewsets.GenericViewSet,
):
    """People who sign in (HQ admin only). Deactivate a user instead of deleting:
    their dealers, visits and notes stay with the company."""

    serializer_class = UserSerializer
    permission_classes = [IsHQAdmin]
    filterset_class = UserFilter
    search_fields = ["username", "first_name", "last_name", "email", "phone"]
    ordering_fields = ["username", "role", "date_joined"]
    queryset = User.objects.prefetch_related("regions").order_by("username")


class TokenView(APIView):
    """Exchange a username and password for an API token."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_scope = "auth"

    @extend_schema(request=TokenRequestSerializer, responses=TokenResponseSerializer, auth=[])
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request, username=serializer.validated_data["username"], password=serializer.validated_data["password"]
        )
        if user is None or not user.is_active:
            raise ValidationError({"non_field_errors": [str(INVALID_CREDENTIALS)]})
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class CurrentUserView(generics.RetrieveUpdateAPIView):
    """The caller's own profile."""

    serializer_class = CurrentUserSerializer

    def get_object(self):
        return self.request.user

import django_filters
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, mixins, permissions, viewsets
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import login_limits, services, tokens
from accounts.api.serializers import (
    CurrentUserSerializer,
    LogoutRequestSerializer,
    LogoutResponseSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
    UserSerializer,
)
from accounts.models import ApiToken, User
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
    """Exchange a username and password for an API token (a new one at each sign-in,
    valid for API_TOKEN_TTL_HOURS). Failed attempts are limited per user name and per
    address: past the limit the answer is 429 with Retry-After, whatever the password."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    @extend_schema(
        request=TokenRequestSerializer, auth=[],
        responses={200: TokenResponseSerializer, 400: OpenApiResponse(description="Wrong user name or password."),
                   429: OpenApiResponse(description="Too many failed attempts: wait (Retry-After) and try again.")},
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        username, address = serializer.validated_data["username"], request.META.get("REMOTE_ADDR")
        wait = login_limits.login_locked_for(username=username, address=address)
        if wait:
            locked = Throttled(detail=login_limits.locked_message(wait))
            locked.wait = wait  # Retry-After, without DRF's own sentence after ours
            raise locked
        user = authenticate(request, username=username, password=serializer.validated_data["password"])
        if user is None or not user.is_active:
            login_limits.login_failed(username=username, address=address)
            raise ValidationError({"non_field_errors": [str(INVALID_CREDENTIALS)]})
        login_limits.login_succeeded(username=username, address=address)
        key, token = tokens.api_token_issue(user=user)
        return Response({"token": key, "expires": token.expires_at})


class LogoutView(APIView):
    """Sign out: revoke the token the request is made with (`{"all": true}`: every
    token of the caller, e.g. after losing a phone). A session is ended too."""

    @extend_schema(request=LogoutRequestSerializer, responses={200: LogoutResponseSerializer})
    def post(self, request):
        body = LogoutRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if body.validated_data["all"]:
            revoked = tokens.api_tokens_revoke_all(user=request.user)
        elif isinstance(request.auth, ApiToken):
            revoked = tokens.api_token_revoke_this(token=request.auth)
        else:
            revoked = 0
        if request.session.session_key:
            from django.contrib.auth import logout

            logout(request._request)
        return Response({"revoked": revoked})


class CurrentUserView(generics.RetrieveUpdateAPIView):
    """The caller's own profile."""

    serializer_class = CurrentUserSerializer

    def get_object(self):
        return self.request.user

    def perform_update(self, serializer):
        serializer.instance = services.profile_update(user=serializer.instance, **serializer.validated_data)

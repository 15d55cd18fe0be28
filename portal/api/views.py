"""questions/ and questions/{id}/messages/: a dealer user asks and follows up;
its rep, managers and HQ admin answer. Outside the caller's scope: 404."""

from __future__ import annotations

import django_filters
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Role
from portal import services
from portal.api import serializers as s
from portal.models import Question, QuestionStatus
from portal.selectors import question_detail, question_list, question_messages, question_queryset_for

ONLY_DEALER_USERS_ASK = _("Questions are asked by the dealer's own users.")


class QuestionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=QuestionStatus.choices)

    class Meta:
        model = Question
        fields = ["dealer", "status"]


class QuestionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Questions from dealers: a dealer user sees its company's, the rep and managers
    those of the dealers in their scope (finance and warehouse none)."""

    filterset_class = QuestionFilter
    search_fields = ["subject", "dealer__name", "dealer__code"]
    ordering_fields = ["last_message_at", "created_at", "status"]
    ordering = ["-last_message_at", "-id"]

    def get_queryset(self):
        if self.action == "retrieve":
            return question_queryset_for(self.request.user).prefetch_related("messages__author").select_related("dealer")
        return question_list(user=self.request.user)

    def get_serializer_class(self):
        return s.QuestionDetailSerializer if self.action == "retrieve" else s.QuestionSerializer

    def _question(self) -> Question:
        return get_object_or_404(question_queryset_for(self.request.user), pk=self.kwargs["pk"])

    @extend_schema(request=s.QuestionCreateSerializer, responses={201: s.QuestionDetailSerializer})
    def create(self, request, *args, **kwargs):
        """Ask a question (dealer users): `{"subject": "...", "body": "..."}`. The rep and managers are notified."""
        if request.user.effective_role != Role.DEALER:
            raise exceptions.PermissionDenied(ONLY_DEALER_USERS_ASK)
        data = s.QuestionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        question = services.question_ask(by=request.user, **data.validated_data)
        body = s.QuestionDetailSerializer(question_detail(user=request.user, pk=question.pk)).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["get"], request=None, responses=s.QuestionMessageSerializer(many=True))
    @extend_schema(
        methods=["post"], request=s.MessageCreateSerializer,
        responses={201: s.QuestionMessageSerializer, 403: OpenApiResponse(description="Your role may not answer."),
                   404: OpenApiResponse(description="No such question in your scope.")},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def messages(self, request, pk=None):
        """The thread (GET), or a new message (POST `{"body": "..."}`): an answer from staff,
        a follow-up from the dealer. The other side is notified."""
        question = self._question()
        if request.method == "GET":
            return Response(s.QuestionMessageSerializer(question_messages(question=question), many=True).data)
        data = s.MessageCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = services.question_reply(question=question, by=request.user, body=data.validated_data["body"])
        return Response(s.QuestionMessageSerializer(message).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.QuestionDetailSerializer, 409: OpenApiResponse(description="Already closed.")})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close a question that needs nothing more (either side)."""
        services.question_close(question=self._question(), by=request.user)
        return Response(s.QuestionDetailSerializer(question_detail(user=request.user, pk=pk)).data)

"""Reads of dealer questions, always scoped to the user."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from accounts.models import Role
from accounts.policy import VISIBILITY, Area, Visibility
from common.scoping import register_scope
from dealers.scope import scoped
from portal.models import Question, QuestionMessage, QuestionQuerySet

# Who answers a dealer's questions: its rep, the managers overseeing its region, HQ admin
# (accounts.policy, Area.QUESTIONS; a dealer user sees its own company's).
QUESTION_STAFF_ROLES = tuple(
    role for role, seen in VISIBILITY[Area.QUESTIONS].items() if seen != Visibility.NONE and role != Role.DEALER
)


def question_queryset_for(user) -> QuestionQuerySet:
    """The questions `user` may see: a dealer user its company's; the rep, managers and
    HQ admin those of the dealers in their scope. Every question page and endpoint starts here."""
    return scoped(user, Area.QUESTIONS, Question.objects.all(), dealer="dealer")


def question_list(*, user) -> QuestionQuerySet:
    """The user's questions with what a list row shows (one query per page)."""
    return (
        question_queryset_for(user)
        .select_related("dealer", "asked_by")
        .annotate(message_count=Count("messages"))
    )


def question_detail(*, user, pk: int) -> Question:
    """One question in the user's scope with its thread (Question.DoesNotExist outside)."""
    return (
        question_queryset_for(user)
        .select_related("dealer", "dealer__rep", "asked_by", "closed_by")
        .prefetch_related(Prefetch("messages", queryset=QuestionMessage.objects.select_related("author").order_by("created_at", "id")))
        .get(pk=pk)
    )


def question_messages(*, question: Question) -> QuerySet[QuestionMessage]:
    return question.messages.select_related("author").order_by("created_at", "id")


# The scope of each model, for mechanisms that only know the model (common.scoping).
register_scope(Question, question_queryset_for)

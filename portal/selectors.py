"""Reads of dealer questions, always scoped to the user."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from accounts.models import Role
from dealers.selectors import dealer_queryset_for
from portal.models import Question, QuestionMessage, QuestionQuerySet

# Who answers a dealer's questions: its rep, the managers overseeing its region, HQ admin.
QUESTION_STAFF_ROLES = (Role.ADMIN, Role.MANAGER, Role.REP)


def question_queryset_for(user) -> QuestionQuerySet:
    """The questions `user` may see: a dealer user its company's; the rep, managers and
    HQ admin those of the dealers in their scope. Every question page and endpoint starts here."""
    questions = Question.objects.all()
    if not user.is_authenticated:
        return questions.none()
    role = user.effective_role
    if role == Role.DEALER:
        return questions.filter(dealer_id=user.dealer_id)
    if role in QUESTION_STAFF_ROLES:
        return questions if role == Role.ADMIN else questions.filter(dealer__in=dealer_queryset_for(user))
    return questions.none()


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

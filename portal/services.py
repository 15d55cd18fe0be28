"""Writes of dealer questions: asking, answering, closing; each message tells the other side."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.selectors import managers_for_region
from common.exceptions import StateConflict
from dealers.selectors import dealer_queryset_for
from notifications.services import notification_deliver_in_language
from portal.models import BODY_MAX, SUBJECT_MAX, Question, QuestionMessage, QuestionStatus
from portal.selectors import QUESTION_STAFF_ROLES

# --- Messages (asserted by the tests) -----------------------------------------------------
ONLY_DEALER_USERS_ASK = _("Questions are asked by the dealer's own users.")
MAY_NOT_ANSWER = _("Only the dealer's rep, its managers and HQ admin answer its questions.")
SUBJECT_REQUIRED = _("Say in a few words what your question is about.")
SUBJECT_TOO_LONG = _("Keep the subject under %(max)s characters.")
BODY_REQUIRED = _("Write your message.")
BODY_TOO_LONG = _("Keep the message under %(max)s characters.")
ALREADY_CLOSED = _("This question is already closed.")

NOTIFY_ASKED_TITLE = _("Question from %(dealer)s: %(subject)s")
NOTIFY_DEALER_REPLY_TITLE = _("%(dealer)s replied: %(subject)s")
NOTIFY_ANSWERED_TITLE = _("Answer to your question: %(subject)s")


def _may_answer(*, user: User, question: Question) -> bool:
    if user.effective_role not in QUESTION_STAFF_ROLES:
        return False
    return user.is_hq_admin or dealer_queryset_for(user).filter(pk=question.dealer_id).exists()


def _is_dealer_side(*, user: User, question: Question) -> bool:
    return user.effective_role == Role.DEALER and user.dealer_id == question.dealer_id


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": BODY_REQUIRED})
    if len(body) > BODY_MAX:
        raise ValidationError({"body": BODY_TOO_LONG % {"max": BODY_MAX}})
    return body


@transaction.atomic
def question_ask(*, by: User, subject: str, body: str, at: datetime.datetime | None = None) -> Question:
    """A dealer user asks the manufacturer a question; the dealer's rep and managers are told."""
    if by.effective_role != Role.DEALER or not by.dealer_id:
        raise PermissionDenied(ONLY_DEALER_USERS_ASK)
    subject = (subject or "").strip()
    errors = {}
    if not subject:
        errors["subject"] = [SUBJECT_REQUIRED]
    elif len(subject) > SUBJECT_MAX:
        errors["subject"] = [SUBJECT_TOO_LONG % {"max": SUBJECT_MAX}]
    try:
        body = _clean_body(body)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    at = at or timezone.now()
    question = Question.objects.create(
        dealer_id=by.dealer_id, asked_by=by, subject=subject, status=QuestionStatus.OPEN,
        created_at=at, last_message_at=at,
    )
    message = QuestionMessage.objects.create(question=question, author=by, from_dealer=True, body=body, created_at=at)
    _notify(question=question, message=message, first=True)
    return question


@transaction.atomic
def question_reply(*, question: Question, by: User, body: str, at: datetime.datetime | None = None) -> QuestionMessage:
    """Add a message to the thread: from staff it answers (status answered), from the dealer
    it asks again (status open, a closed question reopens). The other side is told."""
    question = (
        Question.objects.select_for_update(of=("self",)).select_related("dealer", "dealer__region").get(pk=question.pk)
    )
    from_dealer = _is_dealer_side(user=by, question=question)
    if not from_dealer and not _may_answer(user=by, question=question):
        raise PermissionDenied(MAY_NOT_ANSWER)
    body = _clean_body(body)
    at = at or timezone.now()
    message = QuestionMessage.objects.create(question=question, author=by, from_dealer=from_dealer, body=body, created_at=at)
    question.status = QuestionStatus.OPEN if from_dealer else QuestionStatus.ANSWERED
    question.last_message_at = at
    question.closed_at = None
    question.closed_by = None
    question.save(update_fields=["status", "last_message_at", "closed_at", "closed_by"])
    _notify(question=question, message=message, first=False)
    return message


@transaction.atomic
def question_close(*, question: Question, by: User, at: datetime.datetime | None = None) -> Question:
    """Either side closes a question that needs nothing more."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    if not (_is_dealer_side(user=by, question=question) or _may_answer(user=by, question=question)):
        raise PermissionDenied(MAY_NOT_ANSWER)
    if question.status == QuestionStatus.CLOSED:
        raise StateConflict(ALREADY_CLOSED)
    question.status = QuestionStatus.CLOSED
    question.closed_at = at or timezone.now()
    question.closed_by = by
    question.save(update_fields=["status", "closed_at", "closed_by"])
    return question


def _staff_for(question: Question) -> list[User]:
    """The dealer's rep and the managers overseeing its region."""
    dealer = question.dealer
    people = list(managers_for_region(dealer.region))
    if dealer.rep_id and dealer.rep.is_active and all(person.pk != dealer.rep_id for person in people):
        people.insert(0, dealer.rep)
    return people


def _notify(*, question: Question, message: QuestionMessage, first: bool) -> None:
    """Tell the other side of the thread about a new message, once per message and person."""
    url = reverse("portal:question_detail", args=[question.pk])
    if message.from_dealer:
        recipients = _staff_for(question)
        title_text = NOTIFY_ASKED_TITLE if first else NOTIFY_DEALER_REPLY_TITLE
    else:
        recipients = list(User.objects.filter(dealer_id=question.dealer_id, role=Role.DEALER, is_active=True))
        title_text = NOTIFY_ANSWERED_TITLE
    for recipient in recipients:
        if recipient.pk == message.author_id:
            continue
        notification_deliver_in_language(
            recipient=recipient, key=f"question:{question.pk}:message:{message.pk}", kind="question", url=url,
            title=title_text, body=message.body[:500],  # the dealer's or staff's own words, sent as written
            dealer=question.dealer.name, subject=question.subject,
        )

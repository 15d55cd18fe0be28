"""Questions: asking, answering, closing; the other side is told once per message."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from common.exceptions import StateConflict
from notifications.models import Notification
from portal import services
from portal.models import QuestionMessage, QuestionStatus
from portal.tests.conftest import user_for

pytestmark = pytest.mark.django_db


def recipients(key_part: str) -> set[str]:
    return set(Notification.objects.filter(key__contains=key_part).values_list("recipient__username", flat=True))


def test_question_ask_creates_the_thread_and_tells_the_rep_and_managers(world):
    question = services.question_ask(by=world.dealer_user, subject="  Rebate for Q1? ", body="When is it paid?")
    assert (question.dealer, question.subject, question.status) == (world.dealer, "Rebate for Q1?", QuestionStatus.OPEN)
    (message,) = question.messages.all()
    assert message.from_dealer and message.body == "When is it paid?"
    assert recipients(f"question:{question.pk}:") == {"rep", "manager"}
    note = Notification.objects.get(recipient=world.rep)
    assert note.title == "Question from Baishun Trading: Rebate for Q1?" and note.url == f"/portal/questions/{question.pk}/"


@pytest.mark.parametrize("role", ["rep", "manager", "finance", "admin"])
def test_question_ask_is_for_dealer_users_only(world, role):
    with pytest.raises(PermissionDenied):
        services.question_ask(by=user_for(world, role), subject="Hi", body="Hello")


def test_question_ask_without_subject_or_body_saves_nothing(world):
    with pytest.raises(ValidationError) as error:
        services.question_ask(by=world.dealer_user, subject=" ", body="")
    assert error.value.message_dict == {"subject": [services.SUBJECT_REQUIRED], "body": [services.BODY_REQUIRED]}
    assert not QuestionMessage.objects.exists()


def test_question_reply_by_the_rep_answers_and_tells_the_dealers_users(world):
    question = services.question_ask(by=world.dealer_user, subject="Delivery", body="When?")
    message = services.question_reply(question=question, by=world.rep, body="Tomorrow.")
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED and not message.from_dealer
    assert recipients(f"question:{question.pk}:message:{message.pk}") == {"dealer_user", "colleague"}
    assert Notification.objects.get(recipient=world.dealer_user).title == "Answer to your question: Delivery"


def test_question_reply_by_the_dealer_reopens_and_tells_the_staff(world):
    question = services.question_ask(by=world.dealer_user, subject="Delivery", body="When?")
    services.question_reply(question=question, by=world.manager, body="Tomorrow.")
    services.question_close(question=question, by=world.dealer_user)
    follow_up = services.question_reply(question=question, by=world.colleague, body="It did not come.")
    question.refresh_from_db()
    assert question.status == QuestionStatus.OPEN and question.closed_at is None
    assert recipients(f"question:{question.pk}:message:{follow_up.pk}") == {"rep", "manager"}


@pytest.mark.parametrize("role", ["other_rep", "other_manager", "finance", "warehouse", "other_dealer"])
def test_question_reply_by_someone_outside_the_dealers_people_is_refused(world, role):
    question = services.question_ask(by=world.dealer_user, subject="Delivery", body="When?")
    with pytest.raises(PermissionDenied):
        services.question_reply(question=question, by=user_for(world, role), body="Hm")
    assert question.messages.count() == 1


def test_question_close_twice_is_a_conflict(world):
    question = services.question_ask(by=world.dealer_user, subject="Delivery", body="When?")
    services.question_close(question=question, by=world.rep)
    with pytest.raises(StateConflict):
        services.question_close(question=question, by=world.rep)

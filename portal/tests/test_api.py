"""questions/ and questions/{id}/messages/ within scope."""

import pytest

from portal import services
from portal.models import Question
from portal.tests.conftest import user_for
from portal.tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db
QUESTIONS = "/api/v1/questions/"


def test_questions_api_dealer_asks_and_the_thread_comes_back(api_as, world):
    response = api_as(world.dealer_user).post(QUESTIONS, {"subject": "Price list", "body": "Is the new list out?"})
    assert response.status_code == 201
    body = response.json()
    assert body["dealer"] == world.dealer.pk and body["status"] == "open" and body["message_count"] == 1
    assert body["messages"][0]["body"] == "Is the new list out?" and body["messages"][0]["from_dealer"] is True


def test_questions_api_staff_may_not_ask(api_as, world):
    response = api_as(world.rep).post(QUESTIONS, {"subject": "X", "body": "Y"})
    assert response.status_code == 403 and not Question.objects.exists()


def test_questions_api_bad_input_answers_400(api_as, world):
    response = api_as(world.dealer_user).post(QUESTIONS, {"subject": "", "body": "x" * 5000})
    assert response.status_code == 400 and set(response.json()) == {"subject", "body"}


@pytest.mark.parametrize(("role", "count"), [
    ("dealer", 1), ("rep", 1), ("manager", 1), ("admin", 2), ("other_dealer", 1), ("finance", 0), ("warehouse", 0),
])
def test_questions_api_lists_only_the_callers_scope(api_as, world, role, count):
    QuestionFactory(asked_by=world.dealer_user)
    QuestionFactory(asked_by=world.other_dealer_user)
    assert api_as(user_for(world, role)).get(QUESTIONS).json()["count"] == count


@pytest.mark.parametrize("role", ["other_dealer", "other_rep", "other_manager", "finance", "warehouse"])
def test_questions_api_outside_scope_answers_404_everywhere(api_as, world, role):
    question = QuestionFactory(asked_by=world.dealer_user)
    client = api_as(user_for(world, role))
    assert client.get(f"{QUESTIONS}{question.pk}/").status_code == 404
    assert client.get(f"{QUESTIONS}{question.pk}/messages/").status_code == 404
    assert client.post(f"{QUESTIONS}{question.pk}/messages/", {"body": "x"}).status_code == 404
    assert client.post(f"{QUESTIONS}{question.pk}/close/").status_code == 404
    assert question.messages.count() == 1


def test_messages_api_rep_answers_and_the_dealer_reads_it(api_as, world):
    question = QuestionFactory(asked_by=world.dealer_user)
    response = api_as(world.rep).post(f"{QUESTIONS}{question.pk}/messages/", {"body": "Next week."})
    assert response.status_code == 201 and response.json()["from_dealer"] is False
    thread = api_as(world.dealer_user).get(f"{QUESTIONS}{question.pk}/messages/").json()
    assert [message["body"] for message in thread] == ["When does it arrive?", "Next week."]
    assert api_as(world.dealer_user).get(f"{QUESTIONS}{question.pk}/").json()["status"] == "answered"


def test_close_api_twice_answers_409(api_as, world):
    question = QuestionFactory(asked_by=world.dealer_user)
    client = api_as(world.dealer_user)
    assert client.post(f"{QUESTIONS}{question.pk}/close/").json()["status"] == "closed"
    response = client.post(f"{QUESTIONS}{question.pk}/close/")
    assert response.status_code == 409 and response.json()["detail"] == str(services.ALREADY_CLOSED)


@pytest.mark.parametrize("count", [3, 30])
def test_questions_api_list_makes_a_bounded_number_of_queries(api_as, world, count, django_assert_max_num_queries):
    for _ in range(count):
        QuestionFactory(asked_by=world.dealer_user)
    client = api_as(world.manager)
    with django_assert_max_num_queries(5):
        assert len(client.get(QUESTIONS, {"page_size": 200}).json()["results"]) == count

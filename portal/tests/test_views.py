"""The portal home and the question pages: who sees what, and bounded queries."""

import pytest

from dealers.tests.factories import DealerFactory
from portal.models import Question, QuestionStatus
from portal.tests.conftest import user_for
from portal.tests.factories import QuestionFactory
from rebates.tests.factories import RebateAssignmentFactory, TieredPlanFactory

pytestmark = pytest.mark.django_db


def test_dealer_user_lands_on_its_worklist_with_the_portal_actions(client, world):
    client.force_login(world.dealer_user)
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    for label in ("Place an order", "My orders", "My rebates", "My price list", "Ask a question", "My questions"):
        assert label in body


def test_portal_home_shows_the_sections_of_orders_rebates_and_questions(client, world):
    RebateAssignmentFactory(plan=TieredPlanFactory(name="Quarterly volume"), dealer=world.dealer)
    QuestionFactory(asked_by=world.dealer_user, subject="Where is my delivery?", status=QuestionStatus.ANSWERED)
    QuestionFactory(asked_by=world.other_dealer_user, subject="Another dealer's secret", status=QuestionStatus.ANSWERED)
    client.force_login(world.dealer_user)
    body = client.get("/portal/").content.decode()
    assert 'data-testid="work-item-open-orders"' in body  # inventory's worklist item
    assert "Quarterly volume" in body and "Buy ¥100,000.00 more this period to earn 1 %." in body
    assert "Where is my delivery?" in body and "Another dealer's secret" not in body


def test_portal_home_sends_staff_to_their_own_home(client, world):
    client.force_login(world.rep)
    assert client.get("/portal/").url == "/"


@pytest.mark.parametrize("count", [1, 12])
def test_portal_home_makes_a_bounded_number_of_queries(client, world, count, django_assert_max_num_queries):
    RebateAssignmentFactory(plan=TieredPlanFactory(), dealer=world.dealer)
    for _ in range(count):
        QuestionFactory(asked_by=world.dealer_user)
    client.force_login(world.dealer_user)
    with django_assert_max_num_queries(14):
        assert client.get("/portal/").status_code == 200


# --- Questions -----------------------------------------------------------------------------------
def test_dealer_asks_a_question_from_the_form(client, world):
    client.force_login(world.dealer_user)
    response = client.post("/portal/questions/new/", {"subject": "Damaged cases", "body": "Three cases arrived wet."})
    question = Question.objects.get()
    assert response.status_code == 302 and response.url == f"/portal/questions/{question.pk}/"
    assert question.dealer == world.dealer and question.messages.get().body == "Three cases arrived wet."


def test_question_form_without_text_shows_a_message_and_saves_nothing(client, world):
    client.force_login(world.dealer_user)
    response = client.post("/portal/questions/new/", {"subject": "", "body": ""})
    assert response.status_code == 400 and not Question.objects.exists()


def test_staff_cannot_open_the_ask_form(client, world):
    client.force_login(world.rep)
    assert client.get("/portal/questions/new/").status_code == 403


@pytest.mark.parametrize(("role", "visible"), [
    ("dealer", True), ("rep", True), ("manager", True), ("admin", True),
    ("other_dealer", False), ("other_rep", False), ("other_manager", False), ("finance", False), ("warehouse", False),
])
def test_question_detail_is_visible_only_to_the_dealer_and_its_people(client, world, role, visible):
    question = QuestionFactory(asked_by=world.dealer_user, subject="Where is my delivery?")
    client.force_login(user_for(world, role))
    response = client.get(f"/portal/questions/{question.pk}/")
    assert response.status_code == (200 if visible else 404)
    reply = client.post(f"/portal/questions/{question.pk}/reply/", {"body": "Hello"})
    assert (reply.status_code == 404) is not visible


def test_staff_inbox_opens_on_questions_awaiting_an_answer_in_scope(client, world):
    QuestionFactory(asked_by=world.dealer_user, subject="Open one")
    QuestionFactory(asked_by=world.dealer_user, subject="Answered one", status=QuestionStatus.ANSWERED)
    QuestionFactory(asked_by=world.other_dealer_user, subject="Not my dealer")
    client.force_login(world.manager)
    body = client.get("/portal/questions/").content.decode()
    assert "Open one" in body and "Answered one" not in body and "Not my dealer" not in body
    assert "Answered one" in client.get("/portal/questions/", {"status": ""}).content.decode()


def test_rep_answers_on_the_question_page(client, world):
    question = QuestionFactory(asked_by=world.dealer_user)
    client.force_login(world.rep)
    response = client.post(f"/portal/questions/{question.pk}/reply/", {"body": "On its way."})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED
    assert "On its way." in client.get(response.url).content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_question_inbox_makes_a_bounded_number_of_queries(client, world, count, django_assert_max_num_queries):
    for _ in range(count):
        QuestionFactory(asked_by=world.dealer_user)
    client.force_login(world.rep)
    with django_assert_max_num_queries(10):
        response = client.get("/portal/questions/")
    assert response.content.decode().count('data-testid="question-status"') == min(count, 25)


def test_dealer_page_section_lists_open_questions_for_staff(rf, world):
    from portal.sections import dealer_detail

    QuestionFactory(asked_by=world.dealer_user, subject="Open one")
    request = rf.get("/")
    request.user = world.rep
    (section,) = dealer_detail(request=request, dealer=world.dealer)
    assert [q.subject for q in section.context["questions"]] == ["Open one"]
    request.user = world.other_rep
    assert dealer_detail(request=request, dealer=world.dealer) == []
    assert dealer_detail(request=request, dealer=DealerFactory()) == []

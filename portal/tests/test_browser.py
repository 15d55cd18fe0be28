"""On a 360×740 phone: a dealer's clerk asks a question from the portal, the rep
finds it in the inbox and answers, the clerk reads the answer and closes it."""

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import DealerUserFactory, ManagerFactory, RepFactory
from conftest import assert_no_sideways_scroll, sign_in_as
from dealers.tests.factories import DealerFactory
from regions.tests.factories import RegionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_question_asked_in_the_portal_is_answered_by_the_rep(phone):
    region = RegionFactory(name="Hangzhou")
    rep = RepFactory(username="rep_wei", first_name="Wei", last_name="Zhang")
    ManagerFactory(username="manager_min", regions=[region])
    dealer = DealerFactory(name="Baishun Trading", region=region, rep=rep)
    DealerUserFactory(username="clerk", dealer=dealer, first_name="Lan")

    sign_in_as(phone, "clerk")
    phone.get_by_role("link", name="Ask a question").first.click()
    phone.get_by_label("What is it about?").fill("Two cases arrived damaged")
    phone.get_by_label("Your question").fill("The iced tea delivered yesterday had two wet cases. What do we do?")
    phone.get_by_role("button", name="Send question").click()
    expect(phone.get_by_text("Your question was sent.")).to_be_visible()
    expect(phone.get_by_test_id("question-status")).to_have_text("Awaiting an answer")
    assert_no_sideways_scroll(phone)

    sign_in_as(phone, "rep_wei")
    expect(phone.get_by_test_id("unread-count")).to_contain_text("1")
    phone.get_by_role("button", name="Menu").click()
    nav = phone.get_by_role("navigation", name="Main navigation")
    nav.get_by_role("button", name="Dealers").click()
    nav.get_by_role("link", name="Dealer questions").click()
    expect(phone.get_by_test_id("awaiting-count")).to_have_text("1 awaiting an answer")
    phone.get_by_role("link", name="Two cases arrived damaged").click()
    phone.get_by_label("Your reply").fill("Keep them aside; I will swap them on my visit on Friday.")
    phone.get_by_role("button", name="Send answer").click()
    expect(phone.get_by_test_id("question-status")).to_have_text("Answered")
    assert_no_sideways_scroll(phone)

    sign_in_as(phone, "clerk")
    answers = phone.get_by_test_id("work-item-answered-questions")
    expect(answers.get_by_test_id("work-count")).to_have_text("1")
    phone.get_by_test_id("worklist-questions").get_by_role("link", name="Two cases arrived damaged").click()
    expect(phone.get_by_test_id("question-message")).to_have_count(2)
    expect(phone.get_by_test_id("question-thread")).to_contain_text("I will swap them on my visit on Friday.")
    phone.get_by_role("button", name="My question is answered: close it").click()
    expect(phone.get_by_test_id("question-status")).to_have_text("Closed")
    assert_no_sideways_scroll(phone)

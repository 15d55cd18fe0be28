"""A campaign's default checklist reads in the reader's language, whoever created it."""

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from accounts.tests.factories import TEST_PASSWORD, ManagerFactory
from conftest import assert_no_sideways_scroll, browser_login
from promotions import services
from regions.tests.factories import RegionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_checklist_made_by_an_english_user_reads_in_chinese_for_a_chinese_reader(phone):
    region = RegionFactory(name="Zhejiang")
    author = ManagerFactory(username="author_en", language="en", regions=[region])
    ManagerFactory(username="reader_zh", language="zh-hans", regions=[region])
    start = timezone.localdate() + timezone.timedelta(days=40)
    with translation.override("en"):
        campaign = services.campaign_create(
            by=author, name="Autumn dealer evening", type="conference", theme="New flavours",
            objective_kind="leads", objective_target=10, start_date=start, end_date=start, regions=[region],
        )
        services.preparation_task_add(campaign=campaign, by=author, title="Order the lucky-draw prizes",
                                      due_date=start)

    browser_login(phone, "reader_zh", TEST_PASSWORD)
    phone.goto(f"/promotions/{campaign.pk}/")
    tasks = phone.get_by_test_id("task-list")
    expect(tasks).to_contain_text("预订场地")  # "Book the venue", in the reader's language
    expect(tasks).to_contain_text("彩排")  # "Rehearsal"
    expect(tasks).not_to_contain_text("Book the venue")
    expect(tasks).to_contain_text("Order the lucky-draw prizes")  # a task a person wrote stays as typed
    assert_no_sideways_scroll(phone)

"""Pages: the rep's day, the visit list, the visit page and its steps (the
market-check gate), scope (404 outside), roles (403), bounded queries."""

import datetime
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from dealers.models import Violation
from dealers.tests.factories import DealerFactory
from visits import services
from visits.models import (
    DealerRequest,
    MarketCheck,
    MarketObservation,
    ObservationKind,
    RequestStatus,
    Visit,
    VisitComment,
    VisitPhoto,
    VisitPlan,
    VisitStatus,
)
from visits.tests.factories import (
    DealerRequestFactory,
    MarketCheckFactory,
    MarketObservationFactory,
    VisitCommentFactory,
    VisitFactory,
    at,
    checked_visit,
)

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"visits:{name}", args=args)


def png(name="photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def check_post(**changes):
    data = {
        "obs-TOTAL_FORMS": "1", "obs-INITIAL_FORMS": "0", "obs-MIN_NUM_FORMS": "0", "obs-MAX_NUM_FORMS": "30",
        "obs-0-kind": "price", "obs-0-outlet": "Lianhua market", "obs-0-product": "", "obs-0-competitor_brand": "",
        "obs-0-retail_price": "3.90", "obs-0-in_stock": "true", "obs-0-display": "", "obs-0-competitor_promotion": "",
        "obs-0-notes": "", "outlets_walked": "3", "notes": "",
    }
    data.update(changes)
    return data


def test_login_rep_lands_on_the_worklist_with_todays_visits(client, world):
    visit = VisitFactory(dealer=world.dealer, scheduled_for=at(world.today, 23))
    client.force_login(world.rep)
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200 and 'data-testid="work-item-todays-visits"' in body
    assert f'href="{url("today")}"' in body and f'href="{url("detail", visit.pk)}"' in body


def test_today_shows_todays_upcoming_overdue_and_not_contacted(client, world):
    VisitFactory(dealer=world.dealer, scheduled_for=at(world.today, 15))
    VisitFactory(dealer=world.dealer, scheduled_for=at(world.today + datetime.timedelta(days=3)))
    VisitFactory(dealer=world.dealer, status=VisitStatus.MISSED, scheduled_for=at(world.today - datetime.timedelta(days=2)))
    DealerRequestFactory(dealer=world.dealer, description="Exchange dented cans", due_on=world.today - datetime.timedelta(days=1))
    client.force_login(world.rep)
    response = client.get(url("today"))
    html = response.content.decode()
    assert len(response.context["todays"]) == 1 and len(response.context["upcoming"]) == 1
    assert len(response.context["overdue_visits"]) == 1
    assert "Exchange dented cans" in html
    assert [dealer.pk for dealer in response.context["not_contacted"]] == [world.dealer.pk]


def test_today_completed_visit_this_month_counts_as_contacted(client, world):
    VisitFactory(dealer=world.dealer, status=VisitStatus.COMPLETED, scheduled_for=at(world.today, 8),
                 completed_at=at(world.today, 8, 30))
    client.force_login(world.rep)
    assert client.get(url("today")).context["not_contacted_count"] == 0


@pytest.mark.parametrize("size", [2, 15])
def test_today_queries_are_bounded(size, client, world, django_assert_max_num_queries):
    for index in range(size):
        dealer = DealerFactory(region=world.city, rep=world.rep)
        VisitFactory(dealer=dealer, scheduled_for=at(world.today + datetime.timedelta(days=index % 8), 9))
        DealerRequestFactory(dealer=dealer, due_on=world.today - datetime.timedelta(days=1))
    client.force_login(world.rep)
    with django_assert_max_num_queries(14):
        assert client.get(url("today")).status_code == 200


@pytest.mark.parametrize("size", [2, 30])
def test_visit_list_page_queries_are_bounded(size, client, world, django_assert_max_num_queries):
    for index in range(size):
        VisitFactory(dealer=world.dealer if index % 2 else world.dealer_2, scheduled_for=at(world.today))
    client.force_login(world.manager)
    with django_assert_max_num_queries(12):
        response = client.get(url("list"), {"status": "planned"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(size, 25)


def test_visit_list_manager_filters_by_rep(client, world):
    mine = VisitFactory(dealer=world.dealer)
    VisitFactory(dealer=world.dealer_2)
    VisitFactory(dealer=world.outsider)
    client.force_login(world.manager)
    response = client.get(url("list"), {"rep": world.rep.pk})
    assert [visit.pk for visit in response.context["page"]] == [mine.pk]


def test_visit_create_page_rep_plans_visit(client, world):
    client.force_login(world.rep)
    response = client.post(url("create"), {"dealer": world.dealer.pk,
                                           "scheduled_for": f"{world.tomorrow:%Y-%m-%d}T14:00"})
    visit = Visit.objects.get()
    assert response.status_code == 302 and response.url == url("detail", visit.pk)
    assert visit.rep == world.rep


def test_visit_create_page_other_reps_dealer_is_refused(client, world):
    client.force_login(world.rep)
    response = client.post(url("create"), {"dealer": world.dealer_2.pk, "scheduled_for": f"{world.tomorrow:%Y-%m-%d}T14:00"})
    assert response.status_code == 200 and not Visit.objects.exists()


def test_visit_detail_other_reps_visit_is_404(client, world):
    visit = VisitFactory(dealer=world.dealer_2)
    client.force_login(world.rep)
    assert client.get(url("detail", visit.pk)).status_code == 404
    assert client.post(url("start", visit.pk)).status_code == 404
    assert client.get(url("market_check", visit.pk)).status_code == 404


def test_visit_detail_manager_outside_region_is_404(client, world):
    visit = VisitFactory(dealer=world.dealer)
    client.force_login(world.other_manager)
    assert client.get(url("detail", visit.pk)).status_code == 404
    assert client.get(url("review", visit.pk)).status_code == 404


def test_visit_page_start_without_market_check_shows_message(client, world):
    visit = VisitFactory(dealer=world.dealer)
    client.force_login(world.rep)
    response = client.post(url("start", visit.pk), follow=True)
    assert str(services.START_NEEDS_CHECK) in response.content.decode()
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED


def test_visit_page_market_check_then_start_then_complete(client, world):
    visit = VisitFactory(dealer=world.dealer)
    client.force_login(world.rep)
    response = client.post(url("market_check", visit.pk), check_post(**{"obs-0-product": world.product.pk}))
    assert response.status_code == 302
    observation = MarketObservation.objects.get()
    assert observation.guideline_price == world.product.guideline_price and observation.in_stock is True
    response = client.post(url("start", visit.pk), {"latitude": "30.2741", "longitude": "120.1551", "accuracy": "20"})
    visit.refresh_from_db()
    assert visit.status == VisitStatus.IN_PROGRESS and visit.start_accuracy_m == 20
    client.post(url("notes", visit.pk, "policy"), {"policy_notes": "New rebate tiers", "dealer_feedback": "Late trucks"})
    asked = client.post(url("complete", visit.pk))  # without confirming: the page asks first
    assert asked.status_code == 200 and "Complete the visit?" in asked.content.decode()
    visit.refresh_from_db()
    assert visit.status == VisitStatus.IN_PROGRESS
    client.post(url("complete", visit.pk), {"confirm": "1"})
    visit.refresh_from_db()
    assert visit.status == VisitStatus.COMPLETED and visit.dealer_feedback == "Late trucks"


def test_visit_complete_page_lists_steps_left_empty(client, world):
    visit = checked_visit(dealer=world.dealer, status=VisitStatus.IN_PROGRESS)
    visit.terminal_notes = "Walked two streets"
    visit.save()
    client.force_login(world.rep)
    detail = client.get(url("detail", visit.pk))
    assert 'data-testid="empty-steps"' in detail.content.decode()
    page = client.get(url("complete", visit.pk))
    assert page.status_code == 200
    assert [str(step) for step in page.context["empty_steps"]] == [
        "Policies and dealer feedback", "Stock count", "Display and stock advocacy", "After-sales service"]
    assert "Complete anyway" in page.content.decode()
    visit.refresh_from_db()
    assert visit.status == VisitStatus.IN_PROGRESS


def test_visit_complete_page_other_rep_404(client, world):
    visit = checked_visit(dealer=world.dealer, status=VisitStatus.IN_PROGRESS)
    client.force_login(world.rep_2)
    assert client.get(url("complete", visit.pk)).status_code == 404
    assert client.post(url("complete", visit.pk), {"confirm": "1"}).status_code == 404


def test_visit_page_start_disabled_until_market_check(client, world):
    visit = VisitFactory(dealer=world.dealer)
    client.force_login(world.rep)
    html = client.get(url("detail", visit.pk)).content.decode()
    assert 'data-testid="start-disabled"' in html and "disabled" in html
    checked = checked_visit(dealer=world.dealer)
    assert 'data-testid="start-disabled"' not in client.get(url("detail", checked.pk)).content.decode()


def test_visit_page_market_check_negative_price_saves_nothing(client, world):
    visit = VisitFactory(dealer=world.dealer)
    client.force_login(world.rep)
    response = client.post(url("market_check", visit.pk), check_post(**{"obs-0-retail_price": "-2"}))
    assert response.status_code == 200 and not MarketCheck.objects.exists()


def test_visit_page_market_check_skip_needs_reason(client, world):
    visit = VisitFactory(dealer=world.dealer)
    client.force_login(world.rep)
    response = client.post(url("market_check", visit.pk), {"skip": "1", "skipped_reason": ""})
    assert response.status_code == 200 and not MarketCheck.objects.exists()
    response = client.post(url("market_check", visit.pk), {"skip": "1", "skipped_reason": "Storm"})
    assert response.status_code == 302 and MarketCheck.objects.get().skipped_reason == "Storm"


def test_visit_page_market_check_by_manager_is_403(client, world):
    visit = VisitFactory(dealer=world.dealer)
    client.force_login(world.manager)
    assert client.post(url("market_check", visit.pk), check_post()).status_code == 403


def test_visit_page_complete_never_started_shows_message(client, world):
    visit = checked_visit(dealer=world.dealer)
    client.force_login(world.rep)
    response = client.post(url("complete", visit.pk), follow=True)
    assert str(services.COMPLETE_NOT_STARTED) in response.content.decode()


def test_visit_page_renders_every_step_in_progress(client, world):
    visit = checked_visit(dealer=world.dealer, status=VisitStatus.IN_PROGRESS)
    client.force_login(world.rep)
    html = client.get(url("detail", visit.pk)).content.decode()
    for step in ("step-market-check", "step-policy", "step-stock-count", "step-suggested-order", "step-display", "step-terminal",
                 "step-after_sales", "step-requests"):
        assert f'data-testid="{step}"' in html
    assert html.index("step-policy") < html.index("step-stock-count") < html.index("step-suggested-order") < html.index("step-display") < html.index("step-requests")


def test_observation_record_as_violation_once(client, world):
    visit = VisitFactory(dealer=world.dealer)
    observation = MarketObservationFactory(
        market_check=MarketCheckFactory(visit=visit), kind=ObservationKind.CROSS_TERRITORY, outlet="Wanjia store",
        notes="Cases with a Jiangsu batch code",
    )
    client.force_login(world.rep)
    client.post(url("observation_violation", observation.pk))
    client.post(url("observation_violation", observation.pk))
    violation = Violation.objects.get()
    observation.refresh_from_db()
    assert observation.violation == violation
    assert violation.type == "cross_territory" and violation.found_where == "Wanjia store"
    assert "Jiangsu batch code" in violation.evidence


def test_observation_record_as_violation_wrong_kind_is_refused(client, world):
    observation = MarketObservationFactory(market_check=MarketCheckFactory(visit=VisitFactory(dealer=world.dealer)))
    client.force_login(world.rep)
    response = client.post(url("observation_violation", observation.pk), follow=True)
    assert str(services.NOT_A_VIOLATION_KIND) in response.content.decode()
    assert not Violation.objects.exists()


def test_visit_photo_not_an_image_is_refused_and_photo_served_scoped(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    visit = checked_visit(dealer=world.dealer, status=VisitStatus.IN_PROGRESS)
    client.force_login(world.rep)
    bad = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    client.post(url("photo_add", visit.pk), {"stage": "display", "image": bad})
    assert not VisitPhoto.objects.exists()
    client.post(url("photo_add", visit.pk), {"stage": "display", "image": png()})
    photo = VisitPhoto.objects.get()
    assert client.get(url("photo", photo.pk)).status_code == 200
    client.force_login(world.rep_2)
    assert client.get(url("photo", photo.pk)).status_code == 404


def test_visit_cancel_page_needs_reason(client, world):
    visit = VisitFactory(dealer=world.dealer)
    client.force_login(world.rep)
    assert client.post(url("cancel", visit.pk), {"cancel_reason": ""}).status_code == 200
    client.post(url("cancel", visit.pk), {"cancel_reason": "Dealer closed for a funeral"})
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CANCELLED and visit.cancel_reason == "Dealer closed for a funeral"


def test_visit_reschedule_page_moves_visit(client, world):
    visit = VisitFactory(dealer=world.dealer)
    client.force_login(world.manager)
    client.post(url("reschedule", visit.pk), {"scheduled_for": f"{world.tomorrow:%Y-%m-%d}T16:30"})
    visit.refresh_from_db()
    assert visit.scheduled_for == at(world.tomorrow, 16, 30)


def test_review_page_shows_distance_and_takes_comment(client, world):
    visit = checked_visit(dealer=world.dealer, status=VisitStatus.COMPLETED, start_latitude="30.283085",
                          start_longitude="120.155070")
    client.force_login(world.manager)
    response = client.get(url("review", visit.pk))
    assert response.context["distance"] == 1001
    client.post(url("review", visit.pk), {"body": "Why 1 km away?"})
    assert VisitComment.objects.get().body == "Why 1 km away?"


def test_review_page_shows_skipped_reason(client, world):
    visit = VisitFactory(dealer=world.dealer)
    MarketCheckFactory(visit=visit, skipped_reason="Road closed")
    client.force_login(world.manager)
    assert "Road closed" in client.get(url("review", visit.pk)).content.decode()


def test_plan_edit_page_saves_plan_and_generates(client, world):
    client.force_login(world.rep)
    response = client.post(url("plan_edit", world.dealer.pk), {
        "rule": "monthly_days", "month_days": "10, 25", "starts_on": str(world.today), "visit_time": "09:30",
        "is_active": "on",
    })
    assert response.status_code == 302
    plan = VisitPlan.objects.get()
    assert plan.month_days == [10, 25] and plan.cycle_days == 15
    assert plan.visits.count() >= 1


def test_plan_edit_page_other_reps_dealer_is_404(client, world):
    client.force_login(world.rep)
    assert client.get(url("plan_edit", world.dealer_2.pk)).status_code == 404


def test_plan_edit_page_weekly_without_days_is_refused(client, world):
    client.force_login(world.rep)
    response = client.post(url("plan_edit", world.dealer.pk), {
        "rule": "weekly", "starts_on": str(world.today), "visit_time": "09:30"})
    assert response.status_code == 200 and str(services.RULE_WEEKDAYS_REQUIRED) in response.content.decode()


def test_dealer_page_shows_visit_plan_section(client, world):
    client.force_login(world.rep)
    html = client.get(reverse("dealers:detail", args=[world.dealer.pk])).content.decode()
    assert 'data-testid="dealer-visits"' in html


def test_request_from_visit_escalated_decided_and_shown_in_portal(client, world):
    visit = checked_visit(dealer=world.dealer, status=VisitStatus.IN_PROGRESS)
    client.force_login(world.rep)
    client.post(url("request_create") + f"?visit={visit.pk}", {
        "visit": visit.pk, "dealer": world.dealer.pk, "description": "Two extra display racks",
        "due_on": str(world.tomorrow), "beyond_authority": "on",
    })
    item = DealerRequest.objects.get()
    assert item.status == RequestStatus.ESCALATED and item.escalated_to == world.manager and item.visit == visit
    assert world.manager.notifications.filter(key=f"request:{item.pk}:escalated").exists()
    client.force_login(world.manager)
    client.post(url("request_decide", item.pk), {"decision": "decline", "answer": ""})
    item.refresh_from_db()
    assert item.status == RequestStatus.ESCALATED
    client.post(url("request_decide", item.pk), {"decision": "approve", "answer": "Racks ship next week"})
    item.refresh_from_db()
    assert item.status == RequestStatus.APPROVED
    assert world.dealer_user.notifications.filter(key=f"request:{item.pk}:approved").exists()
    client.force_login(world.dealer_user)
    html = client.get(reverse("portal:home")).content.decode()
    assert 'data-testid="portal-requests"' in html and "Racks ship next week" in html


def test_request_list_rep_sees_own_manager_sees_region(client, world):
    DealerRequestFactory(dealer=world.dealer, description="Mine")
    DealerRequestFactory(dealer=world.dealer_2, description="Theirs")
    DealerRequestFactory(dealer=world.outsider, description="Far away")
    client.force_login(world.rep)
    assert [r.description for r in client.get(url("requests")).context["page"]] == ["Mine"]
    client.force_login(world.manager)
    assert {r.description for r in client.get(url("requests")).context["page"]} == {"Mine", "Theirs"}


def test_request_detail_other_rep_is_404(client, world):
    item = DealerRequestFactory(dealer=world.dealer)
    client.force_login(world.rep_2)
    assert client.get(url("request", item.pk)).status_code == 404


def test_discipline_page_lists_reps_in_scope(client, world):
    client.force_login(world.manager)
    response = client.get(url("discipline"))
    assert {row["rep"].username for row in response.context["rows"]} == {"rep", "rep_2"}


def test_visit_pages_dealer_user_is_404(client, world):
    client.force_login(world.dealer_user)
    assert client.get(url("today")).status_code == 404
    assert client.get(url("list")).status_code == 404


def test_market_check_page_more_rows_and_edit_keeps_observations(client, world):
    visit = VisitFactory(dealer=world.dealer)
    client.force_login(world.rep)
    assert client.get(url("market_check", visit.pk), {"rows": "3"}).context["formset"].total_form_count() == 3
    client.post(url("market_check", visit.pk), check_post())
    formset = client.get(url("market_check", visit.pk)).context["formset"]
    assert formset.initial_form_count() == 1 and formset.forms[0].initial["outlet"] == "Lianhua market"


def test_market_check_page_row_without_kind_is_refused(client, world):
    visit = VisitFactory(dealer=world.dealer)
    client.force_login(world.rep)
    response = client.post(url("market_check", visit.pk), check_post(**{"obs-0-kind": ""}))
    assert response.status_code == 200 and not MarketCheck.objects.exists()
    assert str(services.OBSERVATION_KIND_REQUIRED) in response.content.decode()


def test_pages_render_in_chinese(client, world):
    from django.utils import translation

    visit = checked_visit(dealer=world.dealer, status=VisitStatus.IN_PROGRESS)
    item = DealerRequestFactory(dealer=world.dealer, visit=visit)
    world.rep.language = "zh-hans"
    world.rep.save()
    client.force_login(world.rep)
    with translation.override("zh-hans"):
        pages = [url("today"), url("list"), url("detail", visit.pk), url("review", visit.pk), url("requests"),
                 url("request", item.pk), url("discipline"), url("plan_edit", world.dealer.pk), url("create")]
        for page in pages:
            response = client.get(page, HTTP_ACCEPT_LANGUAGE="zh-hans")
            assert response.status_code == 200, page
        assert "市场走访" in client.get(url("detail", visit.pk), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()


@pytest.mark.parametrize("size", [2, 20])
def test_request_list_page_and_visit_page_queries_are_bounded(size, client, world, django_assert_max_num_queries):
    visit = checked_visit(dealer=world.dealer, status=VisitStatus.IN_PROGRESS)
    for index in range(size):
        DealerRequestFactory(dealer=world.dealer, visit=visit if index % 2 else None)
        MarketObservationFactory(market_check=visit.market_check)
    client.force_login(world.manager)
    with django_assert_max_num_queries(12):
        assert client.get(url("requests")).status_code == 200
    client.force_login(world.rep)
    with django_assert_max_num_queries(16):
        assert client.get(url("detail", visit.pk)).status_code == 200


def test_visit_page_manager_reads_the_notes(client, world):
    visit = checked_visit(dealer=world.dealer, status=VisitStatus.COMPLETED, policy_notes="Autumn price list explained")
    client.force_login(world.manager)
    html = client.get(url("detail", visit.pk)).content.decode()
    assert 'data-testid="visit-notes"' in html and "Autumn price list explained" in html
    assert "Save notes" not in html


def test_visit_notes_with_htmx_answers_a_status_fragment(client, world):
    visit = checked_visit(dealer=world.dealer, status=VisitStatus.IN_PROGRESS)
    client.force_login(world.rep)
    response = client.post(url("notes", visit.pk, "terminal"), {"terminal_notes": "Three outlets, stock fine"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Notes saved." in response.content.decode()
    visit.refresh_from_db()
    assert visit.terminal_notes == "Three outlets, stock fine"
    planned = VisitFactory(dealer=world.dealer)
    response = client.post(url("notes", planned.pk, "terminal"), {"terminal_notes": "x"}, HTTP_HX_REQUEST="true")
    assert str(services.NOTES_NOT_OPEN) in response.content.decode()


MID_OCTOBER = datetime.datetime(2026, 10, 14, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


@time_machine.travel(MID_OCTOBER, tick=False)
def test_discipline_page_of_the_running_month_marks_nothing_missed(client, world):
    client.force_login(world.manager)
    body = client.get(url("discipline")).content.decode()
    assert "is still running" in body and "nothing is marked missed yet" in body
    table = body.split('data-testid="discipline-table"')[1].split("</table>")[0]
    assert "Target missed" not in table


def test_discipline_page_of_a_past_month_says_it_is_judged(client, world):
    client.force_login(world.manager)
    month = (world.today.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
    body = client.get(url("discipline"), {"month": month}).content.decode()
    assert "is over: each target is met or missed" in body


@time_machine.travel(MID_OCTOBER, tick=False)
def test_discipline_api_gives_each_targets_status(client, world, api_as):
    rows = api_as(world.manager).get("/api/v1/visit-discipline/").json()
    assert rows and {"visits_status", "share_status", "month_complete", "visits_target_to_date"} <= set(rows[0])
    assert rows[0]["month_complete"] is False and rows[0]["visits_status"] in ("met", "on_track", "behind")


def test_visit_list_opens_on_recent_visits_newest_first_and_offers_those_to_review(client, world):
    past = VisitFactory(dealer=world.dealer, status=VisitStatus.COMPLETED,
                        scheduled_for=at(world.today - datetime.timedelta(days=1)), completed_at=timezone.now())
    planned = VisitFactory(dealer=world.dealer, scheduled_for=at(world.today + datetime.timedelta(days=20)))
    client.force_login(world.manager)
    listed = [visit.pk for visit in client.get(url("list")).context["page"]]
    assert past.pk in listed and planned.pk not in listed  # the plan ahead is under "coming up"
    upcoming = [visit.pk for visit in client.get(url("list"), {"show": "upcoming"}).context["page"]]
    assert planned.pk in upcoming and past.pk not in upcoming
    to_review = [visit.pk for visit in client.get(url("list"), {"show": "to_review"}).context["page"]]
    assert to_review == [past.pk]
    VisitCommentFactory(visit=past, author=world.manager, body="Seen")
    assert [visit.pk for visit in client.get(url("list"), {"show": "to_review"}).context["page"]] == []


def test_request_list_filters_overdue(client, world):
    late = DealerRequestFactory(dealer=world.dealer, due_on=world.today - datetime.timedelta(days=2))
    DealerRequestFactory(dealer=world.dealer, due_on=world.today + datetime.timedelta(days=2))
    client.force_login(world.rep)
    listed = [item.pk for item in client.get(url("requests"), {"overdue": "on"}).context["page"]]
    assert listed == [late.pk]

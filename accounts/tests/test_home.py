"""Every role lands on its worklist: each item a link with its figure, the same
figures beside the menu entries, a bounded number of queries whatever the size."""

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import RepFactory
from accounts.tests.worlds import worklist_world
from common.navigation import count_querysets, menu_counts, menu_for

pytestmark = pytest.mark.django_db


def work_item(body: str, key: str) -> tuple[int, str]:
    """(the figure, the link) of the work item `key` on a rendered home page."""
    match = re.search(rf'href="([^"]+)" data-testid="work-item-{key}">.*?data-testid="work-count">(\d+)<', body, re.S)
    assert match, f"no work item {key}"
    return int(match.group(2)), match.group(1).replace("&amp;", "&")


def home(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def world():
    return worklist_world(2)


def test_rep_home_lists_todays_visits_overdue_requests_leads_and_quiet_dealers(client, world):
    body = home(client, world.rep)
    assert "Hello, Wei Zhang" in body
    assert work_item(body, "todays-visits") == (2, "/visits/today/")
    assert work_item(body, "overdue-requests") == (2, "/visits/requests/?overdue=on&mine=on")
    assert work_item(body, "leads-to-follow-up") == (2, "/promotions/leads/")
    assert work_item(body, "not-contacted") == (2, "/visits/today/#not-contacted")
    visit = world.items.todays_visits[0]
    assert f'href="{reverse("visits:detail", args=[visit.pk])}"' in body
    lead = world.items.leads[0]
    assert f'href="{reverse("promotions:lead", args=[lead.pk])}"' in body


def test_manager_home_lists_approvals_escalations_missed_and_visits_to_review(client, world):
    body = home(client, world.manager)
    assert "Hello, Min Chen" in body
    assert work_item(body, "applications-to-approve") == (2, "/dealers/applications/?status=open")
    assert work_item(body, "campaigns-to-approve") == (2, "/promotions/?status=draft")
    assert work_item(body, "escalations") == (2, "/visits/requests/?status=escalated")
    assert work_item(body, "missed-visits") == (2, "/visits/?status=missed")
    assert work_item(body, "visits-to-review") == (2, "/visits/?show=to_review")
    assert work_item(body, "campaigns-to-review") == (2, "/promotions/?status=ended")
    application = world.items.applications[0]
    assert f'href="{reverse("dealers:application", args=[application.pk])}"' in body


def test_finance_home_lists_orders_awaiting_payment_overdue_and_statements_to_settle(client, world):
    body = home(client, world.finance)
    assert work_item(body, "orders-awaiting-payment") == (2, "/inventory/orders/?status=confirmed")
    assert work_item(body, "overdue-receivables") == (0, "/inventory/orders/?overdue=true")
    assert work_item(body, "statements-to-settle") == (2, "/rebates/?state=pending")
    order = world.items.awaiting_payment[0]
    assert f'href="{reverse("inventory:order_detail", args=[order.pk])}"' in body


def test_warehouse_home_lists_paid_orders_to_pick_and_picked_to_ship(client, world):
    body = home(client, world.warehouse)
    assert work_item(body, "orders-to-pick") == (2, "/inventory/orders/?status=paid")
    assert work_item(body, "orders-to-ship") == (2, "/inventory/orders/?status=picked")
    assert f'href="{reverse("inventory:order_detail", args=[world.items.to_pick[0].pk])}"' in body


def test_dealer_home_greets_the_company_and_lists_its_orders_rebates_and_answers(client, world):
    body = home(client, world.dealer_user)
    assert f"Hello, {world.dealers[0].name}" in body and "dealer_clerk" not in body.split("<main")[1]
    count, url = work_item(body, "open-orders")
    assert url == "/inventory/orders/?open=true" and count == 4  # its own: submitted, confirmed, paid, picked
    assert work_item(body, "answered-questions") == (2, "/portal/questions/?status=answered")
    assert 'data-testid="portal-actions"' in body and "My rebates" in body


def test_admin_home_lists_approvals_field_work_orders_and_rebates(client, world):
    body = home(client, world.admin)
    for key in ("applications-to-approve", "campaigns-to-approve", "escalations", "visits-to-review",
                "orders-to-confirm", "statements-to-settle", "questions-to-answer"):
        assert work_item(body, key)[0] == 2, key


def test_worklists_of_one_app_share_a_card_with_another_apps_items(client, world):
    body = home(client, world.manager)
    approvals = body.split('data-testid="worklist-approvals"')[1].split("</section>")[0]
    assert "work-item-applications-to-approve" in approvals and "work-item-campaigns-to-approve" in approvals
    assert body.count('data-testid="worklist-approvals"') == 1


def test_a_worklist_counts_only_what_is_in_scope(client, world):
    stranger = RepFactory(username="stranger")
    body = home(client, stranger)
    for key in ("todays-visits", "overdue-requests", "leads-to-follow-up", "not-contacted"):
        assert work_item(body, key)[0] == 0, key


HOME_QUERY_BOUND = 20


@pytest.mark.parametrize("size", [1, 5])
@pytest.mark.parametrize("role", ["rep", "manager", "finance", "warehouse", "dealer_user", "admin"])
def test_home_makes_a_bounded_number_of_queries_at_two_sizes(client, role, size, django_assert_max_num_queries):
    world = worklist_world(size)
    client.force_login(getattr(world, role))
    with django_assert_max_num_queries(HOME_QUERY_BOUND):
        assert client.get("/").status_code == 200


# --- The menu's figures ------------------------------------------------------------------------------
def _request(user, path="/notifications/"):
    request = RequestFactory().get(path)
    request.user = user
    return request


@pytest.mark.parametrize("role", ["rep", "manager", "finance", "warehouse", "dealer_user", "admin"])
def test_menu_counts_are_one_query_once_per_request(role, django_assert_max_num_queries, django_assert_num_queries):
    world = worklist_world(2)
    request = _request(getattr(world, role))
    # One query counts every figure; building the scopes may read the user's regions (cached after).
    with django_assert_max_num_queries(3):
        counts = menu_counts(request)
    assert counts and all(isinstance(value, int) for value in counts.values())
    with django_assert_num_queries(0):
        assert menu_counts(request) is counts


def test_menu_counts_of_the_rep_and_the_warehouse(client):
    world = worklist_world(3)
    assert menu_counts(_request(world.rep)) == {
        "visits.today": 3, "visits.requests_overdue": 3, "visits.not_contacted": 3,
        "promotions.leads_to_follow_up": 3, "orders.to_confirm": 3, "portal.awaiting_answer": 3,
        "notifications.unread": 0,
    }
    counts = menu_counts(_request(world.warehouse))
    assert (counts["orders.to_pick"], counts["orders.to_ship"], counts["orders.to_dispatch"]) == (3, 3, 6)


def test_the_managers_campaigns_waiting_are_those_to_approve_and_to_review():
    from promotions.selectors import campaigns_waiting_for

    world = worklist_world(2)
    counts = menu_counts(_request(world.manager))
    assert counts["promotions.to_approve"] == 2 and counts["promotions.to_review"] == 2
    # A Total, not a third sub-select: the same figure as the selector's union.
    assert counts["promotions.waiting"] == campaigns_waiting_for(user=world.manager).count() == 4


@pytest.mark.parametrize("role", ["rep", "manager", "finance", "warehouse", "dealer_user", "admin"])
def test_the_menu_counts_only_the_figures_it_shows_and_they_equal_the_home_pages(role):
    """A page's menu does not count the home page's worklist figures (missed visits, the
    campaigns' parts, the orders to pick and to ship); what it shows is what home shows."""
    from common.navigation import nav_items_for

    world = worklist_world(2)
    user = getattr(world, role)
    menu_request = _request(user)
    menu = menu_for(menu_request)
    items = {item.url_name: item.count for item in nav_items_for(user) if item.count}
    counted = dict(menu_request._crm_menu_counts)
    assert set(counted) == {*items.values(), "notifications.unread"}  # and the bell's, in the same statement
    every = menu_counts(_request(user))  # the home page's: every figure
    assert all(every[key] == value for key, value in counted.items())
    shown = {child.key: child.count for entry in menu for child in (entry.children or [entry])}
    assert {name: shown[name] for name in items} == {name: every[key] for name, key in items.items()}
    assert counted["notifications.unread"] == every["notifications.unread"]
    assert not {"visits.missed", "visits.not_contacted", "promotions.to_approve", "promotions.to_review",
                "orders.to_pick", "orders.to_ship", "orders.overdue"} & set(counted)


def test_a_total_with_a_queryset_of_its_own_counts_it_only_without_its_parts(django_assert_num_queries):
    from accounts.models import User
    from common.navigation import Total

    worklist_world(1)
    figures = {"reps": lambda: User.objects.filter(role="rep"), "managers": User.objects.filter(role="manager"),
               "either": Total("reps", "managers", alone=lambda: User.objects.filter(role__in=["rep", "manager"]))}
    with django_assert_num_queries(1):
        alone = count_querysets(figures, keys=["either"])
    assert set(alone) == {"either"}
    with django_assert_num_queries(1):
        summed = count_querysets(figures)
    assert summed["either"] == summed["reps"] + summed["managers"] == alone["either"] == 2
    with django_assert_num_queries(0):  # its parts already counted in the request: added up, no SQL
        assert count_querysets(figures, keys=["either"], known={"reps": 1, "managers": 1}) == {"either": 2}


def test_a_total_adds_up_the_figures_it_names_without_sql(django_assert_num_queries):
    from accounts.models import User
    from common.navigation import Total

    worklist_world(1)
    with django_assert_num_queries(1):
        counts = count_querysets({"reps": User.objects.filter(role="rep"), "none": User.objects.none(),
                                  "both": Total("reps", "none", "unknown")})
    assert counts["both"] == counts["reps"] == 1


def test_count_querysets_counts_many_querysets_in_one_query(django_assert_num_queries):
    from accounts.models import User

    worklist_world(1)
    with django_assert_num_queries(1):
        counts = count_querysets({
            "all": User.objects.all(), "reps": User.objects.filter(role="rep"), "none": User.objects.none(),
            "distinct": User.objects.filter(regions__isnull=False).distinct(),
        })
    assert counts["reps"] == 1 and counts["none"] == 0 and counts["all"] == User.objects.count()
    assert counts["distinct"] == 1


@pytest.mark.parametrize("size", [1, 6])
def test_a_page_with_the_menu_costs_the_same_queries_at_two_sizes(client, size, django_assert_max_num_queries):
    world = worklist_world(size)
    client.force_login(world.manager)
    with django_assert_max_num_queries(8):
        assert client.get("/notifications/").status_code == 200


def test_menu_groups_entries_and_adds_up_their_figures():
    world = worklist_world(2)
    menu = menu_for(_request(world.rep))
    labels = [str(entry.label) for entry in menu]
    assert labels == ["Home", "Field work", "Dealers", "Sales", "Reports"]
    field = menu[1]
    assert [str(child.label) for child in field.children] == ["My day", "Visits", "Requests", "My leads"]
    assert field.count == 2 + 2 + 2  # today's visits, overdue requests, leads


def test_short_menus_stay_flat():
    world = worklist_world(1)
    assert all(not entry.is_group for entry in menu_for(_request(world.dealer_user)))
    assert all(not entry.is_group for entry in menu_for(_request(world.warehouse)))


def test_admin_menu_leaves_room_for_setup():
    world = worklist_world(1)
    labels = [str(entry.label) for entry in menu_for(_request(world.admin))]
    assert labels[-1] == "Setup" and len(labels) <= 7


def test_a_roles_main_page_is_an_entry_of_its_own():
    world = worklist_world(1)
    assert [str(entry.label) for entry in menu_for(_request(world.finance))] == ["Home", "Dealers", "Orders", "Sales",
                                                                                "Rebates"]
    assert "Orders" in [str(entry.label) for entry in menu_for(_request(world.warehouse))]


def test_the_bell_and_the_menu_are_counted_in_one_statement(client, django_assert_num_queries):
    """The unread notifications on the bell ride in the menu's statement: a page with
    both costs one count, and the bell shows what is unread."""
    from notifications.models import Notification

    world = worklist_world(1)
    Notification.objects.create(recipient=world.manager, key="a", title="Hello")
    Notification.objects.create(recipient=world.manager, key="b", title="Read", read_at=timezone.now())
    Notification.objects.create(recipient=world.rep, key="a", title="Not the manager's")
    request = _request(world.manager)
    with django_assert_num_queries(2):  # the manager's regions, then the one count
        menu_for(request)
        from common.navigation import page_counts

        assert page_counts(request)["notifications.unread"] == 1
    client.force_login(world.manager)
    body = client.get("/notifications/").content.decode()
    assert re.search(r'data-testid="unread-count">1<', body)

"""The menu's figures are compiled once per user, day and territory
(common.navigation.FigureStatements) and counted on every request: never stale,
never another user's, whatever changes between two requests."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.test import RequestFactory

from accounts.models import Role, User
from accounts.tests.worlds import worklist_world
from common import navigation
from common.navigation import FigureStatements, count_querysets, figure_statements, menu_counts, user_figures
from dealers.models import Dealer, DealerTier
from regions.tests.factories import RegionFactory
from visits.models import RequestStatus
from visits.tests.factories import DealerRequestFactory

pytestmark = pytest.mark.django_db

ROLES = ["rep", "manager", "finance", "warehouse", "dealer_user", "admin"]


def fresh(user) -> User:
    """The user as the next request reads them: from the database, nothing cached on the object."""
    return User.objects.get(pk=user.pk)


def counted(user, keys=None) -> dict[str, int]:
    request = RequestFactory().get("/notifications/")
    request.user = fresh(user)
    return dict(menu_counts(request, keys))


def uncached(user, keys=None) -> dict[str, int]:
    """The figures built, compiled and counted from scratch: what the kept statement must give."""
    return count_querysets(user_figures(fresh(user)), keys=keys)


@pytest.fixture
def builds(monkeypatch):
    """How many times the figures were built (each app's nav_counts asked)."""
    calls = []
    original = navigation.user_figures

    def counting(user):
        calls.append(user.pk)
        return original(user)

    monkeypatch.setattr(navigation, "user_figures", counting)
    return calls


@pytest.mark.parametrize("role", ROLES)
def test_each_roles_figures_are_built_once_and_counted_every_time(role, builds, django_assert_max_num_queries):
    figure_statements.clear()
    world = worklist_world(2)
    user = getattr(world, role)
    first = counted(user)
    assert first == uncached(user) and first
    assert len(builds) == 1
    with django_assert_max_num_queries(3):  # the user's territory where it has one, and the one count
        again = counted(user)
    assert again == first and len(builds) == 1  # the kept statement, not a new build
    menu = [key for key in first if not key.startswith("promotions.to_")][:2]
    assert counted(user, menu) == uncached(user, menu)  # another set of figures: a statement of its own
    assert len(builds) == 2


def test_a_new_record_is_counted_on_the_next_request_with_no_new_build(builds):
    figure_statements.clear()
    world = worklist_world(1)
    before = counted(world.manager)["visits.escalated"]
    DealerRequestFactory(dealer=world.dealers[0], owner=world.rep, status=RequestStatus.ESCALATED,
                         escalated_to=world.manager, due_on=datetime.date.today() + datetime.timedelta(days=3))
    assert counted(world.manager)["visits.escalated"] == before + 1
    assert len(builds) == 1


def test_a_managers_new_territory_is_counted_at_once():
    world = worklist_world(2)
    manager = world.manager
    assert counted(manager)["visits.escalated"] == 2
    elsewhere = RegionFactory(name="Fujian")
    manager.regions.set([elsewhere])
    assert counted(manager) == uncached(manager)
    assert counted(manager)["visits.escalated"] == 0
    manager.regions.set([world.region, elsewhere])
    assert counted(manager)["visits.escalated"] == 2
    world.region.path = f"{elsewhere.path}{world.region.pk}/"  # the region moved under another one
    world.region.save()
    assert counted(manager) == uncached(manager)


def test_a_changed_role_or_company_is_counted_at_once():
    world = worklist_world(2)
    user = world.manager
    manager_figures = counted(user)
    User.objects.filter(pk=user.pk).update(role=Role.REP)
    as_rep = counted(user)
    assert as_rep == uncached(user) and set(as_rep) != set(manager_figures)
    clerk = world.dealer_user
    assert counted(clerk)["portal.answered"] == 2
    User.objects.filter(pk=clerk.pk).update(dealer=world.dealers[1])
    assert counted(clerk) == uncached(clerk)


@pytest.mark.parametrize("role", ROLES)
def test_a_figures_sql_is_built_from_the_date_not_the_time_of_day(role):
    """What the key holds of the clock is the local date: a figure whose SQL changed within
    a day (built from timezone.now() to the second) would be kept stale. Compare a day's
    first and last minute; build such a figure from the date or the database's NOW()."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    day = datetime.date(2026, 11, 18)
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(0, 0, 30), zone), tick=False):
        world = worklist_world(1)
        user = fresh(getattr(world, role))
        morning = navigation._compile_counts(user_figures(user), keys=None, known={})
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(23, 59, 30), zone), tick=False):
        user = fresh(user)
        night = navigation._compile_counts(user_figures(user), keys=None, known={})
    assert (night.sql, night.params) == (morning.sql, morning.params)
    assert morning.counted


def test_a_build_that_reads_the_database_is_not_kept():
    kept = FigureStatements(size=2)
    worklist_world(1)

    def reading():
        return navigation._compile_counts({"users": User.objects.filter(pk__in=list(User.objects.values_list("pk", flat=True)))},
                                          keys=None, known={})

    kept.compile(("reads",), reading)
    assert kept.get(("reads",)) is None
    kept.compile(("plain",), lambda: navigation._compile_counts({"users": User.objects.all()}, keys=None, known={}))
    assert kept.get(("plain",)) is not None


def test_the_kept_statements_are_bounded():
    kept = FigureStatements(size=2)
    for name in ("a", "b", "c"):
        kept.compile((name,), lambda: navigation._compile_counts({"users": User.objects.all()}, keys=None, known={}))
    assert kept.get(("a",)) is None and kept.get(("b",)) and kept.get(("c",))


def test_a_user_value_that_cannot_be_a_key_means_building_every_time(monkeypatch, builds):
    world = worklist_world(1)
    figure_statements.clear()
    monkeypatch.setattr(User, "first_name", property(lambda self: bytearray(b"not hashable"), lambda self, value: None),
                        raising=False)
    assert counted(world.manager) == counted(world.manager)
    assert len(builds) == 2 and not figure_statements._kept


def test_a_figure_built_from_an_object_loaded_on_the_user_follows_that_objects_row(monkeypatch):
    """A figure built from `user.dealer.tier` reads nothing when the dealer was loaded
    earlier in the request: the key holds the loaded dealer's row, so a changed tier is
    a new statement, not yesterday's SQL."""
    world = worklist_world(2)
    figure_statements.clear()
    monkeypatch.setattr(navigation, "user_figures",
                        lambda user: {"same_tier": Dealer.objects.filter(tier=user.dealer.tier)})
    clerk, dealer = world.dealer_user, world.dealers[0]
    others = DealerTier.PROVINCE if dealer.tier != DealerTier.PROVINCE else DealerTier.CITY

    def counted_with_dealer_loaded() -> int:
        request = RequestFactory().get("/")
        request.user = User.objects.select_related("dealer").get(pk=clerk.pk)
        return menu_counts(request)["same_tier"]

    assert counted_with_dealer_loaded() == Dealer.objects.filter(tier=dealer.tier).count()
    Dealer.objects.filter(pk=dealer.pk).update(tier=others)
    assert counted_with_dealer_loaded() == Dealer.objects.filter(tier=others).count()
    assert len(figure_statements._kept) == 2


def test_a_json_column_on_an_object_loaded_on_the_user_still_makes_a_key():
    world = worklist_world(1)
    Dealer.objects.filter(pk=world.dealers[0].pk).update(channel_types=["retail", {"kind": "online"}])
    user = User.objects.select_related("dealer").get(pk=world.dealer_user.pk)
    key = figure_statements.key(user, keys=None, known={})
    assert key is not None and hash(key)

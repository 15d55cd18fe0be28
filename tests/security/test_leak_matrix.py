"""The generated leak matrix (issue #12): every page and endpoint, every role, on
a world with two of everything. See tests/security/matrix.py for what is checked."""

from __future__ import annotations

import pytest

from tests.security.matrix import routes, run_matrix
from tests.security.world import zeta_more

pytestmark = pytest.mark.django_db


@pytest.fixture
def cookie_sessions(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"


def report(matrix) -> str:
    lines = [str(finding) for finding in matrix.findings]
    return (f"{len(lines)} findings in {matrix.requests} requests {matrix.counts} {matrix.seconds}:\n" + "\n".join(lines[:300]))


# Sessions in signed cookies: one query less per request, over thousands of requests.
@pytest.mark.usefixtures("cookie_sessions")
def test_leak_matrix_every_route_and_role_hides_what_the_policy_hides(world):
    matrix = run_matrix(world, world.users(), grow=lambda: zeta_more(world))
    assert not matrix.findings, report(matrix)
    assert matrix.requests > 1000  # the matrix really walked the app


def test_leak_matrix_covers_the_api_and_the_pages():
    templates = {route.template for route in routes()}
    for expected in ("/api/v1/dealers/{pk}/", "/api/v1/promotions/{pk}/effect/", "/api/v1/visits/{pk}/stock-counts/",
                     "/dealers/{pk}/", "/promotions/{pk}/effect/", "/dealers/export/", "/scorecards/dashboards/"):
        assert expected in templates


def test_leak_matrix_catches_a_loosened_scope_function(world, monkeypatch):
    """Proof that the matrix bites: a visits scope function that forgets the scope
    (as a careless change would) is caught, on lists and on details."""
    from visits import selectors
    from visits.models import Visit

    monkeypatch.setattr(selectors, "visit_queryset_for", lambda user: Visit.objects.all())
    matrix = run_matrix(world, {"rep": world.alpha.rep}, grow=lambda: zeta_more(world),
                        route_filter=lambda route: route.template.startswith(("/visits/", "/api/v1/visits/")))
    caught = {(finding.check, finding.url.split("?")[0]) for finding in matrix.findings}
    zeta_visit = world.zeta.objects["visit"].pk
    assert ("404", f"/visits/{zeta_visit}/") in caught, report(matrix)
    assert ("404", f"/api/v1/visits/{zeta_visit}/") in caught, report(matrix)
    assert ("unchanged", "/api/v1/visits/") in caught, report(matrix)


def test_leak_matrix_catches_a_loosened_policy_row(world, monkeypatch):
    """The same through the policy table: a manager given every order is caught by
    the check that needs no expectations (the answers change when only the other
    side's data grows); the 404 check reads its expectations from the table itself."""
    from accounts.models import Role
    from accounts.policy import VISIBILITY, Area, Visibility

    monkeypatch.setitem(VISIBILITY[Area.ORDERS], Role.MANAGER, Visibility.ALL)
    matrix = run_matrix(world, {"manager": world.alpha.manager}, grow=lambda: zeta_more(world),
                        route_filter=lambda route: "orders" in route.template)
    caught = {(finding.check, finding.url.split("?")[0]) for finding in matrix.findings}
    assert ("unchanged", "/api/v1/orders/") in caught, report(matrix)
    assert ("unchanged", "/inventory/orders/") in caught, report(matrix)

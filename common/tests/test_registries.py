"""The navigation and section registries that let apps extend shared pages."""

import sys
import types

import pytest

from accounts.tests.factories import RepFactory
from common import navigation
from common.navigation import nav_items_for, role_home_url_name
from common.sections import Section, sections_for

pytestmark = pytest.mark.django_db


def test_navigation_lists_items_of_every_app_in_order():
    labels = [str(item.label) for item in nav_items_for(RepFactory())]
    assert labels[0] == "Home" and "My day" in labels and "Orders" in labels


def test_navigation_is_empty_for_anonymous():
    from django.contrib.auth.models import AnonymousUser

    assert nav_items_for(AnonymousUser()) == []


def test_sections_are_collected_from_app_modules_in_order(monkeypatch):
    module = types.ModuleType("regions.sections")
    module.demo_page = lambda *, value: [Section("B", "b.html", order=2), Section("A", "a.html", {"v": value}, order=1)]
    monkeypatch.setitem(sys.modules, "regions.sections", module)
    sections = sections_for("demo_page", value=7)
    assert [section.title for section in sections] == ["A", "B"] and sections[0].context == {"v": 7}


def test_role_home_sends_a_role_elsewhere_only_when_an_app_claims_it(monkeypatch):
    module = types.ModuleType("regions.navigation")
    module.ROLE_HOME = {"finance": "notifications:list"}
    monkeypatch.setitem(sys.modules, "regions.navigation", module)
    # The apps' navigation modules are looked up once; a module added at run time needs a new lookup.
    navigation._navigation_modules_of.cache_clear()
    try:
        assert role_home_url_name(RepFactory(role="finance")) == "notifications:list"
        assert role_home_url_name(RepFactory(role="warehouse")) is None  # every other role lands on its worklist
    finally:
        monkeypatch.undo()
        navigation._navigation_modules_of.cache_clear()

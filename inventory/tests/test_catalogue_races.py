"""Categories named by an import or the ERP are created once, even when two requests
create the same one at the same moment."""

import pytest

from inventory.catalogue import _category_get_or_create, categories_for_names
from inventory.models import ProductCategory

pytestmark = pytest.mark.django_db


def test_category_get_or_create_returns_the_category_another_request_just_created():
    created_meanwhile = ProductCategory.objects.create(name="Drinks")
    assert _category_get_or_create("drinks") == created_meanwhile
    assert ProductCategory.objects.filter(name__iexact="drinks").count() == 1


def test_categories_for_names_creates_each_missing_name_once():
    result = categories_for_names(["Snacks", "snacks ", "Tea"], create=True)
    assert {category.name.casefold() for category in result.values()} == {"snacks", "tea"}
    assert ProductCategory.objects.count() == 2

"""The API's filter backend builds no filter set when a request gives none of its
parameters (issue 16): that is only right if, with every value empty, each filter
leaves the queryset as it is, and a bad value still answers 400."""

import django_filters
import pytest
from django.urls import get_resolver
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from common.api.filters import FilterBackend, filters_given

pytestmark = pytest.mark.django_db


def _api_filterset_classes():
    """Every filterset_class of a view routed under the API."""
    classes, pending = set(), list(get_resolver().url_patterns)
    while pending:
        pattern = pending.pop()
        if hasattr(pattern, "url_patterns"):
            pending.extend(pattern.url_patterns)
            continue
        view_class = getattr(getattr(pattern, "callback", None), "cls", None)
        filterset_class = getattr(view_class, "filterset_class", None)
        if filterset_class is not None:
            classes.add(filterset_class)
    return sorted(classes, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


FILTERSETS = _api_filterset_classes()


def test_the_api_has_filter_sets_to_check():
    names = {cls.__name__ for cls in FILTERSETS}
    assert {"DealerFilter", "OrderFilter"} <= names


@pytest.mark.parametrize("filterset_class", FILTERSETS, ids=lambda cls: cls.__name__)
def test_api_filter_set_with_no_values_leaves_the_queryset_as_it_is(filterset_class):
    """What skipping the filter set relies on: built with no data, it is valid and
    its queryset is the one it was given (same SQL)."""
    model = filterset_class._meta.model
    queryset = model._default_manager.all()
    request = APIRequestFactory().get("/")
    filterset = filterset_class(data={}, queryset=queryset, request=request)
    assert filterset.is_valid(), filterset.errors
    assert str(filterset.qs.query) == str(queryset.query)
    for name, value in filterset.form.cleaned_data.items():  # each filter given its empty value
        assert str(filterset.filters[name].filter(queryset, value).query) == str(queryset.query), name


class RequiredFilter(django_filters.FilterSet):
    code = django_filters.CharFilter(required=True)


def test_filters_given_by_prefix_and_always_for_a_required_filter():
    from dealers.api.views.dealers import DealerFilter

    assert not filters_given(DealerFilter, {"page": "2", "page_size": "50", "ordering": "name", "search": "x"})
    assert filters_given(DealerFilter, {"status": "active"})
    assert filters_given(DealerFilter, {"region": ""})
    assert filters_given(RequiredFilter, {})


def test_filter_backend_skips_the_filter_set_without_filter_parameters(monkeypatch):
    from dealers.api.views.dealers import DealerFilter, DealerViewSet
    from dealers.models import Dealer

    built = []
    monkeypatch.setattr(DealerFilter, "__init__", lambda self, *a, **k: built.append(1) or None)
    request = Request(APIRequestFactory().get("/api/v1/dealers/?page=1&ordering=name"))
    queryset = Dealer.objects.all()
    assert FilterBackend().filter_queryset(request, queryset, DealerViewSet()) is queryset
    assert built == []


@pytest.mark.parametrize("query", ["status=nonsense", "region=abc", "tier=x", "grade=Z", "rep=１２"])
def test_dealer_list_bad_filter_value_is_still_400(api_as, query):
    from accounts.tests.factories import AdminFactory

    response = api_as(AdminFactory()).get(f"/api/v1/dealers/?{query}")
    assert response.status_code == 400, response.content


@pytest.mark.parametrize("query", ["dealer=abc", "dealer=1e30", "submitted_after=not-a-date", "status=nope"])
def test_order_list_bad_filter_value_is_still_400(api_as, query):
    from accounts.tests.factories import AdminFactory

    response = api_as(AdminFactory()).get(f"/api/v1/orders/?{query}")
    assert response.status_code == 400, response.content

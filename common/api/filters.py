"""The API's filter backend: django-filter's, with two guarantees on every filter
set, declared or generated from `filterset_fields`.

1. Bounds (common.filters): an out-of-range, non-ASCII or malformed filter value
   answers 400, never a 500.
2. Scope: `?dealer=<id>` on a list is a ModelChoiceFilter; by default it accepts any
   existing dealer and answers 400 for a missing one, so a forged id would tell
   whether another region's dealer exists. Here each model choice is limited to
   the caller's scope (common.scoping): a forged id answers exactly as a missing
   one does, and a filter never widens what the list holds (it filters the scoped
   queryset anyway).

A request that gives none of a filter set's parameters is not filtered at all:
building and validating a filter set costs more than the rest of a list's
filtering, and with every value empty each filter leaves the queryset as it is
(a test holds every API filter set to that). A filter set with a required filter
is always built, so its 400 stays.
"""

from __future__ import annotations

import django_filters
from django_filters import rest_framework as filters
from django_filters import utils

from common.filters import harden_filter_form
from common.scoping import scope_function

MODEL_FILTERS = (django_filters.ModelChoiceFilter, django_filters.ModelMultipleChoiceFilter)


class FilterSet(filters.FilterSet):
    @property
    def form(self):
        form = super().form
        harden_filter_form(self, form)
        return form


_UNSET = object()


def filter_parameter_prefixes(filterset_class) -> tuple[str, ...] | None:
    """The names a query parameter of `filterset_class` starts with (a range filter
    reads `<name>_min`, `<name>_after`, ...), or None when the filter set must be
    built whatever the query (a required filter)."""
    cached = filterset_class.__dict__.get("_parameter_prefixes", _UNSET)
    if cached is _UNSET:
        filters_ = filterset_class.base_filters
        cached = None if any(f.extra.get("required") for f in filters_.values()) else tuple(filters_)
        filterset_class._parameter_prefixes = cached
    return cached


def filters_given(filterset_class, query_params) -> bool:
    """Whether the query names any parameter of `filterset_class` (True when unsure)."""
    prefixes = filter_parameter_prefixes(filterset_class)
    return prefixes is None or any(key.startswith(prefixes) for key in query_params)


class FilterBackend(filters.DjangoFilterBackend):
    filterset_base = FilterSet

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None or not filters_given(filterset_class, request.query_params):
            return queryset
        filterset = self._scoped(filterset_class(**self.get_filterset_kwargs(request, queryset, view)), request)
        if not filterset.is_valid() and self.raise_exception:
            raise utils.translate_validation(filterset.errors)
        return filterset.qs

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is None:
            return None
        return self._scoped(filterset, request)

    def _scoped(self, filterset, request):
        harden_filter_form(filterset)
        for name, declared in filterset.filters.items():
            if not isinstance(declared, MODEL_FILTERS):
                continue
            field = filterset.form.fields.get(name)
            function = scope_function(field.queryset.model) if field is not None and field.queryset is not None else None
            if function is not None:
                field.queryset = function(request.user)
        return filterset


# The name issue #12 introduced; one backend does both.
ScopedFilterBackend = FilterBackend

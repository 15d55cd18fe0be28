"""Which function gives a user's scope of a model: a registry the apps fill.

Each app registers its `*_queryset_for(user)` functions for the models they
scope (`register_scope(Dealer, dealer_queryset_for)`), so shared mechanisms —
such as the API's filters, which must not tell whether an id outside the
caller's scope exists — can find them without importing any app.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model, QuerySet

ScopeFunction = Callable[[object], QuerySet]

_REGISTRY: dict[type[Model], ScopeFunction] = {}


def register_scope(model: type[Model], function: ScopeFunction) -> ScopeFunction:
    """Record `function(user)` as the scope of `model` (returns it, to use as a decorator's result)."""
    _REGISTRY[model] = function
    return function


def scope_function(model: type[Model]) -> ScopeFunction | None:
    """The registered scope function of `model`, if any."""
    return _REGISTRY.get(model)


def registered_models() -> list[type[Model]]:
    return list(_REGISTRY)

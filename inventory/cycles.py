"""Where the suggested order learns each dealer's visit cycle, the period its
period sales are scaled to (SPEC §3: "scale to the cycle length").

Inventory does not know how visits are planned. The app that plans them
registers a provider here (visits does, in VisitsConfig.ready), so the
dependency runs one way: visits → inventory. Without a provider every dealer
has no cycle and period sales are used unscaled.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

CycleProvider = Callable[[list[int]], dict[int, int]]
_providers: list[CycleProvider] = []


def register_cycle_provider(provider: CycleProvider) -> CycleProvider:
    """Register `provider(dealer_ids) -> {dealer_id: cycle days}` (one query for any
    number of dealers; dealers without a cycle absent). Idempotent."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def unregister_cycle_provider(provider: CycleProvider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def cycle_days_for(dealer_ids: Iterable[int]) -> dict[int, int]:
    """{dealer_id: visit cycle in days} from the registered providers (the first that knows a dealer wins)."""
    dealer_ids = sorted(set(dealer_ids))
    result: dict[int, int] = {}
    if not dealer_ids:
        return result
    for provider in _providers:
        for dealer_id, days in provider(dealer_ids).items():
            if days and dealer_id not in result:
                result[dealer_id] = int(days)
    return result

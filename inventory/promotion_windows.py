"""Where the suggested order learns when a dealer was in a promotion, so that
count periods that overlapped one are left out of "normal" sales (SPEC §3).

Inventory does not know how campaigns are run. The app that runs them
registers a provider here (promotions does, in PromotionsConfig.ready), so the
dependency runs one way: promotions → inventory, as with inventory.cycles.
Without a provider no dealer was ever in a promotion.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

Window = tuple[datetime.date, datetime.date]
WindowProvider = Callable[..., dict[int, list[Window]]]
_providers: list[WindowProvider] = []


def register_promotion_window_provider(provider: WindowProvider) -> WindowProvider:
    """Register `provider(*, dealer_ids, start, end) -> {dealer_id: [(start, end), ...]}`
    (one query for any number of dealers; dealers in no promotion absent). Idempotent."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def unregister_promotion_window_provider(provider: WindowProvider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def promotion_windows_for(
    *, dealer_ids: Iterable[int], start: datetime.date, end: datetime.date
) -> dict[int, list[Window]]:
    """{dealer_id: sorted (start, end) promotion windows overlapping [start, end]} from every provider."""
    dealer_ids = sorted(set(dealer_ids))
    result: dict[int, list[Window]] = {}
    if not dealer_ids:
        return result
    for provider in _providers:
        for dealer_id, windows in provider(dealer_ids=dealer_ids, start=start, end=end).items():
            result.setdefault(dealer_id, []).extend(windows)
    if len(_providers) > 1:
        for windows in result.values():
            windows.sort()
    return result

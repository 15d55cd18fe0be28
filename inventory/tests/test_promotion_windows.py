"""inventory.promotion_windows: inventory learns promotion windows from the app above it, never importing it."""

import datetime

from inventory import promotion_windows

D = datetime.date


def test_promotions_registers_its_campaign_windows_when_the_apps_load():
    from promotions.selectors import campaign_windows_for_dealers

    assert campaign_windows_for_dealers in promotion_windows._providers


def test_windows_of_several_providers_are_merged_and_sorted():
    def first(*, dealer_ids, start, end):
        return {1: [(D(2026, 3, 1), D(2026, 3, 5))]}

    def second(*, dealer_ids, start, end):
        return {1: [(D(2026, 1, 1), D(2026, 1, 3))], 2: [(D(2026, 2, 1), D(2026, 2, 2))]}

    saved = list(promotion_windows._providers)
    promotion_windows._providers.clear()
    try:
        promotion_windows.register_promotion_window_provider(first)
        promotion_windows.register_promotion_window_provider(second)
        promotion_windows.register_promotion_window_provider(second)  # idempotent
        windows = promotion_windows.promotion_windows_for(dealer_ids=[2, 1, 1], start=D(2026, 1, 1), end=D(2026, 12, 31))
        assert windows == {
            1: [(D(2026, 1, 1), D(2026, 1, 3)), (D(2026, 3, 1), D(2026, 3, 5))],
            2: [(D(2026, 2, 1), D(2026, 2, 2))],
        }
        assert promotion_windows.promotion_windows_for(dealer_ids=[], start=D(2026, 1, 1), end=D(2026, 1, 2)) == {}
    finally:
        promotion_windows._providers[:] = saved

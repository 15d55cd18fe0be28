from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromotionsConfig(AppConfig):
    name = "promotions"
    verbose_name = _("Promotions")

    def ready(self) -> None:
        from inventory.promotion_windows import register_promotion_window_provider
        from promotions.selectors import campaign_windows_for_dealers

        # The suggested order leaves periods that overlapped a promotion out of normal sales (SPEC §3).
        register_promotion_window_provider(campaign_windows_for_dealers)

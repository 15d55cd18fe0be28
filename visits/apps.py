from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = _("Visits")

    def ready(self) -> None:
        from inventory.cycles import register_cycle_provider
        from visits.selectors import visit_cycle_days

        # The suggested order scales period sales to the dealer's visit cycle (SPEC §3).
        register_cycle_provider(visit_cycle_days)

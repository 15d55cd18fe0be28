from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DealersConfig(AppConfig):
    name = "dealers"
    verbose_name = _("Dealers")

    def ready(self) -> None:
        from common.audit import audit_register
        from dealers.models import Dealer

        # Sensitive changes of a dealer (issue #12): kept with old and new value, when, by whom.
        audit_register(Dealer, key="dealer", fields=["credit_limit", "tier", "region", "rep", "status"])

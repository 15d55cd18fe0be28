from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RebatesConfig(AppConfig):
    name = "rebates"
    verbose_name = _("Rebates")

    def ready(self) -> None:
        from common.audit import audit_register
        from rebates import receivers
        from rebates.models import RebatePlan

        receivers.connect()
        # A rebate plan's terms (issue #12); its tiers are recorded by rebates.services.
        audit_register(RebatePlan, key="rebate_plan", fields=[
            "code", "name", "kind", "period_kind", "rate", "starts_on", "ends_on", "is_active",
        ])

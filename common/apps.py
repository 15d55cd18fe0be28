from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = _("Common")

    def ready(self) -> None:
        from auditlog.models import LogEntry
        from django.db.models.signals import pre_save

        from common import db
        from common.api.fields import harden_serializer_fields
        from common.audit import fill_actor
        from common.checks import register_checks
        from common.forms import bound_text_areas
        from common.lookups import register_lookups

        pre_save.connect(fill_actor, sender=LogEntry, dispatch_uid="common.audit.fill_actor")
        harden_serializer_fields()
        bound_text_areas()
        register_checks()
        db.install()
        register_lookups()

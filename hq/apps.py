from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HqConfig(AppConfig):
    """HQ's setup: the setup pages, imports with a preview, exports in the import
    format and the ERP sync endpoints. It sits above every domain app and writes
    only through their services (docs/DEVELOPING.md "Setup, imports and ERP sync")."""

    name = "hq"
    verbose_name = _("HQ setup")

"""System checks of a production start-up (`manage.py check --deploy`, and every
`runserver` / `migrate`), so the app cannot half-work."""

from __future__ import annotations

from django.conf import settings
from django.core import checks


def static_files_collected(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """DEBUG off without `collectstatic`: pages still work (the files are served from
    the apps' folders, see settings.STORAGES), but without hashed, compressed,
    long-cached names. Say so, and what to run."""
    if getattr(settings, "STATIC_MANIFEST_WANTED", False) and not settings.STATIC_MANIFEST_PATH.exists():
        return [checks.Warning(
            f"Static files have not been collected into {settings.STATIC_ROOT}: they are served "
            "uncompressed and without cache-busting names until you run it.",
            hint="Run `python manage.py collectstatic --noinput`, then restart the web server.",
            id="common.W001",
        )]
    return []


def register_checks() -> None:
    checks.register(static_files_collected, checks.Tags.staticfiles)

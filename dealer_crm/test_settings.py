"""Settings for the test suite: the real settings with test tweaks.

The environment still decides the database and the broker, so CI runs the same
suite on PostgreSQL and Redis that a laptop runs on SQLite.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-not-for-production")

from .settings import *  # noqa: F403
from .settings import STORAGES, VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "test-media"
IMPORT_FILES_DIR = VAR_DIR / "test-imports"
STATIC_ROOT = None  # served from the finders; nothing is collected for tests
ALLOWED_HOSTS = ["*"]
# Tasks run in-process unless a test starts a real worker.
CELERY_TASK_ALWAYS_EAGER = True
LANGUAGE_CODE = "en"

# Each test process keeps its own keys in a shared Redis (pytest-xdist runs two, and
# an earlier run's throttle counters must not count against this one).
if CACHES["default"]["BACKEND"] != "django.core.cache.backends.locmem.LocMemCache":  # noqa: F405
    import uuid

    CACHES["default"]["KEY_PREFIX"] = f"test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{uuid.uuid4().hex[:8]}"  # noqa: F405

"""Settings come from the environment with safe defaults (issue #2)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, dealer_crm.settings as s; "
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], 'name': str(s.DATABASES['default']['NAME']), "
    "'host': s.DATABASES['default'].get('HOST', ''), 'broker': s.CELERY_BROKER_URL, 'debug': s.DEBUG, "
    "'tz': s.TIME_ZONE, 'use_tz': s.USE_TZ, 'email': s.EMAIL_BACKEND, 'cache': s.CACHES['default']['BACKEND']}))"
)
KEYS = ["DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_DEBUG", "DJANGO_SECRET_KEY", "EMAIL_BACKEND", "TIME_ZONE"]


def load_settings(tmp_path, **env):
    clean = {key: value for key, value in os.environ.items() if key not in KEYS}
    clean["DEALER_CRM_VAR_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=60
    )
    return result


def test_settings_with_nothing_set_use_sqlite_and_a_serverless_broker(tmp_path):
    result = load_settings(tmp_path, DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"].endswith("db.sqlite3")
    assert values["broker"] == "filesystem://localhost/"
    assert values["tz"] == "Asia/Shanghai" and values["use_tz"] is True
    assert values["email"] == "django.core.mail.backends.console.EmailBackend"
    assert values["cache"].endswith("LocMemCache")


def test_settings_database_url_and_redis_url_are_honoured(tmp_path):
    result = load_settings(
        tmp_path, DJANGO_DEBUG="1",
        DATABASE_URL="postgres://crm:pw@db.example:5432/dealer_crm", REDIS_URL="redis://cache.example:6379/0",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "dealer_crm" and values["host"] == "db.example"
    assert values["broker"] == "redis://cache.example:6379/0"
    assert values["cache"].endswith("RedisCache")


def test_settings_celery_broker_url_wins_over_redis_url(tmp_path):
    result = load_settings(
        tmp_path, DJANGO_DEBUG="1", REDIS_URL="redis://a:6379/0", CELERY_BROKER_URL="amqp://guest@b:5672//"
    )
    assert json.loads(result.stdout)["broker"] == "amqp://guest@b:5672//"


def test_settings_production_without_secret_key_refuses_to_start(tmp_path):
    result = load_settings(tmp_path, DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_settings_production_with_secret_key_starts_with_debug_off(tmp_path):
    result = load_settings(tmp_path, DJANGO_DEBUG="0", DJANGO_SECRET_KEY="s3cret-for-the-test")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["debug"] is False

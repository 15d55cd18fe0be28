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


STATIC_PROBE = (
    "import json, dealer_crm.settings as s; "
    "print(json.dumps({'storage': s.STORAGES['staticfiles']['BACKEND'], 'manifest': s.STATIC_MANIFEST_PATH.exists()}))"
)


def test_settings_production_without_collectstatic_serves_static_files_anyway(tmp_path):
    """DEBUG off and no manifest: the plain storage (files from the finders), never a
    manifest storage that would answer 500 on every page."""
    clean = {key: value for key, value in os.environ.items() if key not in KEYS}
    env = {**clean, "DEALER_CRM_VAR_DIR": str(tmp_path), "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "x" * 50}
    result = subprocess.run([sys.executable, "-c", STATIC_PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    expected = "whitenoise.storage.CompressedManifestStaticFilesStorage" if values["manifest"] else (
        "django.contrib.staticfiles.storage.StaticFilesStorage")
    assert values["storage"] == expected


def test_system_check_warns_when_static_files_were_not_collected(settings, tmp_path):
    from common.checks import static_files_collected

    settings.STATIC_MANIFEST_WANTED = True
    settings.STATIC_MANIFEST_PATH = tmp_path / "staticfiles.json"
    assert [message.id for message in static_files_collected(None)] == ["common.W001"]
    settings.STATIC_MANIFEST_PATH.write_text("{}")
    assert static_files_collected(None) == []


def test_pages_render_with_debug_off_and_nothing_collected(client, settings, db):
    from accounts.tests.factories import RepFactory

    settings.DEBUG = False
    client.force_login(RepFactory())
    response = client.get("/notifications/")
    assert response.status_code == 200
    assert "/static/vendor/bootstrap/bootstrap.min.css" in response.content.decode()
    assert client.get("/static/vendor/bootstrap/bootstrap.min.css").status_code == 200


def test_check_deploy_has_no_security_warning_with_the_documented_production_settings(tmp_path):
    """README "Production over HTTPS": with those settings `manage.py check --deploy` names no
    security.* warning (HSTS, secure cookies, SSL redirect, secret key, DEBUG ...)."""
    clean = {key: value for key, value in os.environ.items() if key not in KEYS and not key.startswith("DJANGO_")}
    env = {
        **clean, "DEALER_CRM_VAR_DIR": str(tmp_path), "DJANGO_DEBUG": "0", "DJANGO_HTTPS": "1",
        "DJANGO_SECRET_KEY": "k3#Vq9!zL0pX7$wR2mN8&bT5^cY1@hJ4*gF6(dS0)aQ9-eW3+uI7", "DJANGO_ALLOWED_HOSTS": "crm.example.com",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://crm.example.com",
    }
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--tag", "security"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "security." not in output, output
    assert "System check identified no issues" in output, output

"""Production settings: refuse to start unsafely, and pass Django's deployment checklist."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": "coalitions.example.org",
    "SECRET_KEY": "x" * 20 + "-Kq8%Zr!w3@Lp0#Vt6^Yb1&Nd4*Hs7(Gm",
    "CACHE_URL": "redis://127.0.0.1:6379/1",  # not connected to by `check`
    "TRUSTED_PROXIES": "10.0.0.0/8,2001:db8::1",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    inherited = {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in inherited}
    environment.update(env)
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DEBUG="0", ALLOWED_HOSTS="coalitions.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_settings_pass_the_deployment_checklist():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_without_a_shared_cache_the_deployment_checklist_warns():
    production = {name: value for name, value in PRODUCTION.items() if name != "CACHE_URL"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", **production)
    assert result.returncode != 0
    assert "core.W001" in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("TRUSTED_PROXIES", "10.0.0.0/8,proxy.example.org", "TRUSTED_PROXIES must be addresses or CIDR ranges"),
        ("CACHE_URL", "memcached://127.0.0.1", "CACHE_URL must start with redis://"),
    ],
)
def test_a_malformed_proxy_or_cache_setting_stops_start_up(name, value, message):
    result = manage("check", **{name: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_uploads_go_to_the_media_root_the_environment_names(tmp_path):
    script = "from django.core.files.storage import default_storage; print(default_storage.location)"
    result = manage("shell", "-c", script, MEDIA_ROOT=str(tmp_path / "shared"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == str(tmp_path / "shared")


def test_a_malformed_boolean_is_a_clear_configuration_error():
    result = manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_migrations_match_the_models():
    result = manage("makemigrations", "--check", "--dry-run", DEBUG="1")
    assert result.returncode == 0, result.stdout + result.stderr


def test_postgresql_sessions_run_without_jit_and_keep_the_urls_own_options():
    shown = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS']['options'])"
    url = "postgres://app@db.example.org/coalitions?options=-c%20statement_timeout%3D5000"
    result = manage("shell", "--no-imports", "-c", shown, DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "-c statement_timeout=5000 -c jit=off"


@pytest.mark.django_db
def test_the_database_connection_has_jit_off():
    from django.db import connection

    from core.testing import require_service

    require_service("PostgreSQL", connection.vendor == "postgresql", "the tests run on SQLite (DATABASE_URL)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"

"""The production settings (DJANGO_PRODUCTION): Django's deployment checks, refusals of unsafe values, and
static files with hashed names, compressed copies and long caching (docs/deploy.md)."""

import json
import os
import re
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client

PRODUCTION_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def production_env(**variables: str) -> dict[str, str]:
    """This process's environment without any DJANGO_ variable, plus the production ones and `variables`."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("DJANGO_")}
    env.update(
        DJANGO_PRODUCTION="true",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="portal.example.com",
    )
    env.update(variables)
    return {name: value for name, value in env.items() if value != ""}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    command = [sys.executable, "manage.py", *args]
    return subprocess.run(command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300)  # noqa: S603


def test_the_deployment_checks_pass_with_the_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (1 silenced)." in result.stdout  # security.W021, docs/deploy.md


def test_the_deployment_checks_fail_without_them():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(DJANGO_PRODUCTION=""))

    assert result.returncode == 1
    for check in ["security.W004", "security.W008", "security.W012", "security.W016"]:
        assert check in result.stderr


def test_choosing_hsts_preload_silences_nothing():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=production_env(DJANGO_SECURE_HSTS_PRELOAD="true")
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"DJANGO_DEBUG": "true"}, "DJANGO_DEBUG must be off when DJANGO_PRODUCTION is on."),
        ({"DJANGO_ALLOWED_HOSTS": ""}, "DJANGO_ALLOWED_HOSTS must name the site's hosts when DJANGO_PRODUCTION is on."),
        ({"DJANGO_SECRET_KEY": ""}, "DJANGO_SECRET_KEY must be set when DJANGO_PRODUCTION is on."),
    ],
)
def test_production_refuses_to_start_with_an_unsafe_setting(variables, message):
    result = manage("check", env=production_env(**variables))

    assert result.returncode == 1
    assert f"ImproperlyConfigured: {message}" in result.stderr


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """collectstatic as production runs it, into a folder of its own."""
    root = tmp_path_factory.mktemp("staticfiles")
    result = manage("collectstatic", "--no-input", env=production_env(DJANGO_STATIC_ROOT=str(root)))
    assert result.returncode == 0, result.stderr
    return root


def test_collectstatic_in_production_writes_hashed_names_with_gzip_and_brotli_copies(collected):
    manifest = json.loads((collected / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/site.css"]

    assert hashed != "css/site.css"
    assert hashed.startswith("css/site.") and hashed.endswith(".css")
    for suffix in ["", ".gz", ".br"]:
        assert (collected / f"{hashed}{suffix}").is_file()


@pytest.mark.django_db
def test_a_hashed_file_is_served_compressed_and_cached_for_ten_years(collected, settings):
    settings.STATIC_ROOT = collected
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": PRODUCTION_STORAGE}}
    hashed = json.loads((collected / "staticfiles.json").read_text())["paths"]["css/site.css"]
    client = Client()  # a new handler: whitenoise reads this STATIC_ROOT

    brotli = client.get(f"/static/{hashed}", headers={"Accept-Encoding": "gzip, br"})
    gzip = client.get(f"/static/{hashed}", headers={"Accept-Encoding": "gzip"})
    unhashed = client.get("/static/css/site.css")
    for response in (brotli, gzip, unhashed):
        response.close()  # the open files

    assert brotli.status_code == 200
    assert brotli["Cache-Control"] == "max-age=315360000, public, immutable"
    assert brotli["Content-Encoding"] == "br"
    assert gzip["Content-Encoding"] == "gzip"
    assert "immutable" not in unhashed["Cache-Control"]  # a name without a hash may change: a minute
    assert unhashed["Cache-Control"] == "max-age=60, public"


def test_env_example_lists_every_variable_the_settings_and_gunicorn_read():
    base = settings.BASE_DIR
    read = set()
    for source in ["portal/settings.py", "gunicorn.conf.py"]:
        text = (base / source).read_text()
        read |= set(re.findall(r"""(?:env\.\w+|environ\.get)\(\s*["']([A-Z][A-Z0-9_]+)["']""", text))
    listed = set(re.findall(r"^# ([A-Z][A-Z0-9_]+)=", (base / ".env.example").read_text(), flags=re.MULTILINE))

    assert {"DJANGO_PRODUCTION", "GUNICORN_WORKERS"} <= read
    assert read - listed == set()

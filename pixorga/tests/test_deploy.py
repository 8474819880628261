"""Production settings pass Django's deployment checklist, with nothing to warn about."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def production_env(**extra) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "SECURE_", "TLS_"))}
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="pixorga.example.fr",
        SITE_URL="https://pixorga.example.fr",
        DJANGO_SETTINGS_MODULE="pixorga.settings",
        **extra,
    )
    return env


def manage(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True,
                          text=True, timeout=120)


def test_check_deploy_reports_nothing_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    env.pop("SECRET_KEY")

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "SECRET_KEY est obligatoire" in result.stderr


def _compose_environment() -> dict:
    """The security variables docker-compose.yml gives the app (the x-app environment block)."""
    import yaml

    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    environment = compose["x-app"]["environment"]
    return {key: str(value) for key, value in environment.items() if key.startswith(("SECURE_", "TLS_"))}


def test_check_deploy_reports_nothing_with_the_compose_files_settings():
    extra = _compose_environment()
    assert extra == {"TLS_REDIRECT_BY_PROXY": "true"}

    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(**extra))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_turning_the_redirect_off_without_saying_a_proxy_does_it_is_reported():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(SECURE_SSL_REDIRECT="false"))

    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


def test_the_web_process_freezes_what_it_loaded_and_makes_full_collections_rare():
    """``pixorga.wsgi`` (what gunicorn loads) tunes the garbage collector of the web process only."""
    probe = "import gc, pixorga.wsgi; print(gc.get_freeze_count() > 10000, gc.get_threshold())"
    result = subprocess.run([sys.executable, "-c", probe], cwd=BASE_DIR, env=production_env(), capture_output=True,
                            text=True, timeout=120)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == "True (700, 10, 1000)"

    # Django set up without pixorga.wsgi (commands, Celery, tests): Python's defaults stay.
    probe = "import gc, django; django.setup(); print(gc.get_freeze_count(), gc.get_threshold())"
    result = subprocess.run([sys.executable, "-c", probe], cwd=BASE_DIR, env=production_env(), capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == "0 (700, 10, 10)"

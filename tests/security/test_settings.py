"""Settings read from the environment, checked in a fresh process as a server would start."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

PUBLIC_KEY = "serendip-demo-key-not-for-production"  # the key every installation once shared

# A production club behind an HTTPS reverse proxy (the README's example, HSTS preloading opted in).
PRODUCTION = {
    "SERENDIP_SITE_URL": "https://club.example.org",
    "SERENDIP_ALLOWED_HOSTS": "club.example.org",
    "SERENDIP_BEHIND_HTTPS_PROXY": "1",
    "SERENDIP_HSTS_PRELOAD": "1",
}


def run(code: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run Python with serendip's settings and only the given SERENDIP_ variables."""
    # Nothing of the test run's own set-up leaks in (the browser tests allow async-unsafe calls).
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SERENDIP_", "DJANGO_"))}
    clean.update(DJANGO_SETTINGS_MODULE="serendip.settings", SERENDIP_DATA_DIR=str(tmp_path))
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, check=False
    )


SHOW = "import django; django.setup(); from django.conf import settings as s; print({})"
SHOW_ALL = "import django; django.setup(); from django.conf import settings as s; print(repr(({})))"


def test_a_secret_key_is_generated_once_per_installation_and_kept(tmp_path: Path) -> None:
    first = run(SHOW.format("s.SECRET_KEY"), tmp_path)
    assert first.returncode == 0, first.stderr
    key = first.stdout.strip()
    assert key != PUBLIC_KEY and len(key) >= 50 and len(set(key)) >= 5
    stored = tmp_path / "secret_key"
    assert stored.read_text().strip() == key
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600  # readable by the server's user only
    again = run(SHOW.format("s.SECRET_KEY"), tmp_path)
    assert again.stdout.strip() == key  # kept: sessions and links survive a restart
    other = run(SHOW.format("s.SECRET_KEY"), tmp_path / "another-installation")
    assert other.stdout.strip() not in {key, PUBLIC_KEY}
    chosen = run(SHOW.format("s.SECRET_KEY"), tmp_path, SERENDIP_SECRET_KEY="x" * 60)
    assert chosen.stdout.strip() == "x" * 60  # the environment wins


def test_debug_is_off_unless_asked_for(tmp_path: Path) -> None:
    assert run(SHOW.format("s.DEBUG"), tmp_path).stdout.strip() == "False"
    assert run(SHOW.format("s.DEBUG"), tmp_path, SERENDIP_DEBUG="0").stdout.strip() == "False"
    assert run(SHOW.format("s.DEBUG"), tmp_path, SERENDIP_DEBUG="1").stdout.strip() == "True"


def test_the_deploy_check_passes_without_a_warning_in_production(tmp_path: Path) -> None:
    code = (
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('check', '--deploy', '--fail-level', 'WARNING')"
    )
    checked = run(code, tmp_path, **PRODUCTION)
    assert checked.returncode == 0, checked.stderr
    assert "no issues" in checked.stdout
    shown = run(
        SHOW_ALL.format(
            "s.SECURE_PROXY_SSL_HEADER, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, "
            "s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
            "s.CSRF_TRUSTED_ORIGINS, s.ALLOWED_HOSTS"
        ),
        tmp_path,
        **PRODUCTION,
    )
    assert shown.stdout.strip() == (
        "(('HTTP_X_FORWARDED_PROTO', 'https'), True, True, True, 31536000, True, "
        "['https://club.example.org'], ['club.example.org'])"
    )


def test_the_laptop_defaults_stay_on_plain_http(tmp_path: Path) -> None:
    shown = run(
        SHOW_ALL.format("s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS"),
        tmp_path,
    )
    assert shown.stdout.strip() == "(False, False, 0)"

"""A Content-Security-Policy on every page, and no inline script in the templates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

import serendip

pytestmark = pytest.mark.django_db

TEMPLATES = Path(serendip.__file__).parent / "templates"
# Files we hand over rather than serve (opened from the member's disk, where no policy applies).
NOT_SERVED = {"account/export_archive.html"}


def test_pages_carry_a_policy_that_refuses_inline_scripts() -> None:
    for url in ["/accounts/login/", "/admin/login/", "/api/docs"]:
        policy = Client().get(url)["Content-Security-Policy"]
        directives = dict(
            (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
        )
        assert directives["default-src"] == ["'self'"]
        assert directives["script-src"][0] == "'self'"
        assert "'unsafe-inline'" not in directives["script-src"] + directives["style-src"]
        assert directives["frame-ancestors"] == ["'none'"]


def test_templates_have_no_inline_script_style_or_handler_without_a_nonce() -> None:
    offences = []
    for template in TEMPLATES.rglob("*.html"):
        if template.relative_to(TEMPLATES).as_posix() in NOT_SERVED:
            continue
        text = template.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and "nonce=" not in tag and "application/json" not in tag:
                offences.append(f"{template.name}: {tag}")
        for attribute in re.findall(r"\s(style|on[a-z]+)=", text):
            offences.append(f"{template.name}: {attribute}=")
        if "<style" in text:
            offences.append(f"{template.name}: <style>")
    assert offences == []

"""The container recipe and the deploy guide name only files, commands and settings that exist.

No container engine runs here: these checks read the Dockerfile, compose.yaml and
docs/deploy.md as text (compose.yaml as YAML) against the repository and the command list.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import yaml
from django.core.management import get_commands, load_command_class

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
GUIDE = (ROOT / "docs" / "deploy.md").read_text()


def settings_read_from_environment() -> set[str]:
    """Every SERENDIP_* name the code reads (settings and commands)."""
    names: set[str] = set()
    for path in (ROOT / "src" / "serendip").rglob("*.py"):
        names |= set(re.findall(r"\"(SERENDIP_[A-Z0-9_]+)\"", path.read_text()))
    # Mail settings are read by prefix: SERENDIP_<name>, else <name>.
    mail = re.findall(r'_mail\("([A-Z_]+)"', (ROOT / "src/serendip/settings.py").read_text())
    return names | {f"SERENDIP_{name}" for name in mail}


# How the recipe and the guide call serendip: the installed program, the admin wrapper, the
# compose service, or `serendip ...` quoted in prose.
INVOCATION = re.compile(
    r"(?:/bin/serendip|serendip-admin|`serendip|exec web serendip|-only serendip) "
    r"([a-z_]+)([^\n`]*)"
)


def serendip_commands(text: str) -> list[list[str]]:
    """``serendip SUBCOMMAND ...`` invocations in a text (with their options)."""
    found = []
    for match in INVOCATION.finditer(text):
        found.append([match.group(1), *shlex.split(match.group(2).replace("'", " "))])
    return found


def test_the_dockerfile_copies_only_files_of_the_repository() -> None:
    copies = re.findall(r"^COPY (?!--from)(.+?) \S+$", DOCKERFILE, flags=re.MULTILINE)
    sources = [source for line in copies for source in line.split()]
    assert "requirements.lock" in sources and "src" in sources
    for source in sources:
        assert (ROOT / source).exists(), source
    # The locked, hash-checked dependencies first, then the project without further downloads.
    assert "--require-hashes -r requirements.lock" in DOCKERFILE
    assert "pip install --no-deps ." in DOCKERFILE
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    for source in sources:
        assert f"!{source}" in ignored or f"!{source}/" in ignored, source


def test_compose_runs_postgresql_the_web_server_and_a_worker_from_the_image() -> None:
    services = COMPOSE["services"]
    assert {"db", "web", "worker"} <= set(services)
    assert services["db"]["image"].startswith("postgres:")
    assert services["web"]["build"] == "."
    assert services["web"]["command"][:2] == ["serendip", "serve"]
    assert services["worker"]["command"] == ["nice", "-n", "10", "serendip", "worker"]
    # The pages go first between containers too: a lower weight than the web's default 1024.
    assert services["worker"]["cpu_shares"] < 1024 and "cpu_shares" not in services["web"]
    environment = services["web"]["environment"]
    assert environment["SERENDIP_TASKS_BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert environment["SERENDIP_DATABASE_URL"].startswith("postgres://")
    assert services["worker"]["environment"] == environment


def _after_serendip(command: list[str]) -> list[str]:
    """A service's command after ``serendip`` (which ``nice`` may run)."""
    return command[command.index("serendip") + 1 :]


def test_the_guides_worker_unit_yields_the_cores_by_weight_not_only_by_nice() -> None:
    # Each systemd service is a cgroup: Nice orders processes inside one, CPUWeight between.
    guide = (ROOT / "docs" / "deploy.md").read_text()
    unit = guide[guide.index("serendip-worker@.service") :]
    unit = unit[: unit.index("[Install]")]
    assert "CPUWeight=20" in unit and "Nice=10" in unit


def test_every_command_in_the_recipe_and_the_guide_exists_with_its_options(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # for `worker`
    known = get_commands()
    services = COMPOSE["services"].values()
    invocations = [
        *serendip_commands(DOCKERFILE),
        *(_after_serendip(service["command"]) for service in services if "command" in service),
        *serendip_commands(GUIDE),
    ]
    assert len(invocations) > 10
    for subcommand, *arguments in invocations:
        assert subcommand in known, subcommand
        parser = load_command_class(known[subcommand], subcommand).create_parser(
            "serendip", subcommand
        )
        options = {flag for action in parser._actions for flag in action.option_strings}
        for argument in arguments:
            flag = argument.split("=")[0]
            if flag.startswith("--"):
                assert flag in options, f"serendip {subcommand} has no option {flag}"


def test_every_setting_named_in_the_recipe_and_the_guide_is_read_by_serendip() -> None:
    read = settings_read_from_environment()
    named = set(re.findall(r"\bSERENDIP_[A-Z0-9_]+", DOCKERFILE + GUIDE))
    for service in COMPOSE["services"].values():
        named |= {name for name in service.get("environment", {}) if name.startswith("SERENDIP_")}
    assert "SERENDIP_DATABASE_URL" in named
    assert named - read == set()

"""A fresh install runs: the package built from the repository, with only its declared runtime
dependencies importable, passes ``serendip check --deploy`` in the environment docs/deploy.md
documents for production.

Downloading every dependency again into a new virtualenv would take minutes and the network;
instead setuptools lays the package out offline in an empty folder as a wheel would install it,
and each distribution the project's ``dependencies`` name (and theirs, transitively, markers
evaluated, no extras) is linked there from this virtualenv. Python starts without its
site-packages (``-S``), on that folder alone: a module the app imports at run time but that only
the dev extras install (``vobject`` once was) is missing, and the command fails as it would on a
server.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
GUIDE = (ROOT / "docs" / "deploy.md").read_text()


def documented_environment() -> dict[str, str]:
    """The variables of the guide's ``/etc/serendip.env`` block, as the shell reads them."""
    block = GUIDE.split("`/etc/serendip.env`", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    found = {}
    for line in block.splitlines():
        if "=" in line and not line.startswith("#"):
            name, value = line.split("=", 1)
            found[name] = " ".join(shlex.split(value)) if value else ""
    return found


def build_package(folder: Path) -> Path:
    """The files a wheel of the project holds (modules, templates, static files, catalogues),
    laid out as installed, built offline by setuptools from a copy of the repository's files."""
    source = folder / "source"
    shutil.copytree(
        ROOT / "src",
        source / "src",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc"),
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    site = folder / "site"
    # The wheel's own build step (bdist_wheel runs build_py), without the `wheel` package.
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from setuptools import setup; setup()",
            "--quiet",
            "build_py",
            "--build-lib",
            str(site),
        ],
        cwd=source,
        check=True,
        capture_output=True,
    )
    return site


def runtime_requirements() -> list[Requirement]:
    """What ``pip install .`` installs: the project's ``dependencies``, no extras."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [Requirement(line) for line in project["dependencies"]]


def closure(requirements: list[Requirement]) -> set[str]:
    """The installed distributions those requirements pull in, transitively."""
    seen: set[str] = set()
    todo = list(requirements)
    while todo:
        requirement = todo.pop()
        dist = metadata.distribution(requirement.name)
        key = dist.metadata["Name"].lower().replace("_", "-")
        if key in seen:
            continue
        seen.add(key)
        for line in dist.requires or []:
            needed = Requirement(line)
            extras = requirement.extras or {""}
            if needed.marker is None or any(
                needed.marker.evaluate({"extra": extra}) for extra in extras
            ):
                todo.append(needed)
    return seen


def link_distributions(names: set[str], site: Path) -> None:
    """Link every top-level file or folder of those distributions into ``site``."""
    for name in names:
        dist = metadata.distribution(name)
        base = Path(str(dist.locate_file("")))
        tops = {Path(str(f)).parts[0] for f in dist.files or [] if not str(f).startswith("..")}
        for top in tops:
            target = site / top
            if not target.exists() and (base / top).exists():
                target.symlink_to(base / top)


def test_a_fresh_install_passes_the_deploy_check(tmp_path: Path) -> None:
    site = build_package(tmp_path)
    assert (site / "serendip" / "templates" / "base.html").exists()
    needed = closure(runtime_requirements())
    assert {"django", "vobject", "gunicorn", "whitenoise", "psycopg"} <= needed
    link_distributions(needed, site)
    # The test tools are not there: what the app imports must come from its own dependencies.
    for dev_only in ("pytest", "factory", "time_machine", "playwright", "hypothesis"):
        assert not (site / dev_only).exists(), dev_only

    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        **documented_environment(),
        # The guide's placeholders, made real; the data folder is this test's own.
        "SERENDIP_SECRET_KEY": "a-long-random-secret-" + "x" * 40,
        "SERENDIP_DATA_DIR": str(tmp_path / "data"),
    }
    assert env["SERENDIP_SITE_URL"].startswith("https://") and "SERENDIP_DEBUG" not in env
    run = subprocess.run(
        [
            sys.executable,
            "-S",  # no site-packages: only the folder built above
            "-c",
            "import sys; sys.path.insert(0, sys.argv.pop(1)); from serendip.cli import main; "
            "sys.argv[0] = 'serendip'; main()",
            str(site),
            "check",
            "--deploy",
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    # No error, and no warning but the one the guide explains: HSTS preloading is the club's
    # own commitment (SERENDIP_HSTS_PRELOAD=1), off until it makes it.
    warnings = set(re.findall(r"\((\w+\.[WE]\d+)\)", output))
    assert warnings <= {"security.W021"}, output
    assert "security.W021" in GUIDE

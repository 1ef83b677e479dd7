"""`serendip import`: exit code 2 and line-level messages on bad input, nothing written."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from serendip.members.models import Member
from tests.factories import EventFactory, MemberFactory

pytestmark = pytest.mark.django_db


def test_a_good_members_file_is_imported(tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_text("email,first_name,last_name\nada@acme.fr,Ada,Lovelace\n")
    out = StringIO()
    call_command("import", "members", str(path), stdout=out)
    assert "Imported 1 members (1 new, 0 updated)." in out.getvalue()
    assert Member.objects.get().email == "ada@acme.fr"


def test_a_bad_file_prints_every_error_and_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_text("email,first_name,last_name,language\nada@acme.fr,Ada,L,fr\nbad,B,C,xx\n")
    err = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import", "members", str(path), stderr=err)
    assert refused.value.returncode == 2
    assert f"{path}: line 3, column email: Enter a valid email address." in err.getvalue()
    assert f"{path}: line 3, column language: 'xx' is not one of fr, en" in err.getvalue()
    assert not Member.objects.exists()


def test_registrations_for_an_unknown_event_exit_2(tmp_path: Path) -> None:
    MemberFactory(email="ada@acme.fr")
    EventFactory(slug="spring")
    path = tmp_path / "registrations.csv"
    path.write_text("email\nada@acme.fr\n")
    with pytest.raises(CommandError) as refused:
        call_command("import", "registrations", "autumn", str(path), stderr=StringIO())
    assert refused.value.returncode == 2
    call_command("import", "registrations", "spring", str(path), stdout=StringIO())
    assert Member.objects.get().registrations.get().event.slug == "spring"


def test_the_serendip_command_exits_2_on_a_missing_file(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["SERENDIP_DATA_DIR"] = str(tmp_path / "data")
    run = subprocess.run(
        [Path(sys.executable).with_name("serendip"), "import", "members", str(tmp_path / "no.csv")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert run.returncode == 2
    assert "no.csv: No such file or directory" in run.stderr


def test_django_management_commands_pass_through(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["SERENDIP_DATA_DIR"] = str(tmp_path / "data")
    serendip = Path(sys.executable).with_name("serendip")
    listed = subprocess.run([serendip, "help"], capture_output=True, text=True, env=env, check=True)
    for command in ("migrate", "createsuperuser", "demo", "import", "apitoken"):
        assert command in listed.stdout
    check = subprocess.run(
        [serendip, "check"], capture_output=True, text=True, env=env, check=False
    )
    assert check.returncode == 0, check.stderr

"""``serendip apitoken EMAIL [--name NAME]``: create an API token for a member and print it."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from serendip.members.models import Member
from serendip.members.services import create_api_token


class Command(BaseCommand):
    help = "Create a personal API token for a member; it is printed once and stored hashed."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="cli", help="a label to recognise the token by")

    def handle(self, *args: Any, **options: Any) -> None:
        member = Member.objects.filter(email__iexact=options["email"]).first()
        if member is None:
            raise CommandError(f"no member with the email {options['email']!r}", returncode=2)
        self.stdout.write(create_api_token(member, name=options["name"]))

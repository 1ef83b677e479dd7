"""``serendip apitoken EMAIL [--name NAME] [--expires-in-days N]``: create a member's API token
and print it; ``--list`` shows their tokens and ``--revoke ID`` deletes one."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from serendip.members.models import Member
from serendip.members.services import api_tokens_of, create_api_token, revoke_api_token


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


class Command(BaseCommand):
    help = (
        "Create a personal API token for a member; it is printed once and stored hashed. "
        "--list shows the member's tokens, --revoke ID deletes one."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="cli", help="a label to recognise the token by")
        parser.add_argument(
            "--expires-in-days",
            type=int,
            default=None,
            help="the token stops working after this many days (default: never)",
        )
        parser.add_argument("--list", action="store_true", help="list the member's tokens")
        parser.add_argument("--revoke", type=int, metavar="ID", help="delete the token ID")

    def handle(self, *args: Any, **options: Any) -> None:
        member = Member.objects.filter(email__iexact=options["email"]).first()
        if member is None:
            raise CommandError(f"no member with the email {options['email']!r}", returncode=2)
        if options["list"]:
            for token in api_tokens_of(member):
                self.stdout.write(
                    f"{token.pk}\t{token.name}\tcreated {_when(token.created)}"
                    f"\tlast used {_when(token.last_used)}\texpires {_when(token.expires)}"
                )
            return
        if options["revoke"] is not None:
            if not revoke_api_token(member, token_id=options["revoke"]):
                raise CommandError(f"{member.email} has no token {options['revoke']}", returncode=2)
            self.stdout.write(f"token {options['revoke']} revoked")
            return
        days = options["expires_in_days"]
        if days is not None and days < 1:
            raise CommandError("--expires-in-days must be at least 1", returncode=2)
        self.stdout.write(create_api_token(member, name=options["name"], expires_in_days=days))

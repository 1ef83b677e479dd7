"""``serendip recommend EMAIL [--top N]``: the people a member should meet, and why."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from serendip.engines.recommend import IncompleteProfile
from serendip.members.models import Member
from serendip.members.recommendations import suggestions_for


class Command(BaseCommand):
    help = "Print the strangers a member should meet, with a reason and icebreakers for each."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("member", help="the member's email or id")
        parser.add_argument("--top", type=int, default=20)

    def handle(self, *args: Any, **options: Any) -> None:
        key = options["member"]
        found = Member.objects.filter(email__iexact=key).first()
        if found is None and key.isdigit():
            found = Member.objects.filter(pk=int(key)).first()
        if found is None:
            raise CommandError(f"no member with the email or id {key!r}", returncode=2)
        try:
            suggestions = suggestions_for(found, top=options["top"])
        except IncompleteProfile as incomplete:
            raise CommandError(f"{found.email}: {incomplete}", returncode=2) from incomplete
        for rank, s in enumerate(suggestions, start=1):
            other = s.member
            self.stdout.write(
                f"{rank:2}. {other.full_name} ({other.email}) — score {s.recommendation.score}"
            )
            self.stdout.write(f"    {s.recommendation.reason}")
            for question in s.recommendation.icebreakers:
                self.stdout.write(f"    · {question}")

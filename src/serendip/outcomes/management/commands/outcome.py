"""``serendip outcome list|record|confirm``: outcomes from the command line, for operators.

    serendip outcome list ada@example.org [--status confirmed]
    serendip outcome record ada@example.org --with sam@example.org --kind deal \
        --date 2027-03-01 [--amount 25000 --currency EUR] [--note TEXT] [--meeting ID]
    serendip outcome confirm 12 sam@example.org             # the other party confirms
    serendip outcome confirm 12 --on-word-of organiser@example.org   # an organiser, shown so

Members are named by their email; every write goes through the outcomes' services (logged).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from serendip.members.models import Member
from serendip.outcomes.models import Outcome, OutcomeKind, OutcomeStatus
from serendip.outcomes.services import (
    OutcomeRefused,
    confirm_on_word_of,
    confirm_outcome,
    record_outcome,
)
from serendip.programme.models import Meeting


def _member(email: str) -> Member:
    member = Member.objects.filter(email__iexact=email).select_related("user").first()
    if member is None:
        raise CommandError(f"No member with the email {email}.")
    return member


class Command(BaseCommand):
    help = "List a member's outcomes, record one, or confirm one (also on an organiser's word)."

    def add_arguments(self, parser: CommandParser) -> None:
        jobs = parser.add_subparsers(dest="job", required=True)
        listing = jobs.add_parser("list", help="The outcomes a member is a party to.")
        listing.add_argument("email")
        listing.add_argument("--status", choices=OutcomeStatus.values)
        record = jobs.add_parser("record", help="Record an outcome; the others confirm it.")
        record.add_argument("email", help="who records it")
        record.add_argument("--with", dest="others", action="append", required=True)
        record.add_argument("--kind", choices=OutcomeKind.values, required=True)
        record.add_argument("--date", type=dt.date.fromisoformat, required=True)
        record.add_argument("--amount")
        record.add_argument("--currency", default="")
        record.add_argument("--note", default="")
        record.add_argument("--meeting", type=int)
        confirm = jobs.add_parser("confirm", help="A party confirms, or an organiser on its word.")
        confirm.add_argument("outcome", type=int)
        confirm.add_argument("email", nargs="?", help="the party who confirms")
        confirm.add_argument("--on-word-of", dest="organiser", help="an organiser's email")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['job']}")(options)
        except OutcomeRefused as refused:
            raise CommandError(str(refused)) from refused

    def _list(self, options: dict[str, Any]) -> None:
        member = _member(options["email"])
        found = Outcome.objects.filter(parties__member=member).prefetch_related("parties__member")
        if options["status"]:
            found = found.filter(status=options["status"])
        for outcome in found.order_by("happened_on", "pk"):
            others = ", ".join(
                p.member.full_name for p in outcome.parties.all() if p.member_id != member.pk
            )
            amount = f"{outcome.amount} {outcome.currency}" if outcome.amount is not None else "-"
            self.stdout.write(
                f"{outcome.pk}\t{outcome.happened_on}\t{outcome.kind}\t{outcome.status}"
                f"\t{amount}\t{others}"
            )

    def _record(self, options: dict[str, Any]) -> None:
        try:
            amount = Decimal(options["amount"]) if options["amount"] else None
        except InvalidOperation:
            raise CommandError("--amount: a number, such as 25000 or 1500.50.") from None
        meeting = None
        if options["meeting"]:
            meeting = Meeting.objects.filter(pk=options["meeting"]).first()
            if meeting is None:
                raise CommandError(f"No meeting {options['meeting']}.")
        outcome = record_outcome(
            by=_member(options["email"]),
            kind=options["kind"],
            happened_on=options["date"],
            parties=[_member(email) for email in options["others"]],
            amount=amount,
            currency=options["currency"],
            note=options["note"],
            meeting=meeting,
            now=timezone.now(),
        )
        self.stdout.write(f"Outcome {outcome.pk} recorded; the others are asked to confirm it.")

    def _confirm(self, options: dict[str, Any]) -> None:
        outcome = Outcome.objects.filter(pk=options["outcome"]).first()
        if outcome is None:
            raise CommandError(f"No outcome {options['outcome']}.")
        if options["organiser"]:
            user = get_user_model().objects.filter(email__iexact=options["organiser"]).first()
            if user is None:
                raise CommandError(f"No account with the email {options['organiser']}.")
            confirm_on_word_of(outcome=outcome, organiser=user, now=timezone.now())
        elif options["email"]:
            confirm_outcome(outcome=outcome, by=_member(options["email"]), now=timezone.now())
        else:
            raise CommandError("Name the party who confirms, or --on-word-of an organiser.")
        outcome.refresh_from_db()
        self.stdout.write(f"Outcome {outcome.pk}: {outcome.status}.")

"""``serendip report sponsor|event|club``: the reports' tables on the command line, or as CSV.

    serendip report sponsor "Acme Vendors" [--rule first|last|linear] [--csv] [--table events]
    serendip report event SLUG [--rule ...] [--csv] [--table events]
    serendip report club [--season 2026] [--rule ...] [--csv] [--table seasons]

A sponsor is named by its organisation's name or id. Without ``--table`` every table is
printed; with ``--csv`` each table is written as CSV (a blank line between tables).
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from serendip.events.models import Event
from serendip.members.models import Organisation
from serendip.reports import figures
from serendip.reports.exports import table_csv
from serendip.reports.tables import Table, display
from serendip.reports.tabulate import club_tables, sponsor_tables


class Command(BaseCommand):
    help = "Print a sponsor's, an event's or the club's report (tables, or CSV with --csv)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("kind", choices=["sponsor", "event", "club"])
        parser.add_argument("name", nargs="?", help="the organisation (sponsor) or slug (event)")
        parser.add_argument("--rule", choices=figures.RULES, default=figures.DEFAULT_RULE)
        parser.add_argument("--season", type=int, help="club: only the season starting that year")
        parser.add_argument("--table", help="only this table (e.g. events, outcomes, seasons)")
        parser.add_argument("--csv", action="store_true", help="write CSV instead of text")

    def handle(self, *args: Any, **options: Any) -> None:
        tables = self._tables(options)
        if options["table"]:
            tables = [t for t in tables if t.name == options["table"]]
            if not tables:
                raise CommandError(f"no table named {options['table']!r}")
        for index, table in enumerate(tables):
            if index:
                self.stdout.write("")
            if options["csv"]:
                self.stdout.write(table_csv(table), ending="")
            else:
                self.stdout.write(_text(table))

    def _tables(self, options: dict[str, Any]) -> list[Table]:
        rule, name = options["rule"], options["name"]
        if options["kind"] == "club":
            if options["season"] is not None and options["season"] not in figures.SEASONS:
                raise CommandError(f"--season: {options['season']} is not a year", returncode=2)
            return club_tables(figures.club_dashboard(rule=rule, season=options["season"]))
        if not name:
            raise CommandError(
                f"name the {options['kind']}: serendip report {options['kind']} NAME"
            )
        if options["kind"] == "event":
            event = Event.objects.filter(slug=name).first()
            if event is None:
                raise CommandError(f"no event with the short name {name!r}")
            dashboard = figures.club_dashboard(rule=rule, event=event)
            return [t for t in club_tables(dashboard) if t.name not in ("seasons", "introducers")]
        organisation = (
            Organisation.objects.filter(pk=int(name)).first()
            if name.isdigit()
            else Organisation.objects.filter(name__iexact=name).first()
        )
        if organisation is None:
            raise CommandError(f"no organisation named {name!r}")
        return sponsor_tables(figures.sponsor_report(organisation, rule=rule))


def _text(table: Table) -> str:
    """The table as aligned text columns, under its title."""
    cells = [[c.label for c in table.columns]] + [[display(v) for v in r] for r in table.rows]
    widths = [min(40, max(len(row[i]) for row in cells)) for i in range(len(table.columns))]
    lines = [table.title, "=" * len(table.title)]
    for row in cells:
        lines.append("  ".join(v[:40].ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)

"""``serendip demo``: migrate, fill the demo club once, print sign-ins, serve the web app."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from serendip.demo.club import DEMO_PASSWORD, MEMBER_EMAIL, ORGANISER_EMAIL, build_demo_club
from serendip.demo.engines import plan_demo_events
from serendip.demo.history import build_history
from serendip.demo.network import build_network_demo
from serendip.demo.seminar import build_live_seminar
from serendip.demo.statistics import refresh_planner_statistics
from serendip.members.models import Member


class Command(BaseCommand):
    help = "Set up the demo club (SQLite in the data folder by default) and serve the web app."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--seed", type=int, default=2027, help="the demo club's random seed")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--no-serve", action="store_true", help="set up the data, print sign-ins and stop"
        )
        parser.add_argument(
            "--serve-with",
            choices=["dev", "production"],
            default="dev",
            help="dev: Django's development server (default); production: `serendip serve` "
            "(gunicorn with several processes, as a club's server runs)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        if Member.objects.exists():
            self.stdout.write("Reusing the existing club database.")
        else:
            self.stdout.write(f"Generating the demo club (seed {options['seed']})...")
            build_demo_club(seed=options["seed"])
        live = build_live_seminar(seed=options["seed"])
        if live is not None:
            self.stdout.write(
                f"Today's seminar is under way: {live.meetings.count()} meetings, "
                f"the first rounds held and rated. Organiser: /organise/{live.slug}/ · "
                f"gong: /organise/{live.slug}/gong/ · member: /events/{live.slug}/now/"
            )
        # The demo's own invitation mail would only clutter the console: keep it in memory.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            network_built = build_network_demo(seed=options["seed"])
            history = build_history(seed=options["seed"])
        refresh_planner_statistics()
        if history is not None:
            self.stdout.write(
                f"Two seasons of history: {len(history.events)} past seminars, "
                f"{history.outcomes} outcomes confirmed months later. Reports at /reports/"
                + (f" (a sponsor's: {history.sponsor.email})" if history.sponsor else "")
                + "."
            )
        if network_built:
            self.stdout.write(
                "Between events: open asks, introductions in every state, ledgers and "
                "follow-ups due at /network/."
            )
        plans = settings.DATA_DIR / "demo-plans"
        if not (plans / "seminar-plan.json").exists():
            self.stdout.write("Planning the demo seminar and dinner with the engines...")
            for line in plan_demo_events(plans):
                self.stdout.write(f"  {line}")
        self.stdout.write(
            f"Engine files in {plans}: replay them with `serendip meetings check "
            f"{plans / 'seminar-problem.json'} {plans / 'seminar-plan.json'}` or "
            f"`serendip mixer check {plans / 'dinner-problem.json'} {plans / 'dinner-plan.json'}`."
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"\nserendip demo: {Member.objects.count()} members.\n"
                f"  organiser: {ORGANISER_EMAIL} / {DEMO_PASSWORD}  (admin: /admin/)\n"
                f"  member:    {MEMBER_EMAIL} / {DEMO_PASSWORD}\n"
                f"  (every demo member signs in with the password {DEMO_PASSWORD})\n"
            )
        )
        if not options["no_serve"]:
            self.stdout.write(f"Open http://127.0.0.1:{options['port']}/ — Ctrl+C stops.")
            if options["serve_with"] == "production":
                call_command("serve", bind=f"127.0.0.1:{options['port']}")
                return
            # Debug stays off (no tracebacks with members' data); runserver still serves the
            # CSS and scripts itself, as a local demo has no web server in front of it.
            call_command(
                "runserver",
                f"127.0.0.1:{options['port']}",
                use_reloader=False,
                insecure_serving=True,
            )

"""Where background jobs run, and the priority of those that only prepare pages ahead."""

from __future__ import annotations

from django.conf import settings

# The priority of the jobs that only prepare ahead what pages read (briefs, rendered parts,
# the recommender's index): behind planning and mail, which they give way to; a page does
# the work itself when they are late.
WARM_PRIORITY = -10


def queue_runs_apart() -> bool:
    """Whether jobs go to workers (not run at once in the page that asks for them)."""
    # Without a worker (the demo's one process, the tests) a job would run inside the page.
    return not settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")

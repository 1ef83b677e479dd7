"""Background jobs of the members app."""

from __future__ import annotations

from django_tasks import task

from serendip.jobs import WARM_PRIORITY
from serendip.members.recommendations import rebuild_club_index


@task(priority=WARM_PRIORITY)
def build_club_index() -> None:
    """Build the club's recommender index for every process (asked by a page after new ties)."""
    rebuild_club_index()

"""Where the day-before letter job lived: jobs queued before it moved name this module.

The letters are the programme's (serendip.programme.letters); a job queued by an older
release still points here, so the task stays reachable by its old path for one release.
"""

from serendip.programme.letters import send_day_before_letters

__all__ = ["send_day_before_letters"]

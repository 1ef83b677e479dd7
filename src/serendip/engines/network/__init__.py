"""The network engine: how strong a tie is, when to follow up, who can help with an ask.

Pure Python (scikit-learn for text): no Django, no I/O. This package is the engine's one
public face; nothing outside ``serendip.engines`` imports its modules. The verbs:
``strength`` of a tie from its interactions, ``next_due`` / ``reconnect`` for follow-ups,
``route`` an ask to helpers, ``similarity`` of an ask to texts (an answer from
``MATCH_FLOOR`` up).
"""

from serendip.engines.network.route import MATCH_FLOOR, Helper, Person, route, similarity
from serendip.engines.network.ties import Interaction, next_due, reconnect, strength

__all__ = [
    "MATCH_FLOOR",
    "Helper",
    "Interaction",
    "Person",
    "next_due",
    "reconnect",
    "route",
    "similarity",
    "strength",
]

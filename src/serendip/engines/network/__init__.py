"""The network engine: how strong a tie is, when to follow up, who can help with an ask.

Pure Python (scikit-learn for text): no Django, no I/O.
"""

from serendip.engines.network.route import Helper, Person, route
from serendip.engines.network.ties import Interaction, next_due, reconnect, strength

__all__ = [
    "Helper",
    "Interaction",
    "Person",
    "next_due",
    "reconnect",
    "route",
    "strength",
]

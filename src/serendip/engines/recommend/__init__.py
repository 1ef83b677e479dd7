"""The recommender: which strangers a member should meet, why, and how to start talking.

Pure Python on scikit-learn: no Django, no I/O. ``build_index`` once per change
of profiles or connections, then ``recommend`` per member.
"""

from serendip.engines.recommend.index import Index, build_index
from serendip.engines.recommend.recommend import exposure, recommend
from serendip.engines.recommend.types import Community, IncompleteProfile, Profile, Recommendation

__all__ = [
    "Community",
    "IncompleteProfile",
    "Index",
    "Profile",
    "Recommendation",
    "build_index",
    "exposure",
    "recommend",
]

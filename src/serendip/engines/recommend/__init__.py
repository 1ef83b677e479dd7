"""The recommender: which strangers a member should meet, why, and how to start talking.

Pure Python on scikit-learn: no Django, no I/O. This package is the engine's one public
face; nothing outside ``serendip.engines`` imports its modules. The verbs: ``build_index``
once per change of profiles or connections (in a ``TextSpace``: TF-IDF n-grams by default,
``EmbeddingSpace`` with the optional extra), then ``recommend`` per member, ``brief`` for
one pair (``briefs`` for many at once), ``scores`` for one member against everyone, and
``exposure`` to measure fairness.
"""

from serendip.engines.recommend.embeddings import EmbeddingSpace, EmbeddingsUnavailable
from serendip.engines.recommend.index import Index, TextSpace, build_index
from serendip.engines.recommend.recommend import brief, briefs, exposure, recommend, scores
from serendip.engines.recommend.types import Community, IncompleteProfile, Profile, Recommendation

__all__ = [
    "Community",
    "EmbeddingSpace",
    "EmbeddingsUnavailable",
    "IncompleteProfile",
    "Index",
    "Profile",
    "Recommendation",
    "TextSpace",
    "brief",
    "briefs",
    "build_index",
    "exposure",
    "recommend",
    "scores",
]

"""Turning profiles into comparable text: one character n-gram space for both languages.

Character n-grams (scikit-learn's TF-IDF) let "cybersécurité" meet "cybersecurity"
and "IA générative" meet "generative AI": the shared stems carry the match.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

# Words that carry no meaning of their own in either language.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "for",
        "of",
        "on",
        "in",
        "our",
        "your",
        "with",
        "to",
        "and",
        "or",
        "at",
        "by",
        "from",
        "is",
        "are",
        "we",
        "i",
        "de",
        "des",
        "du",
        "la",
        "le",
        "les",
        "un",
        "une",
        "pour",
        "sur",
        "en",
        "notre",
        "nos",
        "votre",
        "vos",
        "avec",
        "et",
        "ou",
        "au",
        "aux",
        "d",
        "l",
    ]
)


def normalise(text: str) -> str:
    """Lower case, no accents, no stop words: the form both languages are compared in."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    words = "".join(c if c.isalnum() else " " for c in plain).split()
    return " ".join(w for w in words if w not in STOPWORDS)


def joined(items: Iterable[str]) -> str:
    """Several profile items as one text."""
    return " . ".join(normalise(item) for item in items)


def vectorizer() -> TfidfVectorizer:
    """The n-gram vectorizer every profile text goes through."""
    return TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, dtype=np.float32
    )

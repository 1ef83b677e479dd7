"""The optional sentence-embedding text space: WordLlama's static embeddings.

Installed with ``pip install serendip[embeddings]``. The model's weights and
tokenizer ship inside the ``wordllama`` wheel; they are loaded from the package
folder with downloads disabled, so nothing is fetched at run time. Embeddings
place "penetration testing" near "security audit" even without shared letters,
where the default character n-grams need shared stems.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np


class EmbeddingsUnavailable(RuntimeError):
    """The ``embeddings`` extra is not installed."""


@cache
def _model() -> Any:
    try:
        import wordllama
    except ImportError as exc:  # the optional extra is missing
        raise EmbeddingsUnavailable(
            "the embeddings backend needs the extra: pip install 'serendip[embeddings]'"
        ) from exc
    # The package folder holds weights/ and tokenizers/: point the "cache" at it, no download.
    return wordllama.WordLlama.load(
        cache_dir=Path(wordllama.__file__).parent, disable_download=True
    )


class EmbeddingSpace:
    """A text space with the same two calls as the TF-IDF one: ``fit`` and ``transform``."""

    def fit(self, corpus: Sequence[str]) -> EmbeddingSpace:
        """Nothing to learn: the embeddings are pre-trained."""
        return self

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length row per text (zeros for an empty text)."""
        vectors = np.asarray(_model().embed(list(texts) or [""]), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        empty = np.array([not t.strip() for t in (list(texts) or [""])])
        unit: np.ndarray = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
        unit[empty] = 0.0
        return unit

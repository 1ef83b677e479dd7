"""The sentences of reasons and icebreakers, in French and English (the viewer's language)."""

from __future__ import annotations

REASONS = {
    "they_offer": {
        "en": "{name} offers “{offer}”, which matches what you are looking for: “{need}”.",
        "fr": "{name} propose « {offer} », qui répond à ce que vous cherchez : « {need} ».",
    },
    "you_offer": {
        "en": "{name} is looking for “{need}”; you offer “{offer}”.",
        "fr": "{name} cherche « {need} » ; vous proposez « {offer} ».",
    },
    "shared": {
        "en": "You both work on {topic}.",
        "fr": "Vous travaillez tous les deux sur {topic}.",
    },
}

ICEBREAKERS = {
    "need": {
        "en": "What would the ideal help with “{need}” look like for you?",
        "fr": "À quoi ressemblerait pour vous l’aide idéale pour « {need} » ?",
    },
    "topic_start": {
        "en": "How did you get started with {topic}?",
        "fr": "Comment avez-vous commencé à travailler sur {topic} ?",
    },
    "topic_hard": {
        "en": "What is the hardest part of {topic} in your organisation right now?",
        "fr": (
            "Qu’est-ce qui est le plus difficile avec {topic} "
            "dans votre organisation en ce moment ?"
        ),
    },
}

INTRODUCED = {"en": "{name} could introduce you.", "fr": "{name} peut vous présenter."}


def say(table: dict[str, dict[str, str]], key: str, language: str, **values: str) -> str:
    """The sentence ``key`` in ``language`` (English when the language is not French)."""
    return table[key]["fr" if language == "fr" else "en"].format(**values)

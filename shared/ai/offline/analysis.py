"""What the offline scorer found in one answer."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Analysis:
    word_count: int
    relevance: float
    skills: frozenset[str]
    relevant_skills: frozenset[str]
    job_skills: tuple[str, ...]
    job_terms: frozenset[str]  # the job description's words the answer uses beyond the question's
    names: int  # names and acronyms: NetSuite, SBAR, EXPLAIN
    numbers: int
    example: bool
    situation: bool
    action: bool
    actions: int
    result: bool
    vague_hits: int
    asides: int  # opinions and private life instead of what the candidate did
    specifics: int  # technologies and job terms beyond the question's own, numbers, names, an example
    code: bool
    kind: str  # "answer", or a non-answer from FLOORS, or one of CAPS
    language: str  # of the feedback: "en" or "de"
    injected: bool  # held instructions to the scorer, which were ignored
    repeats: int = 0  # sentences that repeated earlier ones of the answer word for word, set aside

    @property
    def structured(self) -> bool:
        return self.situation and self.action and self.result

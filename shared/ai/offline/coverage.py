"""Which of the job's requirements the answers evidenced: its duties (shared/ai/offline/duties.py), in the
description's words, and for a technical job its skills of the software vocabulary.

A duty is evidenced by an answer that scored GOOD_ENOUGH or more and is close to it: with the
sentence-embedding model, a cosine of OPEN or more (the answers' vectors are those the scorer made and
remembered, so this costs a few dot products), or ASKED_ANSWERED or more when its question asked about
that duty (the duty's words are in the question, or the question is ASKED or closer to it); without the
model, by shared word stems. The score does the sorting of good answers from off-topic, don't-know and
keyword ones (the cosines alone do not: docs/ai-evaluation.md); the model tells which duty a good answer
was about, in any language. Without it, a duty written in another language than the interview's is skipped.
A skill is evidenced as the report always did it: named in an answer that scored GOOD_ENOUGH or more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from shared.ai.language import interview_language
from shared.ai.offline import embedding
from shared.ai.offline.duties import duties_of
from shared.ai.offline.lang import content_stems, language_of
from shared.ai.offline.questions import technical
from shared.ai.skills import shown_skills, skills_of, with_implied
from shared.contracts.events import InterviewContext, ScoredAnswer

GOOD_ENOUGH = 5
# cosines calibrated on tests/ai_eval (docs/ai-evaluation.md, "Requirement coverage in the report")
OPEN = 0.25  # an answer this close to a duty is about it, whatever the question
ASKED_ANSWERED = 0.15  # ... this close, when its question asked about the duty
ASKED = 0.20  # a question this close to a duty asks about it


@dataclass(frozen=True)
class Requirement:
    name: str  # as the job description words it
    kind: Literal["duty", "skill"]
    asked: bool  # a question asked about it
    touched: bool  # an answer came close to it, whatever its score
    evidenced_by: int | None  # the number of the first good-enough answer that evidenced it


@dataclass(frozen=True)
class Coverage:
    requirements: tuple[Requirement, ...]
    method: str  # "model <name-version>" or "rules"

    @property
    def evidenced(self) -> tuple[Requirement, ...]:
        return tuple(r for r in self.requirements if r.evidenced_by is not None)


def requirement_coverage(context: InterviewContext, transcript: Sequence[ScoredAnswer]) -> Coverage:
    answered = [a for a in transcript if a.answer.strip()]
    skills = _skills(context, answered) if technical(context) else []
    duties = tuple(dict.fromkeys(duties_of(context.job_description)))
    by_model = _by_model(duties, answered) if duties and answered else None
    if by_model is not None:
        return Coverage(tuple(by_model + skills), f"model {embedding.model()}")
    written_in = language_of(context.job_description)
    if written_in is not None and written_in != interview_language(context):
        duties = ()
    return Coverage(tuple(_by_words(duties, answered) + skills), "rules")


def _skills(context: InterviewContext, answered: Sequence[ScoredAnswer]) -> list[Requirement]:
    names = [s.name for s in skills_of(context.job_description) if s.category != "soft"]
    shown = [shown_skills(a.answer) for a in answered]
    asked = set().union(*(with_implied({s.name for s in skills_of(a.question)}) for a in answered))
    return [
        Requirement(name, "skill", name in asked, any(name in s for s in shown),
                    next((a.question_number for a, s in zip(answered, shown, strict=True)
                          if name in s and a.score >= GOOD_ENOUGH), None))
        for name in names
    ]  # fmt: skip


def _asks(question: str, duty: str) -> bool:
    return duty.lower() in question.lower()


def _by_model(duties: Sequence[str], answered: Sequence[ScoredAnswer]) -> list[Requirement] | None:
    """None when the model is off."""
    import numpy as np

    questions, answers = [a.question for a in answered], [a.answer for a in answered]
    found = embedding.vectors([], cached=[*duties, *questions, *answers])
    if found is None:
        return None
    duty_vectors = np.stack(found[: len(duties)])
    asks = np.stack(found[len(duties) : len(duties) + len(questions)]) @ duty_vectors.T >= ASKED  # question x duty
    closeness = np.stack(found[len(duties) + len(questions) :]) @ duty_vectors.T  # answer x duty
    requirements = []
    for d, duty in enumerate(duties):
        asked_by = [bool(asks[i, d]) or _asks(a.question, duty) for i, a in enumerate(answered)]
        close = [float(closeness[i, d]) >= (ASKED_ANSWERED if asked_by[i] else OPEN) for i in range(len(answered))]
        by = next((a.question_number for a, near in zip(answered, close, strict=True)
                   if near and a.score >= GOOD_ENOUGH), None)  # fmt: skip
        requirements.append(Requirement(duty, "duty", any(asked_by), any(close), by))
    return requirements


def _by_words(duties: Sequence[str], answered: Sequence[ScoredAnswer]) -> list[Requirement]:
    """Shared stems: "administered the medication" evidences "administer medications safely" (two of its
    stems, or its one); a question that shares half of them asks about it ("Wie werten Sie Kennzahlen aus?")."""
    answers = [content_stems(a.answer) for a in answered]
    questions = [content_stems(a.question) for a in answered]
    requirements = []
    for duty in duties:
        stems = content_stems(duty)
        if not stems:
            continue
        in_answer, in_question = min(2, len(stems)), (len(stems) + 1) // 2
        asked = any(_asks(a.question, duty) or len(stems & q) >= in_question
                    for a, q in zip(answered, questions, strict=True))  # fmt: skip
        touched = any(len(stems & found) >= in_answer for found in answers)
        by = next((a.question_number for a, found in zip(answered, answers, strict=True)
                   if a.score >= GOOD_ENOUGH and len(stems & found) >= in_answer), None)  # fmt: skip
        requirements.append(Requirement(duty, "duty", asked, touched, by))
    return requirements

"""The read models, as pure functions of one session's folded events.

`interviews`, `answers` and `job_descriptions` are the seed's three data sets.
A session's rows are recomputed from all its stored events whenever one arrives, so
duplicates and out-of-order arrival give the same rows; `version` (the number of
events folded) lets a store refuse to overwrite newer rows with older ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel

from shared.events import Difficulty, Feedback
from shared.interview_document import InterviewDocument, interview_document, iso
from shared.session_view import SessionView


class AnswerRecord(BaseModel):
    session_id: str
    question_number: int
    question: str
    answer: str
    score: int
    feedback: Feedback
    timestamp: str
    candidate_name: str | None
    difficulty: Difficulty | None


class JobDescriptionRecord(BaseModel):
    session_id: str
    job_description: str
    candidate_name: str
    candidate_experience: int
    difficulty: Difficulty
    timestamp: str


@dataclass(frozen=True)
class SessionRows:
    session_id: str
    version: int
    interview: InterviewDocument | None = None
    answers: list[AnswerRecord] = field(default_factory=list)
    job_description: JobDescriptionRecord | None = None


def project_session(view: SessionView) -> SessionRows:
    context = view.context
    answers = [
        AnswerRecord(
            session_id=view.session_id,
            question_number=scored.question_number,
            question=scored.question,
            answer=scored.answer,
            score=scored.score,
            feedback=scored.feedback,
            timestamp=iso(scored.scored_at),
            candidate_name=context.candidate_name if context else None,
            difficulty=context.difficulty if context else None,
        )
        for _, scored in sorted(view.scores.items())
    ]
    job_description = (
        JobDescriptionRecord(
            session_id=view.session_id,
            job_description=context.job_description,
            candidate_name=context.candidate_name,
            candidate_experience=context.candidate_experience,
            difficulty=context.difficulty,
            timestamp=iso(context.started_at),
        )
        if context
        else None
    )
    return SessionRows(
        session_id=view.session_id,
        version=view.event_count,
        interview=interview_document(view),
        answers=answers,
        job_description=job_description,
    )

"""The read models, as pure functions of one session's folded events.

`interviews`, `answers` and `job_descriptions` are the seed's three data sets.
A session's rows are recomputed from all its stored events whenever one arrives, so
duplicates and out-of-order arrival give the same rows; `version` (the number of
events folded) lets a store refuse to overwrite newer rows with older ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel

from services.persistence import improvement
from services.persistence.improvement import question_facts
from shared.contracts.events import AnswerReviewedPayload, Difficulty, Feedback, HireRecommendation, Provenance
from shared.contracts.interview_document import InterviewDocument, QuestionAndAnswer, interview_document, iso
from shared.contracts.session_view import SessionView


class HumanReview(BaseModel):
    """A recruiter's review of one answer, beside the AI's score (null until reviewed)."""

    human_score: int | None = None
    human_note: str | None = None
    reviewed_by: str | None = None
    reviewed_at: str | None = None


class AnswerRecord(HumanReview):
    session_id: str
    question_number: int
    question: str
    answer: str
    score: int
    feedback: Feedback
    timestamp: str
    candidate_name: str | None
    difficulty: Difficulty | None
    provenance: Provenance | None = None  # who scored it: provider, model, prompt version
    # what question quality adds up per question (services/persistence/improvement.py)
    normalised_question: str = ""
    empty_or_unknown: bool = False
    answer_words: int = 0


class ReviewedQuestionAndAnswer(QuestionAndAnswer, HumanReview):
    pass


class ReviewedInterview(InterviewDocument):
    """The read API's interview: the seed's document plus the recruiters' reviews (which the
    candidate's own report, built from the same fold, never shows)."""

    questions_and_answers: list[ReviewedQuestionAndAnswer]
    human_verdict: HireRecommendation | None = None
    human_verdict_note: str | None = None
    human_verdict_by: str | None = None
    human_verdict_at: str | None = None


def human_review(review: AnswerReviewedPayload | None) -> dict:
    if review is None:
        return {}
    return {"human_score": review.human_score, "human_note": review.note, "reviewed_by": review.reviewer,
            "reviewed_at": iso(review.reviewed_at)}  # fmt: skip


class JobDescriptionRecord(BaseModel):
    session_id: str
    job_description: str
    candidate_name: str
    candidate_experience: int
    difficulty: Difficulty
    timestamp: str


class JobSkillRow(BaseModel):
    """One skill the session's job description names, with the interview's status and score, so
    that scores per skill are one aggregate over these rows."""

    session_id: str
    skill: str
    category: str
    status: str
    average_score: float


@dataclass(frozen=True)
class SessionRows:
    session_id: str
    version: int
    interview: InterviewDocument | None = None
    answers: list[AnswerRecord] = field(default_factory=list)
    job_description: JobDescriptionRecord | None = None
    job_skills: list[JobSkillRow] = field(default_factory=list)


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
            provenance=scored.provenance,
            **human_review(view.reviews.get(scored.question_number)),
            **question_facts({"question": scored.question, "answer": scored.answer}),
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
    interview = reviewed_interview(view)
    job_skills = job_skill_rows(context.job_description, interview) if context and interview else []
    return SessionRows(
        session_id=view.session_id,
        version=view.event_count,
        interview=interview,
        answers=answers,
        job_description=job_description,
        job_skills=job_skills,
    )


def reviewed_interview(view: SessionView) -> ReviewedInterview | None:
    document = interview_document(view)
    if document is None:
        return None
    verdict = view.verdict
    return ReviewedInterview(
        **document.model_dump(exclude={"questions_and_answers"}),
        questions_and_answers=[
            ReviewedQuestionAndAnswer(**answer.model_dump(), **human_review(view.reviews.get(answer.question_number)))
            for answer in document.questions_and_answers
        ],
        human_verdict=verdict.verdict if verdict else None,
        human_verdict_note=verdict.note if verdict else None,
        human_verdict_by=verdict.reviewer if verdict else None,
        human_verdict_at=iso(verdict.reviewed_at) if verdict else None,
    )


def job_skill_rows(job_description: str, interview: InterviewDocument) -> list[JobSkillRow]:
    return [
        JobSkillRow(session_id=interview.session_id, skill=skill, category=category, status=interview.status,
                    average_score=interview.average_score)
        for skill, category in improvement.job_skills(job_description)
    ]  # fmt: skip

"""The interview session object exactly as the seed's "Data Structure Reference"
defines it (plus `status`), built from a folded session.

It is the read API's interview, the gateway's final report and a row of the
`interviews.json` export: one definition for all three.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from shared.contracts.events import Difficulty, Evidence, Feedback, HireRecommendation, Language, Provenance
from shared.contracts.session_view import EndedBy, SessionView


class QuestionAndAnswer(BaseModel):
    question_number: int
    question: str
    answer: str
    score: int
    feedback: Feedback
    provenance: Provenance | None = None  # who scored it, with which model and prompt, and why
    evidence: list[Evidence] = []  # the spans of the answer that earned or cost points


class InterviewDocument(BaseModel):
    session_id: str
    timestamp: str
    candidate_name: str
    candidate_experience: int
    job_description: str
    difficulty: Difficulty
    started_at: str
    ended_at: str | None
    total_questions: int
    average_score: float
    individual_scores: list[int]
    questions_and_answers: list[QuestionAndAnswer]
    overall_score: float | None
    summary: str
    strengths: list[str]
    weaknesses: list[str]
    recommendations: list[str]
    hire_recommendation: HireRecommendation | None
    status: str
    completion_reason: str | None
    # who ended an interview ended early: the candidate, or the hiring team after the candidate stopped answering
    # (None: every question answered, or in progress)
    ended_by: EndedBy | None = None
    report_provenance: Provenance | None = None
    position_id: str | None = None  # started from a position's invitation
    # the interview's: its questions, feedback and report (None: started before it was recorded, when the
    # job description's language was the interview's: shared/ai/language.py)
    language: Language | None = None


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def interview_document(view: SessionView) -> InterviewDocument | None:
    """None while the session's InterviewStarted (or any event carrying its context) is unknown."""
    context = view.context
    if context is None:
        return None
    report = view.report
    completion = view.completion
    return InterviewDocument(
        session_id=view.session_id,
        timestamp=iso(view.last_event_at) or iso(context.started_at),
        candidate_name=context.candidate_name,
        candidate_experience=context.candidate_experience,
        job_description=context.job_description,
        difficulty=context.difficulty,
        started_at=iso(context.started_at),
        ended_at=iso(completion.ended_at if completion else report.ended_at if report else None),
        total_questions=context.total_questions,
        average_score=view.average_score,
        individual_scores=view.individual_scores,
        questions_and_answers=[
            QuestionAndAnswer.model_validate(answer, from_attributes=True) for answer in view.scored_transcript
        ],
        overall_score=report.overall_score if report else None,
        summary=report.summary if report else "",
        strengths=list(report.strengths) if report else [],
        weaknesses=list(report.weaknesses) if report else [],
        recommendations=list(report.recommendations) if report else [],
        hire_recommendation=report.hire_recommendation if report else None,
        status=view.status,
        completion_reason=completion.reason if completion else report.reason if report else None,
        ended_by=view.ended_by,
        report_provenance=report.provenance if report else None,
        position_id=context.position_id,
        language=context.language,
    )

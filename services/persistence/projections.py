"""The read models, as pure functions of one session's folded events.

`interviews`, `answers` and `job_descriptions` are the seed's three data sets.
A session's rows are recomputed from all its stored events whenever one arrives, so
duplicates and out-of-order arrival give the same rows; `version` (the number of
events folded) lets a store refuse to overwrite newer rows with older ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from services.persistence import improvement
from services.persistence.documents import (
    AnswerRecord,
    CandidateRequestRecord,
    DemographicRow,
    HumanVerdict,
    JobDescriptionRecord,
    JobSkillRow,
    ReportRevision,
    ReviewedInterview,
    ReviewedQuestionAndAnswer,
)
from services.persistence.improvement import question_facts
from shared.contracts.events import AnswerReviewedPayload
from shared.contracts.interview_document import InterviewDocument, interview_document, iso
from shared.contracts.session_view import SessionView


def correction(view: SessionView, question_number: int) -> dict[str, Any]:
    corrected = view.corrections.get(question_number)
    if corrected is None:
        return {}
    rescore = view.rescore_of(question_number)
    return {"corrected_answer": corrected.answer, "rescored_score": rescore.score if rescore else None,
            "rescored_feedback": rescore.feedback if rescore else None}  # fmt: skip


GRACE_SECONDS = 15  # over the time per answer before an answer counts as late: page loads, the connection


def timing(view: SessionView, question_number: int) -> dict[str, Any]:
    asked, answered = view.asked_at.get(question_number), view.answers.get(question_number)
    if answered is None:
        return {}
    if asked is None:
        return {"spoken": answered.spoken}
    taken = round(max(0.0, (answered.submitted_at - asked).total_seconds()), 1)
    allowed = view.context.seconds_per_answer if view.context else 0
    return {"seconds_taken": taken, "over_time": allowed > 0 and taken > allowed + GRACE_SECONDS,
            "spoken": answered.spoken}  # fmt: skip


def candidate_requests(view: SessionView) -> list[CandidateRequestRecord]:
    records = []
    for request in sorted(view.requests.values(), key=lambda r: (r.requested_at, r.request_id)):
        resolution = view.resolutions.get(request.request_id)
        records.append(
            CandidateRequestRecord(
                request_id=request.request_id,
                kind=request.kind,
                question_number=request.question_number,
                corrected_answer=request.corrected_answer,
                note=request.note,
                requested_at=iso(request.requested_at) or "",
                status=resolution.decision if resolution else "open",
                resolution_note=resolution.note if resolution else None,
                resolved_by=resolution.reviewer if resolution else None,
                resolved_at=iso(resolution.resolved_at) if resolution else None,
            )  # fmt: skip
        )
    return records


def human_review(review: AnswerReviewedPayload | None) -> dict[str, Any]:
    if review is None:
        return {}
    return {"human_score": review.human_score, "human_note": review.note, "reviewed_by": review.reviewer,
            "reviewed_at": iso(review.reviewed_at)}  # fmt: skip


@dataclass(frozen=True)
class SessionRows:
    session_id: str
    version: int
    interview: ReviewedInterview | None = None
    answers: list[AnswerRecord] = field(default_factory=list)
    job_description: JobDescriptionRecord | None = None
    job_skills: list[JobSkillRow] = field(default_factory=list)
    demographics: DemographicRow | None = None  # once the interview is completed


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
            evidence=list(scored.evidence),
            position_id=context.position_id if context else None,
            **human_review(view.reviews.get(scored.question_number)),
            **correction(view, scored.question_number),
            **timing(view, scored.question_number),
            **question_facts(scored.question, scored.answer),
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
        demographics=demographic_row(view, interview),
    )


def reviewed_interview(view: SessionView) -> ReviewedInterview | None:
    document, context = interview_document(view), view.context
    if document is None or context is None:
        return None
    verdict = view.verdict
    return ReviewedInterview(
        **document.model_dump(exclude={"questions_and_answers"}),
        questions_and_answers=[
            ReviewedQuestionAndAnswer(
                **answer.model_dump(),
                **human_review(view.reviews.get(answer.question_number)),
                **correction(view, answer.question_number),
                **timing(view, answer.question_number),
            )
            for answer in document.questions_and_answers
        ],  # fmt: skip
        human_verdict=verdict.verdict if verdict else None,
        human_verdict_note=verdict.note if verdict else None,
        human_verdict_by=verdict.reviewer if verdict else None,
        human_verdict_at=iso(verdict.reviewed_at) if verdict else None,
        human_verdicts=[
            HumanVerdict(
                **v.model_dump(include={"verdict", "note", "reviewer", "reviewer_id"}),
                reviewed_at=iso(v.reviewed_at) or "",
            )
            for v in view.verdicts.values()
        ],
        candidate_requests=candidate_requests(view),
        open_requests=len(view.open_requests),
        report_revision=report_revision(view),
        seconds_per_answer=context.seconds_per_answer,
        accommodations=context.accommodations,
    )


def job_skill_rows(job_description: str, interview: InterviewDocument) -> list[JobSkillRow]:
    return [
        JobSkillRow(session_id=interview.session_id, skill=skill, category=category, status=interview.status,
                    average_score=interview.average_score)
        for skill, category in improvement.job_skills(job_description)
    ]  # fmt: skip


def report_revision(view: SessionView) -> ReportRevision | None:
    revision = view.revision
    if revision is None:
        return None
    return ReportRevision(
        request_id=revision.request_id, revised_at=iso(revision.revised_at) or "",
        overall_score=revision.overall_score, average_score=revision.average_score,
        individual_scores=list(revision.individual_scores), summary=revision.summary,
        strengths=list(revision.strengths), weaknesses=list(revision.weaknesses),
        recommendations=list(revision.recommendations), hire_recommendation=revision.hire_recommendation,
    )  # fmt: skip


def demographic_row(view: SessionView, interview: InterviewDocument | None) -> DemographicRow | None:
    """The completed interview's outcome (the AI's recommendation and overall score, its latest revision's
    if a correction revised it: what an audit of the tool looks at) beside the candidate's
    self-identification, or "prefer_not_to_say" throughout."""
    if interview is None or view.report is None:
        return None
    given, outcome = view.demographics, view.revision or view.report
    return DemographicRow(
        session_id=view.session_id,
        position_id=interview.position_id,
        completed_at=interview.ended_at or interview.timestamp,
        hire_recommendation=outcome.hire_recommendation,
        overall_score=outcome.overall_score,
        sex=given.sex if given else "prefer_not_to_say",
        race_ethnicity=given.race_ethnicity if given else "prefer_not_to_say",
        age_band=given.age_band if given else "prefer_not_to_say",
        provided=given is not None,
    )

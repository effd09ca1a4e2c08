"""What the exporter writes: one row per interview and one per answer, from the seed's
interview object (the read API's, or one folded from a ReportGenerated event)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from shared.contracts.events import Event, ReportGenerated, ReportGeneratedPayload, ReportRevised, ReportRevisedPayload
from shared.contracts.interview_document import interview_document
from shared.contracts.session_view import fold_session

INTERVIEWS = "Interviews"
ANSWERS = "Answers"
INTERVIEW_HEADER = [
    "session_id", "timestamp", "candidate_name", "candidate_experience", "difficulty", "average_score",
    "overall_score", "hire_recommendation", "summary", "strengths", "weaknesses", "recommendations",
    "started_at", "ended_at", "total_questions", "individual_scores",
]  # fmt: skip
ANSWER_HEADER = [
    "session_id", "question_number", "question", "answer", "score", "strengths", "improvements", "candidate_name",
]  # fmt: skip
Cell = str | int | float
REVISED = ("overall_score", "average_score", "individual_scores", "summary", "strengths", "weaknesses",
           "recommendations", "hire_recommendation")  # fmt: skip


@dataclass(frozen=True)
class InterviewRows:
    session_id: str
    interview: list[Cell]
    answers: list[list[Cell]]  # in question order


def _joined(items: list[str] | None) -> str:
    return "; ".join(items or [])


def rows_of(document: dict[str, Any]) -> InterviewRows:
    """The rows of a read API interview document; its report's revision, where a correction was upheld, is
    its outcome (the manual export then agrees with the automatic one)."""
    if revision := document.get("report_revision"):
        document = document | {field: revision[field] for field in REVISED if field in revision}
    interview = [
        document["session_id"],
        document["timestamp"],
        document["candidate_name"],
        document["candidate_experience"],
        document["difficulty"],
        document["average_score"],
        document["overall_score"] if document.get("overall_score") is not None else "",
        document.get("hire_recommendation") or "",
        document.get("summary", ""),
        _joined(document.get("strengths")),
        _joined(document.get("weaknesses")),
        _joined(document.get("recommendations")),
        document["started_at"],
        document.get("ended_at") or "",
        document["total_questions"],
        " ".join(str(score) for score in document.get("individual_scores", [])),
    ]
    answers = [
        [
            document["session_id"],
            entry["question_number"],
            entry["question"],
            entry["answer"],
            entry["score"],
            _joined(entry["feedback"].get("strengths")),
            _joined(entry["feedback"].get("improvements")),
            document["candidate_name"],
        ]
        for entry in document["questions_and_answers"]
    ]
    return InterviewRows(document["session_id"], interview, answers)


def rows_of_report(event: ReportGenerated) -> InterviewRows:
    """The report event carries the whole interview: fold it alone into the seed's object."""
    document = interview_document(fold_session(event.session_id, [event]))
    assert document is not None  # the report carries the interview's context
    return rows_of(document.model_dump(mode="json"))


def outcome(event: ReportGenerated | ReportRevised, stored: Sequence[Event]) -> ReportGenerated:
    """The report the interview's rows show, given the event in hand and the session's stored events: the
    revision of the request upheld last, as the read API has it (a first report delivered late, a retry or
    a re-drive, must not undo it); else the report. A revision not among the stored ones (its request's
    resolution, or itself, not stored yet) stands for itself: scoring revises upheld requests only."""
    view = fold_session(event.session_id, [*stored, event])
    latest = view.revision
    if isinstance(event, ReportRevised) and event.payload.request_id not in view.revisions:
        latest = event.payload
    if latest is not None:
        return revised_report(event.session_id, latest)
    assert isinstance(event, ReportGenerated)  # a ReportRevised always leaves `latest` set
    return event


def revised_report(session_id: str, revision: ReportRevisedPayload) -> ReportGenerated:
    """A revised report (the transcript as corrected, its scores and the report written again) as the
    ReportGenerated it stands in for, so that its rows are the interview's outcome."""
    payload = ReportGeneratedPayload.model_validate(
        {name: getattr(revision, name) for name in ReportGeneratedPayload.model_fields}
    )
    return ReportGenerated(event_id=uuid.uuid4(), session_id=session_id, occurred_at=revision.revised_at,
                           producer="exporter", payload=payload)  # fmt: skip

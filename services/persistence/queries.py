"""What the read API can ask a store: filters, sorting and paging, independent of the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

StatusFilter = Literal["completed", "in_progress", "all"]
InterviewSort = Literal[
    "timestamp", "started_at", "average_score", "overall_score", "candidate_name", "candidate_experience"
]
DataSet = Literal["interviews", "answers", "job_descriptions"]  # the seed's three files
MAX_PAGE = 1000


@dataclass(frozen=True)
class Page:
    limit: int = 100
    offset: int = 0


@dataclass(frozen=True)
class AuditQuery:
    actor: str | None = None
    target: str | None = None
    action: str | None = None
    since: str | None = None  # ISO 8601
    page: Page = Page()


NO_VERDICT = "none"  # the human_verdict filter's value for an interview nobody has decided on yet


@dataclass(frozen=True)
class InterviewQuery:
    status: StatusFilter = "completed"
    hire_recommendation: tuple[str, ...] = ()
    human_verdict: tuple[str, ...] = ()  # anyone's verdict on the team among these, or NO_VERDICT: nobody's yet
    difficulty: tuple[str, ...] = ()
    min_score: float | None = None
    max_score: float | None = None
    min_experience: int | None = None
    max_experience: int | None = None
    started_from: datetime | None = None
    started_to: datetime | None = None
    name_contains: str | None = None
    position_id: str | None = None
    open_requests: bool | None = None  # True: with a candidate's request open; False: with none
    sort: InterviewSort = "timestamp"
    descending: bool = True
    page: Page = Page()


@dataclass(frozen=True)
class AnswerQuery:
    session_id: str | None = None
    question_contains: str | None = None
    min_score: int | None = None
    max_score: int | None = None
    page: Page = Page()


@dataclass(frozen=True)
class JobDescriptionQuery:
    contains: str | None = None
    page: Page = Page()

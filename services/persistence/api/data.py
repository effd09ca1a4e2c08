"""The seed's three endpoints, with paging, sorting and filters, and the other two data sets."""

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel

from services.persistence.api.dependencies import SearchText, StoreDep, check_range, moment
from services.persistence.documents import AnswerRecord, JobDescriptionRecord, ReviewedInterview
from services.persistence.queries import (
    MAX_PAGE,
    AnswerQuery,
    InterviewQuery,
    InterviewSort,
    JobDescriptionQuery,
    Page,
    StatusFilter,
)
from services.persistence.rows import Statistics
from shared.contracts.events import Difficulty, HireRecommendation
from shared.platform.http_types import PositionQuery, SessionIdPath, SessionIdQuery

router = APIRouter(prefix="/api/data", tags=["data"])
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"Page size, 1 to {MAX_PAGE}")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Rows to skip (filter rather than page deeper)")]


class Paged(BaseModel):
    total: int
    limit: int
    offset: int


class InterviewPage(Paged):
    interviews: list[ReviewedInterview]


class AnswerPage(Paged):
    answers: list[AnswerRecord]


class JobDescriptionPage(Paged):
    job_descriptions: list[JobDescriptionRecord]


@router.get("/interviews", response_model=InterviewPage)
async def list_interviews(
    store: StoreDep,
    limit: Limit = 100,
    offset: Offset = 0,
    status: Annotated[
        StatusFilter, Query(description="Completed interviews (the seed's data set) by default")
    ] = "completed",
    sort: InterviewSort = "timestamp",
    order: Literal["asc", "desc"] = "desc",
    hire_recommendation: Annotated[list[HireRecommendation] | None, Query(description="Repeat for several")] = None,
    human_verdict: Annotated[
        list[Literal["strong yes", "yes", "maybe", "no", "none"]] | None,  # HireRecommendation's, or none
        Query(description="Anyone's verdict on the hiring team (none: nobody has decided yet); repeat for several"),
    ] = None,
    difficulty: Annotated[list[Difficulty] | None, Query(description="Repeat for several")] = None,
    min_score: Annotated[
        float | None, Query(ge=0, le=10, allow_inf_nan=False, description="average_score at least")
    ] = None,
    max_score: Annotated[
        float | None, Query(ge=0, le=10, allow_inf_nan=False, description="average_score at most")
    ] = None,
    min_experience: Annotated[int | None, Query(ge=0, le=60)] = None,
    max_experience: Annotated[int | None, Query(ge=0, le=60)] = None,
    started_from: Annotated[str | None, Query(description="ISO 8601 date or date-time; UTC if no offset")] = None,
    started_to: Annotated[str | None, Query(description="ISO 8601; a date alone includes that whole day")] = None,
    name: Annotated[SearchText | None, Query(description="Candidate name contains (any case)")] = None,
    position_id: PositionQuery = None,
    open_requests: Annotated[
        bool | None, Query(description="true: only interviews with a candidate's request waiting for a reviewer")
    ] = None,
) -> InterviewPage:
    earliest = moment("started_from", started_from)
    latest = moment("started_to", started_to, end_of_day=True)
    check_range("score", min_score, max_score)
    check_range("experience", min_experience, max_experience)
    check_range("started", earliest, latest)
    query = InterviewQuery(
        status=status,
        hire_recommendation=tuple(hire_recommendation or ()),
        human_verdict=tuple(human_verdict or ()),
        difficulty=tuple(difficulty or ()),
        min_score=min_score,
        max_score=max_score,
        min_experience=min_experience,
        max_experience=max_experience,
        open_requests=open_requests,
        started_from=earliest,
        started_to=latest,
        name_contains=name or None,
        position_id=position_id,
        sort=sort,
        descending=order == "desc",
        page=Page(limit, offset),
    )
    total, interviews = await store.list_interviews(query)
    return InterviewPage(total=total, limit=limit, offset=offset, interviews=interviews)


@router.get("/statistics", response_model=Statistics)
async def statistics(store: StoreDep, position_id: PositionQuery = None) -> Statistics:
    figures = await store.statistics(position_id)
    return figures.model_copy(update={"average_score": round(figures.average_score, 2)})


@router.get("/interview/{session_id}", response_model=ReviewedInterview)
async def get_interview(store: StoreDep, session_id: SessionIdPath) -> ReviewedInterview:
    interview = await store.get_interview(session_id)
    if interview is None:
        raise HTTPException(404, f"No interview with session_id '{session_id}'")
    return interview


@router.get("/answers", response_model=AnswerPage)
async def list_answers(
    store: StoreDep,
    limit: Limit = 100,
    offset: Offset = 0,
    session_id: SessionIdQuery = None,
    question: Annotated[SearchText | None, Query(description="Question contains (any case)")] = None,
    min_score: Annotated[int | None, Query(ge=0, le=10)] = None,
    max_score: Annotated[int | None, Query(ge=0, le=10)] = None,
) -> AnswerPage:
    check_range("score", min_score, max_score)
    query = AnswerQuery(session_id, question or None, min_score, max_score, Page(limit, offset))
    total, answers = await store.list_answers(query)
    return AnswerPage(total=total, limit=limit, offset=offset, answers=answers)


@router.get("/job-descriptions", response_model=JobDescriptionPage)
async def list_job_descriptions(
    store: StoreDep,
    limit: Limit = 100,
    offset: Offset = 0,
    contains: Annotated[SearchText | None, Query(description="Job description contains (any case)")] = None,
) -> JobDescriptionPage:
    total, rows = await store.list_job_descriptions(JobDescriptionQuery(contains or None, Page(limit, offset)))
    return JobDescriptionPage(total=total, limit=limit, offset=offset, job_descriptions=rows)

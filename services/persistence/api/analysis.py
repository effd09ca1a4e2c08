"""The seed's four analyses ("Data Analysis Examples"), computed by the database."""

from typing import Annotated, TypeVar

from fastapi import APIRouter, Query
from pydantic import BaseModel

from services.persistence.api.dependencies import StoreDep
from services.persistence.rows import (
    DayCount,
    ExperienceScore,
    QuestionScore,
    TopPerformer,
    WeaknessCount,
)
from shared.platform.http_types import PositionQuery

router = APIRouter(prefix="/api/data/analysis", tags=["analysis"])
R = TypeVar("R", ExperienceScore, QuestionScore)


class TopPerformers(BaseModel):
    top_performers: list[TopPerformer]


class ByExperience(BaseModel):
    by_experience: list[ExperienceScore]


class Weaknesses(BaseModel):
    weaknesses: list[WeaknessCount]


class QuestionScores(BaseModel):
    questions: list[QuestionScore]


class Bucket(BaseModel):
    bucket: int
    label: str
    interviews: int


class Buckets(BaseModel):
    buckets: list[Bucket]


class Days(BaseModel):
    days: list[DayCount]


def rounded(rows: list[R]) -> list[R]:
    return [row.model_copy(update={"average_score": round(row.average_score, 2)}) for row in rows]


@router.get("/top-performers")
async def top_performers(
    store: StoreDep, limit: Annotated[int, Query(ge=1, le=100)] = 5, position_id: PositionQuery = None
) -> TopPerformers:
    """Completed interviews with the highest average_score (Example 1)."""
    return TopPerformers(top_performers=await store.top_performers(limit, position_id))


@router.get("/score-by-experience")
async def score_by_experience(store: StoreDep, position_id: PositionQuery = None) -> ByExperience:
    """Mean average_score and number of completed interviews per years of experience (Example 2)."""
    return ByExperience(by_experience=rounded(await store.score_by_experience(position_id)))


@router.get("/common-weaknesses")
async def common_weaknesses(
    store: StoreDep, limit: Annotated[int, Query(ge=1, le=100)] = 5, position_id: PositionQuery = None
) -> Weaknesses:
    """The weaknesses named most often in completed interviews' reports (Example 3)."""
    return Weaknesses(weaknesses=await store.common_weaknesses(limit, position_id))


@router.get("/question-effectiveness")
async def question_effectiveness(
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    min_answers: Annotated[
        int, Query(ge=1, le=1_000_000, description="Only questions answered at least this often")
    ] = 1,
    position_id: PositionQuery = None,
) -> QuestionScores:
    """Average score per question text over every stored answer, highest first (Example 4)."""
    return QuestionScores(questions=rounded(await store.question_effectiveness(limit, min_answers, position_id)))


@router.get("/score-distribution")
async def score_distribution(store: StoreDep, position_id: PositionQuery = None) -> Buckets:
    """Completed interviews per average-score bucket: bucket n holds scores from n up to n + 1 (9 holds 10)."""
    counts = {row.bucket: row.interviews for row in await store.score_distribution(position_id)}
    return Buckets(buckets=[Bucket(bucket=n, label=f"{n}-{n + 1}", interviews=counts.get(n, 0)) for n in range(10)])


@router.get("/interviews-over-time")
async def interviews_over_time(store: StoreDep, position_id: PositionQuery = None) -> Days:
    """Interviews started per day (UTC), and how many of them are completed."""
    return Days(days=await store.interviews_over_time(position_id))

"""The seed's four analyses ("Data Analysis Examples"), computed by the database."""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from services.persistence.api.dependencies import StoreDep

router = APIRouter(prefix="/api/data/analysis", tags=["analysis"])


def rounded(rows: list[dict], field: str = "average_score") -> list[dict]:
    return [row | {field: round(row[field], 2)} for row in rows]


@router.get("/top-performers")
async def top_performers(
    store: StoreDep, limit: Annotated[int, Query(ge=1, le=100)] = 5
) -> dict[str, list[dict[str, Any]]]:
    """Completed interviews with the highest average_score (Example 1)."""
    return {"top_performers": await store.top_performers(limit)}


@router.get("/score-by-experience")
async def score_by_experience(store: StoreDep) -> dict[str, list[dict[str, Any]]]:
    """Mean average_score and number of completed interviews per years of experience (Example 2)."""
    return {"by_experience": rounded(await store.score_by_experience())}


@router.get("/common-weaknesses")
async def common_weaknesses(
    store: StoreDep, limit: Annotated[int, Query(ge=1, le=100)] = 5
) -> dict[str, list[dict[str, Any]]]:
    """The weaknesses named most often in completed interviews' reports (Example 3)."""
    return {"weaknesses": await store.common_weaknesses(limit)}


@router.get("/question-effectiveness")
async def question_effectiveness(
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    min_answers: Annotated[
        int, Query(ge=1, le=1_000_000, description="Only questions answered at least this often")
    ] = 1,
) -> dict[str, list[dict[str, Any]]]:
    """Average score per question text over every stored answer, highest first (Example 4)."""
    return {"questions": rounded(await store.question_effectiveness(limit, min_answers))}


@router.get("/score-distribution")
async def score_distribution(store: StoreDep) -> dict[str, list[dict[str, Any]]]:
    """Completed interviews per average-score bucket: bucket n holds scores from n up to n + 1 (9 holds 10)."""
    counts = {row["bucket"]: row["interviews"] for row in await store.score_distribution()}
    return {"buckets": [{"bucket": n, "label": f"{n}-{n + 1}", "interviews": counts.get(n, 0)} for n in range(10)]}


@router.get("/interviews-over-time")
async def interviews_over_time(store: StoreDep) -> dict[str, list[dict[str, Any]]]:
    """Interviews started per day (UTC), and how many of them are completed."""
    return {"days": await store.interviews_over_time()}

"""Improving the interviewer from its data (the seed's "Benefits for Bot Improvement"): AI scores
against people's, questions that confuse candidates, job-description skills that go with higher or
lower scores, and a fine-tuning dataset.

Computed on request from the stores' exports (a pass over every answer: fine for tens of thousands
of answers; the place for a maintained read model if that grows).
"""

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from services.persistence import improvement, training
from services.persistence.api.dependencies import StoreDep
from services.persistence.store import Store

router = APIRouter(prefix="/api/data", tags=["improvement"])


async def _all(store: Store, data_set: str) -> list[dict[str, Any]]:
    return [document async for document in store.export(data_set)]


@router.get("/analysis/calibration")
async def calibration(
    store: StoreDep,
    minimum: Annotated[int, Query(ge=2, le=10_000, description="Reviewed answers a group needs for statistics")] = 10,
) -> dict[str, Any]:
    """AI scores against people's scores (answers reviewed through the review endpoint): mean absolute
    error, mean bias (AI minus human), Spearman correlation, exact and within-one agreement and
    quadratic-weighted kappa, overall and by difficulty, question, provider and prompt version.
    A group with fewer than `minimum` reviewed answers says so (`enough_data: false`) instead."""
    return improvement.calibration(await _all(store, "answers"), minimum=minimum)


@router.get("/analysis/question-quality")
async def question_quality(
    store: StoreDep,
    min_asked: Annotated[int, Query(ge=1, le=10_000, description="Times asked before a question is judged")] = 3,
) -> dict[str, Any]:
    """Per question (normalised text): times asked, average score and spread, the share of empty or
    "I don't know" answers, average answer length; questions that confuse candidates are flagged."""
    return {"questions": improvement.question_quality(await _all(store, "answers"), min_asked=min_asked)}


@router.get("/analysis/job-description-skills")
async def job_description_skills(
    store: StoreDep,
    min_interviews: Annotated[int, Query(ge=1, le=10_000, description="Interviews a skill needs to be listed")] = 3,
) -> dict[str, Any]:
    """Skills named in job descriptions, with the average score of the completed interviews whose
    job description names them, against the overall average."""
    return improvement.job_description_skills(
        await _all(store, "interviews"), await _all(store, "job_descriptions"), min_interviews=min_interviews
    )


@router.get("/export/training.jsonl")
async def training_data(
    store: StoreDep,
    anonymise: Annotated[bool, Query(description="Replace candidates' names with 'the candidate'")] = True,
) -> StreamingResponse:
    """Every scored answer as an OpenAI chat fine-tuning example (JSON Lines): the job, the question and
    the answer in, the score and feedback out, the human score where a person reviewed it. Erased
    candidates are not in the store, so not in the file."""
    job_descriptions = {document["session_id"]: document async for document in store.export("job_descriptions")}

    async def lines() -> AsyncIterator[bytes]:
        batch = []
        async for answer in store.export("answers"):
            batch.append(answer)
            if len(batch) == 500:
                yield "".join(training.jsonl(training.training_examples(batch, job_descriptions, anonymise))).encode()
                batch = []
        yield "".join(training.jsonl(training.training_examples(batch, job_descriptions, anonymise))).encode()

    return StreamingResponse(
        lines(),
        media_type="application/jsonl",
        headers={"Content-Disposition": 'attachment; filename="training.jsonl"'},
    )

"""Improving the interviewer from its data (the seed's "Benefits for Bot Improvement"): AI scores
against people's, questions that confuse candidates, job-description skills that go with higher or
lower scores, and a fine-tuning dataset.

The stores add up what each analysis needs in the database (per question, per skill; calibration reads
only the reviewed answers); the statistics are computed from those sums (services/persistence/improvement.py).
"""

from collections.abc import AsyncIterator
from typing import Annotated, Any, cast

from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import StreamingResponse

from services.persistence import improvement, shadow, training
from services.persistence.api.dependencies import StoreDep
from services.persistence.documents import AnswerRecord

router = APIRouter(prefix="/api/data", tags=["improvement"])
TRAINING_BATCH = 500
SHADOW_RUN_ID = r"^shadow-[a-z0-9]{1,40}$"


@router.get("/analysis/calibration")
async def calibration(
    store: StoreDep,
    minimum: Annotated[int, Query(ge=2, le=10_000, description="Reviewed answers a group needs for statistics")] = 10,
) -> dict[str, Any]:
    """AI scores against people's scores (answers reviewed through the review endpoint): mean absolute
    error, mean bias (AI minus human), Spearman correlation, exact and within-one agreement and
    quadratic-weighted kappa, overall and by difficulty, question, provider and prompt version.
    A group with fewer than `minimum` reviewed answers says so (`enough_data: false`) instead."""
    return improvement.calibration([answer async for answer in store.reviewed_answers()], minimum=minimum)


@router.get("/analysis/shadow")
async def shadow_runs(store: StoreDep) -> dict[str, Any]:
    """The shadow runs (docs/shadow-scoring.md), newest first: what scored again and how many answers."""
    runs = [shadow.summary(record.document) for record in await store.list_records("shadow")]
    return {"runs": sorted(runs, key=lambda run: run.get("started_at") or "", reverse=True)}


@router.get("/analysis/shadow/{run_id}")
async def shadow_run(store: StoreDep, run_id: Annotated[str, Path(pattern=SHADOW_RUN_ID)]) -> dict[str, Any]:
    """One shadow run: how far its scores moved from the ones the answers have, the old and the new scores'
    agreement with people's (the answers reviewed now) side by side, and each answer's pair of scores."""
    record = await store.get_record("shadow", run_id)
    if record is None:
        raise HTTPException(status_code=404, detail="No such shadow run")
    return shadow.report(record.document, shadow.human_scores([a async for a in store.reviewed_answers()]))


@router.get("/analysis/question-quality")
async def question_quality(
    store: StoreDep,
    min_asked: Annotated[int, Query(ge=1, le=10_000, description="Times asked before a question is judged")] = 3,
) -> dict[str, Any]:
    """Per question (normalised text): times asked, average score and spread, the share of empty or
    "I don't know" answers, average answer length; questions that confuse candidates are flagged."""
    return {"questions": improvement.question_quality_from_sums(await store.question_sums(), min_asked=min_asked)}


@router.get("/analysis/job-description-skills")
async def job_description_skills(
    store: StoreDep,
    min_interviews: Annotated[int, Query(ge=1, le=10_000, description="Interviews a skill needs to be listed")] = 3,
) -> dict[str, Any]:
    """Skills named in job descriptions, with the average score of the completed interviews whose
    job description names them, against the overall average."""
    return improvement.job_description_skills_from_sums(await store.skill_sums(), min_interviews=min_interviews)


@router.get("/export/training.jsonl")
async def training_data(
    store: StoreDep,
    anonymise: Annotated[bool, Query(description="Replace candidates' names with 'the candidate'")] = True,
) -> StreamingResponse:
    """Every scored answer as an OpenAI chat fine-tuning example (JSON Lines): the job, the question and
    the answer in, the score and feedback out, the human score where a person reviewed it. Erased
    candidates are not in the store, so not in the file."""

    async def examples(batch: list[AnswerRecord]) -> bytes:
        job_descriptions = await store.job_descriptions_of(sorted({answer.session_id for answer in batch}))
        return "".join(training.jsonl(training.training_examples(batch, job_descriptions, anonymise))).encode()

    async def lines() -> AsyncIterator[bytes]:
        batch: list[AnswerRecord] = []  # in batches, each with its own job descriptions: memory stays bounded
        async for answer in cast(AsyncIterator[AnswerRecord], store.export("answers")):
            batch.append(answer)
            if len(batch) == TRAINING_BATCH:
                yield await examples(batch)
                batch = []
        if batch:
            yield await examples(batch)

    return StreamingResponse(
        lines(),
        media_type="application/jsonl",
        headers={"Content-Disposition": 'attachment; filename="training.jsonl"'},
    )

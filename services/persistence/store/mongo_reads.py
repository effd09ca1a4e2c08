"""The MongoDB store's reads: the read API's pages, filters and sorts, the exports, the statistics
and the analyses as aggregation pipelines. A mixin of MongoStore (its collections in `_c`)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any, TypeVar

from pydantic import BaseModel
from pymongo import ASCENDING, DESCENDING

from services.persistence.documents import (
    AnswerRecord,
    DemographicRow,
    Document,
    JobDescriptionRecord,
    ReviewedInterview,
)
from services.persistence.queries import (
    NO_VERDICT,
    AnswerQuery,
    AuditQuery,
    DataSet,
    InterviewQuery,
    JobDescriptionQuery,
    Page,
)
from services.persistence.recruiting import Kind, Record
from services.persistence.rows import (
    AuditEntry,
    DayCount,
    ExperienceScore,
    QuestionScore,
    QuestionSums,
    ScoreBucket,
    SignIn,
    SkillSums,
    SkillTotals,
    Statistics,
    TopPerformer,
    WeaknessCount,
)

M = TypeVar("M", bound=BaseModel)
Pipeline = list[dict[str, Any]]

HIDDEN = {"_id": 0, "_version": 0}
# Each sort of the read API ends with session_id as tie-breaker: the indexes carry it too, in the
# sort's own directions (tests/integration/test_stores.py checks every sort below has its index).
ANSWERS_NEWEST_FIRST = [("timestamp", DESCENDING), ("session_id", ASCENDING), ("question_number", ASCENDING)]
JOB_DESCRIPTIONS_NEWEST_FIRST = [("timestamp", DESCENDING), ("session_id", ASCENDING)]
BEST_FIRST = [("average_score", DESCENDING), ("session_id", ASCENDING)]  # of completed interviews
REVIEWED = {"human_score": {"$gte": 0}}  # the reviewed answers (the partial index's filter)
EXPORTS: dict[str, tuple[type[Document], dict[str, Any], list[tuple[str, int]]]] = {
    "interviews": (ReviewedInterview, {"status": "completed"}, [("started_at", ASCENDING), ("session_id", ASCENDING)]),
    "answers": (
        AnswerRecord,
        {},
        [("timestamp", ASCENDING), ("session_id", ASCENDING), ("question_number", ASCENDING)],
    ),
    "job_descriptions": (JobDescriptionRecord, {}, [("timestamp", ASCENDING), ("session_id", ASCENDING)]),
}

# average_score in hundredths: summed as integers, the statistics come out exactly as in SQLite
CENTIS = {"$multiply": ["$average_score", 100]}


class MongoReads:
    _c: dict[str, Any]

    async def list_interviews(self, query: InterviewQuery) -> tuple[int, list[ReviewedInterview]]:
        direction = DESCENDING if query.descending else ASCENDING
        sort = [(query.sort, direction), ("session_id", direction)]
        return await self._page(ReviewedInterview, "interviews", _interview_filter(query), sort, query.page)

    async def get_interview(self, session_id: str) -> ReviewedInterview | None:
        document = await self._c["interviews"].find_one({"_id": session_id}, HIDDEN)
        return ReviewedInterview.model_validate(document) if document else None

    async def list_answers(self, query: AnswerQuery) -> tuple[int, list[AnswerRecord]]:
        match: dict[str, Any] = {}
        if query.session_id is not None:
            match["session_id"] = query.session_id
        if query.question_contains:
            match["question"] = {"$regex": re.escape(query.question_contains), "$options": "i"}
        _add_range(match, "score", query.min_score, query.max_score)
        return await self._page(AnswerRecord, "answers", match, ANSWERS_NEWEST_FIRST, query.page)

    async def list_job_descriptions(self, query: JobDescriptionQuery) -> tuple[int, list[JobDescriptionRecord]]:
        match = {"job_description": {"$regex": re.escape(query.contains), "$options": "i"}} if query.contains else {}
        return await self._page(
            JobDescriptionRecord, "job_descriptions", match, JOB_DESCRIPTIONS_NEWEST_FIRST, query.page
        )

    async def _page(
        self, model: type[M], name: str, match: dict[str, Any], sort: list[tuple[str, int]], page: Page
    ) -> tuple[int, list[M]]:
        total = await self._c[name].count_documents(match)
        cursor = self._c[name].find(match, HIDDEN).sort(sort).skip(page.offset).limit(page.limit)
        return total, [model.model_validate(document) async for document in cursor]

    async def export(self, data_set: DataSet) -> AsyncIterator[Document]:
        model, match, sort = EXPORTS[data_set]
        async for document in self._c[data_set].find(match, HIDDEN, allow_disk_use=True).sort(sort):
            yield model.model_validate(document)

    async def statistics(self, position_id: str | None = None) -> Statistics:
        scope = _position(position_id)
        pipeline: Pipeline = [
            {"$match": {"status": "completed"} | scope},
            {"$group": {"_id": None, "n": {"$sum": 1}, "centis": {"$sum": CENTIS}, "q": {"$sum": "$total_questions"}}},
        ]
        totals = await self._aggregate("interviews", pipeline)
        completed = totals[0] if totals else {"n": 0, "centis": 0, "q": 0}
        return Statistics(
            total_interviews=completed["n"],
            average_score=round(completed["centis"]) / completed["n"] / 100 if completed["n"] else 0.0,
            total_questions=completed["q"],
            total_answers=await self._c["answers"].count_documents(scope),
            interviews_in_progress=await self._c["interviews"].count_documents({"status": "in_progress"} | scope),
        )

    async def demographic_rows(self, position_id: str | None = None) -> list[DemographicRow]:
        cursor = self._c["demographics"].find(_position(position_id), {"_version": 0})
        return [
            DemographicRow.model_validate(document)
            async for document in cursor.sort([("completed_at", ASCENDING), ("_id", ASCENDING)])
        ]

    async def top_performers(self, limit: int, position_id: str | None = None) -> list[TopPerformer]:
        fields = ("session_id", "candidate_name", "candidate_experience", "difficulty", "average_score",
                  "overall_score", "hire_recommendation", "timestamp", "completion_reason", "position_id")  # fmt: skip
        cursor = (
            self._c["interviews"]
            .find({"status": "completed"} | _position(position_id), {"_id": 0, **dict.fromkeys(fields, 1)})
            .sort(BEST_FIRST)
            .limit(limit)
        )
        return [TopPerformer.model_validate(document) async for document in cursor]

    async def score_by_experience(self, position_id: str | None = None) -> list[ExperienceScore]:
        pipeline: Pipeline = [
            {"$match": {"status": "completed"} | _position(position_id)},
            {"$group": {"_id": "$candidate_experience", "centis": {"$sum": CENTIS}, "interviews": {"$sum": 1}}},
            {"$sort": {"_id": 1}},
        ]
        return [
            ExperienceScore(candidate_experience=g["_id"], average_score=round(g["centis"]) / g["interviews"] / 100,
                            interviews=g["interviews"])
            for g in await self._aggregate("interviews", pipeline)
        ]  # fmt: skip

    async def common_weaknesses(self, limit: int, position_id: str | None = None) -> list[WeaknessCount]:
        pipeline: Pipeline = [
            {"$match": {"status": "completed"} | _position(position_id)},
            {"$unwind": "$weaknesses"},
            {"$group": {"_id": "$weaknesses", "count": {"$sum": 1}}},
            {"$sort": {"count": -1, "_id": 1}},
            {"$limit": limit},
        ]
        groups = await self._aggregate("interviews", pipeline)
        return [WeaknessCount(weakness=g["_id"], count=g["count"]) for g in groups]

    async def question_effectiveness(
        self, limit: int, min_answers: int, position_id: str | None = None
    ) -> list[QuestionScore]:
        pipeline: Pipeline = [
            {"$match": _position(position_id)},
            {"$group": {"_id": "$question", "average_score": {"$avg": "$score"}, "answers": {"$sum": 1}}},
            {"$match": {"answers": {"$gte": min_answers}}},
            {"$sort": {"average_score": -1, "_id": 1}},
            {"$limit": limit},
        ]
        groups = await self._aggregate("answers", pipeline)
        return [
            QuestionScore(question=g["_id"], average_score=g["average_score"], answers=g["answers"]) for g in groups
        ]

    async def score_distribution(self, position_id: str | None = None) -> list[ScoreBucket]:
        pipeline: Pipeline = [
            {"$match": {"status": "completed"} | _position(position_id)},
            {"$group": {"_id": {"$floor": "$average_score"}, "interviews": {"$sum": 1}}},
        ]
        buckets: dict[int, int] = {}
        for group in await self._aggregate("interviews", pipeline):
            bucket = min(int(group["_id"]), 9)
            buckets[bucket] = buckets.get(bucket, 0) + group["interviews"]
        return [ScoreBucket(bucket=bucket, interviews=count) for bucket, count in sorted(buckets.items())]

    async def interviews_over_time(self, position_id: str | None = None) -> list[DayCount]:
        pipeline: Pipeline = [
            {"$match": _position(position_id)},
            {"$group": {
                "_id": {"$substr": ["$started_at", 0, 10]}, "interviews": {"$sum": 1},
                "completed": {"$sum": {"$cond": [{"$eq": ["$status", "completed"]}, 1, 0]}},
            }},
            {"$sort": {"_id": 1}},
        ]  # fmt: skip
        return [DayCount(date=g["_id"], interviews=g["interviews"], completed=g["completed"])
                for g in await self._aggregate("interviews", pipeline)]  # fmt: skip

    async def reviewed_answers(self) -> AsyncIterator[AnswerRecord]:
        sort = EXPORTS["answers"][2]
        async for document in self._c["answers"].find(REVIEWED, HIDDEN).sort(sort):
            yield AnswerRecord.model_validate(document)

    async def job_descriptions_of(self, session_ids: list[str]) -> dict[str, JobDescriptionRecord]:
        cursor = self._c["job_descriptions"].find({"session_id": {"$in": session_ids}}, HIDDEN)
        return {document["session_id"]: JobDescriptionRecord.model_validate(document) async for document in cursor}

    async def question_sums(self) -> list[QuestionSums]:
        pipeline: Pipeline = [
            {"$group": {
                "_id": {"normalised_question": "$normalised_question", "question": "$question"},
                "asked": {"$sum": 1},
                "score_sum": {"$sum": "$score"},
                "score_squares": {"$sum": {"$multiply": ["$score", "$score"]}},
                "empty_or_unknown": {"$sum": {"$cond": ["$empty_or_unknown", 1, 0]}},
                "answer_words": {"$sum": "$answer_words"},
            }},
        ]  # fmt: skip
        return [QuestionSums.model_validate(g.pop("_id") | g) for g in await self._aggregate("answers", pipeline)]

    async def skill_sums(self) -> SkillTotals:
        pipeline: Pipeline = [
            {"$match": {"status": "completed"}},
            {"$group": {"_id": {"skill": "$skill", "category": "$category"}, "interviews": {"$sum": 1},
                        "score_sum": {"$sum": "$average_score"}}},
        ]  # fmt: skip
        groups = await self._aggregate("job_description_skills", pipeline)
        skills = [SkillSums.model_validate(g.pop("_id") | g) for g in groups]
        pipeline = [
            {"$match": {"status": "completed"}},
            {"$group": {"_id": None, "n": {"$sum": 1}, "total": {"$sum": "$average_score"}}},
        ]
        overall = await self._aggregate("interviews", pipeline)
        return SkillTotals(
            skills=skills,
            interviews=overall[0]["n"] if overall else 0,
            score_sum=overall[0]["total"] if overall else 0.0,
        )

    async def list_audit(self, query: AuditQuery) -> tuple[int, list[AuditEntry]]:
        match: dict[str, Any] = {k: v for k, v in (("actor", query.actor), ("target", query.target),
                                                   ("action", query.action)) if v}  # fmt: skip
        if query.since:
            match["at"] = {"$gte": query.since}
        total = await self._c["audit"].count_documents(match)
        cursor = self._c["audit"].find(match, {"_id": 0}).sort([("seq", DESCENDING)])
        cursor = cursor.skip(query.page.offset).limit(query.page.limit)
        return total, [AuditEntry.model_validate(entry) async for entry in cursor]

    async def get_sign_in(self, token_hash: str) -> SignIn | None:
        found = await self._c["sign_ins"].find_one({"_id": token_hash})
        return SignIn.model_validate(found) if found else None

    async def get_record(self, kind: Kind, record_id: str) -> Record | None:
        found = await self._c["records"].find_one({"_id": f"{kind}:{record_id}"})
        return Record(kind, record_id, found["version"], found["document"]) if found else None

    async def find_records(self, kind: Kind, key: str, value: str) -> list[Record]:
        match = {"kind": kind, "keys": {"$elemMatch": {"name": key, "value": value}}}
        cursor = self._c["records"].find(match).sort([("record_id", ASCENDING)])
        return [Record(kind, found["record_id"], found["version"], found["document"]) async for found in cursor]

    async def list_records(self, kind: Kind) -> list[Record]:
        cursor = self._c["records"].find({"kind": kind}).sort([("record_id", ASCENDING)])
        return [Record(kind, found["record_id"], found["version"], found["document"]) async for found in cursor]

    async def _aggregate(self, name: str, pipeline: Pipeline) -> list[dict[str, Any]]:
        cursor = await self._c[name].aggregate(pipeline, allowDiskUse=True)
        groups: list[dict[str, Any]] = await cursor.to_list(length=None)
        return groups


def _position(position_id: str | None) -> dict[str, Any]:
    return {"position_id": position_id} if position_id is not None else {}


def _add_range(match: dict[str, Any], field: str, low: float | str | None, high: float | str | None) -> None:
    """`low <= field <= high` (either bound may be absent), under `$and`: mongod's planner reads it as the
    plain `{field: {$gte, $lte}}` (same index bounds), and SecantusDB, the tests' server, then filters
    instead of using an index whose bounds it gets wrong (0.7.0b3: a range on a compound index's middle
    field loses an inclusive bound; docs/architecture.md)."""
    bounds: dict[str, float | str] = {}
    if low is not None:
        bounds["$gte"] = low
    if high is not None:
        bounds["$lte"] = high
    if bounds:
        match.setdefault("$and", []).append({field: bounds})


def _interview_filter(query: InterviewQuery) -> dict[str, Any]:
    match: dict[str, Any] = {}
    if query.status != "all":
        match["status"] = query.status
    if query.hire_recommendation:
        match["hire_recommendation"] = {"$in": list(query.hire_recommendation)}
    if query.human_verdict:  # anyone's on the team; "none": nobody's yet
        verdicts = [v for v in query.human_verdict if v != NO_VERDICT]
        either: list[dict[str, Any]] = [{"human_verdicts.verdict": {"$in": verdicts}}] if verdicts else []
        either += [{"human_verdicts.0": {"$exists": False}}] if NO_VERDICT in query.human_verdict else []
        match.setdefault("$and", []).append({"$or": either})
    if query.difficulty:
        match["difficulty"] = {"$in": list(query.difficulty)}
    for field, low, high in (
        ("average_score", query.min_score, query.max_score),
        ("candidate_experience", query.min_experience, query.max_experience),
        (
            "started_at",
            query.started_from.isoformat() if query.started_from else None,
            query.started_to.isoformat() if query.started_to else None,
        ),
    ):
        _add_range(match, field, low, high)
    if query.name_contains:
        match["candidate_name"] = {"$regex": re.escape(query.name_contains), "$options": "i"}
    if query.position_id:
        match["position_id"] = query.position_id
    if query.open_requests is not None:
        match["open_requests"] = {"$gt": 0} if query.open_requests else {"$in": [0, None]}
    return match

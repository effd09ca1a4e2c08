"""The embedded store's reads: the read API's pages, filters and sorts, the exports, the statistics
(one row of `totals`) and the analyses as SQL aggregates. A mixin of SQLiteStore, which runs every
statement on its one worker thread (`_run`)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar

from pydantic import BaseModel

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
T = TypeVar("T")
DOCUMENTS: dict[str, type[Document]] = {
    "interviews": ReviewedInterview, "answers": AnswerRecord, "job_descriptions": JobDescriptionRecord,
}  # fmt: skip
# data set -> (filter, key columns in order); exports page by key, so rows written meanwhile
# are neither skipped nor repeated
EXPORT_KEYS = {
    "interviews": ("status = 'completed'", ("started_at", "session_id")),
    "answers": ("", ("timestamp", "session_id", "question_number")),
    "job_descriptions": ("", ("timestamp", "session_id")),
}
EXPORT_BATCH = 500


class SQLiteReads:
    async def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        raise NotImplementedError  # SQLiteStore runs each statement on its one worker thread

    async def list_interviews(self, query: InterviewQuery) -> tuple[int, list[ReviewedInterview]]:
        where, params = _interview_filter(query)
        direction = "DESC" if query.descending else "ASC"
        order = f"{query.sort} {direction}, session_id {direction}"
        return await self._page(ReviewedInterview, "interviews", where, params, order, query.page)

    async def get_interview(self, session_id: str) -> ReviewedInterview | None:
        row = await self._run(
            lambda db: db.execute("SELECT document FROM interviews WHERE session_id = ?", (session_id,)).fetchone()
        )
        return ReviewedInterview.model_validate_json(row[0]) if row else None

    async def list_answers(self, query: AnswerQuery) -> tuple[int, list[AnswerRecord]]:
        clauses: list[str] = []
        params: list[object] = []
        if query.session_id is not None:
            clauses.append("session_id = ?")
            params.append(query.session_id)
        if query.question_contains:
            clauses.append("question_search LIKE ? ESCAPE '\\'")
            params.append(_like(query.question_contains))
        if query.min_score is not None:
            clauses.append("score >= ?")
            params.append(query.min_score)
        if query.max_score is not None:
            clauses.append("score <= ?")
            params.append(query.max_score)
        order = "timestamp DESC, session_id, question_number"
        return await self._page(AnswerRecord, "answers", _where(clauses), params, order, query.page)

    async def list_job_descriptions(self, query: JobDescriptionQuery) -> tuple[int, list[JobDescriptionRecord]]:
        clauses, params = [], []
        if query.contains:
            clauses.append("job_description_search LIKE ? ESCAPE '\\'")
            params.append(_like(query.contains))
        order = "timestamp DESC, session_id"
        return await self._page(JobDescriptionRecord, "job_descriptions", _where(clauses), params, order, query.page)

    async def _page(
        self, model: type[M], table: str, where: str, params: list[Any], order: str, page: Page
    ) -> tuple[int, list[M]]:
        def query(db: sqlite3.Connection) -> tuple[int, list[M]]:
            (total,) = db.execute(f"SELECT COUNT(*) FROM {table} {where}", params).fetchone()
            rows = db.execute(
                f"SELECT document FROM {table} {where} ORDER BY {order} LIMIT ? OFFSET ?",
                (*params, page.limit, page.offset),
            ).fetchall()
            return total, [model.model_validate_json(document) for (document,) in rows]

        return await self._run(query)

    def export(self, data_set: DataSet) -> AsyncIterator[Document]:
        condition, key = EXPORT_KEYS[data_set]
        return self._in_key_order(DOCUMENTS[data_set], data_set, condition, key)

    async def _in_key_order(self, model: type[M], table: str, condition: str, key: tuple[str, ...]) -> AsyncIterator[M]:
        """The documents of `table` that meet `condition`, in `key` order, a batch at a time."""
        columns = ", ".join(key)
        after: tuple[Any, ...] | None = None
        while True:
            clauses = [condition] if condition else []
            if after is not None:
                clauses.append(f"({columns}) > ({', '.join('?' * len(key))})")
            sql = f"SELECT document, {columns} FROM {table} {_where(clauses)} ORDER BY {columns} LIMIT ?"
            params = (*(after or ()), EXPORT_BATCH)
            batch = await self._tuples(sql, params)
            for document, *_ in batch:
                yield model.model_validate_json(document)
            if len(batch) < EXPORT_BATCH:
                return
            after = tuple(batch[-1][1:])

    async def statistics(self, position_id: str | None = None) -> Statistics:
        """All of them from the running totals (one row); one position's added up from its interviews."""
        one_position = (
            "SELECT SUM(status = 'completed'),"
            " TOTAL(CASE WHEN status = 'completed' THEN CAST(ROUND(average_score * 100) AS INTEGER) END),"
            " TOTAL(CASE WHEN status = 'completed' THEN total_questions END),"
            f" (SELECT COUNT(*) FROM answers WHERE session_id IN ({IN_POSITION})), SUM(status = 'in_progress')"
            " FROM interviews WHERE position_id = ?"
        )

        def query(db: sqlite3.Connection) -> Statistics:
            if position_id is None:
                row = db.execute("SELECT completed, score_centis, questions, answers, in_progress FROM totals")
            else:
                row = db.execute(one_position, (position_id, position_id))
            completed, score_centis, questions, answers, in_progress = (int(v or 0) for v in row.fetchone())
            return Statistics(
                total_interviews=completed,
                average_score=score_centis / completed / 100 if completed else 0.0,
                total_questions=questions,
                total_answers=answers,
                interviews_in_progress=in_progress,
            )

        return await self._run(query)

    async def demographic_rows(self, position_id: str | None = None) -> list[DemographicRow]:
        scope, params = _scope(position_id, "position_id = ?")
        sql = (
            "SELECT session_id, position_id, completed_at, hire_recommendation, overall_score, sex, race_ethnicity,"
            f" age_band, provided FROM demographics WHERE 1{scope} ORDER BY completed_at, session_id"
        )
        return await self._rows(DemographicRow, sql, params)

    async def top_performers(self, limit: int, position_id: str | None = None) -> list[TopPerformer]:
        scope, params = _scope(position_id, "position_id = ?")
        sql = (
            "SELECT session_id, candidate_name, candidate_experience, difficulty, average_score, overall_score,"
            " hire_recommendation, timestamp, json_extract(document, '$.completion_reason') AS completion_reason,"
            f" position_id FROM interviews WHERE status = 'completed'{scope} ORDER BY average_score DESC, session_id"
            " LIMIT ?"
        )
        return await self._rows(TopPerformer, sql, (*params, limit))

    async def score_by_experience(self, position_id: str | None = None) -> list[ExperienceScore]:
        scope, params = _scope(position_id, "position_id = ?")
        sql = (
            "SELECT candidate_experience, SUM(CAST(ROUND(average_score * 100) AS INTEGER)) AS centis,"
            f" COUNT(*) AS interviews FROM interviews WHERE status = 'completed'{scope}"
            " GROUP BY candidate_experience ORDER BY candidate_experience"
        )
        return [
            ExperienceScore(candidate_experience=experience, average_score=centis / interviews / 100,
                            interviews=interviews)
            for experience, centis, interviews in await self._tuples(sql, params)
        ]  # fmt: skip

    async def common_weaknesses(self, limit: int, position_id: str | None = None) -> list[WeaknessCount]:
        scope, params = _scope(position_id, f"session_id IN ({IN_POSITION})")
        sql = (
            f"SELECT weakness, COUNT(*) AS count FROM interview_weaknesses WHERE 1{scope}"
            " GROUP BY weakness ORDER BY count DESC, weakness LIMIT ?"
        )
        return await self._rows(WeaknessCount, sql, (*params, limit))

    async def question_effectiveness(
        self, limit: int, min_answers: int, position_id: str | None = None
    ) -> list[QuestionScore]:
        scope, params = _scope(position_id, f"session_id IN ({IN_POSITION})")
        sql = (
            f"SELECT question, AVG(score) AS average_score, COUNT(*) AS answers FROM answers WHERE 1{scope}"
            " GROUP BY question HAVING COUNT(*) >= ? ORDER BY AVG(score) DESC, question LIMIT ?"
        )
        return await self._rows(QuestionScore, sql, (*params, min_answers, limit))

    async def score_distribution(self, position_id: str | None = None) -> list[ScoreBucket]:
        scope, params = _scope(position_id, "position_id = ?")
        sql = (
            "SELECT MIN(CAST(average_score AS INTEGER), 9) AS bucket, COUNT(*) AS interviews FROM interviews"
            f" WHERE status = 'completed'{scope} GROUP BY bucket ORDER BY bucket"
        )
        return await self._rows(ScoreBucket, sql, params)

    async def interviews_over_time(self, position_id: str | None = None) -> list[DayCount]:
        scope, params = _scope(position_id, "position_id = ?")
        sql = (
            "SELECT substr(started_at, 1, 10) AS date, COUNT(*) AS interviews,"
            f" SUM(status = 'completed') AS completed FROM interviews WHERE 1{scope} GROUP BY date ORDER BY date"
        )
        return await self._rows(DayCount, sql, params)

    def reviewed_answers(self) -> AsyncIterator[AnswerRecord]:
        return self._in_key_order(AnswerRecord, "answers", "human_score IS NOT NULL", EXPORT_KEYS["answers"][1])

    async def job_descriptions_of(self, session_ids: list[str]) -> dict[str, JobDescriptionRecord]:
        sql = f"SELECT session_id, document FROM job_descriptions WHERE session_id IN ({','.join('?' * len(session_ids))})"
        rows = await self._tuples(sql, tuple(session_ids))
        return {session_id: JobDescriptionRecord.model_validate_json(document) for session_id, document in rows}

    async def question_sums(self) -> list[QuestionSums]:
        sql = (
            "SELECT normalised_question, question, COUNT(*) AS asked,"
            " TOTAL(score) AS score_sum, TOTAL(score * score) AS score_squares,"
            " SUM(empty_or_unknown) AS empty_or_unknown, SUM(answer_words) AS answer_words"
            " FROM answers GROUP BY normalised_question, question"
        )
        return await self._rows(QuestionSums, sql, ())  # TOTAL's floats hold whole numbers: validated to int

    async def skill_sums(self) -> SkillTotals:
        skills = await self._rows(
            SkillSums,
            "SELECT skill, category, COUNT(*) AS interviews, TOTAL(average_score) AS score_sum"
            " FROM job_description_skills WHERE status = 'completed' GROUP BY skill, category",
            (),
        )
        ((interviews, score_sum),) = await self._tuples(
            "SELECT COUNT(*), TOTAL(average_score) FROM interviews WHERE status = 'completed'", ()
        )
        return SkillTotals(skills=skills, interviews=interviews, score_sum=score_sum)

    async def list_audit(self, query: AuditQuery) -> tuple[int, list[AuditEntry]]:
        clauses, params = [], []
        for column, value in (("actor", query.actor), ("target", query.target), ("action", query.action)):
            if value:
                clauses.append(f"{column} = ?")
                params.append(value)
        if query.since:
            clauses.append("at >= ?")
            params.append(query.since)
        where = _where(clauses)
        ((total,),) = await self._tuples(f"SELECT COUNT(*) FROM audit {where}", tuple(params))
        sql = (
            f"SELECT seq, at, actor, actor_name, role, action, target, client, status FROM audit {where}"
            " ORDER BY seq DESC LIMIT ? OFFSET ?"
        )
        return total, await self._rows(AuditEntry, sql, (*params, query.page.limit, query.page.offset))

    async def get_sign_in(self, token_hash: str) -> SignIn | None:
        rows = await self._rows(
            SignIn, "SELECT user_id, expires_at, credential FROM sign_ins WHERE token_hash = ?", (token_hash,)
        )
        return rows[0] if rows else None

    async def get_record(self, kind: Kind, record_id: str) -> Record | None:
        rows = await self._tuples("SELECT version, document FROM records WHERE kind = ? AND id = ?", (kind, record_id))
        return Record(kind, record_id, rows[0][0], json.loads(rows[0][1])) if rows else None

    async def find_records(self, kind: Kind, key: str, value: str) -> list[Record]:
        rows = await self._tuples(
            "SELECT r.id, r.version, r.document FROM record_keys k JOIN records r ON r.kind = k.kind AND r.id = k.id"
            " WHERE k.kind = ? AND k.name = ? AND k.value = ? ORDER BY r.id",
            (kind, key, value),
        )
        return [Record(kind, record_id, version, json.loads(document)) for record_id, version, document in rows]

    async def list_records(self, kind: Kind) -> list[Record]:
        rows = await self._tuples("SELECT id, version, document FROM records WHERE kind = ? ORDER BY id", (kind,))
        return [Record(kind, record_id, version, json.loads(document)) for record_id, version, document in rows]

    async def _rows(self, model: type[M], sql: str, params: tuple[Any, ...]) -> list[M]:
        """The rows of a query as `model`s, its columns named like the model's fields."""

        def query(db: sqlite3.Connection) -> list[M]:
            cursor = db.execute(sql, params)
            names = [column[0] for column in cursor.description]
            return [model.model_validate(dict(zip(names, row, strict=True))) for row in cursor.fetchall()]

        return await self._run(query)

    async def _tuples(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        return await self._run(lambda db: db.execute(sql, params).fetchall())


IN_POSITION = "SELECT session_id FROM interviews WHERE position_id = ?"
# anyone's verdict on the team among these, or nobody's yet
ANYONES_VERDICT = (
    "EXISTS (SELECT 1 FROM json_each(document, '$.human_verdicts') WHERE json_extract(value, '$.verdict') IN ({}))"
)
NOBODYS_VERDICT = "COALESCE(json_array_length(document, '$.human_verdicts'), 0) = 0"


def _scope(position_id: str | None, clause: str) -> tuple[str, tuple[str, ...]]:
    """` AND <clause>` with the position as its parameter, or nothing: all positions."""
    return (f" AND {clause}", (position_id,)) if position_id is not None else ("", ())


def _where(clauses: list[str]) -> str:
    return f"WHERE {' AND '.join(clauses)}" if clauses else ""


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _interview_filter(query: InterviewQuery) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []

    def add(clause: str, *values: object) -> None:
        clauses.append(clause)
        params.extend(values)

    if query.status != "all":
        add("status = ?", query.status)
    if query.hire_recommendation:
        add(f"hire_recommendation IN ({','.join('?' * len(query.hire_recommendation))})", *query.hire_recommendation)
    if query.human_verdict:
        verdicts = [v for v in query.human_verdict if v != NO_VERDICT]
        either = [ANYONES_VERDICT.format(",".join("?" * len(verdicts)))] if verdicts else []
        either += [NOBODYS_VERDICT] if NO_VERDICT in query.human_verdict else []
        add(f"({' OR '.join(either)})", *verdicts)
    if query.difficulty:
        add(f"difficulty IN ({','.join('?' * len(query.difficulty))})", *query.difficulty)
    if query.min_score is not None:
        add("average_score >= ?", query.min_score)
    if query.max_score is not None:
        add("average_score <= ?", query.max_score)
    if query.min_experience is not None:
        add("candidate_experience >= ?", query.min_experience)
    if query.max_experience is not None:
        add("candidate_experience <= ?", query.max_experience)
    if query.started_from is not None:
        add("started_at >= ?", query.started_from.isoformat())
    if query.started_to is not None:
        add("started_at <= ?", query.started_to.isoformat())
    if query.name_contains:
        add("name_search LIKE ? ESCAPE '\\'", _like(query.name_contains))
    if query.position_id:
        add("position_id = ?", query.position_id)
    if query.open_requests is not None:
        add("open_requests > 0" if query.open_requests else "open_requests = 0")
    return _where(clauses), params

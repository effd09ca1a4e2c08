"""The embedded store: one SQLite file under DATA_DIR.

All statements run on one worker thread with one connection, so the event loop never
blocks on disk and SQLite sees one writer per process (WAL lets a second process, such as
the replay command, read meanwhile). Read models are JSON documents beside the columns the
read API filters, sorts and aggregates on; `totals` keeps the statistics current in the same
transaction as each write, so reading them costs one row at any size.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from services.persistence.projections import SessionRows
from services.persistence.queries import AnswerQuery, InterviewQuery, JobDescriptionQuery
from shared.events import Event, encode_event, parse_event
from shared.interview_document import InterviewDocument

T = TypeVar("T")
SCHEMA = (Path(__file__).parent / "sqlite_schema.sql").read_text()
# of the read-model tables (4: answers carry provenance and reviews; 5: question facts and job-description
# skills for the improvement analyses); events never change shape
SCHEMA_VERSION = 5
PARSE_CACHE_SIZE = 2_000  # parsed events kept in memory: the interviews in progress, about a hundred
READ_MODEL_TABLES = (
    "interviews",
    "interview_weaknesses",
    "answers",
    "job_descriptions",
    "job_description_skills",
    "projection_versions",
    "totals",
)
# data set -> (filter, key columns in order); exports page by key, so rows written meanwhile
# are neither skipped nor repeated
EXPORT_KEYS = {
    "interviews": ("status = 'completed'", ("started_at", "session_id")),
    "answers": ("", ("timestamp", "session_id", "question_number")),
    "job_descriptions": ("", ("timestamp", "session_id")),
}
EXPORT_BATCH = 500


class SQLiteStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.description = f"SQLite at {path}"
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite")
        self._db: sqlite3.Connection | None = None
        self.needs_rebuild = False
        self._parse_cache: OrderedDict[str, tuple[str, Event]] = OrderedDict()

    async def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, work, self._db)

    async def open(self) -> None:
        def connect(_: Any) -> sqlite3.Connection:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA busy_timeout=10000")
            # freed pages are zeroed, so an erased candidate's data does not linger in the file
            db.execute("PRAGMA secure_delete=ON")
            (version,) = db.execute("PRAGMA user_version").fetchone()
            fresh = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'events'").fetchone() is None
            if version != SCHEMA_VERSION and not fresh:
                # Read models are disposable: drop them and rebuild them from the events (replay),
                # which sets the version once it has finished.
                for table in READ_MODEL_TABLES:
                    db.execute(f"DROP TABLE IF EXISTS {table}")
                self.needs_rebuild = True
            db.executescript(SCHEMA)
            if fresh:
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            return db

        self._db = await asyncio.get_running_loop().run_in_executor(self._executor, connect, None)

    async def mark_rebuilt(self) -> None:
        await self._run(lambda db: db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}"))
        self.needs_rebuild = False

    async def close(self) -> None:
        if self._db is not None:
            await self._run(lambda db: db.close())
            self._db = None
        self._executor.shutdown(wait=True)

    async def ping(self) -> bool:
        return self._db is not None and await self._run(lambda db: db.execute("SELECT 1").fetchone() == (1,))

    # the event store

    async def append(self, event: Event) -> bool:
        row = (str(event.event_id), event.session_id, event.type, event.occurred_at.isoformat(), encode_event(event))
        erasure = event.type == "InterviewErased"

        def insert(db: sqlite3.Connection) -> bool:
            if not erasure and _erased(db, event.session_id):
                return False
            # A second body for one id (a derived event made twice) replaces the stored one only if
            # it is the earlier, as in the fold: every store and replica keeps the same body.
            sql = (
                "INSERT INTO events (event_id, session_id, type, occurred_at, body) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (event_id) DO UPDATE SET occurred_at = excluded.occurred_at, body = excluded.body"
                " WHERE (excluded.occurred_at, excluded.body) < (events.occurred_at, events.body)"
            )
            return db.execute(sql, (*row[:4], row[4].decode())).rowcount == 1

        return await self._run(insert)

    async def session_events(self, session_id: str) -> list[Event]:
        rows = await self._run(
            lambda db: db.execute(
                "SELECT event_id, body FROM events WHERE session_id = ? ORDER BY seq", (session_id,)
            ).fetchall()
        )
        return [self._parsed(event_id, body) for event_id, body in rows]

    def _parsed(self, event_id: str, body: str) -> Event:
        """Events are immutable, so each stored body is parsed once while it stays in the cache (every
        event of a session is read again for each new one: parsing was most of the store's CPU)."""
        cached = self._parse_cache.get(event_id)
        if cached is not None and cached[0] == body:  # a body replaced by an earlier one is parsed again
            self._parse_cache.move_to_end(event_id)
            return cached[1]
        event = parse_event(body)
        self._parse_cache[event_id] = (body, event)
        if len(self._parse_cache) > PARSE_CACHE_SIZE:
            self._parse_cache.popitem(last=False)
        return event

    async def session_ids(self) -> AsyncIterator[str]:
        after = ""
        while True:
            batch = await self._run(
                lambda db, after=after: db.execute(
                    "SELECT DISTINCT session_id FROM events WHERE session_id > ? ORDER BY session_id LIMIT ?",
                    (after, EXPORT_BATCH),
                ).fetchall()
            )
            for (session_id,) in batch:
                yield session_id
            if len(batch) < EXPORT_BATCH:
                return
            after = batch[-1][0]

    async def is_erased(self, session_id: str) -> bool:
        return await self._run(lambda db: _erased(db, session_id))

    async def erase_session(self, session_id: str) -> bool:
        for event_id in [k for k, (_, event) in self._parse_cache.items() if event.session_id == session_id]:
            del self._parse_cache[event_id]  # nothing of an erased candidate lingers in memory either

        def erase(db: sqlite3.Connection) -> bool:
            db.execute("BEGIN IMMEDIATE")
            try:
                deleted = db.execute(
                    "DELETE FROM events WHERE session_id = ? AND type != 'InterviewErased'", (session_id,)
                ).rowcount
                found = _delete_rows(db, session_id) or deleted > 0
                db.execute("DELETE FROM projection_versions WHERE session_id = ?", (session_id,))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the old pages leave the write-ahead log too
            return found

        return await self._run(erase)

    # the read models

    async def save_projection(self, rows: SessionRows) -> bool:
        return await self._run(lambda db: _save_projection(db, rows))

    async def clear_read_models(self) -> None:
        def clear(db: sqlite3.Connection) -> None:
            db.execute("BEGIN IMMEDIATE")
            try:
                for table in READ_MODEL_TABLES[:-1]:
                    db.execute(f"DELETE FROM {table}")
                db.execute(
                    "UPDATE totals SET completed = 0, score_centis = 0, questions = 0, answers = 0, in_progress = 0"
                )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

        await self._run(clear)

    async def list_interviews(self, query: InterviewQuery) -> tuple[int, list[dict]]:
        where, params = _interview_filter(query)
        direction = "DESC" if query.descending else "ASC"
        order = f"{query.sort} {direction}, session_id {direction}"
        return await self._page("interviews", where, params, order, query.page.limit, query.page.offset)

    async def get_interview(self, session_id: str) -> dict | None:
        row = await self._run(
            lambda db: db.execute("SELECT document FROM interviews WHERE session_id = ?", (session_id,)).fetchone()
        )
        return json.loads(row[0]) if row else None

    async def list_answers(self, query: AnswerQuery) -> tuple[int, list[dict]]:
        clauses, params = [], []
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
        return await self._page("answers", _where(clauses), params, order, query.page.limit, query.page.offset)

    async def list_job_descriptions(self, query: JobDescriptionQuery) -> tuple[int, list[dict]]:
        clauses, params = [], []
        if query.contains:
            clauses.append("job_description_search LIKE ? ESCAPE '\\'")
            params.append(_like(query.contains))
        return await self._page(
            "job_descriptions",
            _where(clauses),
            params,
            "timestamp DESC, session_id",
            query.page.limit,
            query.page.offset,
        )

    async def _page(
        self, table: str, where: str, params: list, order: str, limit: int, offset: int
    ) -> tuple[int, list[dict]]:
        def query(db: sqlite3.Connection) -> tuple[int, list[dict]]:
            (total,) = db.execute(f"SELECT COUNT(*) FROM {table} {where}", params).fetchone()
            rows = db.execute(
                f"SELECT document FROM {table} {where} ORDER BY {order} LIMIT ? OFFSET ?", (*params, limit, offset)
            ).fetchall()
            return total, [json.loads(document) for (document,) in rows]

        return await self._run(query)

    async def export(self, data_set: str) -> AsyncIterator[dict]:
        condition, key = EXPORT_KEYS[data_set]
        columns = ", ".join(key)
        after: tuple | None = None
        while True:
            clauses = [condition] if condition else []
            if after is not None:
                clauses.append(f"({columns}) > ({', '.join('?' * len(key))})")
            sql = f"SELECT document, {columns} FROM {data_set} {_where(clauses)} ORDER BY {columns} LIMIT ?"
            params = (*(after or ()), EXPORT_BATCH)
            batch = await self._run(lambda db, sql=sql, params=params: db.execute(sql, params).fetchall())
            for document, *_ in batch:
                yield json.loads(document)
            if len(batch) < EXPORT_BATCH:
                return
            after = tuple(batch[-1][1:])

    async def statistics(self) -> dict:
        def query(db: sqlite3.Connection) -> dict:
            completed, score_centis, questions, answers, in_progress = db.execute(
                "SELECT completed, score_centis, questions, answers, in_progress FROM totals"
            ).fetchone()
            return {
                "total_interviews": completed,
                "average_score": score_centis / completed / 100 if completed else 0.0,
                "total_questions": questions,
                "total_answers": answers,
                "interviews_in_progress": in_progress,
            }

        return await self._run(query)

    async def top_performers(self, limit: int) -> list[dict]:
        sql = (
            "SELECT session_id, candidate_name, candidate_experience, difficulty, average_score, overall_score,"
            " hire_recommendation, timestamp FROM interviews WHERE status = 'completed'"
            " ORDER BY average_score DESC, session_id LIMIT ?"
        )
        return await self._rows(sql, (limit,))

    async def score_by_experience(self) -> list[dict]:
        sql = (
            "SELECT candidate_experience, SUM(CAST(ROUND(average_score * 100) AS INTEGER)) AS centis,"
            " COUNT(*) AS interviews FROM interviews WHERE status = 'completed'"
            " GROUP BY candidate_experience ORDER BY candidate_experience"
        )
        return [
            {"candidate_experience": row["candidate_experience"], "average_score": row["centis"] / row["interviews"] / 100,
             "interviews": row["interviews"]}
            for row in await self._rows(sql, ())
        ]  # fmt: skip

    async def common_weaknesses(self, limit: int) -> list[dict]:
        sql = (
            "SELECT weakness, COUNT(*) AS count FROM interview_weaknesses"
            " GROUP BY weakness ORDER BY count DESC, weakness LIMIT ?"
        )
        return await self._rows(sql, (limit,))

    async def question_effectiveness(self, limit: int, min_answers: int) -> list[dict]:
        sql = (
            "SELECT question, AVG(score) AS average_score, COUNT(*) AS answers FROM answers"
            " GROUP BY question HAVING COUNT(*) >= ? ORDER BY AVG(score) DESC, question LIMIT ?"
        )
        return await self._rows(sql, (min_answers, limit))

    async def score_distribution(self) -> list[dict]:
        sql = (
            "SELECT MIN(CAST(average_score AS INTEGER), 9) AS bucket, COUNT(*) AS interviews FROM interviews"
            " WHERE status = 'completed' GROUP BY bucket ORDER BY bucket"
        )
        return await self._rows(sql, ())

    async def interviews_over_time(self) -> list[dict]:
        sql = (
            "SELECT substr(started_at, 1, 10) AS date, COUNT(*) AS interviews,"
            " SUM(status = 'completed') AS completed FROM interviews GROUP BY date ORDER BY date"
        )
        return await self._rows(sql, ())

    async def reviewed_answers(self) -> AsyncIterator[dict]:
        after: tuple = ("", "", 0)
        sql = (
            "SELECT document, timestamp, session_id, question_number FROM answers WHERE human_score IS NOT NULL"
            " AND (timestamp, session_id, question_number) > (?, ?, ?)"
            " ORDER BY timestamp, session_id, question_number LIMIT ?"
        )
        while True:
            batch = await self._run(lambda db, after=after: db.execute(sql, (*after, EXPORT_BATCH)).fetchall())
            for document, *_ in batch:
                yield json.loads(document)
            if len(batch) < EXPORT_BATCH:
                return
            after = tuple(batch[-1][1:])

    async def job_descriptions_of(self, session_ids: list[str]) -> dict[str, dict]:
        sql = f"SELECT session_id, document FROM job_descriptions WHERE session_id IN ({','.join('?' * len(session_ids))})"
        rows = await self._run(lambda db: db.execute(sql, session_ids).fetchall())
        return {session_id: json.loads(document) for session_id, document in rows}

    async def question_sums(self) -> list[dict]:
        sql = (
            "SELECT normalised_question, question, COUNT(*) AS asked, COUNT(*) AS scored,"
            " TOTAL(score) AS score_sum, TOTAL(score * score) AS score_squares,"
            " SUM(empty_or_unknown) AS empty_or_unknown, SUM(answer_words) AS answer_words"
            " FROM answers GROUP BY normalised_question, question"
        )
        return [row | {"score_sum": int(row["score_sum"]), "score_squares": int(row["score_squares"])}
                for row in await self._rows(sql, ())]  # fmt: skip

    async def skill_sums(self) -> tuple[list[dict], int, float]:
        skills = await self._rows(
            "SELECT skill, category, COUNT(*) AS interviews, TOTAL(average_score) AS score_sum"
            " FROM job_description_skills WHERE status = 'completed' GROUP BY skill, category",
            (),
        )
        (overall,) = await self._rows(
            "SELECT COUNT(*) AS n, TOTAL(average_score) AS total FROM interviews WHERE status = 'completed'", ()
        )
        return skills, overall["n"], overall["total"]

    async def _rows(self, sql: str, params: tuple) -> list[dict]:
        def query(db: sqlite3.Connection) -> list[dict]:
            cursor = db.execute(sql, params)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

        return await self._run(query)


def _erased(db: sqlite3.Connection, session_id: str) -> bool:
    sql = "SELECT 1 FROM events WHERE session_id = ? AND type = 'InterviewErased' LIMIT 1"
    return db.execute(sql, (session_id,)).fetchone() is not None


def _where(clauses: list[str]) -> str:
    return f"WHERE {' AND '.join(clauses)}" if clauses else ""


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _interview_filter(query: InterviewQuery) -> tuple[str, list]:
    clauses, params = [], []

    def add(clause: str, *values: object) -> None:
        clauses.append(clause)
        params.extend(values)

    if query.status != "all":
        add("status = ?", query.status)
    if query.hire_recommendation:
        add(f"hire_recommendation IN ({','.join('?' * len(query.hire_recommendation))})", *query.hire_recommendation)
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
    return _where(clauses), params


def _contribution(db: sqlite3.Connection, session_id: str) -> tuple[int, int, int, int, int]:
    """What a session's stored rows add to the totals: completed, score in hundredths, questions,
    answers, in progress."""
    row = db.execute(
        "SELECT status, average_score, total_questions FROM interviews WHERE session_id = ?", (session_id,)
    )
    interview = row.fetchone()
    (answers,) = db.execute("SELECT COUNT(*) FROM answers WHERE session_id = ?", (session_id,)).fetchone()
    if interview is None:
        return 0, 0, 0, answers, 0
    status, average, questions = interview
    if status == "completed":
        return 1, round(average * 100), questions, answers, 0
    return 0, 0, 0, answers, 1


def _delete_rows(db: sqlite3.Connection, session_id: str) -> bool:
    old = _contribution(db, session_id)
    db.execute(
        "UPDATE totals SET completed = completed - ?, score_centis = score_centis - ?, questions = questions - ?,"
        " answers = answers - ?, in_progress = in_progress - ?",
        old,
    )
    deleted = 0
    for table in ("interviews", "interview_weaknesses", "answers", "job_descriptions", "job_description_skills"):
        deleted += db.execute(f"DELETE FROM {table} WHERE session_id = ?", (session_id,)).rowcount
    return deleted > 0


def _save_projection(db: sqlite3.Connection, rows: SessionRows) -> bool:
    db.execute("BEGIN IMMEDIATE")
    try:
        stored = db.execute("SELECT version FROM projection_versions WHERE session_id = ?", (rows.session_id,))
        version = stored.fetchone()
        if (version is not None and version[0] > rows.version) or _erased(db, rows.session_id):
            db.execute("ROLLBACK")
            return False
        db.execute(
            "INSERT INTO projection_versions (session_id, version) VALUES (?, ?)"
            " ON CONFLICT (session_id) DO UPDATE SET version = excluded.version",
            (rows.session_id, rows.version),
        )
        old = _contribution(db, rows.session_id)
        _write_changed_rows(db, rows)
        delta = [new - before for new, before in zip(_contribution(db, rows.session_id), old, strict=True)]
        if any(delta):
            db.execute(
                "UPDATE totals SET completed = completed + ?, score_centis = score_centis + ?,"
                " questions = questions + ?, answers = answers + ?, in_progress = in_progress + ?",
                delta,
            )
        db.execute("COMMIT")
        return True
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _write_changed_rows(db: sqlite3.Connection, rows: SessionRows) -> None:
    """Replace only the rows whose document changed: each new event changes one or two of a session's
    rows, and every row rewritten costs its table's indexes and the write-ahead log a page or more."""
    session_id = rows.session_id
    interview = rows.interview.model_dump_json() if rows.interview is not None else None
    stored = db.execute("SELECT document FROM interviews WHERE session_id = ?", (session_id,)).fetchone()
    if (stored[0] if stored else None) != interview:
        db.execute("DELETE FROM interviews WHERE session_id = ?", (session_id,))
        db.execute("DELETE FROM interview_weaknesses WHERE session_id = ?", (session_id,))
        db.execute("DELETE FROM job_description_skills WHERE session_id = ?", (session_id,))
        if rows.interview is not None:
            _insert_interview(db, rows.interview, interview)
        db.executemany(
            "INSERT INTO job_description_skills (session_id, skill, category, status, average_score)"
            " VALUES (?, ?, ?, ?, ?)",
            [(s.session_id, s.skill, s.category, s.status, s.average_score) for s in rows.job_skills],
        )

    answers = {a.question_number: (a, a.model_dump_json()) for a in rows.answers}
    stored_answers = dict(
        db.execute("SELECT question_number, document FROM answers WHERE session_id = ?", (session_id,)).fetchall()
    )
    stale = [n for n, document in stored_answers.items() if n not in answers or answers[n][1] != document]
    db.executemany("DELETE FROM answers WHERE session_id = ? AND question_number = ?", [(session_id, n) for n in stale])
    db.executemany(
        "INSERT INTO answers (session_id, question_number, question, question_search, score, timestamp,"
        " normalised_question, empty_or_unknown, answer_words, human_score, document)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                a.session_id,
                a.question_number,
                a.question,
                a.question.lower(),
                a.score,
                a.timestamp,
                a.normalised_question,
                a.empty_or_unknown,
                a.answer_words,
                a.human_score,
                document,
            )  # fmt: skip
            for n, (a, document) in answers.items()
            if stored_answers.get(n) != document
        ],
    )

    job = rows.job_description.model_dump_json() if rows.job_description is not None else None
    stored = db.execute("SELECT document FROM job_descriptions WHERE session_id = ?", (session_id,)).fetchone()
    if (stored[0] if stored else None) != job:
        db.execute("DELETE FROM job_descriptions WHERE session_id = ?", (session_id,))
        if (description := rows.job_description) is not None:
            db.execute(
                "INSERT INTO job_descriptions (session_id, timestamp, job_description_search, document)"
                " VALUES (?, ?, ?, ?)",
                (session_id, description.timestamp, description.job_description.lower(), job),
            )


def _insert_interview(db: sqlite3.Connection, interview: InterviewDocument, document: str) -> None:
    db.execute(
        "INSERT INTO interviews (session_id, status, timestamp, started_at, candidate_name, name_search,"
        " candidate_experience, difficulty, average_score, overall_score, hire_recommendation, total_questions,"
        " document) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            interview.session_id,
            interview.status,
            interview.timestamp,
            interview.started_at,
            interview.candidate_name,
            interview.candidate_name.lower(),
            interview.candidate_experience,
            interview.difficulty,
            interview.average_score,
            interview.overall_score,
            interview.hire_recommendation,
            interview.total_questions,
            document,
        ),
    )
    if interview.status == "completed":
        db.executemany(
            "INSERT INTO interview_weaknesses (session_id, weakness) VALUES (?, ?)",
            [(interview.session_id, weakness) for weakness in interview.weaknesses],
        )

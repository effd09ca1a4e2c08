"""The embedded store: one SQLite file under DATA_DIR.

All statements run on one worker thread with one connection, so the event loop never
blocks on disk and SQLite sees a single writer per process (WAL lets other processes,
such as a replay command, read meanwhile).
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from services.persistence.projections import SessionRows
from shared.events import Event, encode_event, parse_event

T = TypeVar("T")

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    session_id TEXT NOT NULL,
    type TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_session ON events (session_id, seq);

CREATE TABLE IF NOT EXISTS projection_versions (
    session_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS interviews (
    session_id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    timestamp TEXT NOT NULL,
    total_questions INTEGER NOT NULL,
    average_score REAL NOT NULL,
    document TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS interviews_by_status_time ON interviews (status, timestamp DESC);

CREATE TABLE IF NOT EXISTS answers (
    session_id TEXT NOT NULL,
    question_number INTEGER NOT NULL,
    timestamp TEXT NOT NULL,
    document TEXT NOT NULL,
    PRIMARY KEY (session_id, question_number)
);

CREATE TABLE IF NOT EXISTS job_descriptions (
    session_id TEXT PRIMARY KEY,
    timestamp TEXT NOT NULL,
    document TEXT NOT NULL
);
"""


class SQLiteStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite")
        self._db: sqlite3.Connection | None = None

    async def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, work, self._db)

    async def open(self) -> None:
        def connect(_: Any) -> sqlite3.Connection:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA busy_timeout=10000")
            db.executescript(SCHEMA)
            return db

        self._db = await asyncio.get_running_loop().run_in_executor(self._executor, connect, None)

    async def close(self) -> None:
        if self._db is not None:
            await self._run(lambda db: db.close())
            self._db = None
        self._executor.shutdown(wait=True)

    async def ping(self) -> bool:
        return self._db is not None and await self._run(lambda db: db.execute("SELECT 1").fetchone() == (1,))

    async def append(self, event: Event) -> bool:
        row = (
            str(event.event_id),
            event.session_id,
            event.type,
            event.occurred_at.isoformat(),
            encode_event(event).decode(),
        )
        return await self._run(
            lambda db: (
                db.execute(
                    "INSERT OR IGNORE INTO events (event_id, session_id, type, occurred_at, body) VALUES (?, ?, ?, ?, ?)",
                    row,
                ).rowcount
                == 1
            )
        )

    async def session_events(self, session_id: str) -> list[Event]:
        rows = await self._run(
            lambda db: db.execute("SELECT body FROM events WHERE session_id = ? ORDER BY seq", (session_id,)).fetchall()
        )
        return [parse_event(body) for (body,) in rows]

    async def save_projection(self, rows: SessionRows) -> bool:
        return await self._run(lambda db: _save_projection(db, rows))

    async def list_interviews(self, status: str, limit: int, offset: int) -> tuple[int, list[dict]]:
        where, params = ("", ()) if status == "all" else ("WHERE status = ?", (status,))

        def query(db: sqlite3.Connection) -> tuple[int, list[dict]]:
            (total,) = db.execute(f"SELECT COUNT(*) FROM interviews {where}", params).fetchone()
            documents = db.execute(
                f"SELECT document FROM interviews {where} ORDER BY timestamp DESC, session_id LIMIT ? OFFSET ?",
                (*params, limit, offset),
            ).fetchall()
            return total, [json.loads(d) for (d,) in documents]

        return await self._run(query)

    async def get_interview(self, session_id: str) -> dict | None:
        row = await self._run(
            lambda db: db.execute("SELECT document FROM interviews WHERE session_id = ?", (session_id,)).fetchone()
        )
        return json.loads(row[0]) if row else None

    async def statistics(self) -> dict:
        def query(db: sqlite3.Connection) -> dict:
            total, average, questions = db.execute(
                "SELECT COUNT(*), AVG(average_score), COALESCE(SUM(total_questions), 0)"
                " FROM interviews WHERE status = 'completed'"
            ).fetchone()
            (in_progress,) = db.execute("SELECT COUNT(*) FROM interviews WHERE status = 'in_progress'").fetchone()
            (answers,) = db.execute("SELECT COUNT(*) FROM answers").fetchone()
            return {
                "total_interviews": total,
                "average_score": round(average, 2) if average is not None else 0.0,
                "total_questions": questions,
                "total_answers": answers,
                "interviews_in_progress": in_progress,
            }

        return await self._run(query)


def _save_projection(db: sqlite3.Connection, rows: SessionRows) -> bool:
    db.execute("BEGIN IMMEDIATE")
    try:
        stored = db.execute(
            "SELECT version FROM projection_versions WHERE session_id = ?", (rows.session_id,)
        ).fetchone()
        if stored is not None and stored[0] > rows.version:
            db.execute("ROLLBACK")
            return False
        db.execute(
            "INSERT INTO projection_versions (session_id, version) VALUES (?, ?)"
            " ON CONFLICT (session_id) DO UPDATE SET version = excluded.version",
            (rows.session_id, rows.version),
        )
        for table in ("interviews", "answers", "job_descriptions"):
            db.execute(f"DELETE FROM {table} WHERE session_id = ?", (rows.session_id,))
        if (interview := rows.interview) is not None:
            db.execute(
                "INSERT INTO interviews (session_id, status, timestamp, total_questions, average_score, document)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    interview.session_id,
                    interview.status,
                    interview.timestamp,
                    interview.total_questions,
                    interview.average_score,
                    interview.model_dump_json(),
                ),
            )
        db.executemany(
            "INSERT INTO answers (session_id, question_number, timestamp, document) VALUES (?, ?, ?, ?)",
            [(a.session_id, a.question_number, a.timestamp, a.model_dump_json()) for a in rows.answers],
        )
        if (job := rows.job_description) is not None:
            db.execute(
                "INSERT INTO job_descriptions (session_id, timestamp, document) VALUES (?, ?, ?)",
                (job.session_id, job.timestamp, job.model_dump_json()),
            )
        db.execute("COMMIT")
        return True
    except BaseException:
        db.execute("ROLLBACK")
        raise

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
import logging
import shutil
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from services.persistence import chain
from services.persistence.documents import ReviewedInterview
from services.persistence.projections import SessionRows
from services.persistence.recruiting import Record
from services.persistence.rows import AuditEntry, SignIn
from services.persistence.store import SessionProgress
from services.persistence.store.parsed import ParsedEvents
from services.persistence.store.sqlite_reads import EXPORT_BATCH, SQLiteReads
from shared.contracts.events import (
    AnswerShadowScored,
    Event,
    InterviewCompleted,
    InterviewErased,
    encode_event,
)

T = TypeVar("T")
log = logging.getLogger(__name__)
ERASURE = InterviewErased.type_name()
COMPLETION = InterviewCompleted.type_name()
SHADOW_SCORE = AnswerShadowScored.type_name()
SCHEMA = (Path(__file__).parent / "sqlite_schema.sql").read_text()
# of the read-model tables (4: answers carry provenance and reviews; 5: question facts and job-description
# skills for the improvement analyses; 6: the recruiters' records; 7: the adverse-impact monitor's
# demographics, the candidates' open requests; 8: answers carry their evidence; 9: interviews carry each
# person's verdict; 10: who ended an interview ended early); events never change shape
SCHEMA_VERSION = 10
MIN_FREE_BYTES = 32 * 1024 * 1024  # under this much free space the store is not ready: its writes would fail soon
SESSION_TABLES = (  # the tables of a session's rows
    "interviews",
    "interview_weaknesses",
    "answers",
    "job_descriptions",
    "job_description_skills",
    "demographics",
)
READ_MODEL_TABLES = (
    *SESSION_TABLES,
    "projection_versions",
    "records",
    "record_keys",
    "totals",
)


class SQLiteStore(SQLiteReads):
    def __init__(self, path: Path) -> None:
        self.path = path
        self.description = f"SQLite at {path}"
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite")
        self._db: sqlite3.Connection | None = None
        self.needs_rebuild = False
        self._parsed = ParsedEvents()
        self._disk_full = False

    async def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        if self._db is None:
            raise RuntimeError(f"{self.description} is not open")
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
            if "credential" not in {column[1] for column in db.execute("PRAGMA table_info(sign_ins)")}:
                # sign-ins made before they kept their credential: those people sign in again
                db.execute("ALTER TABLE sign_ins ADD COLUMN credential TEXT NOT NULL DEFAULT ''")
            if fresh:
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            _chain_unchained(db)
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

    async def verify_chain(self) -> chain.Verification:
        return await self._run(_verify)

    async def ping(self) -> bool:
        """It reads, and its disk has room to write: found by an operator's test, a full disk failed every
        write ("database or disk is full") while /readyz said the store was fine."""
        if self._db is None or not await self._run(lambda db: db.execute("SELECT 1").fetchone() == (1,)):
            return False
        free = shutil.disk_usage(self.path.parent).free
        if (free < MIN_FREE_BYTES) != self._disk_full:
            self._disk_full = free < MIN_FREE_BYTES
            if self._disk_full:
                log.error("the disk of %s has %d MB free: writes fail from here, so /readyz says the store is "
                          "not ready until there is room again", self.path, free // 1_000_000)  # fmt: skip
            else:
                log.warning("the disk of %s has room again (%d MB free)", self.path, free // 1_000_000)
        return not self._disk_full

    # the event store

    async def append(self, event: Event) -> bool:
        insert = _inserting(event)

        def insert_one(db: sqlite3.Connection) -> bool:
            with transaction(db):  # the event and its chain entry
                return insert(db)

        return await self._run(insert_one)

    async def append_all(self, events: list[Event]) -> list[bool]:
        inserts = [_inserting(event) for event in events]

        def insert_all(db: sqlite3.Connection) -> list[bool]:
            with transaction(db):
                return [insert(db) for insert in inserts]

        return await self._run(insert_all)

    async def session_events(self, session_id: str) -> list[Event]:
        rows = await self._run(
            lambda db: db.execute(
                "SELECT event_id, body FROM events WHERE session_id = ? ORDER BY seq", (session_id,)
            ).fetchall()
        )
        return [self._parsed(event_id, body) for event_id, body in rows]

    async def session_ids(self) -> AsyncIterator[str]:
        after = ""
        while True:
            batch = await self._tuples(
                "SELECT DISTINCT session_id FROM events WHERE session_id > ? ORDER BY session_id LIMIT ?",
                (after, EXPORT_BATCH),
            )
            for (session_id,) in batch:
                yield session_id
            if len(batch) < EXPORT_BATCH:
                return
            after = batch[-1][0]

    async def is_erased(self, session_id: str) -> bool:
        return await self._run(lambda db: _erased(db, session_id))

    async def is_completed(self, session_id: str) -> bool:
        sql = "SELECT 1 FROM events WHERE session_id = ? AND type = ? LIMIT 1"
        return await self._run(lambda db: db.execute(sql, (session_id, COMPLETION)).fetchone() is not None)

    async def sessions_progress(self, session_ids: Sequence[str]) -> dict[str, SessionProgress]:
        if not session_ids:
            return {}

        def read(db: sqlite3.Connection, session_id: str) -> SessionProgress:
            erased = _erased(db, session_id)
            ids = [i for (i,) in db.execute("SELECT event_id FROM events WHERE session_id = ?", (session_id,))]
            (version,) = db.execute(
                "SELECT MAX(version) FROM (SELECT version FROM projection_versions WHERE session_id = ?"
                " UNION ALL SELECT version FROM records WHERE id = ?)",
                (session_id, session_id),
            ).fetchone()
            return SessionProgress(erased, ids, version or 0)

        # indexed reads, all in one trip to the store's thread
        return await self._run(lambda db: {session_id: read(db, session_id) for session_id in session_ids})

    async def erase_session(self, session_id: str) -> bool:
        self._parsed.forget_session(session_id)

        def erase(db: sqlite3.Connection) -> bool:
            with transaction(db):
                removed = db.execute(
                    "SELECT body FROM events WHERE session_id = ? AND type != ? ORDER BY seq", (session_id, ERASURE)
                ).fetchall()
                if removed:  # the chain keeps what was there (hashes) and that it was removed
                    hashes = [chain.body_hash(body) for (body,) in removed]
                    _chain(db, "erased", session_id, session_id, chain.erased_hash(hashes))
                deleted = db.execute(
                    "DELETE FROM events WHERE session_id = ? AND type != ?", (session_id, ERASURE)
                ).rowcount
                found = _delete_rows(db, session_id) or deleted > 0
                db.execute("DELETE FROM projection_versions WHERE session_id = ?", (session_id,))
                db.execute("DELETE FROM records WHERE id = ?", (session_id,))
                db.execute("DELETE FROM record_keys WHERE id = ?", (session_id,))
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the old pages leave the write-ahead log too
            return found

        found = await self._run(erase)
        self._parsed.forget_session(session_id)  # again: a read meanwhile may have parsed them
        return found

    async def erase_shadow_scores(self, session_id: str) -> list[str]:
        def erase(db: sqlite3.Connection) -> tuple[list[str], list[str]]:
            with transaction(db):
                removed = db.execute(
                    "SELECT event_id, session_id, body FROM events WHERE type = ?"
                    " AND json_extract(body, '$.payload.interview_session_id') = ? ORDER BY seq",
                    (SHADOW_SCORE, session_id),
                ).fetchall()
                runs = sorted({run_id for _, run_id, _ in removed})
                for run_id in runs:  # each run's chain says what was removed from it
                    hashes = [chain.body_hash(body) for _, of_run, body in removed if of_run == run_id]
                    _chain(db, "erased", run_id, run_id, chain.erased_hash(hashes))
                    db.execute("DELETE FROM records WHERE kind = 'shadow' AND id = ?", (run_id,))
                    db.execute("DELETE FROM record_keys WHERE kind = 'shadow' AND id = ?", (run_id,))
                db.executemany("DELETE FROM events WHERE event_id = ?", [(event_id,) for event_id, _, _ in removed])
            return runs, [event_id for event_id, _, _ in removed]

        runs, removed = await self._run(erase)
        self._parsed.forget(removed)  # here, on the event loop, where the cache is used
        return runs

    # the read models

    async def save_projection(self, rows: SessionRows) -> bool:
        return await self._run(lambda db: _save_projection(db, rows))

    async def save_projections(self, rows: list[SessionRows]) -> list[bool]:
        def save_all(db: sqlite3.Connection) -> list[bool]:
            with transaction(db):
                return [_write_projection(db, session_rows) for session_rows in rows]

        return await self._run(save_all)

    async def save_record(self, record: Record) -> bool:
        def save(db: sqlite3.Connection) -> bool:
            with transaction(db):
                stored = db.execute("SELECT version FROM records WHERE kind = ? AND id = ?", (record.kind, record.id))
                version = stored.fetchone()
                if (version is not None and version[0] > record.version) or _erased(db, record.id):
                    return False
                db.execute(
                    "INSERT INTO records (kind, id, version, document) VALUES (?, ?, ?, ?) ON CONFLICT (kind, id)"
                    " DO UPDATE SET version = excluded.version, document = excluded.document",
                    (record.kind, record.id, record.version, json.dumps(record.document)),
                )
                db.execute("DELETE FROM record_keys WHERE kind = ? AND id = ?", (record.kind, record.id))
                db.executemany(
                    "INSERT INTO record_keys (kind, name, value, id) VALUES (?, ?, ?, ?)",
                    [(record.kind, name, value, record.id) for name, value in record.keys],
                )
                return True

        return await self._run(save)

    async def append_audit(self, entry: AuditEntry) -> None:
        columns = ("at", "actor", "actor_name", "role", "action", "target", "client", "status")
        values = tuple(getattr(entry, column) for column in columns)
        sql = f"INSERT INTO audit ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        await self._run(lambda db: db.execute(sql, values))

    async def save_sign_in(self, token_hash: str, sign_in: SignIn) -> None:
        sql = "INSERT OR REPLACE INTO sign_ins (token_hash, user_id, expires_at, credential) VALUES (?, ?, ?, ?)"
        row = (token_hash, sign_in.user_id, sign_in.expires_at, sign_in.credential)
        await self._run(lambda db: db.execute(sql, row))

    async def delete_sign_in(self, token_hash: str) -> None:
        await self._run(lambda db: db.execute("DELETE FROM sign_ins WHERE token_hash = ?", (token_hash,)))

    async def take_lease(self, name: str, holder: str, seconds: float) -> bool:
        sql = ("INSERT INTO leases (name, holder, until) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
               "holder = excluded.holder, until = excluded.until WHERE leases.until <= ?")  # fmt: skip
        now = time.time()
        return await self._run(lambda db: db.execute(sql, (name, holder, now + seconds, now)).rowcount == 1)

    async def end_lease(self, name: str, holder: str) -> None:
        sql = "DELETE FROM leases WHERE name = ? AND holder = ?"
        await self._run(lambda db: db.execute(sql, (name, holder)))

    async def clear_read_models(self) -> None:
        def clear(db: sqlite3.Connection) -> None:
            with transaction(db):
                for table in READ_MODEL_TABLES[:-1]:
                    db.execute(f"DELETE FROM {table}")
                db.execute(
                    "UPDATE totals SET completed = 0, score_centis = 0, questions = 0, answers = 0, in_progress = 0"
                )

        await self._run(clear)


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[None]:
    """One write transaction (taking the write lock at once): committed when the block ends, rolled back
    if it raises."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _erased(db: sqlite3.Connection, session_id: str) -> bool:
    sql = "SELECT 1 FROM events WHERE session_id = ? AND type = ? LIMIT 1"
    return db.execute(sql, (session_id, ERASURE)).fetchone() is not None


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
    for table in SESSION_TABLES:
        deleted += db.execute(f"DELETE FROM {table} WHERE session_id = ?", (session_id,)).rowcount
    return deleted > 0


def _inserting(event: Event) -> Callable[[sqlite3.Connection], bool]:
    """The insert of one event (encoded here, in the caller's thread): False if its id was stored already or
    its session was erased."""
    row = (str(event.event_id), event.session_id, event.type, event.occurred_at.isoformat(), encode_event(event))
    erasure = isinstance(event, InterviewErased)

    body = row[4].decode()

    def insert(db: sqlite3.Connection) -> bool:
        if not erasure and _erased(db, event.session_id):
            return False
        existed = db.execute("SELECT 1 FROM events WHERE event_id = ?", (row[0],)).fetchone() is not None
        # A second body for one id (a derived event made twice) replaces the stored one only if
        # it is the earlier (shared.contracts.session_view.earlier, in SQL): every store and replica keeps the same body.
        sql = (
            "INSERT INTO events (event_id, session_id, type, occurred_at, body) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (event_id) DO UPDATE SET occurred_at = excluded.occurred_at, body = excluded.body"
            " WHERE (excluded.occurred_at, excluded.body) < (events.occurred_at, events.body)"
        )
        if db.execute(sql, (*row[:4], body)).rowcount != 1:
            return False
        _chain(db, "replaced" if existed else "stored", row[0], event.session_id, chain.body_hash(body))
        return True

    return insert


def _chain(db: sqlite3.Connection, entry: chain.Entry, event_id: str, session_id: str, hashed: str) -> None:
    """One more entry of the hash chain, inside the caller's transaction."""
    last = db.execute("SELECT seq, store_link FROM event_chain ORDER BY seq DESC LIMIT 1").fetchone()
    seq, previous = (last[0] + 1, last[1]) if last else (1, None)
    before = db.execute(
        "SELECT session_link FROM event_chain WHERE session_id = ? ORDER BY seq DESC LIMIT 1", (session_id,)
    ).fetchone()
    of_session = chain.session_link(before[0] if before else None, entry, event_id, hashed)
    db.execute(
        "INSERT INTO event_chain (seq, entry, event_id, session_id, body_hash, session_link, store_link)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (seq, entry, event_id, session_id, hashed, of_session, chain.store_link(previous, seq, session_id, of_session)),
    )


def _chain_unchained(db: sqlite3.Connection) -> None:
    """A store from before the chain: its events are chained once, in their order, when it is first opened
    (and never again: a chain emptied later is reported by `verify`, not started afresh)."""
    if db.execute("SELECT 1 FROM store_facts WHERE name = 'chain_started'").fetchone() is not None:
        return
    with transaction(db):
        for event_id, session_id, body in db.execute("SELECT event_id, session_id, body FROM events ORDER BY seq"):
            _chain(db, "stored", event_id, session_id, chain.body_hash(body))
        started = datetime.now(UTC).isoformat(timespec="seconds")
        db.execute("INSERT INTO store_facts (name, value) VALUES ('chain_started', ?)", (started,))


def _verify(db: sqlite3.Connection) -> chain.Verification:
    """Recompute the chain, then hold every stored event against it (chain.py says what each check finds)."""
    result = chain.Verification()
    walk = chain.Walk(result)
    rows = db.execute(
        "SELECT seq, entry, event_id, session_id, body_hash, session_link, store_link FROM event_chain ORDER BY seq"
    )
    for row in rows:
        walk.entry(*row)
    first_seen: dict[str, int] = {}
    rows = db.execute(
        "SELECT e.event_id, e.session_id, e.type, e.body, c.entry, c.session_id, c.body_hash,"
        " (SELECT MIN(seq) FROM event_chain WHERE event_id = e.event_id)"
        " FROM events e LEFT JOIN event_chain c"
        " ON c.seq = (SELECT MAX(seq) FROM event_chain WHERE event_id = e.event_id) ORDER BY e.seq"
    )
    for event_id, session_id, event_type, body, entry, chained_session, hashed, first in rows:
        result.events += 1
        where = f"event {event_id} ({event_type}) of session {session_id}"
        if entry is None or entry == "erased":
            result.problem(f"{where} is not in the chain: it was added behind the store's back")
            continue
        if chained_session != session_id:
            result.problem(f"{where} was moved there from session {chained_session}")
        if chain.body_hash(body) != hashed or json.loads(body).get("type") != event_type:
            result.problem(f"{where} was edited")
        if first < first_seen.get(session_id, 0):
            result.problem(f"{where} was moved before events stored earlier than it (reordered)")
        first_seen[session_id] = max(first, first_seen.get(session_id, 0))
    removed = db.execute(
        "SELECT c.event_id, c.session_id FROM event_chain c WHERE c.entry != 'erased'"
        " AND c.seq = (SELECT MAX(seq) FROM event_chain WHERE event_id = c.event_id)"
        " AND NOT EXISTS (SELECT 1 FROM events e WHERE e.event_id = c.event_id)"
        " AND NOT EXISTS (SELECT 1 FROM event_chain x WHERE x.session_id = c.session_id AND x.entry = 'erased'"
        " AND x.seq > c.seq) ORDER BY c.seq"
    )
    for event_id, session_id in removed:
        result.problem(f"event {event_id} of session {session_id} was removed, and no erasure of the session says so")
    return result


def _save_projection(db: sqlite3.Connection, rows: SessionRows) -> bool:
    with transaction(db):
        return _write_projection(db, rows)  # nothing written: committing the empty transaction is a rollback


def _write_projection(db: sqlite3.Connection, rows: SessionRows) -> bool:
    """The session's rows, inside the caller's transaction, unless newer ones are stored or it was erased."""
    stored = db.execute("SELECT version FROM projection_versions WHERE session_id = ?", (rows.session_id,))
    version = stored.fetchone()
    if (version is not None and version[0] > rows.version) or _erased(db, rows.session_id):
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
    return True


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
        if rows.interview is not None and interview is not None:
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

    _write_demographics(db, rows)
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


def _write_demographics(db: sqlite3.Connection, rows: SessionRows) -> None:
    row = rows.demographics
    columns = "position_id, completed_at, hire_recommendation, overall_score, sex, race_ethnicity, age_band, provided"
    stored = db.execute(f"SELECT {columns} FROM demographics WHERE session_id = ?", (rows.session_id,)).fetchone()
    if row is None:
        if stored is not None:
            db.execute("DELETE FROM demographics WHERE session_id = ?", (rows.session_id,))
        return
    new = (row.position_id, row.completed_at, row.hire_recommendation, row.overall_score, row.sex,
           row.race_ethnicity, row.age_band, int(row.provided))  # fmt: skip
    if stored == new:
        return  # unchanged (a later review, say): not written again
    db.execute(
        f"INSERT OR REPLACE INTO demographics (session_id, {columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (row.session_id, *new),
    )


def _insert_interview(db: sqlite3.Connection, interview: ReviewedInterview, document: str) -> None:
    db.execute(
        "INSERT INTO interviews (session_id, status, timestamp, started_at, candidate_name, name_search,"
        " candidate_experience, difficulty, average_score, overall_score, hire_recommendation, total_questions,"
        " position_id, open_requests, document) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
            interview.position_id,
            interview.open_requests,
            document,
        ),
    )
    if interview.status == "completed":
        db.executemany(
            "INSERT INTO interview_weaknesses (session_id, weakness) VALUES (?, ?)",
            [(interview.session_id, weakness) for weakness in interview.weaknesses],
        )

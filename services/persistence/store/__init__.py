"""The persistence service's storage: thin, with no projection logic of its own.

Both stores (SQLite, the embedded default, and MongoDB) implement `Store` (an event store, read models
and analytics) and pass the same test suite (tests/integration/test_stores.py). Reads return typed rows:
the documents of services/persistence/documents.py and the sums of services/persistence/rows.py.
"""

import asyncio
import logging
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from services.persistence.chain import Verification
from services.persistence.documents import (
    AnswerRecord,
    DemographicRow,
    Document,
    JobDescriptionRecord,
    ReviewedInterview,
)
from services.persistence.projections import SessionRows
from services.persistence.queries import AnswerQuery, AuditQuery, DataSet, InterviewQuery, JobDescriptionQuery
from services.persistence.recruiting import Kind, Record
from services.persistence.rows import (
    AuditEntry,
    DayCount,
    ExperienceScore,
    QuestionScore,
    QuestionSums,
    ScoreBucket,
    SignIn,
    SkillTotals,
    Statistics,
    TopPerformer,
    WeaknessCount,
)
from services.persistence.settings import PersistenceSettings
from shared.contracts.events import Event

T = TypeVar("T")
log = logging.getLogger(__name__)


async def side_by_side(work: Iterable[Awaitable[T]]) -> list[T]:
    """Each one's outcome, in order, the work done concurrently (independent work: the sessions of a batch,
    the documents of a session, each guarded on its own): with a database over the network, the wait is then
    for the longest one's round trips instead of the sum of all of theirs. Every one finishes before a
    failure is raised: none is left writing behind a retry."""
    outcomes = await asyncio.gather(*work, return_exceptions=True)
    failures = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
    for other in failures[1:]:
        log.warning("another failure of the same batch", extra={"error": repr(other)})
    if failures:
        raise failures[0]
    return outcomes  # type: ignore[return-value]  # no exception among them


LEASE_SECONDS = 30.0  # far longer than the work a lease guards: a process that died holding one frees it after this


class Busy(Exception):
    """Another request held what this one waited for throughout `exclusive`'s wait."""


@asynccontextmanager
async def exclusive(store: "Store", name: str, wait: float = 15.0) -> AsyncIterator[None]:
    """One holder of `name` at a time across every persistence process on this store, for a check and the write
    it allows (two recruiters inviting the same person through two replicas): a lease in the store, asked for
    again until it is free (raises Busy after `wait` seconds), given back at the end, or running out after
    LEASE_SECONDS if its process dies. The processes' clocks must agree to well within that."""
    holder, pause = secrets.token_hex(8), 0.005
    deadline = time.monotonic() + wait
    while not await store.take_lease(name, holder, LEASE_SECONDS):
        if time.monotonic() >= deadline:
            raise Busy(name)
        await asyncio.sleep(pause)
        pause = min(pause * 2, 0.2)
    try:
        yield
    finally:
        await store.end_lease(name, holder)


@dataclass(frozen=True)
class SessionProgress:
    """How far the read models of one session are: what a consistency token is checked against."""

    erased: bool
    event_ids: list[str]  # of the session's stored events
    projected_version: int  # how many of its events the read models were computed from (0: none yet)


class EventStore(Protocol):
    """The events, forever (but for an erasure): appended once, read back per session."""

    async def append(self, event: Event) -> bool:
        """Store the event unless its id is stored or its session was erased; True if it was new."""

    async def append_all(self, events: list[Event]) -> list[bool]:
        """`append` each, in order, committed together where the store can (one transaction, one flush)."""

    async def session_events(self, session_id: str) -> list[Event]: ...
    def session_ids(self) -> AsyncIterator[str]: ...

    async def verify_chain(self) -> Verification:
        """Recompute the store's hash chain and hold the stored events against it (services/persistence/
        chain.py)."""

    async def is_erased(self, session_id: str) -> bool: ...
    async def is_completed(self, session_id: str) -> bool:
        """Whether the session's InterviewCompleted is stored."""

    async def sessions_progress(self, session_ids: Sequence[str]) -> dict[str, SessionProgress]:
        """How far the read models of each of these sessions are, read together (a few queries in all,
        not a few per session: a gateway asks about every session it wrote to and has not seen readable)."""

    async def erase_session(self, session_id: str) -> bool:
        """Delete the session's events (all but the erasure itself) and read-model rows; True if
        anything of it was stored."""

    async def erase_shadow_scores(self, session_id: str) -> list[str]:
        """Delete the shadow runs' scores of the interview's answers (their events, chained as removed
        from each run, and the runs' records, to be projected again); the ids of the runs they were in."""


class ReadModels(Protocol):
    """Each session's documents, as the read API pages, filters and exports them."""

    needs_rebuild: bool  # the read models are from an older version: run replay before serving

    async def save_projection(self, rows: SessionRows) -> bool:
        """Replace the session's rows unless newer ones (a higher version) are stored or the
        session was erased; an erasure stored while this writes leaves none of its rows behind."""

    async def save_projections(self, rows: list[SessionRows]) -> list[bool]:
        """`save_projection` for each (of different sessions), committed together where the store can."""

    async def clear_read_models(self) -> None: ...
    async def mark_rebuilt(self) -> None: ...
    async def list_interviews(self, query: InterviewQuery) -> tuple[int, list[ReviewedInterview]]: ...
    async def get_interview(self, session_id: str) -> ReviewedInterview | None: ...
    async def list_answers(self, query: AnswerQuery) -> tuple[int, list[AnswerRecord]]: ...
    async def list_job_descriptions(self, query: JobDescriptionQuery) -> tuple[int, list[JobDescriptionRecord]]: ...

    def export(self, data_set: DataSet) -> AsyncIterator[Document]:
        """Every row of `interviews` (completed ones), `answers` or `job_descriptions`, oldest first."""

    def reviewed_answers(self) -> AsyncIterator[AnswerRecord]:
        """The answers a person scored, oldest first."""

    async def job_descriptions_of(self, session_ids: list[str]) -> dict[str, JobDescriptionRecord]:
        """The job-description documents of these sessions (at most a few hundred), by session id."""


class Records(Protocol):
    """The recruiters' read models (services/persistence/recruiting.py): one record per position, invitation,
    user, webhook endpoint and delivery, found by id or by one of its keys."""

    async def save_record(self, record: Record) -> bool:
        """Replace the record unless a newer version is stored or its stream was erased."""

    async def get_record(self, kind: Kind, record_id: str) -> Record | None: ...
    async def find_records(self, kind: Kind, key: str, value: str) -> list[Record]: ...
    async def list_records(self, kind: Kind) -> list[Record]: ...


class Access(Protocol):
    """Who may do what, and what they did: dashboard sign-ins and the audit log. Not read models: nothing
    rebuilds them from events, and a replay leaves them as they are."""

    async def append_audit(self, entry: AuditEntry) -> None: ...
    async def list_audit(self, query: AuditQuery) -> tuple[int, list[AuditEntry]]: ...
    async def save_sign_in(self, token_hash: str, sign_in: SignIn) -> None: ...
    async def get_sign_in(self, token_hash: str) -> SignIn | None: ...
    async def delete_sign_in(self, token_hash: str) -> None: ...

    async def take_lease(self, name: str, holder: str, seconds: float) -> bool:
        """Hold `name` for `seconds` (True) unless another holder's lease on it is still running (False): one
        holder at a time across every persistence process on this store (`exclusive`)."""

    async def end_lease(self, name: str, holder: str) -> None:
        """Give `name` back, if `holder` still holds it."""


class Analytics(Protocol):
    """What the database adds up: the statistics, the seed's analyses, the improvement analyses' sums."""

    # each for all interviews, or for those of one position
    async def statistics(self, position_id: str | None = None) -> Statistics: ...
    async def top_performers(self, limit: int, position_id: str | None = None) -> list[TopPerformer]: ...
    async def score_by_experience(self, position_id: str | None = None) -> list[ExperienceScore]: ...
    async def common_weaknesses(self, limit: int, position_id: str | None = None) -> list[WeaknessCount]: ...
    async def question_effectiveness(
        self, limit: int, min_answers: int, position_id: str | None = None
    ) -> list[QuestionScore]: ...
    async def score_distribution(self, position_id: str | None = None) -> list[ScoreBucket]: ...
    async def interviews_over_time(self, position_id: str | None = None) -> list[DayCount]: ...

    async def question_sums(self) -> list[QuestionSums]:
        """Per (normalised_question, question), as improvement.question_sums adds them up."""

    async def skill_sums(self) -> SkillTotals:
        """Per job-description skill of completed interviews, and the completed interviews overall."""

    async def demographic_rows(self, position_id: str | None = None) -> list[DemographicRow]:
        """Every completed interview's outcome and self-identification (of one position), oldest first: for
        the adverse-impact analysis only (services/persistence/fairness.py)."""


class Store(EventStore, ReadModels, Records, Access, Analytics, Protocol):
    description: str

    async def open(self) -> None: ...
    async def close(self) -> None: ...
    async def ping(self) -> bool: ...


def sqlite_path(settings: PersistenceSettings) -> Path:
    return settings.data_dir / "interviewer.sqlite3"


def open_store(settings: PersistenceSettings) -> Store:
    if settings.mongodb_url:
        from services.persistence.store.mongo import MongoStore

        return MongoStore.from_url(settings.mongodb_url, settings.mongodb_database)
    from services.persistence.store.sqlite import SQLiteStore

    return SQLiteStore(sqlite_path(settings))

"""The MongoDB store, through PyMongo's async API (`AsyncMongoClient`).

Collections are documented for BI users in docs/data-model.md. Every write uses write
concern majority. Each read-model document carries the version of the fold that wrote it
(`_version`) and is only replaced by an equal or newer one, so concurrent writers converge on the
newest rows; `projection_versions` is raised last, so the version it names is fully written.

Not in a multi-document transaction, on purpose: a persistence process killed inside one leaves
it open on the server, holding its documents until the server's transaction lifetime runs out
(60 s by default), and every later write of that interview waits that long (measured: 58 s on
SecantusDB; docs/architecture.md). The event stays unacknowledged until its read models are
written, so a kill anywhere in between is repaired by the redelivery, which writes them again.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Container, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import ASCENDING, DESCENDING, AsyncMongoClient, IndexModel, ReturnDocument, UpdateOne, WriteConcern
from pymongo.errors import BulkWriteError, DuplicateKeyError

from services.persistence import chain
from services.persistence.chain import Verification
from services.persistence.projections import SessionRows
from services.persistence.recruiting import Record
from services.persistence.rows import AuditEntry, SignIn
from services.persistence.store import SessionProgress, side_by_side
from services.persistence.store.mongo_chain import DUPLICATE_KEY, Change, MongoChain, stored_hash
from services.persistence.store.mongo_reads import MongoReads
from services.persistence.store.parsed import ParsedEvents
from shared.contracts.events import AnswerShadowScored, Event, InterviewCompleted, InterviewErased, parse_event
from shared.contracts.session_view import earlier

# The read models' shape (2: answers carry question facts; job_description_skills). Kept in `meta`; a
# store holding events under another version rebuilds its read models (replay) before serving.
# 3: the recruiters' records; 4: demographics, the candidates' requests; 5: answers' evidence; 6: each person's verdict;
# 7: who ended an interview ended early (ended_by)
READ_MODEL_VERSION = 7
COMPLETION = InterviewCompleted.type_name()
ERASURE = InterviewErased.type_name()
SHADOW_SCORE = AnswerShadowScored.type_name()
SORTABLE = ("timestamp", "started_at", "average_score", "overall_score", "candidate_experience", "candidate_name")
# an index for every query of mongo_reads.py, in the directions of its sort
INDEXES: dict[str, list[IndexModel]] = {
    "events": [IndexModel([("session_id", ASCENDING), ("type", ASCENDING)])],
    "interviews": [IndexModel([("status", ASCENDING), (f, DESCENDING), ("session_id", DESCENDING)]) for f in SORTABLE]
    + [
        IndexModel([("timestamp", DESCENDING), ("session_id", DESCENDING)]),
        IndexModel([("hire_recommendation", ASCENDING), ("timestamp", DESCENDING)]),
        IndexModel([("difficulty", ASCENDING), ("timestamp", DESCENDING)]),
        IndexModel([("open_requests", ASCENDING), ("timestamp", DESCENDING)]),
        IndexModel([("position_id", ASCENDING), ("status", ASCENDING), ("average_score", DESCENDING)]),
        # top performers: best first, ties by session id ascending (an index serves a sort only in its
        # own directions or all of them reversed)
        IndexModel([("status", ASCENDING), ("average_score", DESCENDING), ("session_id", ASCENDING)]),
    ],
    "answers": [
        IndexModel([("session_id", ASCENDING), ("question_number", ASCENDING)]),
        IndexModel([("timestamp", ASCENDING), ("session_id", ASCENDING), ("question_number", ASCENDING)]),
        IndexModel([("timestamp", DESCENDING), ("session_id", ASCENDING), ("question_number", ASCENDING)]),
        IndexModel([("question", ASCENDING), ("score", ASCENDING)]),
        IndexModel([("position_id", ASCENDING), ("question", ASCENDING)]),
        IndexModel([("normalised_question", ASCENDING), ("question", ASCENDING)]),
        IndexModel(
            [("timestamp", ASCENDING), ("session_id", ASCENDING), ("question_number", ASCENDING)],
            name="reviewed_answers",
            partialFilterExpression={"human_score": {"$gte": 0}},
        ),
    ],
    "job_descriptions": [
        IndexModel([("timestamp", ASCENDING), ("session_id", ASCENDING)]),
        IndexModel([("timestamp", DESCENDING), ("session_id", ASCENDING)]),
        IndexModel([("session_id", ASCENDING)]),
    ],
    "records": [
        IndexModel([("kind", ASCENDING), ("keys.name", ASCENDING), ("keys.value", ASCENDING)]),
        IndexModel([("kind", ASCENDING), ("record_id", ASCENDING)]),
        IndexModel([("session_id", ASCENDING)]),
    ],
    "audit": [
        IndexModel([("seq", DESCENDING)]),
        IndexModel([("actor", ASCENDING), ("seq", DESCENDING)]),
        IndexModel([("target", ASCENDING), ("seq", DESCENDING)]),
    ],
    "sign_ins": [IndexModel([("expires_on", ASCENDING)], expireAfterSeconds=0)],
    "job_description_skills": [
        IndexModel([("session_id", ASCENDING)]),
        IndexModel([("status", ASCENDING), ("skill", ASCENDING), ("category", ASCENDING)]),
    ],
    "event_chain": [
        IndexModel([("event_id", ASCENDING)]),
        IndexModel([("session_id", ASCENDING), ("_id", ASCENDING)]),
    ],
    "demographics": [
        IndexModel([("completed_at", ASCENDING), ("_id", ASCENDING)]),
        IndexModel([("position_id", ASCENDING), ("completed_at", ASCENDING), ("_id", ASCENDING)]),
    ],
}
READ_MODELS = ("interviews", "answers", "job_descriptions", "job_description_skills", "demographics", "records")
# read models of one document per session, whose _id is the session id: found by _id (`interviews` has no
# index starting with session_id, so a filter on it there read the whole collection on every event)
SESSION_KEYED = ("interviews", "job_descriptions", "demographics")


class MongoStore(MongoReads):
    def __init__(self, client: Any, database: str) -> None:
        self.client = client
        self.description = f"MongoDB database '{database}'"
        self.needs_rebuild = False
        db = client[database]
        majority = WriteConcern("majority")
        names = ("events", "event_chain", *READ_MODELS, "projection_versions", "meta", "audit", "sign_ins", "counters",
                 "leases")  # fmt: skip
        self.database = database
        self._c = {name: db.get_collection(name, write_concern=majority) for name in names}
        self._chain = MongoChain(self._c["event_chain"], self._c["meta"])
        self._parsed = ParsedEvents()

    @classmethod
    def from_url(cls, url: str, database: str) -> MongoStore:
        return cls(AsyncMongoClient(url, tz_aware=True, serverSelectionTimeoutMS=5000), database)

    async def open(self) -> None:
        for name, indexes in INDEXES.items():
            await self._c[name].create_indexes(indexes)
        stored = await self._c["meta"].find_one({"_id": "read_models"})
        if stored is None and await self._c["events"].find_one({}, {"_id": 1}) is None:
            await self.mark_rebuilt()  # a new database: nothing to rebuild
        elif stored is None or stored.get("version") != READ_MODEL_VERSION:
            self.needs_rebuild = True
        await self._chain_unchained()

    async def _chain_unchained(self) -> None:
        """A store from before the chain: its events are chained once, in their order, when it is first opened
        (and never again: a chain emptied later is reported by `verify`, not started afresh)."""
        if await self._chain.started():
            return
        changes: list[Change] = []
        async for document in self._c["events"].find({}).sort([("occurred_at", ASCENDING), ("_id", ASCENDING)]):
            changes.append(("stored", document["_id"], document["session_id"], stored_hash(document["body"])))
        await self._chain.add(changes)
        await self._chain.mark_started(datetime.now(UTC).isoformat(timespec="seconds"))

    async def mark_rebuilt(self) -> None:
        document = {"_id": "read_models", "version": READ_MODEL_VERSION}
        await self._c["meta"].replace_one({"_id": "read_models"}, document, upsert=True)
        self.needs_rebuild = False

    async def close(self) -> None:
        await _maybe_await(self.client.close())

    async def ping(self) -> bool:
        try:
            await self.client.admin.command("ping")
            return True
        except Exception:
            return False

    # the event store

    async def append(self, event: Event) -> bool:
        new, change = await self._insert(event)
        if change is not None:
            await self._chain.add([change])
        return new

    async def _insert(self, event: Event) -> tuple[bool, Change | None]:
        """Store the event unless its id is stored or its session erased: whether it was new, and the change
        to chain (none if nothing changed and the stored body is chained already)."""
        if not isinstance(event, InterviewErased) and await self.is_erased(event.session_id):
            return False, None
        document = _event_document(event)
        try:
            await self._c["events"].insert_one(document)
            return True, ("stored", document["_id"], event.session_id, stored_hash(document["body"]))
        except DuplicateKeyError:
            return await self._stored_already(event, document)

    async def _stored_already(
        self,
        event: Event,
        document: dict[str, Any],
        chained: Container[str] = (),
    ) -> tuple[bool, Change | None]:
        """`_insert` of an event whose id is stored (`chained`: ids whose entries are on their way)."""
        # A second body for one id (a derived event made twice) replaces the stored one only if it
        # is the earlier, as in the fold: every store and replica keeps the same body.
        event_id, session_id, body = document["_id"], event.session_id, document["body"]
        stored = await self._c["events"].find_one({"_id": event_id})
        if stored is None:
            return False, None
        if earlier(event, parse_event(stored["body"])):
            replaced = await self._c["events"].replace_one({"_id": event_id, "body": stored["body"]}, document)
            if replaced.modified_count:
                return False, ("replaced", event_id, session_id, stored_hash(body))
        # stored, then stopped before its entry: the redelivery's (unless this batch is chaining it)
        if event_id not in chained and not await self._chain.is_chained(event_id):
            return False, ("stored", event_id, stored["session_id"], stored_hash(stored["body"]))
        return False, None

    async def verify_chain(self) -> Verification:
        return await self._chain.verify(self._c["events"])

    async def append_all(self, events: list[Event]) -> list[bool]:
        """`append` each, in a few round trips whatever their number (no transactions here): one read of
        the sessions erased, one insert of all the events (each stands or fails alone), then, for an id
        stored already, `append`'s own path; their chain entries written together. One at a time, a batch
        of 32 events waited for some 70 round trips in a row here: at a millisecond each, more than
        persistence's whole work."""
        erased = await self._erased_among({e.session_id for e in events if not isinstance(e, InterviewErased)})
        documents = {}
        for n, event in enumerate(events):
            if isinstance(event, InterviewErased):
                erased.add(event.session_id)  # what comes after it in the batch is not stored, as one by one
            elif event.session_id in erased:
                continue
            documents[n] = _event_document(event)
        failed: dict[int, Any] = {}
        if documents:
            order = list(documents)
            try:
                await self._c["events"].insert_many([documents[n] for n in order], ordered=False)
            except BulkWriteError as error:
                failed = {order[e["index"]]: e for e in error.details.get("writeErrors", [])}
                if any(e.get("code") != DUPLICATE_KEY for e in failed.values()) or error.details.get(
                    "writeConcernErrors"
                ):
                    raise
        outcomes: list[tuple[bool, Change | None]] = []
        chained: set[str] = set()  # ids this batch chains: an id again later in it is chained, as one by one
        for n, event in enumerate(events):
            if n not in documents:
                outcome: tuple[bool, Change | None] = (False, None)
            elif n in failed:
                outcome = await self._stored_already(event, documents[n], chained)
            else:
                document = documents[n]
                outcome = (True, ("stored", document["_id"], event.session_id, stored_hash(document["body"])))
            if outcome[1] is not None:
                chained.add(outcome[1][1])
            outcomes.append(outcome)
        await self._chain.add([change for _, change in outcomes if change is not None])
        return [new for new, _ in outcomes]

    async def _erased_among(self, session_ids: set[str]) -> set[str]:
        """Those of these sessions that were erased (their erasure event stays), in one query."""
        if not session_ids:
            return set()
        found = self._c["events"].find({"session_id": {"$in": list(session_ids)}, "type": ERASURE}, {"session_id": 1})
        return {document["session_id"] async for document in found}

    async def session_events(self, session_id: str) -> list[Event]:
        cursor = (
            self._c["events"].find({"session_id": session_id}).sort([("occurred_at", ASCENDING), ("_id", ASCENDING)])
        )
        return [self._parsed(document["_id"], document["body"]) async for document in cursor]

    async def session_ids(self) -> AsyncIterator[str]:
        pipeline = [{"$group": {"_id": "$session_id"}}, {"$sort": {"_id": 1}}]
        async for group in await self._c["events"].aggregate(pipeline, allowDiskUse=True):
            yield group["_id"]

    async def is_erased(self, session_id: str) -> bool:
        return session_id in await self._erased_among({session_id})

    async def is_completed(self, session_id: str) -> bool:
        found = await self._c["events"].find_one({"session_id": session_id, "type": COMPLETION}, {"_id": 1})
        return found is not None

    async def sessions_progress(self, session_ids: Sequence[str]) -> dict[str, SessionProgress]:
        if not session_ids:
            return {}
        wanted = {"$in": list(dict.fromkeys(session_ids))}
        events, *versioned = await asyncio.gather(
            self._c["events"].find({"session_id": wanted}, {"session_id": 1, "type": 1}).to_list(),
            self._c["projection_versions"].find({"_id": wanted}, {"version": 1}).to_list(),
            self._c["records"].find({"session_id": wanted}, {"session_id": 1, "version": 1}).to_list(),
        )
        ids: dict[str, list[str]] = {session_id: [] for session_id in session_ids}
        erased = set()
        for event in events:
            ids[event["session_id"]].append(event["_id"])
            if event["type"] == ERASURE:
                erased.add(event["session_id"])
        versions = dict.fromkeys(session_ids, 0)
        for documents, key in zip(versioned, ("_id", "session_id"), strict=True):
            for document in documents:
                versions[document[key]] = max(versions[document[key]], document["version"])
        return {
            session_id: SessionProgress(session_id in erased, ids[session_id], versions[session_id])
            for session_id in session_ids
        }

    async def erase_session(self, session_id: str) -> bool:
        self._parsed.forget_session(session_id)
        await self._chain_erasure(session_id)  # first: a stop before the events go leaves nothing unexplained
        deleted: int = (
            await self._c["events"].delete_many({"session_id": session_id, "type": {"$ne": ERASURE}})
        ).deleted_count
        for name in READ_MODELS:
            match = {"_id": session_id} if name in SESSION_KEYED else {"session_id": session_id}
            deleted += (await self._c[name].delete_many(match)).deleted_count
        await self._c["projection_versions"].delete_one({"_id": session_id})
        self._parsed.forget_session(session_id)  # again: a read meanwhile may have parsed them
        return deleted > 0

    async def _chain_erasure(self, session_id: str) -> None:
        """The erasure's entry: the hash of the removed bodies' hashes, in the order they were chained."""
        bodies = {
            d["_id"]: d["body"]
            async for d in self._c["events"].find({"session_id": session_id, "type": {"$ne": ERASURE}})
        }
        if not bodies:
            return
        first: dict[str, int] = {}
        for entry in sorted(await self._chain.session_entries(session_id), key=lambda e: e["_id"]):
            first.setdefault(entry["event_id"], entry["_id"])
        removed = [stored_hash(bodies[event_id]) for event_id in sorted(bodies, key=lambda i: (first.get(i, 0), i))]
        await self._chain.add([("erased", session_id, session_id, chain.erased_hash(removed))])

    async def erase_shadow_scores(self, session_id: str) -> list[str]:
        match = {"type": SHADOW_SCORE, "body.payload.interview_session_id": session_id}
        removed = [
            d async for d in self._c["events"].find(match).sort([("occurred_at", ASCENDING), ("_id", ASCENDING)])
        ]
        runs = sorted({d["session_id"] for d in removed})
        self._parsed.forget(d["_id"] for d in removed)
        if runs:  # first the chain: a stop before the events go leaves nothing unexplained
            await self._chain.add([
                ("erased", run_id, run_id, chain.erased_hash([stored_hash(d["body"]) for d in removed
                                                              if d["session_id"] == run_id]))
                for run_id in runs
            ])  # fmt: skip
        await self._c["events"].delete_many({"_id": {"$in": [d["_id"] for d in removed]}})
        await self._c["records"].delete_many({"_id": {"$in": [f"shadow:{run_id}" for run_id in runs]}})
        return runs

    # the read models

    async def save_projections(self, rows: list[SessionRows]) -> list[bool]:
        return await side_by_side(self.save_projection(session_rows) for session_rows in rows)

    async def save_projection(self, rows: SessionRows) -> bool:
        """Each document that changed is replaced unless a newer version of it is stored, each one left as
        it was takes this version, and each one the session no longer has is deleted; `projection_versions`
        is raised last, so the version it holds is one whose every document has been written (what a
        consistency token waits for).

        Only what changed is written whole: each new event changes a few of a session's documents, and
        replacing all of them (five answers, the interview, ten skills) cost some fifteen guarded
        replacements per event (on SecantusDB, `bench.persistence_batches --store mongodb`). The others
        still take the new `_version`, in one request per read model, each only if it still holds the
        version read: a writer of an older version must not replace them afterwards (a document can come
        back to an earlier content: a skill row copies the average score, which 8, 6, 10 bring back to 8).
        One that changed meanwhile is replaced whole, as a changed one."""
        session_id, version = rows.session_id, rows.version
        erased, stored = await asyncio.gather(
            self.is_erased(session_id), self._c["projection_versions"].find_one({"_id": session_id})
        )
        if erased or (stored is not None and stored["version"] > version):
            return False
        documents = {
            "interviews": [rows.interview.model_dump(mode="json") | {"_id": session_id}] if rows.interview else [],
            "job_descriptions": (
                [rows.job_description.model_dump(mode="json") | {"_id": session_id}] if rows.job_description else []
            ),
            "answers": [a.model_dump(mode="json") | {"_id": f"{session_id}:{a.question_number}"} for a in rows.answers],
            "job_description_skills": [
                s.model_dump(mode="json") | {"_id": f"{session_id}:{s.category}:{s.skill}"} for s in rows.job_skills
            ],
            "demographics": [rows.demographics.model_dump(mode="json") | {"_id": session_id}]
            if rows.demographics
            else [],
        }
        stored_documents = await asyncio.gather(*(self._stored_documents(name, session_id) for name in documents))
        held = dict(zip(documents, stored_documents, strict=True))
        # The interview first, alone: it changes with nearly every event, so a writer of an older version
        # is refused there and stops before it writes anything else (in particular before it could put
        # back a document that a newer version deleted); then the others side by side.
        if not await self._write_documents(
            "interviews", session_id, version, documents["interviews"], held["interviews"]
        ):
            return False
        written = await side_by_side(
            self._write_documents(name, session_id, version, docs, held[name])
            for name, docs in documents.items()
            if name != "interviews"
        )
        if not all(written):
            return False
        for _ in range(5):  # two first upserts of one session can race: the loser's retry updates
            try:
                await self._c["projection_versions"].update_one(
                    {"_id": session_id}, {"$max": {"version": version}}, upsert=True
                )
                break
            except DuplicateKeyError:
                continue
        else:
            return False
        if await self.is_erased(session_id):  # an erasure raced with these writes (no transaction here)
            await self.erase_session(session_id)
            return False
        return True

    async def _write_documents(
        self, name: str, session_id: str, version: int, docs: list[dict[str, Any]], before: dict[str, dict[str, Any]]
    ) -> bool:
        """`save_projection`'s writes to one read model (each document on its own, side by side); False if
        a newer version of one is stored."""
        collection = self._c[name]
        changed, stale = [], []  # stale: the same content, an older `_version`
        for document in docs:
            document["session_id"] = session_id
            stored_document = before.get(document["_id"])
            if stored_document is None or _content(stored_document) != document:
                changed.append(document)
            elif stored_document["_version"] < version:
                stale.append((document, stored_document["_version"]))
        if stale:
            stamped = await collection.bulk_write(
                [UpdateOne({"_id": d["_id"], "_version": seen}, {"$set": {"_version": version}}) for d, seen in stale],
                ordered=False,
            )
            if stamped.matched_count < len(stale):  # one was written meanwhile: write them whole, guarded
                changed += [document for document, _ in stale]
        claimed = await side_by_side(self._claim(collection, document | {"_version": version}) for document in changed)
        gone = [key for key in before if key not in {d["_id"] for d in docs}]
        if gone:
            await collection.delete_many({"_id": {"$in": gone}, "_version": {"$lt": version}})
        return all(claimed)

    async def save_record(self, record: Record) -> bool:
        if await self.is_erased(record.id):
            return False
        document = {
            "_id": f"{record.kind}:{record.id}", "kind": record.kind, "record_id": record.id, "session_id": record.id,
            "version": record.version, "document": record.document,
            "keys": [{"name": name, "value": value} for name, value in record.keys],
        }  # fmt: skip
        return await self._claim(self._c["records"], document, "version")

    async def append_audit(self, entry: AuditEntry) -> None:
        for _ in range(5):
            try:
                counter = await self._c["counters"].find_one_and_update(
                    {"_id": "audit"}, {"$inc": {"seq": 1}}, upsert=True, return_document=ReturnDocument.AFTER
                )
            except DuplicateKeyError:  # two first upserts of the counter raced: the loser's retry increments
                continue
            if counter is not None:  # (SecantusDB answers None to the loser of that race instead)
                await self._c["audit"].insert_one(entry.model_dump() | {"seq": counter["seq"]})
                return
        raise RuntimeError("the audit log's counter could not be advanced")

    async def save_sign_in(self, token_hash: str, sign_in: SignIn) -> None:
        document = sign_in.model_dump() | {"_id": token_hash, "expires_on": datetime.fromisoformat(sign_in.expires_at)}
        await self._c["sign_ins"].replace_one({"_id": token_hash}, document, upsert=True)

    async def delete_sign_in(self, token_hash: str) -> None:
        await self._c["sign_ins"].delete_one({"_id": token_hash})

    async def take_lease(self, name: str, holder: str, seconds: float) -> bool:
        now = datetime.now(UTC)
        try:  # a lease still running does not match, so the upsert inserts a second `name`: refused
            taken = await self._c["leases"].find_one_and_update(
                {"_id": name, "until": {"$lte": now}}, {"$set": {"holder": holder, "until": now + timedelta(seconds=seconds)}},
                upsert=True, return_document=ReturnDocument.AFTER,
            )  # fmt: skip
        except DuplicateKeyError:
            return False
        return taken is not None and taken.get("holder") == holder

    async def end_lease(self, name: str, holder: str) -> None:
        await self._c["leases"].delete_one({"_id": name, "holder": holder})

    @staticmethod
    async def _claim(collection: Any, document: dict[str, Any], version_field: str = "_version") -> bool:
        """Replace the document unless a newer version of it is stored."""
        version = document[version_field]
        for _ in range(5):
            try:
                await collection.replace_one(
                    {"_id": document["_id"], version_field: {"$lte": version}}, document, upsert=True
                )
                return True
            except DuplicateKeyError:
                # Either a newer version is stored, or a concurrent writer inserted the document
                # first (its upsert won the race): look, and try again if ours is not older.
                stored = await collection.find_one({"_id": document["_id"]}, {version_field: 1})
                if stored is not None and stored.get(version_field, 0) > version:
                    return False
        return False

    async def _stored_documents(self, name: str, session_id: str) -> dict[str, dict[str, Any]]:
        """A session's documents in one read model as stored, by _id."""
        match = {"_id": session_id} if name in SESSION_KEYED else {"session_id": session_id}
        return {d["_id"]: d async for d in self._c[name].find(match)}

    async def clear_read_models(self) -> None:
        for name in (*READ_MODELS, "projection_versions"):
            await self._c[name].delete_many({})


def _event_document(event: Event) -> dict[str, Any]:
    return {"_id": str(event.event_id), "session_id": event.session_id, "type": event.type,
            "occurred_at": event.occurred_at, "body": event.model_dump(mode="json")}  # fmt: skip


def _content(document: dict[str, Any]) -> dict[str, Any]:
    """A stored read-model document without the version that wrote it."""
    return {key: value for key, value in document.items() if key != "_version"}


async def _maybe_await(value: Any) -> None:
    if hasattr(value, "__await__"):
        await value

"""The MongoDB store's hash chain (services/persistence/chain.py says what it proves): the same entries as the
SQLite store's, in the collection `event_chain`, each numbered by its `_id`.

Without a transaction around an event and its entry, the order comes from the `_id`: an entry is written
at the number after the last one its writer has read, so two writers (persistence replicas) that computed
the same number cannot both store it; the one refused reads what the other wrote and computes again. Each
process remembers the last entry it knows and the sessions' last links, so that an event costs one query
for newer entries and one insert (a batch: the same two for all its events), and one more for the last link
of a session it does not remember. An event is stored before its
entry: a process stopped in between leaves an event without one, which its redelivery (the broker's) adds;
an erasure's entry is written before the events go, so a stop in between leaves nothing unexplained.
"""

from __future__ import annotations

import asyncio
import json
from collections import OrderedDict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.errors import BulkWriteError

from services.persistence import chain

Change = tuple[chain.Entry, str, str, str]  # entry, event id (a session's, for an erasure), session id, hash
SESSIONS_REMEMBERED = 10_000
DUPLICATE_KEY = 11000


def stored_hash(body: dict[str, Any]) -> str:
    """The hash of an event's body as the store keeps it (a document): of its canonical JSON."""
    return chain.body_hash(json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False))


class MongoChain:
    def __init__(self, entries: Any, facts: Any) -> None:
        self._entries = entries
        self._facts = facts
        self._head: tuple[int, str | None] | None = None  # the last entry this process knows: seq, store link
        self._sessions: OrderedDict[str, str] = OrderedDict()  # session id -> its last session link, as of the head
        self._lock = asyncio.Lock()  # this process writes one run of entries at a time

    async def add(self, changes: Sequence[Change]) -> None:
        """Chain these changes, in order, after every entry stored so far."""
        changes = list(changes)
        async with self._lock:
            while changes:
                seq, previous = await self._catch_up()
                documents: list[dict[str, Any]] = []
                links: dict[str, str] = {}
                for entry, event_id, session_id, hashed in changes:
                    seq += 1
                    before = links.get(session_id) or await self._session_link(session_id)
                    of_session = chain.session_link(before, entry, event_id, hashed)
                    previous = chain.store_link(previous, seq, session_id, of_session)
                    links[session_id] = of_session
                    documents.append({"_id": seq, "entry": entry, "event_id": event_id, "session_id": session_id,
                                      "body_hash": hashed, "session_link": of_session, "store_link": previous})  # fmt: skip
                try:
                    await self._entries.insert_many(documents, ordered=True)
                    inserted = len(documents)
                except BulkWriteError as error:  # another writer took a number first: the rest comes after its
                    if any(e.get("code") != DUPLICATE_KEY for e in error.details.get("writeErrors", [])):
                        raise
                    inserted = error.details.get("nInserted", 0)
                for document in documents[:inserted]:
                    self._note(document)
                changes = changes[inserted:]

    async def is_chained(self, event_id: str) -> bool:
        return await self._entries.find_one({"event_id": event_id}, {"_id": 1}) is not None

    async def session_entries(self, session_id: str) -> list[dict[str, Any]]:
        return [e async for e in self._entries.find({"session_id": session_id}, {"event_id": 1, "entry": 1})]

    async def started(self) -> bool:
        return await self._facts.find_one({"_id": "chain_started"}) is not None

    async def mark_started(self, at: str) -> None:
        await self._facts.update_one({"_id": "chain_started"}, {"$setOnInsert": {"at": at}}, upsert=True)

    async def _catch_up(self) -> tuple[int, str | None]:
        """The last entry stored, having read every entry after the one this process knew."""
        if self._head is None:
            last = await self._entries.find_one({}, sort=[("_id", DESCENDING)])
            self._head = (last["_id"], last["store_link"]) if last else (0, None)
            self._sessions.clear()  # looked up per session from here
        newer = self._entries.find({"_id": {"$gt": self._head[0]}}).sort([("_id", ASCENDING)])
        async for document in newer:
            if document["_id"] != self._head[0] + 1:
                break  # a gap: entries being written now; what follows it is not ours to follow yet
            self._note(document)
        return self._head

    async def _session_link(self, session_id: str) -> str | None:
        if session_id in self._sessions:
            self._sessions.move_to_end(session_id)
            return self._sessions[session_id]
        head = self._head[0] if self._head else 0
        last = None
        async for document in self._entries.find({"session_id": session_id, "_id": {"$lte": head}},
                                                 {"session_link": 1}):  # fmt: skip
            if last is None or document["_id"] > last["_id"]:
                last = document
        return last["session_link"] if last else None

    def _note(self, document: dict[str, Any]) -> None:
        self._head = (document["_id"], document["store_link"])
        self._sessions[document["session_id"]] = document["session_link"]
        self._sessions.move_to_end(document["session_id"])
        while len(self._sessions) > SESSIONS_REMEMBERED:
            self._sessions.popitem(last=False)

    async def verify(self, events: Any) -> chain.Verification:
        """Recompute the chain, then hold every stored event (the `events` collection) against it."""
        result = chain.Verification()
        walk = chain.Walk(result)
        last: dict[str, tuple[int, str]] = {}  # event id -> its last entry: seq, session
        # event id -> every body hash chained for it: two replicas storing one derived event race to chain
        # their bodies ("stored", "replaced"), so the body kept may be chained before the other's entry
        hashes: dict[str, set[str]] = {}
        erased: dict[str, int] = {}  # session id -> its last erasure
        async for e in self._entries.find({}).sort([("_id", ASCENDING)]):
            seq, entry, event_id, session_id = e["_id"], e["entry"], e["event_id"], e["session_id"]
            walk.entry(seq, entry, event_id, session_id, e["body_hash"], e["session_link"], e["store_link"])
            if entry == "erased":
                erased[session_id] = seq
            else:
                last[event_id] = (seq, session_id)
                hashes.setdefault(event_id, set()).add(e["body_hash"])
        present = set()
        async for document in events.find({}):
            event_id, session_id, body = document["_id"], document["session_id"], document["body"]
            present.add(event_id)
            result.events += 1
            where = f"event {event_id} ({document['type']}) of session {session_id}"
            chained = last.get(event_id)
            if chained is None:
                result.problem(f"{where} is not in the chain: it was added behind the store's back")
                continue
            if chained[1] != session_id:
                result.problem(f"{where} was moved there from session {chained[1]}")
            if stored_hash(body) not in hashes[event_id] or (body.get("type"), body.get("session_id")) != (
                document["type"],
                chained[1],
            ):
                result.problem(f"{where} was edited")
            elif not _same_moment(document["occurred_at"], body.get("occurred_at")):
                result.problem(f"{where} was moved among its session's events: reordered (its time was changed)")
        for event_id, (seq, session_id) in last.items():
            if event_id not in present and erased.get(session_id, 0) < seq:
                result.problem(
                    f"event {event_id} of session {session_id} was removed, and no erasure of the session says so"
                )
        return result


def _same_moment(stored: datetime, in_body: Any) -> bool:
    """The time the store orders a session's events by is the body's (to the millisecond BSON keeps)."""
    try:
        moment = datetime.fromisoformat(str(in_body).replace("Z", "+00:00"))
    except ValueError:
        return False
    return abs((stored - moment).total_seconds()) < 0.001

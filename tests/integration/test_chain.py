"""The event store's hash chain (services/persistence/chain.py), on both stores: `verify` passes on a store
written only through its own code, erasures included, and reports each kind of change made behind its back,
made as an intruder with access to the data would: editing the SQLite file directly, or the MongoDB
collections with a client of their own."""

import asyncio
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from pymongo import AsyncMongoClient

from services.persistence.store.mongo import MongoStore
from services.persistence.store.sqlite import SQLiteStore
from tests.factories import interview_events
from tests.integration.stores import MONGODB_KIND, STORE_KINDS
from tests.integration.test_stores import ERASE_S01, cohort, record_all, record_together
from tests.mongodb import mongodb_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=STORE_KINDS)
def where(request, tmp_path):
    """Where a store lives across restarts: a folder (SQLite), or a database of its own (MongoDB)."""
    if request.param == MONGODB_KIND:
        database = f"interviewer_chain_{uuid.uuid4().hex[:8]}"
        yield MONGODB_KIND, database
        asyncio.run(_drop(database))
    else:
        yield "sqlite", tmp_path


async def _drop(database: str) -> None:
    client = AsyncMongoClient(mongodb_url())
    await client.drop_database(database)
    await client.close()


def opened(where):
    kind, place = where
    return (
        MongoStore.from_url(mongodb_url(), place)
        if kind == MONGODB_KIND
        else SQLiteStore(place / "interviewer.sqlite3")
    )


async def written(where) -> None:
    """A store with five interviews, written one at a time and in batches, and one erased."""
    store = opened(where)
    await store.open()
    try:
        events = cohort()
        await record_all(store, events[:20])
        assert all(outcome == [] for outcome in await record_together(store, events[20:]))
        await record_all(store, [ERASE_S01, events[0]])  # an erasure, then a late event of it (refused)
        report = next(e for e in interview_events("s02", (4, 5, 6), 3) if e.type == "ReportGenerated")
        await record_all(store, [report])  # another body of a stored id: the earlier stays
    finally:
        await store.close()


async def verification(where):
    store = opened(where)  # opened again, as after a restart
    await store.open()
    try:
        return await store.verify_chain()
    finally:
        await store.close()


ONE_EVENT = "(SELECT event_id FROM events WHERE session_id = 's02' AND type = 'AnswerScored' LIMIT 1)"
SQL = {
    "edited": ("UPDATE events SET body = replace(body, '\"score\":5', '\"score\":9') WHERE session_id = 's02'",),
    "removed": (f"DELETE FROM events WHERE event_id = {ONE_EVENT}",),
    "moved there from session s02": (f"UPDATE events SET session_id = 's03' WHERE event_id = {ONE_EVENT}",),
    "reordered": (
        "UPDATE events SET seq = -seq WHERE session_id = 's03' AND type = 'InterviewStarted'",
        "UPDATE events SET seq = (SELECT MAX(seq) + 1 FROM events) WHERE seq < 0",
    ),
    "added behind the store's back": (
        "INSERT INTO events (event_id, session_id, type, occurred_at, body) SELECT 'forged-' || event_id,"
        " session_id, type, occurred_at, body FROM events WHERE session_id = 's03' LIMIT 1",
    ),
    "was altered": ("UPDATE event_chain SET body_hash = 'x' || substr(body_hash, 2) WHERE seq = 5",),
    "were removed": ("DELETE FROM event_chain WHERE seq = 7",),
    "emptied": ("DELETE FROM event_chain",),
    "from before the chain": ("DELETE FROM event_chain", "DELETE FROM store_facts"),
}


async def mongo_tampering(database: str, found: str) -> None:
    client = AsyncMongoClient(mongodb_url(), tz_aware=True)
    events, entries = client[database]["events"], client[database]["event_chain"]
    one = {"session_id": "s02", "type": "AnswerScored", "body.payload.score": 5}
    try:
        match found:
            case "edited":
                changed = await events.update_one(one, {"$set": {"body.payload.score": 9}})
            case "removed":
                changed = await events.delete_one(one)
            case "moved there from session s02":
                changed = await events.update_one(one, {"$set": {"session_id": "s03"}})
            case "reordered":  # the time the store orders a session's events by
                started = await events.find_one({"session_id": "s03", "type": "InterviewStarted"})
                later = started["occurred_at"].replace(year=started["occurred_at"].year + 1)
                changed = await events.update_one({"_id": started["_id"]}, {"$set": {"occurred_at": later}})
            case "added behind the store's back":
                copy = await events.find_one({"session_id": "s03"})
                changed = await events.insert_one(copy | {"_id": f"forged-{copy['_id']}"})
            case "was altered":
                changed = await entries.update_one({"_id": 5}, {"$set": {"body_hash": "x" * 64}})
            case "were removed":
                changed = await entries.delete_one({"_id": 7})
            case "emptied":
                changed = await entries.delete_many({})
            case "from before the chain":
                changed = await entries.delete_many({})
                await client[database]["meta"].delete_one({"_id": "chain_started"})
        assert getattr(changed, "modified_count", 0) or getattr(changed, "deleted_count", 0) or changed.inserted_id
    finally:
        await client.close()


async def tamper(where, found: str) -> None:
    kind, place = where
    if kind == MONGODB_KIND:
        await mongo_tampering(place, found)
        return
    with sqlite3.connect(place / "interviewer.sqlite3") as db:
        for statement in SQL[found]:
            assert db.execute(statement).rowcount >= 1, statement


async def test_a_store_written_through_its_own_code_verifies(where):
    await written(where)
    result = await verification(where)
    assert result.ok, result.report()
    assert result.events > 30 and result.entries > result.events  # the erasure's removed events stay chained
    assert "No event was edited" in result.report()


TAMPERING = ["edited", "removed", "moved there from session s02", "reordered", "added behind the store's back",
             "was altered", "were removed"]  # fmt: skip


@pytest.mark.parametrize("found", TAMPERING)
async def test_verify_finds_what_was_changed_behind_the_stores_back(where, found):
    await written(where)
    await tamper(where, found)
    result = await verification(where)
    assert not result.ok and any(found in problem for problem in result.problems), result.report()


async def test_an_emptied_chain_is_reported_not_started_again(where):
    await written(where)
    await tamper(where, "emptied")
    result = await verification(where)
    assert not result.ok and result.entries == 0
    assert all("added behind the store's back" in problem for problem in result.problems)


async def test_a_store_from_before_the_chain_is_chained_when_first_opened(where):
    await written(where)
    await tamper(where, "from before the chain")  # as the older version left it
    result = await verification(where)
    assert result.ok and result.entries == result.events, result.report()


async def test_an_event_stored_without_its_entry_gets_it_from_the_redelivery(where):
    """A process stopped between storing an event and chaining it (MongoDB: two writes): the broker delivers
    the event again, and the store adds the missing entry instead of taking it for a repeat."""
    kind, place = where
    events = interview_events("s05", (7,), 1)
    store = opened(where)
    await store.open()
    try:
        await record_all(store, events[:2])
        if kind == MONGODB_KIND:
            unchained = events[2]
            await store._c["events"].insert_one({"_id": str(unchained.event_id), "session_id": unchained.session_id,
                                                 "type": unchained.type, "occurred_at": unchained.occurred_at,
                                                 "body": unchained.model_dump(mode="json")})  # fmt: skip
            assert not (await store.verify_chain()).ok  # as a stop between the two writes leaves it
        await record_all(store, events[2:] + events[:1])  # the redelivery, and a plain repeat
        result = await store.verify_chain()
        assert result.ok and result.events == len(events), result.report()
    finally:
        await store.close()


async def test_two_replicas_storing_one_derived_event_race_without_a_false_alarm(where):
    """Both store a derived event (one id, two bodies); the one with the earlier body replaces the other's
    and chains it before the first writer's own entry is written (MongoDB: no transaction between them)."""
    kind, _ = where
    first, second = opened(where), opened(where)
    await first.open()
    await second.open()
    try:
        events = interview_events("s08", (6,), 1)
        report = next(e for e in events if e.type == "ReportGenerated")
        await record_all(first, [e for e in events if e is not report])
        later = report.model_copy(update={"occurred_at": report.occurred_at.replace(year=report.occurred_at.year + 1)})
        if kind == MONGODB_KIND:  # the first writer stored its (later) body but has not chained it yet
            new, change = await first._insert(later)
            assert new and change is not None
            assert not await second.append(report)  # the earlier body replaces it, and is chained
            await first._chain.add([change])
        else:
            await first.append(later)
            await second.append(report)
        result = await first.verify_chain()
        assert result.ok, result.report()
    finally:
        await first.close()
        await second.close()


async def test_two_writers_at_once_keep_one_chain(where):
    """Two persistence replicas on one MongoDB (two stores on one SQLite file): their entries interleave
    in one chain, every link following from the one before."""
    first, second = opened(where), opened(where)
    await first.open()
    await second.open()
    try:
        one, other = interview_events("s06", (5, 6, 7), 3), interview_events("s07", (8, 9, 4), 3)
        await asyncio.gather(record_all(first, one), record_all(second, other), record_together(first, other[:3]))
        result = await first.verify_chain()
        assert result.ok and result.events == len(one) + len(other), result.report()
    finally:
        await first.close()
        await second.close()


def test_the_verify_command_says_clean_or_tampered(where):
    kind, place = where
    asyncio.run(written(where))
    command = [sys.executable, "-m", "services.persistence", "verify"]
    env = os.environ | {"LOG_LEVEL": "WARNING"}
    env |= (
        {"MONGODB_URL": mongodb_url(), "MONGODB_DATABASE": place} if kind == MONGODB_KIND else {"DATA_DIR": str(place)}
    )
    clean = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert clean.returncode == 0 and "No event was edited" in clean.stdout, clean.stdout + clean.stderr
    asyncio.run(tamper(where, "edited"))
    tampered = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert tampered.returncode == 1 and "was edited" in tampered.stdout, tampered.stdout + tampered.stderr


def test_a_backup_of_the_sqlite_store_holds_what_waits_in_its_write_ahead_log(tmp_path):
    """Found by an operator's test: copying interviewer.sqlite3 alone while the services run held 0 of 9 events
    (they wait in its -wal file), and verify passed the copy. The backup command copies it whole, and checks it."""
    where = ("sqlite", tmp_path / "data")
    store, events = opened(where), cohort()

    async def write_and_keep_open() -> None:
        await store.open()
        await record_all(store, events)

    loop = asyncio.new_event_loop()
    loop.run_until_complete(write_and_keep_open())  # the store stays open, as a running service's does
    try:
        copy = tmp_path / "backups" / "interviewer-2026-12-07.sqlite3"
        env = os.environ | {"LOG_LEVEL": "WARNING", "DATA_DIR": str(tmp_path / "data")}
        env.pop("MONGODB_URL", None)
        command = [sys.executable, "-m", "services.persistence", "backup", str(copy)]
        backed_up = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert backed_up.returncode == 0, backed_up.stdout + backed_up.stderr
        assert f"{len(events)} stored events checked" in backed_up.stdout and "No event was edited" in backed_up.stdout
        again = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert again.returncode != 0 and "exists already" in again.stderr  # never overwritten
    finally:
        loop.run_until_complete(store.close())
        loop.close()
    restored = SQLiteStore(copy)
    asyncio.run(restored.open())
    try:
        assert asyncio.run(restored.session_events("s01")) == [e for e in events if e.session_id == "s01"]
    finally:
        asyncio.run(restored.close())


def test_the_commands_name_their_store_and_say_when_they_cannot_use_it(tmp_path):
    """Found by an operator's test: under `make run-mongo` verify, run without MONGODB_URL, checked an empty
    SQLite file it had just made and said all was well (exit 0); with the server out of reach every command
    printed a 66-line traceback, and verify's exit 1 could not be told from "tampered"."""
    command = [sys.executable, "-m", "services.persistence"]
    env = os.environ | {"LOG_LEVEL": "WARNING", "DATA_DIR": str(tmp_path)}
    env.pop("MONGODB_URL", None)
    for args in (["verify"], ["replay"], ["export", str(tmp_path / "out")], ["backup", str(tmp_path / "copy")]):
        # found by another operator's test: a mistyped DATA_DIR made an empty store, which verify passed (exit 0)
        missing = subprocess.run([*command, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert missing.returncode == 2, (args, missing.stderr)
        assert f"{args[0]}: no store at {tmp_path / 'interviewer.sqlite3'}: set DATA_DIR" in missing.stderr
    assert list(tmp_path.iterdir()) == []  # nothing made
    made = subprocess.run([*command, "create-admin", "--email", "ops@example.com"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert made.returncode == 0, made.stderr  # the one command that may start a store: before the first run
    unreachable = env | {"MONGODB_URL": "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=500"}
    for args in (["verify"], ["replay"], ["create-admin", "--email", "ada@example.com"]):
        failed = subprocess.run(
            [*command, *args], cwd=ROOT, env=unreachable, capture_output=True, text=True, timeout=90
        )
        assert failed.returncode == 2, (args, failed.stderr)
        assert f"{args[0]}: cannot use the store: 127.0.0.1:1" in failed.stderr and "Traceback" not in failed.stderr
    taken = subprocess.run([*command, "export", str(tmp_path / "interviewer.sqlite3")], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=60)  # fmt: skip
    assert taken.returncode == 2 and "export: File exists" in taken.stderr and "Traceback" not in taken.stderr

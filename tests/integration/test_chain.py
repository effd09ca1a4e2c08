"""The event store's hash chain (services/persistence/chain.py): `verify` passes on a store written only
through its own code, erasures included, and reports each kind of change made behind its back, found
by editing the SQLite file directly as an intruder with file access would."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from services.persistence.chain import ChainUnsupported
from tests.factories import interview_events
from tests.integration.stores import MONGODB_KIND, open_store
from tests.integration.test_stores import ERASE_S01, cohort, record_all, record_together

ROOT = Path(__file__).resolve().parents[2]


async def written(folder: Path) -> None:
    """A store with five interviews, written one at a time and in batches, and one erased."""
    async with open_store("sqlite", folder) as store:
        events = cohort()
        await record_all(store, events[:20])
        assert all(outcome == [] for outcome in await record_together(store, events[20:]))
        await record_all(store, [ERASE_S01, events[0]])  # an erasure, then a late event of it (refused)
        report = next(e for e in interview_events("s02", (4, 5, 6), 3) if e.type == "ReportGenerated")
        await record_all(store, [report])  # another body of a stored id: the earlier stays


async def verification(folder: Path):
    async with open_store("sqlite", folder) as store:
        return await store.verify_chain()


def tamper(folder: Path, *statements: str) -> None:
    with sqlite3.connect(folder / "interviewer.sqlite3") as db:
        for statement in statements:
            assert db.execute(statement).rowcount >= 1, statement


async def test_a_store_written_through_its_own_code_verifies(tmp_path):
    await written(tmp_path)
    result = await verification(tmp_path)
    assert result.ok, result.report()
    assert result.events > 30 and result.entries > result.events  # the erasure's removed events stay chained
    assert "No event was edited" in result.report()


ONE_EVENT = "(SELECT event_id FROM events WHERE session_id = 's02' AND type = 'AnswerScored' LIMIT 1)"
TAMPERING = {
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
}


@pytest.mark.parametrize("found", list(TAMPERING))
async def test_verify_finds_what_was_changed_behind_the_stores_back(tmp_path, found):
    await written(tmp_path)
    tamper(tmp_path, *TAMPERING[found])
    result = await verification(tmp_path)
    assert not result.ok and any(found in problem for problem in result.problems), result.report()


async def test_an_emptied_chain_is_reported_not_started_again(tmp_path):
    await written(tmp_path)
    tamper(tmp_path, "DELETE FROM event_chain")
    result = await verification(tmp_path)  # the store opened again, as after a restart
    assert not result.ok and result.entries == 0
    assert all("added behind the store's back" in problem for problem in result.problems)


async def test_a_store_from_before_the_chain_is_chained_when_first_opened(tmp_path):
    await written(tmp_path)
    tamper(tmp_path, "DELETE FROM event_chain", "DELETE FROM store_facts")  # as the older version left it
    result = await verification(tmp_path)
    assert result.ok and result.entries == result.events, result.report()


def test_the_verify_command_says_clean_or_tampered(tmp_path):
    import asyncio

    asyncio.run(written(tmp_path))
    command = [sys.executable, "-m", "services.persistence", "verify"]
    env = os.environ | {"DATA_DIR": str(tmp_path), "LOG_LEVEL": "WARNING"}
    clean = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert clean.returncode == 0 and "No event was edited" in clean.stdout, clean.stdout + clean.stderr
    tamper(tmp_path, *TAMPERING["edited"])
    tampered = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert tampered.returncode == 1 and "was edited" in tampered.stdout, tampered.stdout + tampered.stderr


async def test_the_mongodb_store_says_it_keeps_no_chain():
    async with open_store(MONGODB_KIND) as store:
        with pytest.raises(ChainUnsupported, match="no hash chain"):
            await store.verify_chain()

"""Persistence killed with SIGKILL mid-write, with MongoDB as the store, on a real server (tests/mongodb.py:
SecantusDB started by the test run, or the `mongod` at MONGODB_URL).

Ten candidates are interviewed while persistence is frozen, then killed, three times, each time while it
holds an event it has not acknowledged: between appending that event and writing the session's read models,
or in the middle of writing them. Frozen, it is as good as dead to the database, and the test reads the
database itself then: no session's version (what a consistency token waits for) promises a read model
that is not written yet. After the restart, every interview completes with exact statistics, and every read
model is what the fold of its stored events makes: the redelivered event finished the write."""

import os
import time
from pathlib import Path

import pytest
from pymongo import MongoClient

from services.persistence.projections import project_session
from shared.contracts.events import parse_event
from shared.contracts.session_view import fold_session
from tests.faults.conftest import running_stack
from tests.faults.kills import kill_while_holding_messages
from tests.faults.probes import wait_until_settled
from tests.faults.summary import record
from tests.faults.workload import Workload, verify
from tests.mongodb import mongodb_url, server_name

pytestmark = pytest.mark.e2e
CANDIDATES, QUESTIONS, THINK, KILLS = 10, 4, 5.0, 3  # four answers each: the kills, restarts included, fit in
BOOKKEEPING = {"_id", "_version", "session_id"}


@pytest.fixture
def mongo_stack(request, tmp_path):
    database = f"faults_{os.getpid()}_{int(time.time())}"
    yield from running_stack(request, tmp_path, MONGODB_URL=mongodb_url(), MONGODB_DATABASE=database)


def frozen(pid: int) -> bool:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "T"


def promised_but_unwritten(db) -> list[str]:
    """Sessions whose version in `projection_versions` is newer than one of their read-model documents."""
    found = []
    for session in db.projection_versions.find():
        for name in ("interviews", "answers", "job_descriptions"):
            for document in db[name].find({"session_id": session["_id"], "_version": {"$lt": session["version"]}}):
                found.append(f"{session['_id']}: at version {session['version']}, {name} {document['_id']} at "
                             f"{document['_version']}")  # fmt: skip
    return found


def strip(document: dict) -> dict:
    """Without the store's own fields: the ids, the fold's version, the session id it files the rows by."""
    return {k: v for k, v in document.items() if k not in BOOKKEEPING}


def folded(db, session_id: str) -> tuple[dict, list[dict]]:
    """The interview and its answers as the fold of the stored events makes them."""
    events = [parse_event(d["body"]) for d in db.events.find({"session_id": session_id})]
    rows = project_session(fold_session(session_id, events))
    assert rows.interview is not None, session_id
    return strip(rows.interview.model_dump(mode="json")), [strip(a.model_dump(mode="json")) for a in rows.answers]


def stored(db, session_id: str) -> tuple[dict, list[dict]]:
    interview = db.interviews.find_one({"_id": session_id})
    answers = db.answers.find({"session_id": session_id}).sort("question_number", 1)
    return strip(interview), [strip(a) for a in answers]


def test_persistence_killed_between_the_event_and_its_read_models(broker_control, mongo_stack):
    stack = mongo_stack
    client = MongoClient(stack.env["MONGODB_URL"], tz_aware=True, serverSelectionTimeoutMS=5000)
    db = client[stack.env["MONGODB_DATABASE"]]
    seen: list[list[str]] = []
    calls = iter(range(1_000_000))

    def check_when_frozen() -> bool:
        """Called by each kill once before it freezes persistence, once after: then the database is read
        as the process leaves it (SIGSTOP lands at once, but /proc shows it a moment later)."""
        if next(calls) % 2:
            pid = stack.processes["persistence"].popen.pid
            deadline = time.monotonic() + 5
            while not frozen(pid):
                assert time.monotonic() < deadline, "persistence never showed as stopped"
                time.sleep(0.005)
            seen.append(promised_but_unwritten(db))
        return True

    workload = Workload(stack.url(), CANDIDATES, QUESTIONS, THINK)
    workload.start()
    kills = [kill_while_holding_messages(stack, "persistence", check_when_frozen) for _ in range(KILLS)]
    outcome = workload.result()
    assert outcome.finished_at > kills[-1].killed, "the interviews were over before the last kill"
    assert len(seen) == KILLS and not any(seen), seen

    figures = verify(stack.url("persistence"), outcome, QUESTIONS)
    wait_until_settled(stack.namespace)
    assert not promised_but_unwritten(db)
    for session_id in outcome.sessions:
        assert stored(db, session_id) == folded(db, session_id), session_id
    client.close()
    record(f"kill -9 persistence mid-write, MongoDB store ({server_name()})",
           figures | {"unacked_at_kills": [k.unacked for k in kills]}, KILLS)  # fmt: skip

"""The embedded store with the persistence handler on top: real SQLite files."""

import random

import pytest

from services.persistence.handlers import build_handlers
from services.persistence.projections import SessionRows
from services.persistence.store.sqlite import SQLiteStore
from tests.factories import T0, interview_events
from tests.seed_contract import assert_interview_shape, assert_statistics_shape


@pytest.fixture
async def store(tmp_path):
    store = SQLiteStore(tmp_path / "data" / "interviewer.sqlite3")
    await store.open()
    yield store
    await store.close()


async def record_all(store, events):
    record = build_handlers(store)["InterviewStarted"]
    for event in events:
        assert await record(event) == []


async def test_an_event_is_stored_once(store):
    event = interview_events(complete=False)[0]
    assert await store.append(event) is True
    assert await store.append(event) is False
    assert await store.session_events(event.session_id) == [event]


async def test_recording_a_whole_interview(store):
    events = interview_events("s0000001", scores=(8, 6, 7), total=3)
    await record_all(store, events)
    interview = await store.get_interview("s0000001")
    assert_interview_shape(interview)
    assert interview["individual_scores"] == [8, 6, 7] and interview["average_score"] == 7.0
    statistics = await store.statistics()
    assert_statistics_shape(statistics)
    assert statistics == {
        "total_interviews": 1,
        "average_score": 7.0,
        "total_questions": 3,
        "total_answers": 3,
        "interviews_in_progress": 0,
    }


async def test_redelivered_and_reordered_events_give_the_same_read_models(store, tmp_path):
    events = interview_events("s0000001", scores=(9, 4), total=2) + interview_events(
        "s0000002", scores=(5,), total=3, end_early=True
    )
    await record_all(store, events)
    expected = (await store.list_interviews("all", 10, 0), await store.statistics())

    other = SQLiteStore(tmp_path / "other.sqlite3")
    await other.open()
    try:
        shuffled = events + events[::2]
        random.Random(7).shuffle(shuffled)
        await record_all(other, shuffled)
        assert (await other.list_interviews("all", 10, 0), await other.statistics()) == expected
    finally:
        await other.close()


async def test_older_rows_never_overwrite_newer_ones(store):
    events = interview_events("s0000001", scores=(8,), total=1)
    await record_all(store, events)
    assert await store.save_projection(SessionRows(session_id="s0000001", version=1)) is False
    assert (await store.get_interview("s0000001"))["status"] == "completed"


async def test_interviews_in_progress_are_readable_but_not_counted_as_completed(store):
    await record_all(store, interview_events("s0000001", scores=(8, 7), total=2))
    await record_all(store, interview_events("s0000002", scores=(3,), total=4, complete=False))
    in_progress = await store.get_interview("s0000002")
    assert_interview_shape(in_progress, completed=False)
    assert in_progress["status"] == "in_progress" and in_progress["individual_scores"] == [3]
    statistics = await store.statistics()
    assert statistics["total_interviews"] == 1 and statistics["interviews_in_progress"] == 1
    assert statistics["total_answers"] == 3  # every stored answer, as the seed's answers.json
    assert (await store.list_interviews("completed", 10, 0))[0] == 1
    assert (await store.list_interviews("in_progress", 10, 0))[1][0]["session_id"] == "s0000002"


async def test_listing_pages_newest_first(store):
    for n in range(5):
        await record_all(store, interview_events(f"s000000{n}", scores=(n + 5,), total=1, start=T0.replace(hour=9 + n)))
    total, page = await store.list_interviews("completed", 2, 1)
    assert total == 5
    assert [i["session_id"] for i in page] == ["s0000003", "s0000002"]


async def test_the_store_survives_a_restart(store, tmp_path):
    await record_all(store, interview_events("s0000001", scores=(8,), total=1))
    await store.close()
    reopened = SQLiteStore(store.path)
    await reopened.open()
    try:
        assert (await reopened.get_interview("s0000001"))["average_score"] == 8.0
        assert len(await reopened.session_events("s0000001")) == len(interview_events(scores=(8,), total=1))
    finally:
        await reopened.close()

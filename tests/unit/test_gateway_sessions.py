"""The gateway's in-memory sessions: finished interviews leave memory, and come back from the store."""

import asyncio

from services.gateway.handlers import RecentCompletions, RecentStarts, build_handlers
from services.gateway.sessions import SessionRegistry
from shared.contracts.events import (
    AnswerScored,
    InterviewCompleted,
    InterviewErased,
    InterviewErasedPayload,
    InterviewStarted,
)
from shared.contracts.session_ids import session_id_for
from tests.factories import T0, interview_events


async def test_only_the_latest_completed_interviews_stay_in_memory_and_the_rest_are_read_back():
    stored = {f"s0{n}": interview_events(f"s0{n}", (7,), 1) for n in range(1, 5)}
    reads = []

    async def event_source(session_id):
        reads.append(session_id)
        return stored.get(session_id, [])

    registry = SessionRegistry(event_source, max_sessions=100, max_completed=2)
    followed = None
    for session_id, events in stored.items():
        for event in events:
            session = await registry.apply(event)
        if session_id == "s01":
            followed = session.subscribe()  # a live stream keeps s01 in memory
    assert set(registry._sessions) == {"s01", "s03", "s04"}
    assert reads == []

    again = await registry.get("s02")  # forgotten: rebuilt from the event store, complete
    assert reads == ["s02"] and again.view.status == "completed" and len(again.fold.events) == len(stored["s02"])
    assert "s03" not in registry._sessions  # s02 is among the latest completed again

    registry._sessions["s01"].unsubscribe(followed)
    await registry.apply(interview_events("s05", (6,), 1)[0])  # an interview in progress is never forgotten
    for event in interview_events("s06", (6,), 1):
        await registry.apply(event)
    assert "s05" in registry._sessions and "s01" not in registry._sessions


async def test_a_new_session_id_is_never_one_the_event_store_holds(monkeypatch):
    drawn = iter([0, 1, 2])  # the random numbers the draw will give, in turn: ids aaaaaaaa, baaaaaaa, caaaaaaa
    monkeypatch.setattr("services.gateway.sessions.secrets.randbits", lambda bits: next(drawn))
    stored = {"aaaaaaaa": interview_events("aaaaaaaa", (7,), 1), "baaaaaaa": []}  # baaaaaaa: known to the store
    asked = []

    async def event_source(session_id):
        asked.append(session_id)
        return stored.get(session_id)

    registry = SessionRegistry(event_source)
    assert await registry.new_session_id() == "caaaaaaa"
    assert asked == ["aaaaaaaa", "baaaaaaa", "caaaaaaa"]
    assert (
        session_id_for("one-request-id-0001")
        == session_id_for("one-request-id-0001")
        != session_id_for("one-request-id-0002")
    )


async def test_an_unreachable_event_store_does_not_stop_a_start(monkeypatch):
    monkeypatch.setattr("services.gateway.sessions.ID_CHECK_SECONDS", 0.05)

    async def hangs(session_id):
        await asyncio.sleep(10)

    async def refuses(session_id):
        raise ConnectionError("persistence is down")

    for source in (hangs, refuses):
        async with asyncio.timeout(1):  # the check gives up after ID_CHECK_SECONDS, not after the store
            session_id = await SessionRegistry(source).new_session_id()
        assert len(session_id) == 8 and session_id.isalnum()


async def test_an_erasure_leaves_nothing_of_the_candidate_in_memory():
    events = interview_events("s01", (7, 8), 2, name="Ada Lovelace")
    erasure = InterviewErased.derived(
        session_id="s01", producer="test", payload=InterviewErasedPayload(requested_at=T0)
    )
    registry = SessionRegistry(lambda session_id: None)
    for event in events[:4]:
        session = await registry.apply(event)
    stream = session.subscribe()
    await registry.apply(erasure)
    for late in events[4:]:  # events still on their way when the erasure came
        await registry.apply(late)
    assert list(session.fold.events.values()) == [erasure] and session.view.erased
    assert "Ada" not in repr(session.view) and "Ada" not in repr(session.fold.events)
    assert [stream.get_nowait().type for _ in range(stream.qsize())] == ["InterviewErased"]  # the stream ends


class FollowsNothing:
    """The live feed of a replica that serves none of the sessions (another replica does)."""

    def follows(self, session_id: str) -> bool:
        return False


async def test_a_replica_reads_another_replicas_session_only_for_the_score_that_may_complete_it():
    events = interview_events("s01", (7, 8, 9), 3, complete=False)
    scores = [event for event in events if isinstance(event, AnswerScored)]
    reads, asked = [], []
    completed_in_store = False

    async def event_source(session_id):
        reads.append(session_id)
        return events

    async def completed(session_id, wait):
        asked.append(session_id)
        return completed_in_store

    registry = SessionRegistry(event_source, feed=lambda: FollowsNothing())
    check = build_handlers(registry, grace_seconds=0.0, completed=completed).get(AnswerScored)
    assert await check(scores[0]) == [] and await check(scores[1]) == []
    assert reads == asked == []  # questions 1 and 2 of 3: nothing asked of the event store
    completed_in_store = True  # the replica serving it completed it
    assert await check(scores[2]) == [] and asked == ["s01"] and reads == []
    completed_in_store = False  # that replica is gone: this one reads the session and completes it
    (made,) = await check(scores[2])
    assert isinstance(made, InterviewCompleted) and made.payload.reason == "all_answered"
    assert reads == ["s01"]

    old = scores[0].model_copy(update={"payload": scores[0].payload.model_copy(update={"total_questions": None})})
    (again,) = await check(old)  # stored before the length was carried: read, and it is complete
    assert again.event_id == made.event_id and reads == ["s01", "s01"]


async def test_a_completion_heard_on_the_broker_spares_asking_the_event_store():
    asked = []

    async def store(session_id):
        asked.append(session_id)
        return session_id == "s02"

    completions = RecentCompletions(store, size=2)
    done = [e for e in interview_events("s01", (7,), 1) if isinstance(e, InterviewCompleted)][0]
    await completions.hear(done)
    await completions.hear(interview_events("s09", (7,), 1)[0])  # not a completion: ignored
    assert await completions.completed("s01") and asked == []
    assert await completions.completed("s02") and not await completions.completed("s03")
    assert asked == ["s02", "s03"]


async def test_a_check_waiting_for_a_completion_goes_on_as_soon_as_it_is_heard():
    asked = []

    async def store(session_id):
        asked.append(session_id)
        return False

    completions = RecentCompletions(store)
    done = [e for e in interview_events("s01", (7,), 1) if isinstance(e, InterviewCompleted)][0]
    waiting = asyncio.create_task(completions.completed("s01", wait=30.0))
    await asyncio.sleep(0)
    await completions.hear(done)
    async with asyncio.timeout(1):  # not the 30 s it was willing to wait
        assert await waiting
    assert asked == [] and not await completions.completed("s02", wait=0.01) and asked == ["s02"]


async def test_an_interview_another_replica_just_started_is_waited_for_not_reported_unknown():
    """A balancer without affinity sends the first answer to a replica whose event store does not have the
    interview yet: a start heard of (RecentStarts) makes it read the store again until it does; an id heard
    of nowhere is unknown at once, after one read."""
    events = interview_events("s0000007", (6,), 1)
    reads: list[str] = []

    async def event_source(session_id):
        reads.append(session_id)
        return events if session_id == "s0000007" and len(reads) >= 3 else None  # persistence lags two reads

    starts = RecentStarts()
    registry = SessionRegistry(event_source, started_lately=starts.__contains__)
    assert await registry.get("s0000009") is None and reads == ["s0000009"]  # never started: no waiting
    reads.clear()
    await starts.hear(next(e for e in events if isinstance(e, InterviewStarted)))
    assert "s0000007" in starts and "s0000009" not in starts
    found = await registry.get("s0000007")
    assert found is not None and found.view.context is not None and reads == ["s0000007"] * 3

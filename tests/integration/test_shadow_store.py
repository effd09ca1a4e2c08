"""A shadow run's record in both stores (services/persistence/shadow.py): kept apart from the interviews it
scored again, and what it holds of an interview goes when the interview is erased."""

from services.persistence.handlers import build_handlers
from shared.contracts.events import InterviewErased, InterviewErasedPayload, InterviewStarted
from tests.factories import T0, interview_events
from tests.unit.test_shadow import RUN, completed, scored


async def record_all(store, events):
    record = build_handlers(store)[InterviewStarted]
    for event in events:
        assert await record(event) == []


async def test_a_run_is_recorded_apart_and_loses_an_erased_interviews_answers(store):
    await record_all(store, interview_events("s1", (6, 4), 2) + interview_events("s2", (9,), 1))
    interview = (await store.get_interview("s1")).model_dump()
    await record_all(store, [scored("s1", 1, 6, 7), scored("s1", 2, 4, 4), scored("s2", 1, 9, 6), completed(3)])

    run = await store.get_record("shadow", RUN)
    assert run is not None and len(run.document["answers"]) == 3
    assert [r.id for r in await store.find_records("shadow", "session", "s1")] == [RUN]
    assert (await store.get_interview("s1")).model_dump() == interview  # the interview's record is as it was
    assert [e.type for e in await store.session_events("s1")].count("AnswerShadowScored") == 0

    erasure = InterviewErased.create(session_id="s1", producer="persistence",
                                     payload=InterviewErasedPayload(requested_at=T0))  # fmt: skip
    await record_all(store, [erasure])
    run = await store.get_record("shadow", RUN)
    assert run is not None
    assert [(a["session_id"], a["question_number"]) for a in run.document["answers"]] == [("s2", 1)]
    assert await store.find_records("shadow", "session", "s1") == []
    assert all(getattr(e.payload, "interview_session_id", None) != "s1" for e in await store.session_events(RUN))
    assert (await store.verify_chain()).ok

"""The incremental fold (SessionFold.add, event by event, as the gateway applies them) against the
reference fold (fold_session: the whole set at once, in canonical order): the same view for any arrival
order, repeats, late events, rival answers and second bodies of one event id."""

import random
import uuid
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.contracts.events import (
    AnswerRescored,
    AnswerRescoredPayload,
    AnswerReviewed,
    AnswerReviewedPayload,
    CandidateRequestMade,
    CandidateRequestMadePayload,
    CandidateRequestResolved,
    CandidateRequestResolvedPayload,
    DemographicsProvided,
    DemographicsProvidedPayload,
    Feedback,
    InterviewErased,
    InterviewErasedPayload,
    ReportRevised,
    ReportRevisedPayload,
)
from shared.contracts.session_view import FoldCache, SessionFold, fold_session
from tests.factories import interview_events

SESSION = "s0000001"


def rivals(events: list, rng: random.Random) -> list:
    """What racing replicas and redeliveries add: a rival answer (new id, another text), a second body
    of a derived event (same id, another time), a review, demographics, and now and then an erasure."""
    extra = []
    answers = [e for e in events if e.type == "AnswerSubmitted"]
    if answers:
        answer = rng.choice(answers)
        extra.append(answer.model_copy(update={
            "event_id": uuid.UUID(int=rng.getrandbits(128)),
            "occurred_at": answer.occurred_at + timedelta(milliseconds=rng.randint(-500, 500)),
            "payload": answer.payload.model_copy(update={"answer": "a rival answer"}),
        }))  # fmt: skip
    derived = [e for e in events if e.type in ("QuestionGenerated", "AnswerScored", "ReportGenerated")]
    if derived:
        again = rng.choice(derived)
        extra.append(
            again.model_copy(update={"occurred_at": again.occurred_at + timedelta(seconds=rng.choice((-1, 1)))})
        )
    scored = [e for e in events if e.type == "AnswerScored"]
    for _ in range(rng.randint(0, 2) if scored else 0):  # reviews, the latest counting
        score = rng.choice(scored)
        review = AnswerReviewedPayload(question_number=score.payload.question_number, human_score=rng.randint(0, 10),
                                       reviewed_at=score.occurred_at)  # fmt: skip
        extra.append(at(AnswerReviewed.create(session_id=SESSION, producer="test", payload=review,
                                              event_id=uuid.UUID(int=rng.getrandbits(128))), score, rng))  # fmt: skip
    for _ in range(rng.randint(0, 2) if events else 0):  # what the candidate says of themselves, the latest counting
        answers = DemographicsProvidedPayload(sex=rng.choice(("female", "male")), age_band=rng.choice(("30_39", "40_49")),
                                              provided_at=events[-1].occurred_at)  # fmt: skip
        extra.append(at(DemographicsProvided.create(session_id=SESSION, producer="test", payload=answers,
                                                    event_id=uuid.UUID(int=rng.getrandbits(128))), events[-1], rng))  # fmt: skip
    if scored and rng.random() < 0.5:  # a contested transcript, upheld (or not yet), scored again
        score = rng.choice(scored)
        request_id = f"req-{rng.getrandbits(40):012x}"[:16]
        made = CandidateRequestMadePayload(request_id=request_id, kind="transcription", corrected_answer="what I said",
                                           question_number=score.payload.question_number, requested_at=score.occurred_at)  # fmt: skip
        extra.append(at(CandidateRequestMade.create(session_id=SESSION, producer="test", payload=made), score, rng))
        if rng.random() < 0.7:
            resolved = CandidateRequestResolvedPayload(
                request_id=request_id, decision="upheld", resolved_at=score.occurred_at
            )
            extra.append(
                at(CandidateRequestResolved.create(session_id=SESSION, producer="test", payload=resolved), score, rng)
            )
            rescored = AnswerRescoredPayload(question_number=score.payload.question_number, question="q", answer="what I said",
                                             score=rng.randint(0, 10), feedback=Feedback(), request_id=request_id,
                                             scored_at=score.occurred_at)  # fmt: skip
            extra.append(at(AnswerRescored.create(session_id=SESSION, producer="test", payload=rescored), score, rng))
            report = next((e for e in events if e.type == "ReportGenerated"), None)
            if report is not None:  # and the report written again
                revised = ReportRevisedPayload(**report.payload.model_dump(), request_id=request_id,
                                               revised_at=report.occurred_at)  # fmt: skip
                extra.append(
                    at(ReportRevised.create(session_id=SESSION, producer="test", payload=revised), report, rng)
                )
    if events and rng.random() < 0.1:
        erasure = InterviewErasedPayload(requested_at=events[0].occurred_at)
        extra.append(at(InterviewErased.create(session_id=SESSION, producer="test", payload=erasure), events[-1], rng))
    return extra


def at(event, near, rng: random.Random):
    """The event, timed a little after another."""
    return event.model_copy(update={"occurred_at": near.occurred_at + timedelta(milliseconds=rng.randint(1, 900))})


@settings(max_examples=300, deadline=None)
@given(
    st.randoms(use_true_random=False),
    st.lists(st.integers(0, 10), min_size=0, max_size=5),
    st.booleans(),
    st.booleans(),
    st.floats(0, 1),
)
def test_event_by_event_the_view_is_the_reference_folds(rng, scores, end_early, complete, disorder):
    events = interview_events(SESSION, scores=tuple(scores), total=5, end_early=end_early, complete=complete)
    events += rivals(events, rng)
    arriving = events + rng.sample(events, k=rng.randint(0, len(events)))  # redeliveries
    arriving.sort(key=lambda e: (e.occurred_at, str(e.event_id)))
    for i in range(len(arriving)):  # mostly in order, as the broker delivers; `disorder` of them moved
        if rng.random() < disorder:
            j = rng.randrange(len(arriving))
            arriving[i], arriving[j] = arriving[j], arriving[i]
    fold = SessionFold(SESSION)
    for n, event in enumerate(arriving, 1):
        fold.add(event)
        assert fold.view == fold_session(SESSION, arriving[:n]), f"after {n} of {len(arriving)}: {event.type}"


def test_in_order_events_are_applied_without_folding_again(monkeypatch):
    events = interview_events(SESSION, scores=(8, 7, 9), total=3)
    fold = SessionFold(SESSION)
    refolds = []
    original = SessionFold._refold
    monkeypatch.setattr(
        SessionFold, "_refold", lambda self, unique: refolds.append(len(unique)) or original(self, unique)
    )
    for event in sorted(events, key=lambda e: (e.occurred_at, str(e.event_id))):
        assert fold.add(event)
    assert refolds == []
    assert not fold.add(events[0])  # a repeat changes nothing
    late = events[0].model_copy(update={"event_id": uuid.uuid4(), "occurred_at": events[0].occurred_at - timedelta(1)})
    assert fold.add(late) and refolds == [len(events) + 1]  # a late event folds the set again
    assert fold.view == fold_session(SESSION, [*events, late])


def test_another_sessions_event_is_not_folded():
    fold = SessionFold(SESSION)
    assert not fold.add(interview_events("s0000002", scores=(1,), total=1)[0])
    assert fold.view == fold_session(SESSION, [])


@settings(max_examples=200, deadline=None)
@given(st.randoms(use_true_random=False), st.lists(st.integers(0, 10), min_size=0, max_size=5), st.booleans())
def test_a_cached_fold_given_what_the_store_holds_now_is_the_reference_fold(rng, scores, end_early):
    """As persistence uses it: after each event, the session's stored events (in the store's order, one body
    per id, the earlier kept; after an erasure only the tombstone) given to the cache."""
    events = interview_events(SESSION, scores=tuple(scores), total=5, end_early=end_early)
    events += rivals(events, rng)
    rng.shuffle(events)
    cache, stored = FoldCache(size=1), {}
    for n, event in enumerate(events, 1):
        kept = stored.get(event.event_id)
        if kept is None or (event.occurred_at, event.model_dump_json()) < (kept.occurred_at, kept.model_dump_json()):
            stored[event.event_id] = event
        if event.type == "InterviewErased":
            stored = {event.event_id: event}
        if rng.random() < 0.1:  # another session in between (the cache holds one): this one is folded anew
            cache.view("s0000002", [])
        in_store = list(stored.values())
        rng.shuffle(in_store)
        assert cache.view(SESSION, in_store) == fold_session(SESSION, in_store), f"after {n}: {event.type}"


def test_the_cache_keeps_interviews_in_progress_and_lets_finished_ones_go():
    events = interview_events(SESSION, scores=(8, 7), total=2)
    cache = FoldCache()
    for n in range(1, len(events)):
        cache.view(SESSION, events[:n])
    assert len(cache) == 1  # everything up to the report
    assert cache.view(SESSION, events).status == "completed" and len(cache) == 0

"""The fold behind the gateway's sessions and persistence's read models."""

import random
import uuid

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.contracts.interview_document import interview_document
from shared.contracts.session_view import fold_session
from tests.factories import candidate_request_events, interview_events


def test_a_completed_interview():
    view = fold_session("s0000001", interview_events(scores=(8, 7, 9), total=3))
    assert view.status == "completed"
    assert view.individual_scores == [8, 7, 9]
    assert view.average_score == 8.0
    assert view.completion.reason == "all_answered"
    assert view.is_closed and view.open_question_number is None


def test_the_open_question_follows_the_answers():
    events = interview_events(scores=(8,), total=3, complete=False)
    view = fold_session("s0000001", events)
    assert view.open_question_number is None  # question 2 not generated yet
    assert view.completion_due() is None
    question_two = interview_events(scores=(8, 5), total=3, complete=False)[4]
    assert question_two.type == "QuestionGenerated"
    view = fold_session("s0000001", [*events, question_two])
    assert view.open_question_number == 2


def test_completion_is_due_once_every_answer_is_scored():
    events = interview_events(scores=(8, 7), total=2, complete=False)
    without_last_score = fold_session("s0000001", events[:-1])
    assert without_last_score.awaiting_last_scores
    assert without_last_score.completion_due() is None
    assert fold_session("s0000001", events).completion_due() == "all_answered"


def test_ending_early_completes_when_the_given_answers_are_scored():
    events = interview_events(scores=(6,), total=3, end_early=True)
    end_requested = next(i for i, e in enumerate(events) if e.type == "InterviewEndRequested")
    view = fold_session("s0000001", events[: end_requested + 1])
    assert view.is_closed
    assert view.completion_due() == "ended_early"


def test_a_score_counts_as_an_answer_even_before_the_answer_event_arrives():
    events = [
        e
        for e in interview_events(scores=(8, 7), total=2, complete=False)
        if not (e.type == "AnswerSubmitted" and e.payload.question_number == 2)
    ]
    assert fold_session("s0000001", events).completion_due() == "all_answered"


def test_other_sessions_events_are_ignored():
    mine = interview_events("s0000001", scores=(8,), total=1)
    theirs = interview_events("s0000002", scores=(2,), total=1)
    assert fold_session("s0000001", mine + theirs).individual_scores == [8]


@settings(max_examples=60, deadline=None)
@given(st.randoms(use_true_random=False), st.lists(st.integers(0, 10), min_size=0, max_size=5), st.booleans())
def test_duplicates_and_any_order_give_the_same_interview(rng: random.Random, scores, end_early):
    events = interview_events(scores=tuple(scores), total=5, end_early=end_early)
    expected = interview_document(fold_session("s0000001", events))
    shuffled = events + rng.sample(events, k=rng.randint(0, len(events)))
    rng.shuffle(shuffled)
    assert interview_document(fold_session("s0000001", shuffled)) == expected


def test_the_earliest_of_two_conflicting_answers_wins_regardless_of_arrival():
    events = interview_events(scores=(8,), total=2, complete=False)
    answer = next(e for e in events if e.type == "AnswerSubmitted")
    rival = answer.model_copy(
        update={
            "event_id": uuid.uuid4(),
            "occurred_at": answer.occurred_at.replace(microsecond=1),
            "payload": answer.payload.model_copy(update={"answer": "a later, different answer"}),
        }
    )
    assert fold_session("s0000001", [*events, rival]).answers[1].answer == answer.payload.answer
    assert fold_session("s0000001", [rival, *events]).answers[1].answer == answer.payload.answer


def test_two_bodies_with_one_id_fold_the_same_in_any_order():
    events = interview_events(scores=(8,), total=2, complete=False)
    question = next(e for e in events if e.type == "QuestionGenerated")
    regenerated = question.model_copy(
        update={
            "occurred_at": question.occurred_at.replace(second=59),
            "payload": question.payload.model_copy(update={"question": "a regenerated question"}),
        }
    )
    for stream in ([*events, regenerated], [regenerated, *events]):
        assert fold_session("s0000001", stream).questions[1] == question.payload.question


def test_the_score_kept_is_the_score_of_the_answer_kept():
    events = interview_events(scores=(8,), total=2, complete=False)
    answer = next(e for e in events if e.type == "AnswerSubmitted")
    score = next(e for e in events if e.type == "AnswerScored")
    later = answer.occurred_at.replace(second=59)
    rival_answer = answer.model_copy(
        update={
            "event_id": uuid.uuid4(),
            "occurred_at": later,
            "payload": answer.payload.model_copy(update={"answer": "a rival answer"}),
        }
    )
    rival_score = score.model_copy(
        update={
            "event_id": uuid.uuid4(),
            "occurred_at": score.occurred_at.replace(microsecond=1),  # scored before the kept answer's score
            "payload": score.payload.model_copy(update={"answer": "a rival answer", "score": 1}),
        }
    )
    view = fold_session("s0000001", [rival_score, rival_answer, *events])
    assert view.answers[1].answer == answer.payload.answer
    assert view.scores[1].score == 8


def test_an_answer_that_raced_past_the_end_is_not_part_of_the_interview():
    events = interview_events(scores=(7,), total=3, end_early=True)
    late = [
        e.model_copy(
            update={
                "event_id": uuid.uuid4(),
                "occurred_at": events[-1].occurred_at.replace(minute=59),
                "payload": e.payload.model_copy(
                    update={"question_number": 2, "score": 0} if e.type == "AnswerScored" else {"question_number": 2}
                ),
            }
        )
        for e in events
        if e.type in ("AnswerSubmitted", "AnswerScored")
    ]
    document = interview_document(fold_session("s0000001", events + late))
    assert document.individual_scores == [7] and len(document.questions_and_answers) == 1


def test_a_score_without_its_answer_event_still_closes_the_question():
    events = [
        e
        for e in interview_events(scores=(8, 7), total=3, complete=False)
        if not (e.type == "AnswerSubmitted" and e.payload.question_number == 2)
    ]
    view = fold_session("s0000001", events)
    assert view.open_question_number is None  # question 3 is not asked yet, and 2 is answered


def failed(events, service: str, event_type: str, number: int | None):
    from shared.contracts.events import ProcessingFailed, ProcessingFailedPayload

    source = next(e for e in events if e.type == event_type and getattr(e.payload, "question_number", None) == number)
    return ProcessingFailed.derived(
        session_id=source.session_id, producer=service, key=(service, source.event_id),
        payload=ProcessingFailedPayload(service=service, failed_event_type=event_type, failed_event_id=source.event_id,
                                        question_number=number, message=f"{service} gave up"),
    )  # fmt: skip


def test_a_failure_belongs_to_its_question_and_ends_with_its_work():
    events = interview_events(scores=(8, 6), total=4, complete=False)
    lost_score = failed(events, "scoring", "AnswerSubmitted", 1)
    without_first_score = [e for e in events if not (e.type == "AnswerScored" and e.payload.question_number == 1)]
    view = fold_session("s0000001", [*without_first_score, lost_score])
    assert view.failure_for_answer(1) is lost_score.payload
    assert view.failure_for_answer(2) is None  # answer 2 was scored: its outcome is not blocked
    assert view.open_failure is lost_score.payload
    rescored = fold_session("s0000001", [*events, lost_score])  # the score arrives after a re-drive
    assert rescored.failure_for_answer(1) is None and rescored.open_failure is None


def test_a_next_question_that_failed_no_longer_matters_once_the_interview_ends():
    events = interview_events(scores=(8, 6), total=4, complete=False)
    no_third = failed(events, "interview", "AnswerSubmitted", 2)
    view = fold_session("s0000001", [*events, no_third])
    assert view.failure_before_question is no_third.payload and view.open_failure is no_third.payload
    ended = interview_events(scores=(8, 6), total=4, end_early=True)
    finished = fold_session("s0000001", [*ended, no_third])
    assert finished.report is not None and finished.open_failure is None


def test_a_correction_counts_only_if_its_request_was_upheld():
    from datetime import UTC, datetime

    base, declined = candidate_request_events(
        "s0000001", "req-aaaaaaaaaaaa", "declined", datetime(2026, 12, 1, tzinfo=UTC)
    )
    view = fold_session("s0000001", base + declined)
    assert view.resolutions["req-aaaaaaaaaaaa"].decision == "declined"
    assert (view.corrections, view.rescores, view.revisions, view.revision) == ({}, {}, {}, None)
    _, upheld = candidate_request_events("s0000001", "req-aaaaaaaaaaaa", "upheld", datetime(2026, 12, 1, tzinfo=UTC))
    view = fold_session("s0000001", base + upheld)
    assert view.corrections[1].answer == "what I said" and view.rescore_of(1).score == 9
    assert view.revision is not None and view.revision.request_id == "req-aaaaaaaaaaaa"


def test_the_revision_of_the_request_upheld_last_is_the_outcome_whatever_the_order_of_its_events():
    from datetime import UTC, datetime

    # the request upheld last (b) has its events made first: their times are earlier than a's
    base, second = candidate_request_events(
        "s0000001", "req-bbbbbbbbbbbb", "upheld", datetime(2026, 12, 2, tzinfo=UTC), 2, 8
    )
    _, first = candidate_request_events(
        "s0000001", "req-aaaaaaaaaaaa", "upheld", datetime(2026, 12, 1, tzinfo=UTC), 1, 7
    )
    assert second[-1].occurred_at < first[-1].occurred_at
    view = fold_session("s0000001", base + second + first)
    assert view.revision is not None and view.revision.request_id == "req-bbbbbbbbbbbb"
    assert {n: c.request_id for n, c in view.corrections.items()} == {1: "req-aaaaaaaaaaaa", 2: "req-bbbbbbbbbbbb"}

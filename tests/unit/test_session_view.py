"""The fold behind the gateway's sessions and persistence's read models."""

import random
import uuid

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.interview_document import interview_document
from shared.session_view import fold_session
from tests.factories import interview_events


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

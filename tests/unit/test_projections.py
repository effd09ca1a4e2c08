"""Persistence's read models from a session's events, in the seed's shapes."""

from datetime import UTC, datetime, timedelta

from services.persistence.projections import project_session
from shared.contracts.events import Accommodations
from shared.contracts.session_view import fold_session
from tests.factories import candidate_request_events, interview_events
from tests.seed_contract import assert_interview_shape


def rows(events):
    return project_session(fold_session(events[0].session_id, events))


def test_a_completed_interview_has_the_seeds_shape():
    projected = rows(interview_events(scores=(8, 7, 9), total=3))
    document = projected.interview.model_dump(mode="json")
    assert_interview_shape(document)
    assert document["status"] == "completed"
    assert document["individual_scores"] == [8, 7, 9]
    assert document["average_score"] == 8.0
    assert document["hire_recommendation"] == "yes"
    assert projected.version == len(interview_events(scores=(8, 7, 9), total=3))


def test_an_interview_in_progress_shows_the_answers_scored_so_far():
    projected = rows(interview_events(scores=(6, 4), total=5, complete=False))
    document = projected.interview.model_dump(mode="json")
    assert_interview_shape(document, completed=False)
    assert document["status"] == "in_progress"
    assert [a["score"] for a in document["questions_and_answers"]] == [6, 4]
    assert document["ended_at"] is None and document["hire_recommendation"] is None
    assert document["weaknesses"] == []  # the seed's analysis does .extend(interview.get('weaknesses', []))


def test_answers_and_job_description_rows():
    projected = rows(interview_events(scores=(3, 10), total=2))
    assert [(a.question_number, a.score) for a in projected.answers] == [(1, 3), (2, 10)]
    assert all(a.session_id == "s0000001" and a.timestamp for a in projected.answers)
    assert projected.job_description.job_description.startswith("Python developer")
    assert projected.job_description.candidate_name == "Ada Lovelace"


def test_nothing_but_answers_before_the_start_is_known():
    events = [
        e
        for e in interview_events(scores=(5,), total=2, complete=False)
        if e.type in ("AnswerScored", "QuestionGenerated")
    ]
    projected = rows(events)
    assert projected.interview is None and projected.job_description is None
    assert [a.score for a in projected.answers] == [5]


def test_each_answer_says_how_long_it_took_and_whether_it_went_over_the_time():
    """interview_events asks each question a second after the one before and has it answered a second
    later; here the second answer is sent 2 minutes after its question, with 90 s per answer (60 s and
    extra time 1.5)."""
    events = interview_events(scores=(8, 7), total=2)
    timed = {"answer_time_limit_seconds": 60, "accommodations": Accommodations(extra_time=1.5)}
    events = [
        e.model_copy(update={"payload": e.payload.model_copy(update=timed)}) if e.type == "InterviewStarted" else e
        for e in events
    ]
    asked = next(e for e in events if e.type == "QuestionGenerated" and e.payload.question_number == 2)
    events = [
        e.model_copy(update={"payload": e.payload.model_copy(update={"submitted_at": asked.occurred_at + timedelta(minutes=2)})})
        if e.type == "AnswerSubmitted" and e.payload.question_number == 2
        else e
        for e in events
    ]  # fmt: skip
    projected = rows(events)
    first, second = projected.interview.questions_and_answers
    assert projected.interview.seconds_per_answer == 90
    assert first.seconds_taken is not None and first.seconds_taken < 5 and not first.over_time
    assert (second.seconds_taken, second.over_time) == (120.0, True)
    assert [(a.seconds_taken, a.over_time) for a in projected.answers][1] == (120.0, True)


def test_a_revised_report_is_the_outcome_from_then_on_and_the_first_stays():
    base, upheld = candidate_request_events("s0000001", "req-aaaaaaaaaaaa", "upheld", datetime(2026, 12, 1, tzinfo=UTC))
    report = next(e for e in base if e.type == "ReportGenerated")
    projected = rows(base + upheld)
    assert (projected.interview.overall_score, projected.interview.hire_recommendation) == (
        report.payload.overall_score, report.payload.hire_recommendation)  # fmt: skip
    revision = projected.interview.report_revision
    assert revision is not None and revision.overall_score == 9.0 != report.payload.overall_score
    assert (projected.demographics.overall_score, projected.interview.questions_and_answers[0].rescored_score) == (
        9.0,
        9,
    )
    _, declined = candidate_request_events(
        "s0000001", "req-aaaaaaaaaaaa", "declined", datetime(2026, 12, 1, tzinfo=UTC)
    )
    unchanged = rows(base + declined)
    assert unchanged.interview.report_revision is None
    assert unchanged.demographics.overall_score == report.payload.overall_score

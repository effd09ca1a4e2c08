"""An interview a recruiter ended after its candidate stopped answering is not reported as the candidate's choice
(found by a recruiter's user test): the end request's `ended_by` travels in InterviewCompleted to the report, in
every language and in the OpenAI prompt (tests/integration/test_openai_provider.py), and the read model says who
ended it. `completion_reason` stays `ended_early` either way."""

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from services.persistence.api.reviews import correction
from services.scoring.handlers import build_handlers as scoring_handlers
from shared.ai.offline import OfflineInterviewer
from shared.ai.offline.report import TEXT, write_report
from shared.contracts.events import (
    AnswerCorrected,
    CandidateRequestMadePayload,
    Event,
    InterviewCompleted,
    InterviewContext,
    InterviewEndRequested,
    InterviewEndRequestedPayload,
    ReportGenerated,
    ReportRevised,
    parse_event,
)
from shared.contracts.interview_document import interview_document
from shared.contracts.session_view import fold_session
from tests.factories import interview_events
from tests.unit.test_offline_languages import JOBS, interview

SAMPLES = Path(__file__).parent.parent / "events" / "samples"
RECRUITER = "usr-recruiter0001"
TEAM = {
    "en": "The interview was ended by the hiring team after the candidate stopped answering.",
    "de": "Das Interview wurde vom Recruiting-Team beendet",
    "es": "El equipo de selección terminó la entrevista",
    "fr": "L'entretien a été clos par l'équipe de recrutement",
}


def ended_early(ended_by: str, *, carried: bool = True) -> list[Event]:
    """Two answers of four, then an end request by `ended_by` ("": the candidate); the completion carries who
    ended it as the gateway makes it (`carried`), or not, as every completion stored before it was carried."""
    events = interview_events("s0000001", scores=(6, 7), total=4, end_early=True)
    for i, event in enumerate(events):
        if isinstance(event, InterviewEndRequested):
            payload = InterviewEndRequestedPayload(requested_at=event.payload.requested_at, ended_by=ended_by)
            events[i] = event.model_copy(update={"payload": payload})
        if isinstance(event, InterviewCompleted) and carried:
            events[i] = event.model_copy(update={"payload": event.payload.model_copy(update={"ended_by": ended_by})})
    return events


def test_a_completion_stored_before_ended_by_was_carried_still_parses_as_the_candidates():
    stored = parse_event((SAMPLES / "InterviewCompleted.v1.json").read_bytes())
    assert isinstance(stored, InterviewCompleted) and stored.payload.ended_by == ""
    assert "ended_by" not in (SAMPLES / "InterviewCompleted.v1.json").read_text()


@pytest.mark.parametrize(
    ("by", "carried", "said"),
    [("", True, "candidate"), (RECRUITER, True, "hiring_team"), (RECRUITER, False, "hiring_team")],
)
def test_the_interview_document_says_who_ended_it(by, carried, said):
    document = interview_document(fold_session("s0000001", ended_early(by, carried=carried)))
    assert document is not None
    assert (document.completion_reason, document.ended_by) == ("ended_early", said)


def test_an_interview_answered_to_the_end_or_in_progress_was_ended_by_nobody():
    for events in (interview_events(scores=(6, 7), total=2), interview_events(scores=(6,), total=2, complete=False)):
        document = interview_document(fold_session("s0000001", events))
        assert document is not None and document.ended_by is None


def context(language: str) -> InterviewContext:
    return InterviewContext(candidate_name="Alex Martin", candidate_experience=4, job_description=JOBS[language],
                            difficulty="intermediate", total_questions=4, started_at=datetime(2026, 1, 1, tzinfo=UTC),
                            language=language)  # fmt: skip


@pytest.mark.parametrize("language", ["en", "de", "es", "fr"])
def test_the_report_says_the_hiring_team_ended_it_in_every_language(language):
    answered = interview(language)[:2]
    by_candidate, _ = write_report(context(language), answered, "ended_early", "candidate")
    by_team, how = write_report(context(language), answered, "ended_early", "hiring_team")
    say = TEXT[language]
    assert say["ended_early"] in by_candidate.summary and TEAM[language] not in by_candidate.summary
    assert say["ended_weakness"] in by_candidate.weaknesses
    assert TEAM[language] in by_team.summary and say["ended_early"] not in by_team.summary
    assert say["left_weakness"] in by_team.weaknesses and say["ended_weakness"] not in by_team.weaknesses
    assert "ended by the hiring team" in how
    # the rest of the report is the same: who ended it changes what is said, not the verdict
    assert (by_team.overall_score, by_team.hire_recommendation) == (by_candidate.overall_score,
                                                                    by_candidate.hire_recommendation)  # fmt: skip
    # before any answer: no "Alex Martin ended the interview"
    nothing, _ = write_report(context(language), [], "ended_early", "hiring_team")
    assert nothing.summary == say["no_answers_team"].format(name="Alex Martin")
    assert nothing.summary != say["no_answers"].format(name="Alex Martin")
    # every question answered: nobody ended it early, whatever is passed
    complete, _ = write_report(context(language), interview(language)[:4], "all_answered", "hiring_team")
    assert TEAM[language] not in complete.summary and say["left_weakness"] not in complete.weaknesses


@pytest.mark.parametrize(("by", "said"), [("", "The candidate ended the interview early."), (RECRUITER, TEAM["en"])])
def test_the_scoring_service_writes_the_report_as_the_completion_says(by, said):
    completed = next(e for e in ended_early(by) if isinstance(e, InterviewCompleted))
    handler = scoring_handlers(OfflineInterviewer())[InterviewCompleted]
    (report,) = asyncio.run(handler(completed))
    assert isinstance(report, ReportGenerated)
    assert said in report.payload.summary and report.payload.reason == "ended_early"


def test_a_revised_report_says_who_ended_it_too():
    """An upheld transcript correction writes the report again: the hiring team ended it still."""
    view = fold_session("s0000001", ended_early(RECRUITER))
    request = CandidateRequestMadePayload(request_id="req-000000000001", kind="transcription", question_number=1,
                                          corrected_answer="What I said: I owned the billing service's on-call.",
                                          requested_at=datetime(2026, 12, 7, tzinfo=UTC))  # fmt: skip
    corrected = correction(view, request, datetime(2026, 12, 7, 1, tzinfo=UTC))
    assert corrected.payload.ended_by == RECRUITER
    handled = asyncio.run(scoring_handlers(OfflineInterviewer())[AnswerCorrected](corrected))
    revised = next(event for event in handled if isinstance(event, ReportRevised))
    assert TEAM["en"] in revised.payload.summary

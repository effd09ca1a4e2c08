"""One interview, folded from its events.

The fold is a pure function of the *set* of a session's events: duplicates count
once and arrival order does not matter (events are put in a canonical order first,
and where two events claim the same slot the earliest wins). The gateway derives
its session state from it and the persistence service its read models.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from statistics import fmean
from typing import Any, Literal
from uuid import UUID

from shared.contracts.events import (
    AnswerCorrected,
    AnswerCorrectedPayload,
    AnswerRescored,
    AnswerRescoredPayload,
    AnswerReviewed,
    AnswerReviewedPayload,
    AnswerScored,
    AnswerScoredPayload,
    AnswerSubmitted,
    AnswerSubmittedPayload,
    CandidateRequestMade,
    CandidateRequestMadePayload,
    CandidateRequestResolved,
    CandidateRequestResolvedPayload,
    CompletionReason,
    DemographicsProvided,
    DemographicsProvidedPayload,
    Event,
    InterviewCompleted,
    InterviewCompletedPayload,
    InterviewContext,
    InterviewEndRequested,
    InterviewErased,
    InterviewReviewed,
    InterviewReviewedPayload,
    InterviewStarted,
    ProcessingFailed,
    ProcessingFailedPayload,
    QuestionGenerated,
    ReportGenerated,
    ReportGeneratedPayload,
    ReportRevised,
    ReportRevisedPayload,
    ScoredAnswer,
)

# what a ProcessingFailed says failed, by type name
ANSWER_SUBMITTED, INTERVIEW_COMPLETED, INTERVIEW_STARTED = (
    AnswerSubmitted.type_name(), InterviewCompleted.type_name(), InterviewStarted.type_name()
)  # fmt: skip


# who ended an interview ended early: the candidate, or the hiring team after the candidate stopped answering
EndedBy = Literal["candidate", "hiring_team"]


def ended_by(user_id: str) -> EndedBy:
    """An end request's or a completion's `ended_by` ("": the candidate; a user's id) as the report says it."""
    return "hiring_team" if user_id else "candidate"


def average_score(scores: Iterable[int]) -> float:
    """The seed's `average_score`: the mean of `individual_scores`, 0.0 before any answer."""
    scores = list(scores)
    return round(fmean(scores), 2) if scores else 0.0


@dataclass(frozen=True)
class SessionView:
    session_id: str
    context: InterviewContext | None = None
    questions: dict[int, str] = field(default_factory=dict)
    asked_at: dict[int, datetime] = field(default_factory=dict)  # when each question was asked
    answers: dict[int, AnswerSubmittedPayload] = field(default_factory=dict)
    scores: dict[int, AnswerScoredPayload] = field(default_factory=dict)
    end_requested_at: datetime | None = None
    end_requested_by: str = ""  # the first end request's: "" the candidate, a user's id the hiring team
    completion: InterviewCompletedPayload | None = None
    report: ReportGeneratedPayload | None = None
    last_event_at: datetime | None = None
    event_count: int = 0
    erased: bool = False
    failures: tuple[ProcessingFailedPayload, ...] = ()
    # people's reviews (the latest of each): recruiters' data, never shown to the candidate
    reviews: dict[int, AnswerReviewedPayload] = field(default_factory=dict)
    verdict: InterviewReviewedPayload | None = None  # the latest of anyone's
    # each person's latest verdict (by their id; a verdict recorded without one, by their name), oldest first
    verdicts: dict[str, InterviewReviewedPayload] = field(default_factory=dict)
    candidate_token_hash: str | None = None  # what the candidate's capability hashes to (docs/recruiting.md)
    # what the candidate said of themselves afterwards (the latest): the adverse-impact monitor's alone
    demographics: DemographicsProvidedPayload | None = None
    # the candidate's requests (by request id), reviewers' answers to them, corrected answers (the latest
    # of each question) and the scores of the corrected answers (by request id)
    requests: dict[str, CandidateRequestMadePayload] = field(default_factory=dict)
    resolutions: dict[str, CandidateRequestResolvedPayload] = field(default_factory=dict)
    # of upheld requests only (a correction of a request that ended up declined counts for nothing): each
    # answer's latest correction, and the new scores and revised reports by request id
    corrections: dict[int, AnswerCorrectedPayload] = field(default_factory=dict)
    rescores: dict[str, AnswerRescoredPayload] = field(default_factory=dict)
    revisions: dict[str, ReportRevisedPayload] = field(default_factory=dict)

    @property
    def revision(self) -> ReportRevisedPayload | None:
        """The report's latest revision: of the request upheld last."""
        latest = max(self.revisions, key=lambda request_id: self.resolutions[request_id].resolved_at, default=None)
        return self.revisions[latest] if latest is not None else None

    @property
    def status(self) -> str:
        return "completed" if self.report is not None else "in_progress"

    @property
    def ended_by(self) -> EndedBy | None:
        """Who ended an interview that ended early (None: not ended early, or not complete yet). A completion
        from before it carried `ended_by` says the candidate: its end request knows better."""
        closed = self.completion or self.report
        if closed is None or closed.reason != "ended_early":
            return None
        return ended_by((self.completion.ended_by if self.completion else "") or self.end_requested_by)

    @property
    def is_closed(self) -> bool:
        """No more answers are accepted."""
        return self.completion is not None or self.end_requested_at is not None

    @property
    def open_requests(self) -> list[CandidateRequestMadePayload]:
        return [request for request_id, request in self.requests.items() if request_id not in self.resolutions]

    def rescore_of(self, question_number: int) -> AnswerRescoredPayload | None:
        """The score of the answer's corrected transcript, once scored."""
        correction = self.corrections.get(question_number)
        return self.rescores.get(correction.request_id) if correction else None

    @property
    def total_questions(self) -> int:
        return self.context.total_questions if self.context else 0

    @property
    def open_question_number(self) -> int | None:
        """The question waiting for an answer, if it has been asked."""
        if self.is_closed:
            return None
        answered = self.answered_numbers
        number = next(n for n in range(1, len(answered) + 2) if n not in answered)
        if number > self.total_questions or number not in self.questions:
            return None
        return number

    @property
    def scored_transcript(self) -> tuple[ScoredAnswer, ...]:
        """The interview's scored answers: once completed, exactly those the report covers
        (an answer that raced past the end is not part of it)."""
        closed = self.completion or self.report
        if closed is not None:
            return closed.transcript
        return tuple(ScoredAnswer.model_validate(self.scores[n], from_attributes=True) for n in sorted(self.scores))

    @property
    def individual_scores(self) -> list[int]:
        return [answer.score for answer in self.scored_transcript]

    @property
    def average_score(self) -> float:
        return average_score(self.individual_scores)

    @property
    def answered_numbers(self) -> set[int]:
        """Questions answered: a score implies its answer even if the answer event is not here yet."""
        return set(self.answers) | set(self.scores)

    def failure_for_answer(self, number: int) -> ProcessingFailedPayload | None:
        """A service gave up on what answering question `number` leads to (its score; then the next
        question, or the report) and that result is still missing."""
        last = number >= self.total_questions or self.is_closed
        for failure in self.failures:
            if failure.failed_event_type == ANSWER_SUBMITTED and failure.question_number == number:
                if failure.service == "scoring" and number not in self.scores:
                    return failure
                if failure.service == "interview" and not last and number + 1 not in self.questions:
                    return failure
            if failure.failed_event_type == INTERVIEW_COMPLETED and last and self.report is None:
                return failure
        return None

    @property
    def failure_before_question(self) -> ProcessingFailedPayload | None:
        """A service gave up on preparing the question the candidate waits for."""
        if self.is_closed or self.open_question_number is not None:
            return None
        answered = self.answered_numbers
        waiting_after = max(answered, default=0)
        for failure in self.failures:
            if failure.service != "interview":
                continue
            if failure.failed_event_type == INTERVIEW_STARTED and waiting_after == 0:
                return failure
            if failure.failed_event_type == ANSWER_SUBMITTED and failure.question_number == waiting_after:
                return failure
        return None

    @property
    def open_failure(self) -> ProcessingFailedPayload | None:
        """The problem to show the candidate now, if any."""
        for number in sorted(self.answered_numbers):
            if (failure := self.failure_for_answer(number)) is not None:
                return failure
        return self.failure_before_question

    @property
    def unscored_numbers(self) -> list[int]:
        return sorted(self.answered_numbers - set(self.scores))

    @property
    def awaiting_last_scores(self) -> bool:
        """Nothing more will be answered, but some answers still wait for their score."""
        answered = self.answered_numbers
        finished = len(answered) >= self.total_questions or self.end_requested_at is not None
        return self.completion is None and finished and not answered <= set(self.scores)

    def completion_due(self) -> CompletionReason | None:
        """Why the interview is now complete, once every answer given has its score."""
        if self.completion is not None or self.context is None:
            return None
        answered = self.answered_numbers
        if not answered <= set(self.scores):
            return None
        if len(answered) >= self.total_questions:
            return "all_answered"
        if self.end_requested_at is not None:
            return "ended_early"
        return None


# what comes after the interview or beside it: not part of it, so not its last activity
AFTERWARDS = (AnswerReviewed, InterviewReviewed, DemographicsProvided, CandidateRequestMade, CandidateRequestResolved,
              AnswerCorrected, AnswerRescored, ReportRevised)  # fmt: skip


def fold_session(session_id: str, events: Iterable[Event]) -> SessionView:
    """The reference fold: every event at once, in canonical order."""
    return SessionFold(session_id, events).view


class FoldCache:
    """The folds of the sessions seen lately, each brought up to date with the session's events as a store
    holds them now: only what the fold does not have yet is added (`SessionFold.add`), so the cost of an
    event stops growing with the length of its session. The stored set is the truth: where it no longer
    has an event the fold has (an erasure), the fold starts again from it (tests/unit/test_session_fold.py).
    A session with its report (or erased) is not kept: little more comes of it, and memory is for the
    interviews in progress."""

    def __init__(self, size: int = 1024) -> None:
        self._folds: OrderedDict[str, SessionFold] = OrderedDict()
        self._size = size

    def view(self, session_id: str, stored: Sequence[Event]) -> SessionView:
        fold = self._folds.pop(session_id, None)
        if fold is None or not fold.events.keys() <= {event.event_id for event in stored}:
            fold = SessionFold(session_id, stored)
        else:
            for event in stored:
                if fold.events.get(event.event_id) is not event:  # new, or another body of a folded id
                    fold.add(event)
        view = fold.view
        if view.report is None and not view.erased:
            self._folds[session_id] = fold
            if len(self._folds) > self._size:
                self._folds.popitem(last=False)
        return view

    def __len__(self) -> int:
        return len(self._folds)


class SessionFold:
    """The fold kept up to date event by event: an event that comes after every event folded so far (in
    the canonical order: time, then id), as nearly all do, is applied to the running state in constant
    time; any other (late, or a second body for a folded id) folds the whole set again. Either way the
    view is what `fold_session` makes of the same set (tests/unit/test_session_fold.py)."""

    events: dict[UUID, Event]
    _context: InterviewContext | None
    _fallback_context: InterviewContext | None
    _questions: dict[int, str]
    _asked_at: dict[int, datetime]
    _answers: dict[int, AnswerSubmittedPayload]
    _scored: dict[int, list[AnswerScoredPayload]]
    _end_requested_at: datetime | None
    _end_requested_by: str
    _completion: InterviewCompletedPayload | None
    _report: ReportGeneratedPayload | None
    _failures: dict[object, ProcessingFailedPayload]
    _reviews: dict[int, AnswerReviewedPayload]
    _verdicts: dict[str, InterviewReviewedPayload]  # each person's latest, the latest of all last
    _demographics: DemographicsProvidedPayload | None
    _requests: dict[str, CandidateRequestMadePayload]
    _resolutions: dict[str, CandidateRequestResolvedPayload]
    _corrections: dict[str, AnswerCorrectedPayload]  # by request id, as are the next two
    _rescores: dict[str, AnswerRescoredPayload]
    _revisions: dict[str, ReportRevisedPayload]
    _last_event_at: datetime | None
    _token_hash: str | None
    _erased: bool
    _last_key: tuple[datetime, str] | None  # the canonical key of the last event folded
    _view: SessionView | None  # made when asked for, after a change

    def __init__(self, session_id: str, events: Iterable[Event] = ()) -> None:
        self.session_id = session_id
        self._refold(_unique(session_id, events))

    @property
    def view(self) -> SessionView:
        if self._view is None:
            self._view = self._make_view()
        return self._view

    def add(self, event: Event) -> bool:
        """Fold one more event in; False if it changes nothing (another session's, or a repeat)."""
        if event.session_id != self.session_id:
            return False
        kept = self.events.get(event.event_id)
        if kept is not None:
            if not earlier(event, kept):
                return False
            self._refold({**self.events, event.event_id: event})  # the earlier body of a folded id wins
            return True
        self.events[event.event_id] = event
        key = (event.occurred_at, str(event.event_id))
        if self._last_key is not None and key < self._last_key:
            self._refold(self.events)  # a late event: the slots it claims may be taken by later ones
        else:
            self._apply(event, key)
        return True

    def _refold(self, unique: dict[UUID, Event]) -> None:
        self.events = unique
        self._context = None
        self._fallback_context = None
        self._questions = {}
        self._asked_at = {}
        self._answers = {}
        self._scored = {}
        self._end_requested_at = None
        self._end_requested_by = ""
        self._completion = None
        self._report = None
        self._failures = {}
        self._reviews = {}
        self._verdicts = {}
        self._demographics = None
        self._requests = {}
        self._resolutions = {}
        self._corrections = {}
        self._rescores = {}
        self._revisions = {}
        self._last_event_at = None
        self._token_hash = None
        self._erased = False
        self._last_key = None
        self._view = None
        for event in sorted(unique.values(), key=lambda e: (e.occurred_at, str(e.event_id))):
            self._apply(event, (event.occurred_at, str(event.event_id)))

    def _apply(self, event: Event, key: tuple[datetime, str]) -> None:
        self._last_key = key
        self._view = None
        if not isinstance(event, AFTERWARDS):
            self._last_event_at = event.occurred_at  # about the interview, not part of it
        match event:
            case InterviewStarted(payload=started):
                self._context = self._context or InterviewContext.model_validate(started, from_attributes=True)
                self._token_hash = self._token_hash or started.candidate_token_hash
            case QuestionGenerated(payload=asked):
                if asked.question_number not in self._questions:
                    self._questions[asked.question_number] = asked.question
                    self._asked_at[asked.question_number] = event.occurred_at
            case AnswerSubmitted(payload=answer):
                self._answers.setdefault(answer.question_number, answer)
                self._fallback_context = self._fallback_context or answer.context
            case AnswerScored(payload=score):
                self._scored.setdefault(score.question_number, []).append(score)
            case InterviewEndRequested(payload=request):
                if self._end_requested_at is None:  # the first request ended it
                    self._end_requested_at, self._end_requested_by = request.requested_at, request.ended_by
            case InterviewCompleted(payload=completed):
                self._completion = self._completion or completed
                self._fallback_context = self._fallback_context or completed.context
            case ReportGenerated(payload=generated):
                self._report = self._report or generated
                self._fallback_context = self._fallback_context or generated.context
            case ProcessingFailed(payload=failure):
                self._failures.setdefault((failure.service, failure.failed_event_id), failure)
            case AnswerReviewed(payload=review):
                self._reviews[review.question_number] = review  # in time order: the latest review counts
            case InterviewReviewed(payload=review_of_interview):
                person = review_of_interview.reviewer_id or review_of_interview.reviewer
                self._verdicts.pop(person, None)  # in time order: each person's latest counts, the latest last
                self._verdicts[person] = review_of_interview
            case DemographicsProvided(payload=demographics):
                self._demographics = demographics  # in time order: the latest answers count
            case CandidateRequestMade(payload=request):
                self._requests.setdefault(request.request_id, request)
            case CandidateRequestResolved(payload=resolution):
                self._resolutions.setdefault(resolution.request_id, resolution)  # the first answer stands
            case AnswerCorrected(payload=correction):
                self._corrections.setdefault(correction.request_id, correction)
            case AnswerRescored(payload=rescore):
                self._rescores.setdefault(rescore.request_id, rescore)
            case ReportRevised(payload=revision):
                self._revisions.setdefault(revision.request_id, revision)
            case InterviewErased():
                self._erased = True

    def _make_view(self) -> SessionView:
        if self._erased:
            return SessionView(session_id=self.session_id, event_count=len(self.events), erased=True)
        return SessionView(
            session_id=self.session_id,
            context=self._context or self._fallback_context,
            questions=dict(self._questions),
            asked_at=dict(self._asked_at),
            answers=dict(self._answers),
            scores=_scores_of_the_answers_kept(self._answers, self._scored),
            end_requested_at=self._end_requested_at,
            end_requested_by=self._end_requested_by,
            completion=self._completion,
            report=self._report,
            last_event_at=self._last_event_at,
            event_count=len(self.events),
            failures=tuple(self._failures.values()),
            reviews=dict(self._reviews),
            verdict=next(reversed(self._verdicts.values()), None),
            verdicts=dict(self._verdicts),
            candidate_token_hash=self._token_hash,
            demographics=self._demographics,
            requests=dict(self._requests),
            resolutions=dict(self._resolutions),
            **_upheld_only(self._resolutions, self._corrections, self._rescores, self._revisions),
        )


def _upheld_only(
    resolutions: dict[str, CandidateRequestResolvedPayload],
    corrections: dict[str, AnswerCorrectedPayload],
    rescores: dict[str, AnswerRescoredPayload],
    revisions: dict[str, ReportRevisedPayload],
) -> dict[str, Any]:
    """The corrections, new scores and revised reports of upheld requests (whatever order their events came
    in); each answer's correction the one upheld last."""
    upheld = {request_id for request_id, r in resolutions.items() if r.decision == "upheld"}
    by_question: dict[int, AnswerCorrectedPayload] = {}
    for request_id in sorted(upheld & corrections.keys(), key=lambda request_id: resolutions[request_id].resolved_at):
        by_question[corrections[request_id].question_number] = corrections[request_id]
    return {
        "corrections": by_question,
        "rescores": {request_id: r for request_id, r in rescores.items() if request_id in upheld},
        "revisions": {request_id: r for request_id, r in revisions.items() if request_id in upheld},
    }


def _unique(session_id: str, events: Iterable[Event]) -> dict[UUID, Event]:
    """One event per id; if two bodies share an id (a derived event made twice), the earliest wins."""
    unique: dict[UUID, Event] = {}
    for event in events:
        if event.session_id != session_id:
            continue
        kept = unique.get(event.event_id)
        if kept is None or earlier(event, kept):
            unique[event.event_id] = event
    return unique


def earlier(one: Event, other: Event) -> bool:
    """Of two bodies with one event id (a derived event made twice), the one every fold and store keeps:
    the earlier, then the smaller body (the SQLite store says the same in SQL)."""
    return (one.occurred_at, one.model_dump_json()) < (other.occurred_at, other.model_dump_json())


def _scores_of_the_answers_kept(
    answers: dict[int, AnswerSubmittedPayload], scored: dict[int, list[AnswerScoredPayload]]
) -> dict[int, AnswerScoredPayload]:
    """Two different answers to one question (racing replicas) are both scored; keep the score
    of the answer that was kept. Before its answer event arrives, a score stands on its own."""
    scores = {}
    for number, candidates in scored.items():
        kept = answers.get(number)
        matching = [c for c in candidates if kept is None or c.answer == kept.answer]
        if matching:
            scores[number] = matching[0]
    return scores

"""The read models' documents: what the store keeps for each session and the read API serves. The
seed's three data sets (`interviews`, `answers`, `job_descriptions`) with the recruiters' reviews beside
the AI's scores, the skills each job description names, and the adverse-impact monitor's rows (apart
from the rest). docs/data-model.md describes every field."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from shared.contracts.events import (
    Accommodations,
    AgeBand,
    Difficulty,
    Evidence,
    Feedback,
    HireRecommendation,
    Provenance,
    RaceEthnicity,
    RequestKind,
    Sex,
)
from shared.contracts.interview_document import InterviewDocument, QuestionAndAnswer


class HumanReview(BaseModel):
    """A recruiter's review of one answer, beside the AI's score (null until reviewed)."""

    human_score: int | None = None
    human_note: str | None = None
    reviewed_by: str | None = None
    reviewed_at: str | None = None


class Correction(BaseModel):
    """An answer's transcript as corrected on the candidate's upheld request, and its new score (null
    until then; the AI's first score and the answer as transcribed stay beside it)."""

    corrected_answer: str | None = None
    rescored_score: int | None = None
    rescored_feedback: Feedback | None = None


class Timing(BaseModel):
    """How the candidate gave an answer: how long they took, from the question being asked to the answer being
    sent, and whether they spoke it."""

    seconds_taken: float | None = None  # null when either time is not known
    over_time: bool = False  # more than the candidate's time per answer (with a grace for the connection)
    spoken: bool | None = None  # speech recognition wrote (some of) it; false: typed; null: not said


class HumanVerdict(BaseModel):
    """One person's hire verdict for an interview (their latest): each member of a hiring team has their own."""

    verdict: HireRecommendation
    note: str
    reviewer: str
    reviewer_id: str
    reviewed_at: str


class CandidateRequestRecord(BaseModel):
    """A candidate's request for a person to review the interview, or to correct an answer's transcript."""

    request_id: str
    kind: RequestKind
    question_number: int | None
    corrected_answer: str
    note: str
    requested_at: str
    status: Literal["open", "upheld", "declined"]
    resolution_note: str | None = None
    resolved_by: str | None = None
    resolved_at: str | None = None


class ReportRevision(BaseModel):
    """The report written again after an upheld correction of a transcript (the latest revision): the
    interview's outcome from then on, beside the first report, which the document keeps."""

    request_id: str
    revised_at: str
    overall_score: float
    average_score: float
    individual_scores: list[int]
    summary: str
    strengths: list[str]
    weaknesses: list[str]
    recommendations: list[str]
    hire_recommendation: HireRecommendation


class AnswerRecord(HumanReview, Correction, Timing):
    session_id: str
    question_number: int
    question: str
    answer: str
    score: int
    feedback: Feedback
    timestamp: str
    candidate_name: str | None
    difficulty: Difficulty | None
    provenance: Provenance | None = None  # who scored it: provider, model, prompt version
    evidence: list[Evidence] = []  # the spans of the answer that earned or cost points, as in the interview
    # what question quality adds up per question (services/persistence/improvement.py)
    normalised_question: str = ""
    empty_or_unknown: bool = False
    answer_words: int = 0
    position_id: str | None = None  # the interview's position, when it came from an invitation


class ReviewedQuestionAndAnswer(QuestionAndAnswer, HumanReview, Correction, Timing):
    pass


class ReviewedInterview(InterviewDocument):
    """The read API's interview: the seed's document plus the recruiters' reviews (which the
    candidate's own report, built from the same fold, never shows)."""

    # narrower than the base's list: every answer it holds is a reviewed one, and documents are never mutated
    questions_and_answers: list[ReviewedQuestionAndAnswer]  # type: ignore[assignment]
    human_verdict: HireRecommendation | None = None
    human_verdict_note: str | None = None
    human_verdict_by: str | None = None
    human_verdict_at: str | None = None
    # each person's own verdict, oldest first (the human_verdict fields above are the latest of them)
    human_verdicts: list[HumanVerdict] = []
    candidate_requests: list[CandidateRequestRecord] = []
    open_requests: int = 0  # of them, how many wait for a reviewer
    report_revision: ReportRevision | None = None
    # how the candidate took it: the time per answer (extra time included; 0: untimed) and accommodations
    seconds_per_answer: int = 0
    accommodations: Accommodations = Accommodations()


class JobDescriptionRecord(BaseModel):
    session_id: str
    job_description: str
    candidate_name: str
    candidate_experience: int
    difficulty: Difficulty
    timestamp: str


class JobSkillRow(BaseModel):
    """One skill the session's job description names, with the interview's status and score, so
    that scores per skill are one aggregate over these rows."""

    session_id: str
    skill: str
    category: str
    status: str
    average_score: float


class DemographicRow(BaseModel):
    """A completed interview's outcome beside what its candidate said of themselves: the adverse-impact
    monitor's one input (services/persistence/fairness.py), kept apart from every other data set, read by
    nothing else and never served row by row (docs/fairness.md). No name, no answers."""

    session_id: str
    position_id: str | None
    completed_at: str
    hire_recommendation: HireRecommendation
    overall_score: float
    sex: Sex
    race_ethnicity: RaceEthnicity
    age_band: AgeBand
    provided: bool  # False: the candidate left the form unanswered (every category is then unknown)


Document = ReviewedInterview | AnswerRecord | JobDescriptionRecord

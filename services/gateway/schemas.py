"""The candidate API's requests and responses: the seed's start-interview body and the answers the web app reads
(docs/architecture.md, "The gateway owns the session")."""

from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from shared.contracts.events import (
    Accommodations,
    CandidateReport,
    Difficulty,
    Feedback,
    Language,
    RequestKind,
    SessionId,
)
from shared.contracts.interview_document import InterviewDocument
from shared.contracts.text_input import PersonName, PlainText, VisibleText

MAX_QUESTIONS = 20


def whole_float(value: object) -> object:
    """5.0 as 5: a client's float that is a whole number (the seed says only "number")."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


InvitationToken = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{20,100}$")]
CandidateToken = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{20,100}$")]


class StartInterviewRequest(BaseModel):
    """The seed's body (open mode), or an invitation's token in place of the job description: then the
    position's settings apply and only what the invitation lacks is asked (the name, when it has none)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    job_description: Annotated[str, StringConstraints(min_length=20, max_length=20_000), VisibleText] | None = Field(
        None, description="The job posting the interview is about (at least 20 characters); not with an invitation"
    )
    candidate_name: Annotated[str, StringConstraints(min_length=1, max_length=200), PersonName] | None = None
    # 5.0 is 5 (what json.dumps makes of a float), 2.5 and "5" are refused
    experience_years: Annotated[int, BeforeValidator(whole_float)] | None = Field(
        None, ge=0, le=60, strict=True, description="Years of experience"
    )
    invitation: InvitationToken | None = Field(None, description="The token of the candidate's invitation link")
    consent: bool = Field(
        False, strict=True, description="With an invitation: the candidate accepted the notice that an AI interviews"
    )
    difficulty: Difficulty = "intermediate"
    num_questions: int = Field(
        5, ge=1, le=MAX_QUESTIONS, strict=True, description=f"Number of questions, 1 to {MAX_QUESTIONS}"
    )
    language: Language | None = Field(
        None,
        description="The interview's language: en, de, es or fr; without it the position's (invitations), "
        "else the job description's",
    )
    request_id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{16,64}$")] | None = Field(
        None,
        description="A random id the client makes once per interview it starts (a UUID will do): a retried "
        "request with the same id answers with the same interview instead of starting a second one",
    )

    @field_validator("difficulty", "language", mode="before")
    @classmethod
    def lower_case(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @model_validator(mode="after")
    def open_or_invited(self) -> "StartInterviewRequest":
        if self.invitation is not None:
            if not self.consent:
                raise ValueError(
                    "consent: the candidate must accept the notice that an AI conducts and scores the interview"
                )
            return self  # experience_years is asked for by the start itself: a retry of a start needs none
        missing = [
            name for name in ("job_description", "candidate_name", "experience_years") if getattr(self, name) is None
        ]
        if missing:
            raise ValueError("; ".join(f"{name} is required" for name in missing) + " (or an invitation's token)")
        return self


class InvitationLookup(BaseModel):
    invitation: InvitationToken


class InvitationDetails(BaseModel):
    """What the candidate page shows before the interview starts."""

    position_title: str
    candidate_name: str  # empty: the page asks for it
    total_questions: int
    expires_at: str
    seconds_per_answer: int = 0  # 0: untimed; else the time per answer, the candidate's extra time included
    accommodations: Accommodations = Accommodations()
    language: Language = "en"  # the interview's, for the page and its voice


class SubmitAnswerRequest(BaseModel):
    session_id: SessionId
    candidate_token: CandidateToken | None = Field(None, description="Given when the interview started")
    answer: Annotated[str, StringConstraints(max_length=10_000), PlainText]
    question_number: int | None = Field(
        None, ge=1, strict=True, description="The question being answered; makes a retried request safe"
    )
    spoken: bool | None = Field(
        None,
        strict=True,
        description="Speech recognition wrote (some of) it: only then can its transcript be contested",
    )


class EndInterviewRequest(BaseModel):
    session_id: SessionId
    candidate_token: CandidateToken | None = None


class StartInterviewResponse(BaseModel):
    session_id: str
    status: Literal["in_progress", "pending", "failed"]
    question_number: int | None = None
    total_questions: int
    question: str | None = None
    message: str | None = None
    candidate_token: str | None = None  # keep it: answering, ending and resuming need it (invitations)
    position_title: str | None = None
    seconds_per_answer: int = 0  # 0: untimed; else this candidate's time per answer, extra time included
    accommodations: Accommodations = Accommodations()
    language: Language = "en"  # the interview's, for the page and its voice


class NextQuestion(BaseModel):
    question_number: int
    question: str
    seconds_left: int | None = None  # a timed interview's open question, resumed: the time it has left


class SubmitAnswerResponse(BaseModel):
    session_id: str
    question_number: int
    status: Literal["scored", "pending", "failed"] = "scored"
    message: str | None = None  # when the AI could not answer: what happened, for the candidate
    score: int | None
    feedback: Feedback | None
    completed: bool
    next_question: NextQuestion | None
    report: InterviewDocument | None
    candidate_report: CandidateReport = "full"  # what this interview shows the candidate (docs/fairness.md)


class EndInterviewResponse(BaseModel):
    session_id: str
    status: Literal["completed", "ending"]
    completed: bool
    report: InterviewDocument | None
    message: str | None = None
    candidate_report: CandidateReport = "full"


class AnsweredQuestion(BaseModel):
    question_number: int
    question: str
    answer: str
    score: int | None
    feedback: Feedback | None
    spoken: bool | None = None  # typed (False): no transcript to contest


class CandidateRequestState(BaseModel):
    """One of the candidate's requests and, once a reviewer answered it, the answer."""

    request_id: str
    kind: RequestKind
    question_number: int | None
    status: Literal["open", "upheld", "declined"]
    note: str  # the reviewer's, once answered
    rescored_score: int | None = None  # an upheld transcription's corrected answer, once scored


class CandidateSession(BaseModel):
    """What a candidate's page needs to resume after a reload."""

    session_id: str
    status: Literal["in_progress", "ending", "completed"]
    candidate_name: str | None
    total_questions: int
    current_question: NextQuestion | None
    answers: list[AnsweredQuestion]
    report: InterviewDocument | None
    problem: str | None = None  # a step the AI could not do, for now
    requests: list[CandidateRequestState] = []
    candidate_report: CandidateReport = "full"
    how_assessed: list[str] = []  # once the interview is over: what was assessed and how
    revised_report: InterviewDocument | None = None  # after an upheld correction: the report written again
    seconds_per_answer: int = 0  # 0: untimed; else the time per answer, extra time included
    accommodations: Accommodations = Accommodations()
    language: Language = "en"  # the interview's, for the page and its voice

"""The candidate API's requests and responses: the seed's start-interview body and the answers the web app reads
(docs/architecture.md, "The gateway owns the session")."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from shared.contracts.events import Difficulty, Feedback, SessionId
from shared.contracts.interview_document import InterviewDocument
from shared.contracts.text_input import PlainText

MAX_QUESTIONS = 20


class StartInterviewRequest(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    job_description: Annotated[str, StringConstraints(min_length=20, max_length=20_000), PlainText] = Field(
        description="The job posting the interview is about (at least 20 characters)"
    )
    candidate_name: Annotated[str, StringConstraints(min_length=1, max_length=200), PlainText]
    experience_years: int = Field(ge=0, le=60, description="Years of experience")
    difficulty: Difficulty = "intermediate"
    num_questions: int = Field(5, ge=1, le=MAX_QUESTIONS, description=f"Number of questions, 1 to {MAX_QUESTIONS}")
    request_id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{16,64}$")] | None = Field(
        None,
        description="A random id the client makes once per interview it starts (a UUID will do): a retried "
        "request with the same id answers with the same interview instead of starting a second one",
    )

    @field_validator("difficulty", mode="before")
    @classmethod
    def lower_case(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value


class SubmitAnswerRequest(BaseModel):
    session_id: SessionId
    answer: Annotated[str, StringConstraints(max_length=10_000), PlainText]
    question_number: int | None = Field(
        None, ge=1, description="The question being answered; makes a retried request safe"
    )


class EndInterviewRequest(BaseModel):
    session_id: SessionId


class StartInterviewResponse(BaseModel):
    session_id: str
    status: Literal["in_progress", "pending", "failed"]
    question_number: int | None = None
    total_questions: int
    question: str | None = None
    message: str | None = None


class NextQuestion(BaseModel):
    question_number: int
    question: str


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


class EndInterviewResponse(BaseModel):
    session_id: str
    status: Literal["completed", "ending"]
    completed: bool
    report: InterviewDocument | None
    message: str | None = None


class AnsweredQuestion(BaseModel):
    question_number: int
    question: str
    answer: str
    score: int | None
    feedback: Feedback | None


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

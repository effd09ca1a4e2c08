"""The one interface both AI providers implement."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from shared.events import CompletionReason, Feedback, InterviewContext, QuestionAnswer, Report, ScoredAnswer
from shared.settings import ConfigurationError


@dataclass(frozen=True)
class AnswerAssessment:
    score: int
    feedback: Feedback
    rationale: str


class InterviewerAI(Protocol):
    name: str
    model: str
    prompt_version: str | None

    async def next_question(
        self, context: InterviewContext, transcript: Sequence[QuestionAnswer], question_number: int
    ) -> str: ...

    async def assess_answer(
        self, context: InterviewContext, question: str, answer: str, transcript: Sequence[QuestionAnswer]
    ) -> AnswerAssessment: ...

    async def write_report(
        self, context: InterviewContext, transcript: Sequence[ScoredAnswer], reason: CompletionReason
    ) -> Report: ...


def make_provider(openai_api_key: str | None = None) -> InterviewerAI:
    if openai_api_key:
        raise ConfigurationError(
            "OPENAI_API_KEY is set, but the OpenAI provider is not built yet (issue 4); unset it to use the offline interviewer."
        )
    from shared.ai.offline import OfflineInterviewer

    return OfflineInterviewer()

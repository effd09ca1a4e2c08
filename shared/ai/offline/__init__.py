"""The offline interviewer: deterministic, no network, and still sensible (the default provider)."""

from __future__ import annotations

from collections.abc import Sequence

from shared.ai.offline import questions, report, scoring
from shared.ai.provider import AnswerAssessment, GeneratedQuestion, ReportDraft
from shared.contracts.events import CompletionReason, InterviewContext, Provenance, QuestionAnswer, ScoredAnswer

MODEL = "offline-heuristics-v3"  # v3: duties from any job description, German, injection rules


def provenance(rationale: str) -> Provenance:
    return Provenance(provider="offline", model=MODEL, prompt_version=None, rationale=rationale)


class OfflineInterviewer:
    name = "offline"

    async def next_question(
        self, context: InterviewContext, transcript: Sequence[QuestionAnswer], question_number: int
    ) -> GeneratedQuestion:
        question, why = questions.next_question(context, transcript, question_number)
        return GeneratedQuestion(question, provenance(why))

    async def assess_answer(
        self, context: InterviewContext, question: str, answer: str, transcript: Sequence[QuestionAnswer]
    ) -> AnswerAssessment:
        return assess(context, question, answer, transcript)

    async def write_report(
        self, context: InterviewContext, transcript: Sequence[ScoredAnswer], reason: CompletionReason
    ) -> ReportDraft:
        written, how = report.write_report(context, transcript, reason)
        return ReportDraft(written, provenance(how))


def assess(
    context: InterviewContext, question: str, answer: str, transcript: Sequence[QuestionAnswer] = ()
) -> AnswerAssessment:
    analysis = scoring.analyse(context, question, answer, transcript)
    return AnswerAssessment(
        score=scoring.score(analysis, context.difficulty),
        feedback=scoring.feedback(analysis),
        provenance=provenance(scoring.rationale(analysis, context.difficulty)),
    )

"""The scoring service scores each answer as it arrives and writes the final report
once the interview is complete."""

from shared.ai.provider import InterviewerAI
from shared.contracts.events import (
    AnswerScored,
    AnswerScoredPayload,
    AnswerSubmitted,
    Event,
    InterviewCompleted,
    ReportGenerated,
    ReportGeneratedPayload,
    answer_key,
    utc_now,
)
from shared.contracts.session_view import average_score
from shared.platform.handlers import Handlers

PRODUCER = "scoring"


def build_handlers(ai: InterviewerAI) -> Handlers:
    handlers = Handlers()

    @handlers.on(AnswerSubmitted)
    async def score_answer(event: AnswerSubmitted) -> list[Event]:
        submitted = event.payload
        assessment = await ai.assess_answer(
            submitted.context, submitted.question, submitted.answer, submitted.transcript
        )
        return [
            AnswerScored.derived(
                session_id=event.session_id,
                producer=PRODUCER,
                key=answer_key(submitted.question_number, submitted.answer),
                payload=AnswerScoredPayload(
                    question_number=submitted.question_number,
                    question=submitted.question,
                    answer=submitted.answer,
                    score=assessment.score,
                    feedback=assessment.feedback,
                    scored_at=utc_now(),
                    provenance=assessment.provenance,
                    total_questions=submitted.context.total_questions,
                ),
            )
        ]

    @handlers.on(InterviewCompleted)
    async def write_report(event: InterviewCompleted) -> list[Event]:
        completed = event.payload
        draft = await ai.write_report(completed.context, completed.transcript, completed.reason)
        scores = [answer.score for answer in completed.transcript]
        return [
            ReportGenerated.derived(
                session_id=event.session_id,
                producer=PRODUCER,
                payload=ReportGeneratedPayload(
                    **draft.report.model_dump(),
                    average_score=average_score(scores),
                    individual_scores=scores,
                    reason=completed.reason,
                    ended_at=completed.ended_at,
                    context=completed.context,
                    transcript=completed.transcript,
                    provenance=draft.provenance,
                ),
            )
        ]

    return handlers

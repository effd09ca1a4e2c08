"""The scoring service scores each answer as it arrives, scores again an answer whose transcript was
corrected on the candidate's request, and writes the final report once the interview is complete."""

from shared.ai.provider import InterviewerAI
from shared.contracts.events import (
    AnswerCorrected,
    AnswerRescored,
    AnswerRescoredPayload,
    AnswerScored,
    AnswerScoredPayload,
    AnswerSubmitted,
    Event,
    InterviewCompleted,
    ReportGenerated,
    ReportGeneratedPayload,
    ReportRevised,
    ReportRevisedPayload,
    ScoredAnswer,
    answer_key,
    utc_now,
)
from shared.contracts.session_view import average_score, ended_by
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
                    evidence=assessment.evidence,
                    scored_at=utc_now(),
                    provenance=assessment.provenance,
                    total_questions=submitted.context.total_questions,
                ),
            )
        ]

    @handlers.on(AnswerCorrected)
    async def score_corrected_answer(event: AnswerCorrected) -> list[Event]:
        """An answer whose transcript a reviewer corrected on the candidate's request, scored again as
        any answer is, and the report written again over the transcript with it; the first score and
        report stay in the record beside them."""
        corrected = event.payload
        assessment = await ai.assess_answer(
            corrected.context, corrected.question, corrected.answer, corrected.transcript
        )
        rescored = AnswerRescoredPayload(
            question_number=corrected.question_number,
            question=corrected.question,
            answer=corrected.answer,
            score=assessment.score,
            feedback=assessment.feedback,
            evidence=assessment.evidence,
            provenance=assessment.provenance,
            request_id=corrected.request_id,
            scored_at=utc_now(),
        )
        key = (corrected.request_id,)  # one request, one corrected text
        events: list[Event] = [AnswerRescored.derived(session_id=event.session_id, producer=PRODUCER, key=key,
                                                      payload=rescored)]  # fmt: skip
        if corrected.scored_transcript and corrected.reason and corrected.ended_at:
            transcript = tuple(
                ScoredAnswer(**rescored.model_dump(include=set(ScoredAnswer.model_fields)))
                if answer.question_number == corrected.question_number
                else answer
                for answer in corrected.scored_transcript
            )
            draft = await ai.write_report(corrected.context, transcript, corrected.reason, ended_by(corrected.ended_by))
            scores = [answer.score for answer in transcript]
            revised = ReportRevisedPayload(
                **draft.report.model_dump(), average_score=average_score(scores), individual_scores=scores,
                reason=corrected.reason, ended_at=corrected.ended_at, context=corrected.context,
                transcript=transcript, provenance=draft.provenance, request_id=corrected.request_id,
                revised_at=utc_now(),
            )  # fmt: skip
            events.append(ReportRevised.derived(session_id=event.session_id, producer=PRODUCER, key=key,
                                                payload=revised))  # fmt: skip
        return events

    @handlers.on(InterviewCompleted)
    async def write_report(event: InterviewCompleted) -> list[Event]:
        completed = event.payload
        draft = await ai.write_report(
            completed.context, completed.transcript, completed.reason, ended_by(completed.ended_by)
        )
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

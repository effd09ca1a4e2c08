"""The interview service asks the questions: the first when an interview starts, the
next whenever an answer comes in (in parallel with its scoring)."""

from shared.ai.provider import InterviewerAI
from shared.contracts.events import (
    AnswerSubmitted,
    Event,
    InterviewContext,
    InterviewStarted,
    Provenance,
    QuestionAnswer,
    QuestionGenerated,
    QuestionGeneratedPayload,
)
from shared.platform.handlers import Handlers

PRODUCER = "interview"
MUST_ASK = Provenance(provider="position", model="must-ask", rationale="set by the recruiter for this position")


def build_handlers(ai: InterviewerAI) -> Handlers:
    handlers = Handlers()

    async def ask(
        session_id: str, context: InterviewContext, transcript: tuple[QuestionAnswer, ...], number: int
    ) -> Event:
        if number <= len(context.must_ask):  # the position's own questions come first, in their order
            text, provenance = context.must_ask[number - 1], MUST_ASK
        else:
            generated = await ai.next_question(context, transcript, number)
            text, provenance = generated.text, generated.provenance
        return QuestionGenerated.derived(
            session_id=session_id,
            producer=PRODUCER,
            key=(number,),
            payload=QuestionGeneratedPayload(question_number=number, question=text, provenance=provenance),
        )

    @handlers.on(InterviewStarted)
    async def ask_first_question(event: InterviewStarted) -> list[Event]:
        context = InterviewContext.model_validate(event.payload, from_attributes=True)
        return [await ask(event.session_id, context, (), 1)]

    @handlers.on(AnswerSubmitted)
    async def ask_next_question(event: AnswerSubmitted) -> list[Event]:
        answered = event.payload
        if answered.question_number >= answered.context.total_questions:
            return []
        transcript = (*answered.transcript, QuestionAnswer.model_validate(answered, from_attributes=True))
        return [await ask(event.session_id, answered.context, transcript, answered.question_number + 1)]

    return handlers

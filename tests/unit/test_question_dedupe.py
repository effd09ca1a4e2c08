"""Near-duplicate questions (shared/ai/offline/dedupe.py): a job whose description names one duty twice in
other words is asked about it once, by the word-stem rule the interview service uses and with the model
where it is loaded, and distinct duties are all still asked."""

from datetime import UTC, datetime

import pytest

from shared.ai.offline import dedupe, embedding, questions
from shared.ai.offline.duties import duties_of
from shared.contracts.events import InterviewContext, QuestionAnswer
from tests.embedding_switch import needs_the_model

pytestmark = pytest.mark.usefixtures("fresh_embedder")

NEAR_SYNONYMS = """Registered nurse for the surgical ward. What you will do:
- Administer medications safely
- Assess and monitor patients after surgery
- Handle medication administration and documentation
- Educate patients and families for discharge
- Teach patients and families about their discharge
- Work closely with physicians and physiotherapists
- Document medication administration accurately
You have a nursing licence and two years of experience."""
DISTINCT = (
    "administer medications safely",
    "assess and monitor patients after surgery",
    "educate patients and families for discharge",
    "work closely with physicians and physiotherapists",
)
ANSWERS = (
    "On the surgical ward I check every drug against the chart and the wristband; I caught 3 wrong doses last year.",
    "After a hip replacement a patient's blood pressure dropped; I escalated with SBAR and we cut the wait to 5 minutes.",
    "I explain the discharge letter with the family and use teach-back; our readmissions fell from 9% to 6%.",
    "I round with the physician each morning and we agreed a mobility plan that got 12 patients home a day earlier.",
    "A new nurse doubted an order; I called the pharmacist, we fixed the dose and wrote a checklist used since then.",
)


@pytest.fixture
def without_the_model():
    embedding.go_without()  # as the interview service runs


def interview(description: str) -> list[str]:
    context = InterviewContext(candidate_name="Alex Morgan", candidate_experience=4, job_description=description,
                               difficulty="intermediate", language="en", total_questions=5,
                               started_at=datetime(2026, 1, 5, 9, 0, tzinfo=UTC))  # fmt: skip
    transcript: list[QuestionAnswer] = []
    for number, answer in enumerate(ANSWERS, start=1):
        question, _ = questions.next_question(context, transcript, number)
        transcript.append(QuestionAnswer(question_number=number, question=question, answer=answer))
    return [qa.question for qa in transcript]


def duties_asked(asked: list[str]) -> list[str]:
    return [duty for duty in duties_of(NEAR_SYNONYMS) if any(duty in question for question in asked)]


def test_the_description_names_near_synonym_duties():
    found = duties_of(NEAR_SYNONYMS)
    assert "handle medication administration and documentation" in found and len(found) == 7
    assert dedupe.lexically_close("administer medications safely", "handle medication administration and documentation")
    assert dedupe.lexically_close(
        "educate patients and families for discharge", "teach patients and families about their discharge"
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [("manage the team budget", "manage the team rota"), ("review code", "write code"),
     ("negotiate offers", "negotiate and close"), ("assess patients after surgery", "educate patients and families"),
     ("prepare journal entries and prepaid schedules", "support the external audit with schedules")],
)  # fmt: skip
def test_distinct_duties_are_not_lexically_close(a, b):
    assert not dedupe.lexically_close(a, b)


def test_without_the_model_a_near_synonym_duty_is_asked_once_and_the_distinct_ones_all(without_the_model):
    asked = interview(NEAR_SYNONYMS)
    assert embedding.embedder() is None
    assert duties_asked(asked) == list(DISTINCT)
    assert len(set(asked)) == 5


@needs_the_model
def test_with_the_model_a_near_synonym_duty_is_asked_once_and_the_distinct_ones_all():
    asked = interview(NEAR_SYNONYMS)
    assert embedding.enabled()
    assert duties_asked(asked) == list(DISTINCT)


def test_the_closing_question_is_not_a_duty_already_asked_in_other_words(without_the_model):
    closing = interview(NEAR_SYNONYMS)[-1]
    assert "document medication administration" not in closing and "Tell me about a time" in closing


def test_the_same_context_and_transcript_give_the_same_questions(without_the_model):
    assert interview(NEAR_SYNONYMS) == interview(NEAR_SYNONYMS)


@needs_the_model
def test_the_model_also_merges_paraphrases_with_no_stem_in_common():
    assert not dedupe.lexically_close("administer medications", "give patients their medicines")
    assert dedupe.distinct(["administer medications", "give patients their medicines", "plan the shifts"]) == [
        "administer medications",
        "plan the shifts",
    ]


def test_without_the_model_only_the_stems_count(without_the_model):
    topics = ["administer medications", "give patients their medicines", "plan the shifts"]
    assert dedupe.distinct(topics) == topics
    assert dedupe.distinct(topics, asked=["medication administration"]) == topics[1:]

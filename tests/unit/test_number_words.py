"""Numbers written as words count as numbers (shared/ai/offline/text.py NUMBER_WORDS): "two hours" is as
measurable as "2 hours", and speech recognition often writes small numbers as words."""

from datetime import UTC, datetime

import pytest

from shared.ai.offline import assess
from shared.ai.offline.scoring import analyse
from shared.ai.offline.text import NUMBER_WORDS
from shared.contracts.events import InterviewContext

NURSE = ("Registered Nurse, surgical ward. You will assess and monitor patients after surgery, administer medications "
         "safely, and document accurately in the electronic health record.")  # fmt: skip
QUESTION = "Tell me about a time you had to assess and monitor patients after surgery."
WORDS = ("I assessed a patient two hours after a hip replacement, saw her blood pressure falling and her pulse rising, "
         "called the surgical team within five minutes and she was back in theatre in forty minutes.")  # fmt: skip
DIGITS = WORDS.replace("two hours", "2 hours").replace("five minutes", "5 minutes").replace("forty", "40")
CONTEXT = InterviewContext(candidate_name="Nora", candidate_experience=4, job_description=NURSE,
                           difficulty="intermediate", total_questions=3, started_at=datetime(2026, 1, 5, tzinfo=UTC))  # fmt: skip


@pytest.mark.parametrize(
    ("text", "found"),
    [("I gave twelve patients their drugs", ["twelve patients"]), ("within five minutes and", ["five minutes"]),
     ("twenty-five beds", ["twenty-five beds"]), ("fünf Minuten später", ["fünf Minuten"]),
     ("dos turnos seguidos", ["dos turnos"]), ("trois lits", ["trois lits"]),
     ("one of them", []), ("two of us", []), ("the two and the three", []), ("once I was there", []),
     ("neuf patients", [])],
)  # fmt: skip
def test_a_number_word_and_what_it_counts(text, found):
    assert NUMBER_WORDS.findall(text) == found


def test_an_answer_with_numbers_in_words_scores_as_the_same_answer_with_digits():
    words, digits = analyse(CONTEXT, QUESTION, WORDS), analyse(CONTEXT, QUESTION, DIGITS)
    assert words.numbers == digits.numbers == 3
    by_words, by_digits = assess(CONTEXT, QUESTION, WORDS), assess(CONTEXT, QUESTION, DIGITS)
    assert by_words.score == by_digits.score
    assert "Add measurable results (numbers, scale, impact)" not in by_words.feedback.improvements
    marked = {WORDS[e.start : e.end] for e in by_words.evidence if e.effect == "earned"}
    assert {"two hours", "five minutes", "forty minutes"} <= marked  # highlighted as the digits would be

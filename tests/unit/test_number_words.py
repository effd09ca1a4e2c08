"""Numbers written as words count as numbers (shared/ai/offline/text.py NUMBER_WORDS): "two hours" is as
measurable as "2 hours", and speech recognition often writes small numbers as words."""

import pytest

from shared.ai.offline import assess
from shared.ai.offline.scoring import analyse
from shared.ai.offline.text import NUMBER_WORDS
from tests.nurse import CONTEXT, STORIES

QUESTION, WORDS = STORIES[1]  # the surgery story, its numbers written as words
DIGITS = WORDS.replace("two hours", "2 hours").replace("five minutes", "5 minutes").replace("forty", "40")


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

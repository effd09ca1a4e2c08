"""`find_skills` (shared/ai/skills.py) skips a skill's patterns unless the text holds one of its spellings as a
whole run of word characters (or, for spellings with other characters, anywhere), and its patterns put the
spelling before the look-behind: it finds exactly what running every skill's patterns as first written
finds, on texts made of the vocabulary's own spellings in any case, glued to each other, to words and to
the characters the patterns look at."""

import re
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.ai import skills
from shared.ai.skills import Skill, find_skills

SPELLINGS = sorted({s for _, names in skills.VOCABULARY.items() for n, aliases in names.items() for s in (n, *aliases)})
PIECES = st.one_of(
    st.sampled_from(SPELLINGS),
    st.sampled_from(SPELLINGS).map(str.upper),
    st.sampled_from(SPELLINGS).map(str.title),
    # letters the patterns take for i and s that str.lower() does not make i or s
    st.sampled_from(SPELLINGS).map(lambda s: s.replace("s", "ſ").replace("i", "İ")),
    st.sampled_from(SPELLINGS).map(lambda s: s.replace("i", "ı")),
    st.sampled_from(["results", "products", "decision", "go-live", "R&D", "a", "led", "lead", "I", "ts", "we"]),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzRTSGOCIäöüßéſİıK\u0307", min_size=1, max_size=8),
)
SEPARATORS = st.sampled_from(["", " ", "  ", ".", ",", "-", "+", "#", "/", "(", ")", "\n", ". ", "'s ", "_", "é"])


def reference_patterns(name: str, aliases: tuple[str, ...]) -> list[re.Pattern[str]]:
    """The patterns as first written: look-behind first."""

    def pattern(spelling: str) -> str:
        return rf"(?<![\w+#.-]){re.escape(spelling)}(?![\w+#-])"

    found = [re.compile("|".join(pattern(s) for s in aliases), re.IGNORECASE)] if aliases else []
    return [re.compile(pattern(name), 0 if name in skills.CASE_SENSITIVE else re.IGNORECASE), *found]


REFERENCE = [
    (Skill(name, category), reference_patterns(name, aliases))
    for category, names in skills.VOCABULARY.items()
    for name, aliases in names.items()
]


def every_pattern(text: str) -> list[Skill]:
    """The reference: each skill's patterns, as first written, run over the whole text."""
    counts: Counter[Skill] = Counter()
    first_seen: dict[Skill, int] = {}
    for skill, patterns in REFERENCE:
        starts = [m.start() for pattern in patterns for m in pattern.finditer(text)]
        if starts:
            counts[skill] = len(starts)
            first_seen[skill] = min(starts)
    return sorted(counts, key=lambda s: (-counts[s], first_seen[s]))


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.tuples(PIECES, SEPARATORS), max_size=12))
def test_the_spelling_filter_finds_what_every_pattern_finds(parts):
    text = "".join(piece + separator for piece, separator in parts)
    assert find_skills(text) == every_pattern(text)


def test_the_spellings_are_ascii_as_the_filter_assumes():
    assert all(spelling.isascii() for spelling in SPELLINGS)


def test_words_that_merely_contain_a_short_spelling_run_no_pattern():
    lowered = "our results and products improved after the decision"
    runs = set(skills.WORD_RUN.findall(lowered))
    run = [
        s.name
        for s, plain, other, _ in skills._PATTERNS
        if not plain.isdisjoint(runs) or any(o in lowered for o in other)
    ]
    assert run == []  # "ts", "ci", "cd" and "r" are inside words here, not words of their own
    assert [s.name for s in find_skills("We moved CI/CD to GitHub Actions and rewrote it in TypeScript and Go.")] == [
        "CI/CD",
        "TypeScript",
        "Go",
    ]

"""Words and phrases the offline interviewer looks for. Every pattern is bounded (no nested
repetition), and at most MAX_ANALYSED characters of an answer are read, so any input is cheap."""

import functools
import re

MAX_ANALYSED = 3000
WORD = re.compile(r"[^\W\d_][\w+#.'-]*|\d+(?:[.,]\d+)?%?")
STOPWORDS = set(
    "a an the and or but if then so of to in on at for with by from as is are was were be been being it its this that "
    "these those i me my we our you your they their he she his her them what which who how when where why do did does "
    "have has had can could would should will about into over under more most some any such than too very just also "
    "there here give tell walk describe explain one time".split()
)
ENGLISH = STOPWORDS | set("not no all after before because while then there were our us".split())


def phrases(*items: str) -> re.Pattern[str]:
    """Any of the phrases, as whole words."""
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(item) for item in items) + r")(?!\w)", re.IGNORECASE)


VAGUE = phrases("i don't know", "i dont know", "not sure", "no idea", "stuff", "things like that", "etc",
                "various things", "and so on", "a lot of things", "many things", "kind of", "sort of", "basically",
                "fast learner", "hard worker", "passionate", "team player", "it depends", "in general",
                "i know it well", "very familiar", "many times", "lots of experience", "a lot of experience",
                "worked fine", "it was fine", "pretty good", "good at it", "all the time")  # fmt: skip
DONT_KNOW = phrases("don't know", "dont know", "no idea", "not sure", "never used", "no experience")
SITUATION = phrases("when i", "at my", "in my last", "in my previous", "we had", "the problem", "our", "project",
                    "situation", "last year", "customer", "was slow", "timed out", "kept", "broke", "failing",
                    "we lost", "after a", "took")  # fmt: skip
ACTION = phrases("i built", "i implemented", "i designed", "i wrote", "i led", "i migrated", "i added", "i introduced",
                 "i used", "i created", "i set up", "i refactored", "i profiled", "i measured", "we built",
                 "we migrated", "i would", "i'd", "i fixed", "i moved", "i split", "i automated", "i tested",
                 "i deployed")  # fmt: skip
ACTION_VERB = re.compile(
    r"\b(?:i|we)\s+(?:\w+\s+)?(?:\w+ed|built|wrote|made|found|led|ran|set|took|chose|rewrote|split|cut|moved|did|"
    r"read|put|drove|taught|began|brought|fought|kept|sent|spent|won)\b",
    re.IGNORECASE,
)
RESULT = phrases("as a result", "result", "reduced", "improved", "increased", "decreased", "saved", "cut", "outcome",
                 "which led", "so that", "dropped", "faster", "fewer", "fell", "halved", "doubled", "to zero",
                 "went from", "now runs", "stopped", "rose", "now finish", "now take", "finish in", "zero downtime")  # fmt: skip
FROM_TO = re.compile(r"\bfrom\s+[^\s\d]{0,8}\d[\w.,%]{0,15}.{0,40}?\bto\s+[^\s\d]{0,8}\d", re.IGNORECASE)
EXAMPLE = phrases("for example", "for instance", "such as", "e.g.")
CODE = re.compile(
    r"(?m)^\s*(?:def |class |import |from \w+ import |return |SELECT |for .+:$|if .+:$)|[{};]\s*$|=>|\w+\(.*\)"
)


def analysed(text: str) -> str:
    return text[:MAX_ANALYSED]


def words(text: str) -> list[str]:
    return WORD.findall(text)


def content(text: str) -> set[str]:
    return {w.lower().strip(".'") for w in words(text) if len(w) > 2 and w.lower() not in STOPWORDS}


def normalise(text: str) -> str:
    return " ".join(sorted(content(text)))


@functools.lru_cache(maxsize=1024)
def question_content(question: str) -> frozenset[str]:
    """`content` of a question, remembered: questions are asked from a position's job description, so
    the same ones come again (answers are not remembered: each is new)."""
    return frozenset(content(question))


@functools.lru_cache(maxsize=1024)
def normalised_question(question: str) -> str:
    """`normalise` of a question, remembered as `question_content` is."""
    return normalise(question)


def contains_any(text: str, pattern: re.Pattern[str]) -> bool:
    return pattern.search(text) is not None


def count_any(text: str, pattern: re.Pattern[str]) -> int:
    return len(pattern.findall(text))


def english_share(text: str) -> float:
    """Share of the words that are common English function words (about 0.3 to 0.5 in English prose)."""
    found = [w.lower() for w in words(text) if not w[0].isdigit()]
    return sum(w in ENGLISH for w in found) / len(found) if found else 0.0


def looks_like_code(text: str) -> bool:
    return len(CODE.findall(text)) >= 2

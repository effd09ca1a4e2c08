"""Words and phrases the offline interviewer looks for."""

import re

WORD = re.compile(r"[A-Za-z][A-Za-z0-9+#.'-]*|\d+(?:[.,]\d+)?%?")
STOPWORDS = set(
    "a an the and or but if then so of to in on at for with by from as is are was were be been being it its this that "
    "these those i me my we our you your they their he she his her them what which who how when where why do did does "
    "have has had can could would should will about into over under more most some any such than too very just also "
    "there here give tell walk describe explain one time".split()
)
VAGUE = ("i don't know", "i dont know", "not sure", "no idea", "stuff", "things like that", "etc", "various things",
         "and so on", "a lot of things", "many things", "kind of", "sort of", "basically", "fast learner",
         "hard worker", "passionate", "team player", "it depends", "in general", "i know it well", "very familiar",
         "many times", "lots of experience", "a lot of experience", "worked fine", "it was fine", "pretty good",
         "good at it", "all the time")  # fmt: skip
DONT_KNOW = ("don't know", "dont know", "no idea", "not sure", "never used", "no experience")
SITUATION = ("when i", "at my", "in my last", "in my previous", "we had", "the problem", "our ", "project",
             "situation", "last year", "customer", "was slow", "timed out", "kept ", "broke", "failing", "we lost",
             "after a", "took ")  # fmt: skip
ACTION_VERB = re.compile(
    r"\b(i|we)\s+(?:\w+\s+)?(\w+ed|built|wrote|made|found|led|ran|set|took|chose|rewrote|split|cut|moved|did|"
    r"read|put|ran|drove|taught|began|brought|fought|kept|sent|spent|won)\b",
    re.IGNORECASE,
)
FROM_TO = re.compile(r"\bfrom\s+\S*\d[\w.,%]*.{0,40}?\bto\s+\S*\d", re.IGNORECASE)
ACTION = ("i built", "i implemented", "i designed", "i wrote", "i led", "i migrated", "i added", "i introduced",
          "i used", "i created", "i set up", "i refactored", "i profiled", "i measured", "we built", "we migrated",
          "i would", "i'd", "i fixed", "i moved", "i split", "i automated", "i tested", "i deployed")  # fmt: skip
RESULT = ("as a result", "result", "reduced", "improved", "increased", "decreased", "saved", "cut ", "outcome",
          "which led", "so that", "dropped", "faster", "fewer", "fell", "halved", "doubled", "to zero", "went from",
          "now runs", "stopped", "rose", "now finish", "now take", " finish in ", "zero downtime")  # fmt: skip
EXAMPLE = ("for example", "for instance", "such as", "e.g.")


def words(text: str) -> list[str]:
    return WORD.findall(text)


def content(text: str) -> set[str]:
    return {w.lower().strip(".'") for w in words(text) if len(w) > 2 and w.lower() not in STOPWORDS}


def normalise(text: str) -> str:
    return " ".join(sorted(content(text)))


def contains_any(text: str, phrases: tuple[str, ...]) -> bool:
    padded = f" {text.lower()} "
    return any(phrase in padded for phrase in phrases)


def count_any(text: str, phrases: tuple[str, ...]) -> int:
    padded = f" {text.lower()} "
    return sum(padded.count(phrase) for phrase in phrases)

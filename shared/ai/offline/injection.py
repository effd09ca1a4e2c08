"""Instructions to the grader inside an answer, found so that they can be ignored and the answer capped.

shared/ai/guard.py finds the common English forms (and is what the OpenAI provider uses); this adds
what an offline scorer must also catch: orders in the middle of a sentence, requests for a top score,
and the German and Spanish forms. A pattern here needs a form aimed at the scorer (an imperative or a
"Sie" form with a target such as "all previous instructions", a request for 10 points, an address to
the AI or grader): a candidate who "never ignores the inspection guidelines" or "bewertet die Schmerzen
von 0 bis 10" is describing the job. A match right after a negation does not count. Every pattern is
bounded, like guard's."""

from __future__ import annotations

import re

from shared.ai.guard import MAX_CHECKED, addresses_the_grader

_GAP = r"(?:\s{1,3}[\w'-]{1,20}){0,3}\s{1,3}"  # up to three words in between
_TARGET_EN = r"(?:instructions?|prompts?|rules|rubric|guidelines|criteria|scoring|grading|evaluation)"
_TARGET_DE = r"(?:anweisung\w{0,2}|instruktion\w{0,2}|regeln|bewertungs\w{0,12}|richtlinien|vorgaben|prompt\w{0,2})"
_NOT_A_UNIT = (
    r"(?!\s{0,3}(?:minutes?|seconds?|hours?|days?|weeks?|months?|years?|mg|ml|percent|%|feet|metres?|meters?))"
)
TO_THE_SCORER = re.compile(
    "|".join(
        [
            # English, anywhere in a sentence
            r"\b(?:ignore|disregard|forget|override|bypass|skip)\s{1,3}(?:all|any|previous|prior|above|earlier|your"
            rf"|the\s{{1,3}}(?:previous|prior|above|earlier|scoring|grading|evaluation|marking)){_GAP}{_TARGET_EN}\b",
            rf"\b(?:give|award|assign|grant)\s{{1,3}}(?:me|this|it|my){_GAP}(?:(?:10|ten)\b{_NOT_A_UNIT}|full\s{{1,3}}"
            r"(?:marks|points|score)|(?:the\s{1,3})?(?:highest|maximum|max|perfect|top)\s{1,3}(?:score|marks|grade|rating))",
            r"\b(?:note|message|instructions?|reminder)\s{1,3}(?:to|for)\s{1,3}(?:the\s{1,3})?(?:ai|model|llm|grader|"
            r"evaluator|scorer|assessor)\b",
            r"\b(?:grader|evaluator|scorer)\s{0,2}:",
            r"\bscore\s{0,3}[=:]\s{0,3}(?:9|10)\b",
            # German: an imperative or "Sie" form (never "ich ignoriere", "ich bewerte") with its target
            rf"(?<!\bich\s)\b(?:ignorier(?:e|en\s{{1,3}}sie)|vergiss|vergessen\s{{1,3}}sie|missachte(?:n\s{{1,3}}sie)?)"
            rf"(?:\s{{1,3}}[\w-]{{1,20}}){{0,3}}\s{{1,3}}{_TARGET_DE}\b",
            r"\b(?:anweisung|hinweis|nachricht|notiz)\w{0,2}\s{1,3}(?:an|für)\s{1,3}(?:die|den|das)?\s{0,3}"
            r"(?:ki|bewert\w{0,5}|prüf\w{0,5}|modell|system)\b",
            r"\b(?:ki|ai)-(?:bewertung|bewerter\w{0,2}|prüfung)\b",
            r"(?<!\bich\s)\b(?:gib|geben\s{1,3}sie|vergib|vergeben\s{1,3}sie|bewerte|bewerten\s{1,3}sie|verdient|erhält)"
            r"(?:\s{1,3}[\w-]{1,20}){0,4}\s{1,3}(?:(?:mit\s{1,3})?(?:10|zehn)(?:\s{1,3}(?:von\s{1,3}10\s{1,3})?punkte?n?"
            r"|\s{0,3}/\s{0,3}10|\s{0,3}[.!]|$)|(?:die\s{1,3})?(?:volle|höchste|maximale|beste)\s{1,3}(?:punktzahl|punkte"
            r"|bewertung|note))",
            # Spanish
            r"\b(?:ignora|olvida)\s{1,3}(?:\w{1,15}\s{1,3}){0,3}instrucciones\b|\bpuntuaci[oó]n\s{1,3}m[aá]xima\b",
        ]
    ),
    re.IGNORECASE | re.MULTILINE,
)
# "we never ignore the guidelines", "ich habe nie … vergeben": up to two words between
NEGATED = re.compile(
    r"\b(?:never|not|don't|didn't|doesn't|won't|wouldn't|can't|cannot|nie|niemals|nicht|kein\w{0,2})"
    r"(?:\s{1,3}[\w-]{1,20}){0,2}\s{1,3}$",
    re.IGNORECASE,
)
SENTENCE = re.compile(r"[^.!?\n]{0,2000}[.!?\n]?")
FENCE = re.compile(r"```.{0,3000}?```|\{[^{}]{0,2000}\}", re.DOTALL)


def _aimed_at_the_scorer(text: str) -> bool:
    return any(not NEGATED.search(text, max(0, m.start() - 60), m.start()) for m in TO_THE_SCORER.finditer(text))


def _addresses(text: str) -> bool:
    return addresses_the_grader(text) or _aimed_at_the_scorer(text)


def instructions_to_the_scorer(answer: str) -> bool:
    return _addresses(answer[:MAX_CHECKED])


def without_instructions(answer: str) -> str:
    """The answer minus every code block, JSON object or sentence that addresses the scorer."""
    kept = FENCE.sub(lambda block: "" if _addresses(block.group(0)) else block.group(0), answer[:MAX_CHECKED])
    sentences = (s.strip() for s in SENTENCE.findall(kept))
    return " ".join(s for s in sentences if s and not _addresses(s))

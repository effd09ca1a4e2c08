"""Instructions to the grader inside an answer, found so that they can be ignored and the answer capped.

shared/ai/guard.py finds the common English forms (and is what the OpenAI provider uses); this adds
what an offline scorer must also catch: orders in the middle of a sentence, requests for a top score,
and the German and Spanish forms. Every pattern is bounded, like guard's."""

from __future__ import annotations

import re

from shared.ai.guard import MAX_CHECKED, addresses_the_grader

_GAP = r"(?:\s{1,3}[\w'-]{1,20}){0,4}\s{1,3}"  # up to four words in between
TO_THE_SCORER = re.compile(
    "|".join(
        [
            # English, anywhere in a sentence
            rf"\b(?:ignore|disregard|forget|override|bypass|skip){_GAP}(?:instructions?|rubric|prompt|guidelines|"
            r"criteria|scoring|grading|evaluation)\b",
            rf"\b(?:give|award|assign|grant)\s{{1,3}}(?:me|this|it|my){_GAP}(?:10|ten|full\s{{1,3}}(?:marks|points|"
            r"score)|(?:the\s{1,3})?(?:highest|maximum|max|perfect|top)\s{1,3}(?:score|marks|grade|rating))\b",
            r"\b(?:note|message|instructions?|reminder)\s{1,3}(?:to|for)\s{1,3}(?:the\s{1,3})?(?:ai|model|llm|grader|"
            r"evaluator|scorer|assessor)\b",
            r"\b(?:grader|evaluator|scorer)\s{0,2}:",
            r"\bscore\s{0,3}[=:]\s{0,3}(?:9|10)\b",
            # German
            r"\b(?:ignorier(?:e|en|t)?|vergiss|vergessen\s{1,3}sie|missachte\w{0,3})\b",
            r"\b(?:anweisung|hinweis|nachricht|notiz)\w{0,2}\s{1,3}(?:an|für)\s{1,3}(?:die|den|das)?\s{0,3}"
            r"(?:ki|bewert\w{0,5}|prüf\w{0,5}|modell|system)\b",
            r"\b(?:ki|ai)-(?:bewertung|bewerter\w{0,2}|prüfung)\b",
            r"\b(?:volle|höchste|maximale|beste)\s{1,3}(?:punktzahl|punkte|bewertung|note)\b",
            r"\b10\s{1,3}(?:von\s{1,3}10\s{1,3})?punkte?n?\b|\bpunktzahl\s{1,3}(?:von\s{1,3})?10\b",
            r"\b(?:bewerte|bewerten\s{1,3}sie|vergib|vergeben\s{1,3}sie)\b",
            # Spanish
            r"\b(?:ignora|olvida)\s{1,3}(?:\w{1,15}\s{1,3}){0,3}instrucciones\b|\bpuntuaci[oó]n\s{1,3}m[aá]xima\b",
        ]
    ),
    re.IGNORECASE,
)
SENTENCE = re.compile(r"[^.!?\n]{0,2000}[.!?\n]?")
FENCE = re.compile(r"```.{0,3000}?```|\{[^{}]{0,2000}\}", re.DOTALL)


def _addresses(text: str) -> bool:
    return addresses_the_grader(text) or TO_THE_SCORER.search(text) is not None


def instructions_to_the_scorer(answer: str) -> bool:
    return _addresses(answer[:MAX_CHECKED])


def without_instructions(answer: str) -> str:
    """The answer minus every code block, JSON object or sentence that addresses the scorer."""
    kept = FENCE.sub(lambda block: "" if _addresses(block.group(0)) else block.group(0), answer[:MAX_CHECKED])
    sentences = (s.strip() for s in SENTENCE.findall(kept))
    return " ".join(s for s in sentences if s and not _addresses(s))

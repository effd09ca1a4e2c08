"""The spans of an answer that earned or cost it points, as offsets into the text the candidate sent.

Found with the scorer's own patterns (shared/ai/offline/text.py, injection.py): instructions to the
scorer and vague phrases cost; numbers with their unit, names and acronyms, technologies and the job
description's words, the situation, action and result of a story, and an example earn. A span that
overlaps one that cost is not shown as earned; overlapping spans merge; at most MAX_SPANS are kept,
those that cost first. docs/evidence.md says how the dashboard shows them."""

from __future__ import annotations

import re
from collections.abc import Iterator

from shared.ai.language import interview_language
from shared.ai.offline import lang, text
from shared.ai.offline.analysis import Analysis
from shared.ai.offline.injection import FENCE, SENTENCE, instructions_to_the_scorer
from shared.ai.skills import find_skills
from shared.contracts.events import Evidence, InterviewContext

MAX_SPANS = 12
NO_EVIDENCE = frozenset({"empty", "unreadable", "language", "copy", "off_topic"})
_UNITS = (
    r"%|percent|per\s?cent|prozent|k|m|bn|million|millionen|billion|thousand|tausend|hundred|ms|s|sec|seconds?|min"
    r"|minutes?|minuten|h|hrs?|hours?|stunden?|days?|tage?n?|weeks?|wochen?|months?|monate?n?|years?|jahre?n?"
    r"|users?|customers?|clients?|kunden|people|staff|patients?|mitarbeitende\w{0,2}|mitarbeiter\w{0,2}|tickets?"
    r"|orders?|calls?|accounts?|deals?|reps?|items?|pallets?|points?|punkte?|mg|ml|kg|km|dollars?|euros?|eur|usd"
    r"|gb|mb|tb|rows|requests?|errors?|incidents?|beds?|shifts?|schichten"
)
NUMBER = re.compile(
    rf"(?<![\w.])[$€£]?\d+(?:[.,]\d+)*(?:\s{{0,2}}(?:{_UNITS})(?![\w]))?(?:\s{{1,2}}(?:{_UNITS})(?!\w))?",
    re.IGNORECASE,
)
REASONS = {
    "en": {
        "injection": "Instructions to the scorer: ignored, and the answer capped",
        "vague": "Vague: says little that can be checked",
        "aside": "An opinion or aside, not what you did",
        "dont_know": "Says you don't know",
        "number": "A number: makes the result measurable",
        "name": "A name or acronym: a concrete specific",
        "skill": "A technology the job uses",
        "job_term": "A term from the job description",
        "situation": "Sets the situation",
        "action": "Says what you did",
        "result": "Names the result",
        "example": "Gives an example",
    },
    "de": {
        "injection": "Anweisungen an die Bewertung: ignoriert, die Antwort gedeckelt",
        "vague": "Vage: sagt wenig Überprüfbares",
        "aside": "Eine Meinung oder Nebenbemerkung, nicht was Sie getan haben",
        "dont_know": "Sagt, dass Sie es nicht wissen",
        "number": "Eine Zahl: macht das Ergebnis messbar",
        "name": "Ein Name oder Kürzel: etwas Konkretes",
        "skill": "Eine Technologie, die die Stelle nutzt",
        "job_term": "Ein Begriff aus der Stellenbeschreibung",
        "situation": "Beschreibt die Ausgangslage",
        "action": "Sagt, was Sie getan haben",
        "result": "Nennt das Ergebnis",
        "example": "Nennt ein Beispiel",
    },
    "es": {
        "injection": "Instrucciones al evaluador: ignoradas, y la respuesta limitada",
        "vague": "Vago: dice poco que se pueda comprobar",
        "aside": "Una opinión o un comentario al margen, no lo que usted hizo",
        "dont_know": "Dice que no lo sabe",
        "number": "Una cifra: hace medible el resultado",
        "name": "Un nombre o una sigla: algo concreto",
        "skill": "Una tecnología que usa el puesto",
        "job_term": "Un término de la descripción del puesto",
        "situation": "Plantea la situación",
        "action": "Dice lo que usted hizo",
        "result": "Nombra el resultado",
        "example": "Da un ejemplo",
    },
    "fr": {
        "injection": "Instructions à l'évaluateur : ignorées, et la note plafonnée",
        "vague": "Vague : dit peu de choses vérifiables",
        "aside": "Une opinion ou une remarque en passant, pas ce que vous avez fait",
        "dont_know": "Dit que vous ne savez pas",
        "number": "Un chiffre : rend le résultat mesurable",
        "name": "Un nom ou un sigle : un élément concret",
        "skill": "Une technologie utilisée dans le poste",
        "job_term": "Un terme de l'offre d'emploi",
        "situation": "Pose la situation",
        "action": "Dit ce que vous avez fait",
        "result": "Nomme le résultat",
        "example": "Donne un exemple",
    },
}
Span = tuple[int, int, str]  # start, end, reason key


def evidence(answer: str, question: str, context: InterviewContext, analysis: Analysis) -> tuple[Evidence, ...]:
    reasons = REASONS.get(interview_language(context), REASONS["en"])
    if analysis.kind in NO_EVIDENCE and not analysis.injected:
        return ()
    read = text.analysed(answer)
    cues = text.CUES.get(lang.language_of(read) or "", text.ENGLISH_CUES)
    costs = _merged(list(_costs(read, cues, analysis)))
    earned: list[Span] = []
    if analysis.kind not in NO_EVIDENCE | {"dont_know", "vague"}:
        earned = [s for s in _earned(read, question, cues, analysis) if not _overlaps(s, costs)]
    room = MAX_SPANS - min(len(costs), MAX_SPANS // 2)
    kept = costs[: MAX_SPANS // 2] + sorted(_merged(earned), key=lambda s: EARNED.index(s[2]))[:room]
    return tuple(
        Evidence(start=start, end=end, effect="cost" if key in COSTS else "earned", reason=reasons[key])
        for start, end, key in sorted(kept)
    )


COSTS = frozenset({"injection", "vague", "aside", "dont_know"})
EARNED = ("result", "action", "situation", "number", "example", "skill", "name", "job_term")  # kept first to last


def _costs(read: str, cues: text.Cues, analysis: Analysis) -> Iterator[Span]:
    if analysis.injected:
        for block in FENCE.finditer(read):
            if instructions_to_the_scorer(block.group(0)):
                yield _trimmed(read, block.start(), block.end(), "injection")
        for sentence in SENTENCE.finditer(read):
            if sentence.group(0).strip() and instructions_to_the_scorer(sentence.group(0)):
                yield _trimmed(read, sentence.start(), sentence.end(), "injection")
    if analysis.kind == "dont_know":
        yield from _all(read, cues.dont_know, "dont_know")
    yield from _all(read, cues.vague, "vague")
    if cues is text.ENGLISH_CUES:
        yield from _all(read, text.SELF_PRAISE, "vague")
    if analysis.asides:
        yield from _all(read, cues.aside, "aside")


def _earned(read: str, question: str, cues: text.Cues, analysis: Analysis) -> Iterator[Span]:
    for pattern, key in ((cues.situation, "situation"), (cues.action, "action"), (cues.example, "example")):
        yield from _first(read, pattern, key)
    if cues.setback is not None and analysis.result and not text.contains_any(read, cues.situation):
        yield from _first(read, cues.setback, "situation")  # what went wrong, in a story that says how it ended
    yield from (
        _first(read, cues.from_to, "result") if cues.from_to.search(read) else _first(read, cues.result, "result")
    )
    yield from _all(read, NUMBER, "number")
    yield from _all(read, text.NUMBER_WORDS, "number")
    asked = question.lower()
    german = lang.language_of(read) == "de"
    for pattern in (text.ACRONYM, *(() if german else (text.MID_SENTENCE_NAME,))):
        for match in pattern.finditer(read):
            if match.group(0).lower() not in asked:
                yield match.start(), match.end(), "name"
    for skill in find_skills(read):
        if skill.name.lower() not in asked:
            yield from _first(read, re.compile(rf"(?<!\w){re.escape(skill.name)}(?!\w)", re.IGNORECASE), "skill")
    if analysis.job_terms:
        for match in lang.WORD.finditer(read):
            if len(match.group(0)) > 2 and lang.stem(match.group(0)) in analysis.job_terms:
                yield match.start(), match.start() + len(match.group(0).rstrip(".'/-")), "job_term"


def _all(read: str, pattern: re.Pattern[str], key: str) -> Iterator[Span]:
    for match in pattern.finditer(read):
        if match.end() > match.start():
            yield match.start(), match.end(), key


def _first(read: str, pattern: re.Pattern[str], key: str) -> Iterator[Span]:
    match = pattern.search(read)
    if match and match.end() > match.start():
        yield match.start(), match.end(), key


def _trimmed(read: str, start: int, end: int, key: str) -> Span:
    while start < end and read[start].isspace():
        start += 1
    while end > start and read[end - 1].isspace():
        end -= 1
    return start, end, key


def _overlaps(span: Span, others: list[Span]) -> bool:
    return any(span[0] < end and start < span[1] for start, end, _ in others)


def _merged(spans: list[Span]) -> list[Span]:
    """Overlapping spans as one (with the first one's reason), in order of position."""
    merged: list[Span] = []
    for start, end, key in sorted(s for s in spans if s[1] > s[0]):
        if merged and start < merged[-1][1]:
            first = merged[-1]
            merged[-1] = (first[0], max(first[1], end), first[2])
        else:
            merged.append((start, end, key))
    return merged

"""The offline interviewer's feedback on one answer, in the interview's language (English or German):
an English interview gets English feedback even on a German answer."""

from __future__ import annotations

from collections.abc import Mapping

from shared.ai.offline.analysis import Analysis
from shared.contracts.events import Feedback

ADVICE = {
    "en": {
        "empty": "No answer was given",
        "copy": "Repeats the question instead of answering it",
        "dont_know": "The answer gives nothing to assess. When unsure, reason it through aloud: say what you do "
        "know of the topic, how you would find out, or a similar problem you solved",
        "off_topic": "Does not address the question asked",
        "vague": "Vague: general claims without a single concrete detail",
        "repeat": "Repeats an earlier answer instead of answering this question",
        "keywords": "Lists keywords instead of explaining what you did",
        "language": "The offline interviewer scores answers in English and German: this one got a neutral 5 and "
        "needs a human review",
        "injected": "The answer contained instructions to the scorer; they were ignored and the answer was capped",
    },
    "de": {
        "empty": "Es wurde keine Antwort gegeben",
        "copy": "Wiederholt die Frage, statt sie zu beantworten",
        "dont_know": "Die Antwort gibt nichts zu bewerten. Denken Sie im Zweifel laut nach: was Sie über das Thema "
        "wissen, wie Sie es herausfinden würden oder welches ähnliche Problem Sie gelöst haben",
        "off_topic": "Geht nicht auf die gestellte Frage ein",
        "vague": "Vage: allgemeine Aussagen ohne ein einziges konkretes Detail",
        "repeat": "Wiederholt eine frühere Antwort, statt diese Frage zu beantworten",
        "keywords": "Zählt Stichworte auf, statt zu erklären, was Sie getan haben",
        "injected": "Die Antwort enthielt Anweisungen an die Bewertung; sie wurden ignoriert und die Punktzahl "
        "begrenzt",
    },
}
PHRASES = {
    "en": {
        "skills": "Relevant technologies named: ",
        "terms": "Uses the role's own terms",
        "numbers": "Backs claims with concrete numbers",
        "example": "Gives a concrete example",
        "structured": "Clear situation, action and result",
        "action": "Describes their own actions",
        "on_topic": "Stays on the question",
        "code": "Shows code",
        "short": "Too short: expand with a concrete example",
        "measurable": "Add measurable results (numbers, scale, impact)",
        "name_skills": "Name the technologies used, ideally the role's: ",
        "specific": "Name the specifics: what exactly you did, with which methods or tools",
        "structure": "Structure the answer: situation, what you did, the result",
        "avoid_vague": "Avoid vague phrases; be specific",
        "long": "Too long: lead with the point",
    },
    "de": {
        "skills": "Nennt relevante Technologien: ",
        "terms": "Verwendet die Begriffe der Stelle",
        "numbers": "Belegt Aussagen mit konkreten Zahlen",
        "example": "Nennt ein konkretes Beispiel",
        "structured": "Klare Ausgangslage, eigenes Handeln und Ergebnis",
        "action": "Beschreibt das eigene Handeln",
        "on_topic": "Bleibt bei der Frage",
        "code": "Zeigt Code",
        "short": "Zu kurz: mit einem konkreten Beispiel ausführen",
        "measurable": "Messbare Ergebnisse ergänzen (Zahlen, Umfang, Wirkung)",
        "name_skills": "Die verwendeten Technologien nennen, am besten die der Stelle: ",
        "specific": "Konkreter werden: was genau Sie getan haben, mit welchen Methoden oder Werkzeugen",
        "structure": "Die Antwort gliedern: Ausgangslage, eigenes Handeln, Ergebnis",
        "avoid_vague": "Vage Formulierungen vermeiden; konkret werden",
        "long": "Zu lang: mit dem Wesentlichen beginnen",
    },
}


def feedback(a: Analysis, floors: Mapping[str, int], caps: Mapping[str, int]) -> Feedback:
    advice, say = ADVICE[a.language], PHRASES[a.language]
    ignored = (advice["injected"],) if a.injected else ()
    if a.kind in floors:
        return Feedback(improvements=(*ignored, advice.get(a.kind, ADVICE["en"][a.kind])))
    strengths, improvements = [], list(ignored)
    if a.relevant_skills:
        strengths.append(say["skills"] + ", ".join(sorted(a.relevant_skills)))
    elif len(a.job_terms) >= 3:
        strengths.append(say["terms"])
    if a.numbers:
        strengths.append(say["numbers"])
    if a.example:
        strengths.append(say["example"])
    if a.structured:
        strengths.append(say["structured"])
    elif a.action:
        strengths.append(say["action"])
    if a.relevance >= 0.6:
        strengths.append(say["on_topic"])
    if a.code:
        strengths.append(say["code"])
    if a.kind in caps:
        improvements.append(advice[a.kind])
    if a.word_count < 25:
        improvements.append(say["short"])
    if not a.numbers:
        improvements.append(say["measurable"])
    if not a.skills and a.job_skills and len(a.job_skills) >= 3:
        improvements.append(say["name_skills"] + ", ".join(a.job_skills[:3]))
    elif not a.skills and not a.names and len(a.job_terms) < 2:
        improvements.append(say["specific"])
    if not a.structured and a.word_count >= 25:
        improvements.append(say["structure"])
    if a.vague_hits:
        improvements.append(say["avoid_vague"])
    if a.word_count > 450:
        improvements.append(say["long"])
    return Feedback(strengths=tuple(strengths), improvements=tuple(improvements))

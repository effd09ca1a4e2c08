"""The words of the offline interviewer's questions, per kind of job and language.

A technical job is asked about its skills ("{skill}"); any other job about its duties in the job
description's own words ("{duty}": "administer medications safely", "die Schichten planen"), so
that a nurse is never asked what she built. German job descriptions get German questions; a
Spanish or French interview (its position or start request names the language) gets Spanish or French
ones, in the formal register (Sie, usted, vous). `phrase` falls back to English for any other key.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

T = TypeVar("T")


def phrase(table: Mapping[str, T], key: str) -> T:
    """The entry of `table` for a style or language, English when it has none."""
    return table[key] if key in table else table["en"]


FOLLOW_UP_PREFIXES = {
    "en": "Let's make that concrete",
    "de": "Lassen Sie uns das konkret machen",
    "es": "Concretemos",
    "fr": "Soyons concrets",
}
SKILL_TEMPLATES = {
    "beginner": (
        "What is {skill}, and where have you used it? Give one concrete example.",
        "How would you explain {skill} to a new teammate? Include one thing you built or fixed with it.",
    ),
    "intermediate": (
        "Describe a problem you solved with {skill}. What options did you consider, what did you choose, and what was the result?",
        "Tell me about a time something went wrong in a project that used {skill}. How did you find the cause, and what did you change afterwards?",
    ),
    "advanced": (
        "How would you design a system built on {skill} that must handle ten times today's load? Walk me through the architecture, the trade-offs and how you would know it works.",
        "What failure modes have you seen with {skill} in production, and how do you prevent, detect and recover from them?",
    ),
}
DUTY_TEMPLATES = {
    "en": {
        "beginner": (
            "How would you {duty}? Walk me through the steps, with one example from your training or work.",
            "What matters most when you {duty}, and why? Give one concrete example.",
        ),
        "intermediate": (
            "Tell me about a time you had to {duty}. What was the situation, what did you do yourself, and what was the result?",
            "How do you {duty}? Walk me through a real example step by step, and what came of it.",
        ),
        "advanced": (
            "What can go wrong when you {duty}, and how do you prevent it, notice it early and handle it? Give a real example.",
            "Tell me about the hardest case you handled when you had to {duty}. What made it hard, what did you decide, and what was the result?",
        ),
    },
    "de": {
        "beginner": (
            "Wie würden Sie vorgehen, wenn Sie {duty} müssten? Nennen Sie ein konkretes Beispiel aus Ausbildung oder Beruf.",
            "Worauf kommt es an, wenn Sie {duty}, und warum? Nennen Sie ein konkretes Beispiel.",
        ),
        "intermediate": (
            "Erzählen Sie von einer Situation, in der Sie {duty} mussten. Was war die Ausgangslage, was haben Sie selbst getan, und was war das Ergebnis?",
            "Wie gehen Sie vor, wenn Sie {duty} müssen? Beschreiben Sie ein echtes Beispiel Schritt für Schritt und was dabei herauskam.",
        ),
        "advanced": (
            "Was kann schiefgehen, wenn Sie {duty} müssen, und wie beugen Sie vor, erkennen es früh und reagieren? Nennen Sie ein echtes Beispiel.",
            "Erzählen Sie vom schwierigsten Fall, in dem Sie {duty} mussten. Was machte ihn schwierig, was haben Sie entschieden, und was war das Ergebnis?",
        ),
    },
    "es": {
        "beginner": (
            "¿Cómo procedería usted para {duty}? Descríbame los pasos, con un ejemplo de su formación o de su trabajo.",
            "¿Qué es lo más importante para usted a la hora de {duty}, y por qué? Dé un ejemplo concreto.",
        ),
        "intermediate": (
            "Cuénteme una situación en la que usted tuvo que {duty}. ¿Cuál era el contexto, qué hizo usted personalmente y cuál fue el resultado?",
            "¿Cómo se organiza usted para {duty}? Descríbame paso a paso un ejemplo real y su resultado.",
        ),
        "advanced": (
            "¿Qué puede salir mal al {duty}, y cómo lo previene usted, lo detecta a tiempo y lo resuelve? Dé un ejemplo real.",
            "Cuénteme el caso más difícil que tuvo que resolver cuando debía {duty}. ¿Qué lo hizo difícil, qué decidió usted y cuál fue el resultado?",
        ),
    },
    "fr": {
        "beginner": (
            "Comment vous y prendriez-vous pour {duty} ? Décrivez les étapes, avec un exemple tiré de votre formation ou de votre travail.",
            "Qu'est-ce qui compte le plus quand vous devez {duty}, et pourquoi ? Donnez un exemple concret.",
        ),
        "intermediate": (
            "Parlez-moi d'une situation où vous avez dû {duty}. Quel était le contexte, qu'avez-vous fait vous-même et quel a été le résultat ?",
            "Comment procédez-vous pour {duty} ? Décrivez un exemple réel étape par étape, et ce qui en est ressorti.",
        ),
        "advanced": (
            "Qu'est-ce qui peut mal tourner quand vous devez {duty}, et comment le prévenez-vous, le repérez-vous tôt et y faites-vous face ? Donnez un exemple réel.",
            "Parlez-moi du cas le plus difficile que vous avez traité lorsque vous deviez {duty}. Qu'est-ce qui le rendait difficile, qu'avez-vous décidé et quel a été le résultat ?",
        ),
    },
}
OPENING = {
    "technical": "Walk me through the experience most relevant to this role{about}, {when}: what did you build, what was your part, and what was the outcome?",
    "en": "Walk me through the experience most relevant to this role{about}, {when}: what was the situation, what was your part, and what was the outcome?",
    "de": "Erzählen Sie von der Erfahrung, die für diese Stelle am wichtigsten ist{about}, {when}: Was war die Situation, was war Ihr Anteil, und was kam dabei heraus?",
    "es": "Hábleme de la experiencia más relevante para este puesto{about}, {when}: ¿cuál era la situación, cuál fue su papel y cuál fue el resultado?",
    "fr": "Parlez-moi de l'expérience la plus pertinente pour ce poste{about}, {when} : quelle était la situation, quel a été votre rôle et quel en a été le résultat ?",
}
OPENING_ABOUT = {
    "technical": ", especially with {topic}",
    "en": ", especially how you {topic}",
    "de": ", besonders wie Sie {topic}",
    "es": ", en especial su manera de {topic}",
    "fr": ", en particulier votre manière de vous y prendre pour {topic}",
}
WHEN = {
    "en": ("in a course, a personal project or your first job", "in your work"),
    "de": ("in Ausbildung, Praktikum oder Ihrer ersten Stelle", "in Ihrer bisherigen Arbeit"),
    "es": ("en su formación, unas prácticas o su primer empleo", "en su trabajo"),
    "fr": ("pendant votre formation, un stage ou votre premier emploi", "dans votre travail"),
}
CLOSING = {
    "en": "Tell me about a time you had to {situation}. What was the situation, what did you do{lead}, and what was the result?",
    "de": "Erzählen Sie von einer Situation, in der Sie {situation} mussten. Was war die Ausgangslage, was haben Sie selbst getan{lead}, und was war das Ergebnis?",
    "es": "Cuénteme una situación en la que usted tuvo que {situation}. ¿Cuál era el contexto, qué hizo usted personalmente{lead} y cuál fue el resultado?",
    "fr": "Parlez-moi d'une situation où vous avez dû {situation}. Quel était le contexte, qu'avez-vous fait vous-même{lead} et quel a été le résultat ?",
}
LEAD = {
    "en": " and how you brought others along",
    "de": ", wie haben Sie andere einbezogen",
    "es": ", cómo implicó a los demás",
    "fr": ", comment vous avez impliqué les autres",
}
SITUATIONS = {
    "technical": {
        "communication": "explain a complex technical issue to someone without a technical background",
        "teamwork": "resolve a disagreement inside your team",
        "leadership": "guide other engineers through a difficult delivery",
        "stakeholder management": "balance conflicting requests from stakeholders",
        "ownership": "take responsibility for a problem nobody owned",
    },
    "en": {
        "communication": "explain something complex to someone outside your field",
        "teamwork": "resolve a disagreement inside your team",
        "leadership": "guide your team through a difficult, busy period",
        "stakeholder management": "balance conflicting requests from the people you work for",
        "ownership": "take responsibility for a problem nobody owned",
    },
    "es": {
        "communication": "explicar algo complejo a alguien ajeno a su ámbito",
        "teamwork": "resolver un desacuerdo dentro de su equipo",
        "leadership": "guiar a su equipo durante un periodo difícil y de mucha carga",
        "stakeholder management": "conciliar peticiones contrapuestas de las personas para las que trabajaba",
        "ownership": "hacerse cargo de un problema del que nadie se ocupaba",
    },
    "fr": {
        "communication": "expliquer quelque chose de complexe à une personne extérieure à votre domaine",
        "teamwork": "résoudre un désaccord au sein de votre équipe",
        "leadership": "guider votre équipe pendant une période difficile et chargée",
        "stakeholder management": "concilier des demandes contradictoires des personnes pour qui vous travailliez",
        "ownership": "prendre en charge un problème dont personne ne s'occupait",
    },
}
DEFAULT_SITUATION = {
    "en": "deliver under a tight deadline with competing priorities",
    "de": "unter Zeitdruck und mit widersprüchlichen Prioritäten ein Ergebnis liefern",
    "es": "cumplir un plazo ajustado con prioridades contrapuestas",
    "fr": "tenir un délai serré avec des priorités concurrentes",
}
GENERIC = {
    "technical": (
        "Which part of this role do you expect to be the most challenging for you, and how would you prepare for it?",
        "Tell me about the piece of work you are proudest of. What made it hard, and what was the result?",
        "How do you make sure the work you deliver is correct and maintainable? Give an example.",
    ),
    "en": (
        "Which part of this role do you expect to be the most challenging for you, and how would you prepare for it?",
        "Tell me about the piece of work you are proudest of. What made it hard, and what was the result?",
        "How do you make sure your work is accurate and on time when it gets busy? Give an example.",
    ),
    "de": (
        "Welcher Teil dieser Stelle wird für Sie die größte Herausforderung sein, und wie bereiten Sie sich darauf vor?",
        "Auf welches Arbeitsergebnis sind Sie besonders stolz? Was war daran schwierig, und was kam dabei heraus?",
        "Wie stellen Sie sicher, dass Ihre Arbeit auch unter Druck sorgfältig und pünktlich ist? Nennen Sie ein Beispiel.",
    ),
    "es": (
        "¿Qué parte de este puesto cree usted que le supondrá el mayor reto, y cómo se prepararía para ella?",
        "¿De qué trabajo se siente usted más orgulloso? ¿Qué lo hizo difícil y cuál fue el resultado?",
        "¿Cómo se asegura usted de que su trabajo sea preciso y puntual cuando hay mucha carga? Dé un ejemplo.",
    ),
    "fr": (
        "Quelle partie de ce poste sera selon vous la plus exigeante, et comment vous y prépareriez-vous ?",
        "De quel travail êtes-vous le plus fier ? Qu'est-ce qui l'a rendu difficile, et quel en a été le résultat ?",
        "Comment vous assurez-vous que votre travail reste exact et dans les délais lorsque la charge augmente ? Donnez un exemple.",
    ),
}
MISSING = {
    "technical": ("which tools or technologies you used", "what the situation was and what you did yourself",
                  "what measurable result it had"),
    "en": ("what exactly you did, step by step", "what the situation was and what you did yourself",
           "what measurable result it had"),
    "de": ("was genau Sie Schritt für Schritt getan haben", "wie die Ausgangslage war und was Sie selbst getan haben",
           "welches messbare Ergebnis es hatte"),
    "es": ("qué hizo usted exactamente, paso a paso", "cuál era la situación y qué hizo usted personalmente",
           "qué resultado medible tuvo"),
    "fr": ("ce que vous avez fait exactement, étape par étape", "quelle était la situation et ce que vous avez fait "
           "vous-même", "quel résultat mesurable cela a eu"),
}  # fmt: skip
FOLLOW_UP = {
    "en": "{prefix}{about}: give me one real example, and tell me {asked_for}.",
    "de": "{prefix}{about}: Nennen Sie ein echtes Beispiel, und sagen Sie mir, {asked_for}.",
    "es": "{prefix}{about}: dé un ejemplo real y dígame {asked_for}.",
    "fr": "{prefix}{about} : donnez un exemple réel et dites-moi {asked_for}.",
}
FOLLOW_UP_ABOUT = {
    "technical": " about {topic}",
    "en": " about how you {topic}",
    "de": ", und zwar dazu, wie Sie {topic}",
    "es": ", en particular sobre su manera de {topic}",
    "fr": ", plus précisément sur votre manière de vous y prendre pour {topic}",
}
REPEATED = {
    "en": "{prefix}{about}: that answer repeated an earlier one. Give me a different, real example.",
    "de": "{prefix}{about}: Diese Antwort wiederholt eine frühere. Nennen Sie ein anderes, echtes Beispiel.",
    "es": "{prefix}{about}: esa respuesta repetía una anterior. Dé otro ejemplo real, distinto.",
    "fr": "{prefix}{about} : cette réponse reprenait une réponse précédente. Donnez un autre exemple réel.",
}
AND = {"en": " and ", "de": " und ", "es": " y ", "fr": " et "}
LAST_RESORT = {
    "en": "Question {number}: what else should we know about your fit for this role? Give one concrete example.",
    "de": "Frage {number}: Was sollten wir noch über Ihre Eignung für diese Stelle wissen? Nennen Sie ein konkretes Beispiel.",
    "es": "Pregunta {number}: ¿qué más deberíamos saber sobre su idoneidad para este puesto? Dé un ejemplo concreto.",
    "fr": "Question {number} : que devrions-nous savoir d'autre sur votre adéquation à ce poste ? Donnez un exemple concret.",
}

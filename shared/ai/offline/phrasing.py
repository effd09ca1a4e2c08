"""The words of the offline interviewer's questions, per kind of job and language.

A technical job is asked about its skills ("{skill}"); any other job about its duties in the job
description's own words ("{duty}": "administer medications safely", "die Schichten planen"), so
that a nurse is never asked what she built. German job descriptions get German questions.
"""

from __future__ import annotations

FOLLOW_UP_PREFIXES = {"en": "Let's make that concrete", "de": "Lassen Sie uns das konkret machen"}
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
}
OPENING = {
    "technical": "Walk me through the experience most relevant to this role{about}, {when}: what did you build, what was your part, and what was the outcome?",
    "en": "Walk me through the experience most relevant to this role{about}, {when}: what was the situation, what was your part, and what was the outcome?",
    "de": "Erzählen Sie von der Erfahrung, die für diese Stelle am wichtigsten ist{about}, {when}: Was war die Situation, was war Ihr Anteil, und was kam dabei heraus?",
}
OPENING_ABOUT = {
    "technical": ", especially with {topic}",
    "en": ", especially how you {topic}",
    "de": ", besonders wie Sie {topic}",
}
WHEN = {
    "en": ("in a course, a personal project or your first job", "in your work"),
    "de": ("in Ausbildung, Praktikum oder Ihrer ersten Stelle", "in Ihrer bisherigen Arbeit"),
}
CLOSING = {
    "en": "Tell me about a time you had to {situation}. What was the situation, what did you do{lead}, and what was the result?",
    "de": "Erzählen Sie von einer Situation, in der Sie {situation} mussten. Was war die Ausgangslage, was haben Sie selbst getan{lead}, und was war das Ergebnis?",
}
LEAD = {"en": " and how you brought others along", "de": ", wie haben Sie andere einbezogen"}
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
}
DEFAULT_SITUATION = {
    "en": "deliver under a tight deadline with competing priorities",
    "de": "unter Zeitdruck und mit widersprüchlichen Prioritäten ein Ergebnis liefern",
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
}
MISSING = {
    "technical": ("which tools or technologies you used", "what the situation was and what you did yourself",
                  "what measurable result it had"),
    "en": ("what exactly you did, step by step", "what the situation was and what you did yourself",
           "what measurable result it had"),
    "de": ("was genau Sie Schritt für Schritt getan haben", "wie die Ausgangslage war und was Sie selbst getan haben",
           "welches messbare Ergebnis es hatte"),
}  # fmt: skip
FOLLOW_UP = {
    "en": "{prefix}{about}: give me one real example, and tell me {asked_for}.",
    "de": "{prefix}{about}: Nennen Sie ein echtes Beispiel, und sagen Sie mir, {asked_for}.",
}
FOLLOW_UP_ABOUT = {
    "technical": " about {topic}",
    "en": " about how you {topic}",
    "de": ", und zwar dazu, wie Sie {topic}",
}
REPEATED = {
    "en": "{prefix}{about}: that answer repeated an earlier one. Give me a different, real example.",
    "de": "{prefix}{about}: Diese Antwort wiederholt eine frühere. Nennen Sie ein anderes, echtes Beispiel.",
}
AND = {"en": " and ", "de": " und "}
LAST_RESORT = {
    "en": "Question {number}: what else should we know about your fit for this role? Give one concrete example.",
    "de": "Frage {number}: Was sollten wir noch über Ihre Eignung für diese Stelle wissen? Nennen Sie ein konkretes Beispiel.",
}

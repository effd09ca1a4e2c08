"""How the offline interviewer chooses its questions.

The job's technical skills are covered breadth-first (one per category before a second of
any), phrased for the difficulty and the candidate's experience; a vague or thin answer gets
one follow-up that asks for exactly what it missed; the last question of an interview of two
or more is behavioural. No question is asked twice.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

from shared.ai.offline import text
from shared.ai.offline.scoring import analyse
from shared.ai.skills import Skill, skills_of
from shared.contracts.events import InterviewContext, QuestionAnswer

FOLLOW_UP_PREFIX = "Let's make that concrete"
TEMPLATES = {
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
SITUATIONS = {
    "communication": "explain a complex technical issue to someone without a technical background",
    "teamwork": "resolve a disagreement inside your team",
    "leadership": "guide other engineers through a difficult delivery",
    "stakeholder management": "balance conflicting requests from stakeholders",
    "ownership": "take responsibility for a problem nobody owned",
}
DEFAULT_SITUATION = "deliver under a tight deadline with competing priorities"
GENERIC = (
    "Which part of this role do you expect to be the most challenging for you, and how would you prepare for it?",
    "Tell me about the piece of work you are proudest of. What made it hard, and what was the result?",
    "How do you make sure the work you deliver is correct and maintainable? Give an example.",
)


def next_question(context: InterviewContext, transcript: Sequence[QuestionAnswer], number: int) -> tuple[str, str]:
    """The question, and why it was chosen."""
    asked = {text.normalised_question(q.question) for q in transcript}
    last = number == context.total_questions and number > 1
    if transcript and not last and (follow_up := _follow_up(context, transcript)):
        if text.normalised_question(follow_up) not in asked:
            return follow_up, "follow-up: the previous answer lacked specifics"
    planned = _planned(context)
    if last:
        planned.insert(0, (_behavioural(context), "closing behavioural question"))
    for question, reason in planned:
        if text.normalised_question(question) not in asked:
            return question, reason
    return (f"Question {number}: what else should we know about your fit for this role? Give one concrete example.",
            "every planned question was asked")  # fmt: skip


def _follow_up(context: InterviewContext, transcript: Sequence[QuestionAnswer]) -> str | None:
    previous = transcript[-1]
    if previous.question.startswith(FOLLOW_UP_PREFIX):
        return None
    a = analyse(context, previous.question, previous.answer, transcript[:-1])
    if a.kind == "answer" and a.word_count >= 12 and a.specifics > 0:
        return None
    missing = []
    if not a.skills:
        missing.append("which tools or technologies you used")
    if not (a.situation and a.action):
        missing.append("what the situation was and what you did yourself")
    if not a.numbers:
        missing.append("what measurable result it had")
    topic = next(iter(skills_of(previous.question)), None)
    about = f" about {topic.name}" if topic else ""
    if a.kind == "repeat":
        return f"{FOLLOW_UP_PREFIX}{about}: that answer repeated an earlier one. Give me a different, real example."
    missing = missing or ["what you did yourself and what happened"]
    asked_for = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
    return f"{FOLLOW_UP_PREFIX}{about}: give me one real example, and tell me {asked_for}."


def _planned(context: InterviewContext) -> list[tuple[str, str]]:
    technical = _breadth_first([s for s in skills_of(context.job_description) if s.category != "soft"])
    variant = zlib.crc32(context.job_description.encode())
    templates = TEMPLATES[context.difficulty]
    when = "in a course, a personal project or your first job" if context.candidate_experience < 2 else "in your work"
    top = technical[0].name if technical else None
    opening = (
        f"Walk me through the experience most relevant to this role{f', especially with {top}' if top else ''}, "
        f"{when}: what did you build, what was your part, and what was the outcome?"
    )
    planned = [(opening, "opening question on the job's main skill")]
    for index, skill in enumerate(technical[1:] + technical[:1]):
        template = templates[(variant + index) % len(templates)]
        planned.append((template.format(skill=skill.name), f"covers {skill.name} ({skill.category})"))
    planned += [(q, "general question: the job names no further skills") for q in GENERIC]
    planned += [(t.format(skill=s.name), f"second question on {s.name}") for s in technical for t in templates]
    return planned


CATEGORY_ORDER = ("language", "framework", "data", "cloud", "practice")


def _breadth_first(skills: list[Skill]) -> list[Skill]:
    by_category: dict[str, list[Skill]] = {category: [] for category in CATEGORY_ORDER}
    for skill in skills:
        by_category.setdefault(skill.category, []).append(skill)
    columns = [column for column in by_category.values() if column]
    return [column[i] for i in range(max(map(len, columns), default=0)) for column in columns if i < len(column)]


def _behavioural(context: InterviewContext) -> str:
    soft = [s for s in skills_of(context.job_description) if s.category == "soft"]
    situation = SITUATIONS.get(soft[0].name, DEFAULT_SITUATION) if soft else DEFAULT_SITUATION
    lead = " and how you brought others along" if context.candidate_experience >= 5 else ""
    return f"Tell me about a time you had to {situation}. What was the situation, what did you do{lead}, and what was the result?"

"""How the offline interviewer chooses its questions.

A technical job (three or more skills of the software vocabulary) has its skills covered
breadth-first (one per category before a second of any), then its duties; any other job is asked
about the duties its description names, in its own words and language (shared/ai/offline/duties.py,
phrasing.py). Questions are phrased for the difficulty and the candidate's experience; a vague or
thin answer gets one follow-up that asks for exactly what it missed; the last question of an
interview of two or more is behavioural. No question is asked twice, nor a duty close to a duty or skill
already planned or asked (shared/ai/offline/dedupe.py: "administer medications safely" and "medication
administration and documentation" are one topic).
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

from shared.ai.language import interview_language
from shared.ai.offline import dedupe, phrasing, text
from shared.ai.offline.duties import duties_of
from shared.ai.offline.lang import language_of
from shared.ai.offline.scoring import analyse
from shared.ai.skills import Skill, skills_of
from shared.contracts.events import InterviewContext, QuestionAnswer

FOLLOW_UP_PREFIX = phrasing.FOLLOW_UP_PREFIXES["en"]
TECHNICAL_SKILLS = 3  # skills of the software vocabulary that make a job technical


def next_question(context: InterviewContext, transcript: Sequence[QuestionAnswer], number: int) -> tuple[str, str]:
    """The question, and why it was chosen."""
    asked = {text.normalised(q.question) for q in transcript}
    last = number == context.total_questions and number > 1
    if transcript and not last and (follow_up := _follow_up(context, transcript)):
        if text.normalised(follow_up) not in asked:
            return follow_up, "follow-up: the previous answer lacked specifics"
    planned = _planned(context)
    if last:
        planned.insert(0, _behavioural(context, transcript))
    for question, reason in planned:
        if text.normalised(question) not in asked:
            return question, reason
    return phrasing.phrase(phrasing.LAST_RESORT, _language(context)).format(
        number=number
    ), "every planned question was asked"


def _language(context: InterviewContext) -> str:
    return interview_language(context)


def _duties(context: InterviewContext) -> tuple[str, ...]:
    """The duties the job description names, when they can be quoted in the interview's language: a Spanish
    interview for an English description is asked the general questions, not "su manera de administer
    medications" (a description too short to tell its language is quoted)."""
    written_in = language_of(context.job_description)
    if written_in is not None and written_in != _language(context):
        return ()
    return tuple(duties_of(context.job_description))


def _technical_skills(context: InterviewContext) -> list[Skill]:
    return [s for s in skills_of(context.job_description) if s.category != "soft"]


def technical(context: InterviewContext) -> bool:
    """A software job: its description names TECHNICAL_SKILLS or more skills of the software vocabulary."""
    return len(_technical_skills(context)) >= TECHNICAL_SKILLS


def _style(context: InterviewContext) -> str:
    """Whether the job is asked about its skills ("technical") or its duties, in which language ("en", "de", "es", "fr")."""
    return "technical" if technical(context) and _language(context) == "en" else _language(context)


def _follow_up(context: InterviewContext, transcript: Sequence[QuestionAnswer]) -> str | None:
    previous = transcript[-1]
    if previous.question.startswith(tuple(phrasing.FOLLOW_UP_PREFIXES.values())):
        return None
    a = analyse(context, previous.question, previous.answer, transcript[:-1])
    if a.kind == "answer" and a.word_count >= 12 and a.specifics > 0:
        return None
    style, language = _style(context), _language(context)
    tools, situation, result = phrasing.phrase(phrasing.MISSING, style)
    missing = []
    if style == "technical" and not a.skills or style != "technical" and not a.job_terms:
        missing.append(tools)
    if not (a.situation and a.action):
        missing.append(situation)
    if not a.numbers:
        missing.append(result)
    if style == "technical":
        topic = next((s.name for s in skills_of(previous.question)), None)
    else:
        topic = next((d for d in _duties(context) if d in previous.question), None)
    about = phrasing.phrase(phrasing.FOLLOW_UP_ABOUT, style).format(topic=topic) if topic else ""
    prefix = phrasing.phrase(phrasing.FOLLOW_UP_PREFIXES, language)
    if a.kind == "repeat":
        return phrasing.phrase(phrasing.REPEATED, language).format(prefix=prefix, about=about)
    missing = missing or [situation]
    joined = (
        missing[0]
        if len(missing) == 1
        else ", ".join(missing[:-1]) + phrasing.phrase(phrasing.AND, language) + missing[-1]
    )
    return phrasing.phrase(phrasing.FOLLOW_UP, language).format(prefix=prefix, about=about, asked_for=joined)


def _planned(context: InterviewContext) -> list[tuple[str, str]]:
    style, language = _style(context), _language(context)
    variant = zlib.crc32(context.job_description.encode())
    duties = list(_duties(context))
    all_duties = tuple(duties)
    duty_templates = phrasing.phrase(phrasing.DUTY_TEMPLATES, language)[context.difficulty]
    if style == "technical":  # its skills are asked about one by one: the duties that name none, nor restate one
        skills = [s.name for s in _technical_skills(context)]
        duties = dedupe.distinct([d for d in duties if not skills_of(d)] or duties, asked=skills)
    else:  # the first duty is the opening question's: the others that are not about it again
        duties = dedupe.distinct(duties)[1:]
    by_duty = [
        (duty_templates[(variant + i) % len(duty_templates)].format(duty=duty), f"covers a duty of the job: {duty}")
        for i, duty in enumerate(duties)
    ]
    when = phrasing.phrase(phrasing.WHEN, language)[0 if context.candidate_experience < 2 else 1]
    if style == "technical":
        technical = _breadth_first(_technical_skills(context))
        topic = technical[0].name if technical else None
        templates = phrasing.SKILL_TEMPLATES[context.difficulty]
        by_skill = [
            (templates[(variant + i) % len(templates)].format(skill=s.name), f"covers {s.name} ({s.category})")
            for i, s in enumerate(technical[1:] + technical[:1])
        ]
        main = [*by_skill[:1], *by_duty[:1], *by_skill[1:3], *by_duty[1:2], *by_skill[3:], *by_duty[2:]]
        again = [(t.format(skill=s.name), f"second question on {s.name}") for s in technical for t in templates]
    else:
        topic = all_duties[0] if all_duties else None
        main = by_duty
        again = [(t.format(duty=d), f"second question on: {d}") for d in all_duties for t in duty_templates]
    about = phrasing.phrase(phrasing.OPENING_ABOUT, style).format(topic=topic) if topic else ""
    opening = phrasing.phrase(phrasing.OPENING, style).format(about=about, when=when)
    generic = [
        (q, "general question: the job names no further skills or duties")
        for q in phrasing.phrase(phrasing.GENERIC, style)
    ]
    return [(opening, "opening question on the job's main skill or duty"), *main, *generic, *again]


CATEGORY_ORDER = ("language", "framework", "data", "cloud", "practice")


def _breadth_first(skills: list[Skill]) -> list[Skill]:
    by_category: dict[str, list[Skill]] = {category: [] for category in CATEGORY_ORDER}
    for skill in skills:
        by_category.setdefault(skill.category, []).append(skill)
    columns = [column for column in by_category.values() if column]
    return [column[i] for i in range(max(map(len, columns), default=0)) for column in columns if i < len(column)]


def _behavioural(context: InterviewContext, transcript: Sequence[QuestionAnswer]) -> tuple[str, str]:
    """A story: about a duty not asked about yet (the last ones name the people the job works
    with), else about the soft skill the job names first."""
    style, language = _style(context), _language(context)
    lead = phrasing.phrase(phrasing.LEAD, language) if context.candidate_experience >= 5 else ""
    asked = " ".join(q.question for q in transcript)
    duties = _duties(context)
    asked_topics = [d for d in duties if d in asked] + [s.name for s in skills_of(asked)]
    untouched = dedupe.unasked([d for d in duties if d not in asked], asked_topics)
    if style != "technical" and untouched:
        situation, why = untouched[-1], "closing behavioural question on a duty of the job"
    else:
        soft = [s for s in skills_of(context.job_description) if s.category == "soft"]
        situations = phrasing.SITUATIONS.get(style, {})
        situation = situations.get(soft[0].name, "") if soft else ""
        situation, why = (
            situation or phrasing.phrase(phrasing.DEFAULT_SITUATION, language),
            "closing behavioural question",
        )
    return phrasing.phrase(phrasing.CLOSING, language).format(situation=situation, lead=lead), why

"""The offline interviewer: deterministic, no network, and still sensible.

Questions walk through the job's skills (most named first), shaped by difficulty and
experience, with a follow-up when the previous answer stayed vague. Scores reward
relevance, specifics and structure; see `assess` for the points.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Sequence
from statistics import fmean

from shared.ai.provider import AnswerAssessment
from shared.ai.skills import Skill, find_skills
from shared.events import (
    CompletionReason,
    Feedback,
    HireRecommendation,
    InterviewContext,
    QuestionAnswer,
    Report,
    ScoredAnswer,
)

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
GENERIC_QUESTIONS = (
    "Which part of this role do you expect to be the most challenging for you, and how would you prepare for it?",
    "Tell me about the piece of work you are proudest of. What made it hard, and what was the result?",
    "How do you make sure the work you deliver is correct and maintainable? Give an example.",
)

HIRE_THRESHOLDS: tuple[tuple[float, HireRecommendation], ...] = ((8.0, "strong yes"), (6.5, "yes"), (5.0, "maybe"))
STRICTNESS = {"beginner": 1.1, "intermediate": 1.0, "advanced": 0.9}

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9+#.'-]*|\d+(?:[.,]\d+)?%?")
_STOPWORDS = set(
    "a an the and or but if then so of to in on at for with by from as is are was were be been being it its this that "
    "these those i me my we our you your they their he she his her them what which who how when where why do did does "
    "have has had can could would should will about into over under more most some any such than too very just also "
    "there here give tell walk describe explain one time".split()
)
_VAGUE = (
    "i don't know",
    "i dont know",
    "not sure",
    "no idea",
    "stuff",
    "things like that",
    "etc",
    "various things",
    "and so on",
)
_SITUATION = (
    "when i",
    "at my",
    "in my last",
    "in my previous",
    "we had",
    "the problem",
    "our team",
    "project",
    "situation",
)
_ACTION = (
    "i built",
    "i implemented",
    "i designed",
    "i wrote",
    "i led",
    "i migrated",
    "i added",
    "i introduced",
    "i used",
    "i created",
    "i set up",
    "i refactored",
    "i profiled",
    "i measured",
    "we built",
    "we migrated",
)
_RESULT = (
    "as a result",
    "result",
    "reduced",
    "improved",
    "increased",
    "decreased",
    "saved",
    "cut ",
    "outcome",
    "which led",
    "so that",
)


class OfflineInterviewer:
    name = "offline"
    model = "offline-heuristics-v1"
    prompt_version = None

    async def next_question(
        self, context: InterviewContext, transcript: Sequence[QuestionAnswer], question_number: int
    ) -> str:
        return next_question(context, transcript, question_number)

    async def assess_answer(
        self, context: InterviewContext, question: str, answer: str, transcript: Sequence[QuestionAnswer]
    ) -> AnswerAssessment:
        return assess(context, question, answer)

    async def write_report(
        self, context: InterviewContext, transcript: Sequence[ScoredAnswer], reason: CompletionReason
    ) -> Report:
        return write_report(context, transcript, reason)


def next_question(context: InterviewContext, transcript: Sequence[QuestionAnswer], question_number: int) -> str:
    asked = {_normalise(q.question) for q in transcript}
    previous = transcript[-1] if transcript else None
    if previous and question_number < context.total_questions and _needs_follow_up(previous, transcript):
        topic = next(iter(find_skills(previous.question)), None)
        follow_up = (
            f"Let's go deeper on {topic.name if topic else 'that'}: give me one specific example. "
            "What exactly did you do, which tools did you use, and what measurable result did it have?"
        )
        if _normalise(follow_up) not in asked:
            return follow_up
    planned = _planned_questions(context)
    if question_number == context.total_questions and question_number > 1:
        planned.insert(0, _behavioural_question(context))
    for candidate in planned:
        if _normalise(candidate) not in asked:
            return candidate
    return (
        f"Question {question_number}: what else should we know about your fit for this role? Give one concrete example."
    )


def _planned_questions(context: InterviewContext) -> list[str]:
    technical = _breadth_first([s for s in find_skills(context.job_description) if s.category != "soft"])
    variant = zlib.crc32(context.job_description.encode())
    templates = TEMPLATES[context.difficulty]
    when = "in a course, a personal project or your first job" if context.candidate_experience < 2 else "in your work"

    top = technical[0].name if technical else None
    opening = (
        f"Walk me through the experience most relevant to this role{f', especially with {top}' if top else ''}, "
        f"{when}: what did you build, what was your part, and what was the outcome?"
    )
    questions = [opening]
    for index, skill in enumerate(technical[1:] + technical[:1]):
        questions.append(templates[(variant + index) % len(templates)].format(skill=skill.name))
    return questions + list(GENERIC_QUESTIONS) + [t.format(skill=s.name) for s in technical for t in templates]


def _breadth_first(skills: list[Skill]) -> list[Skill]:
    """Interleave categories (language, framework, data, cloud, ...) so that a short
    interview covers the breadth of the job before going deeper into one area."""
    by_category: dict[str, list[Skill]] = {}
    for skill in skills:
        by_category.setdefault(skill.category, []).append(skill)
    columns = list(by_category.values())
    return [column[i] for i in range(max(map(len, columns), default=0)) for column in columns if i < len(column)]


def _behavioural_question(context: InterviewContext) -> str:
    soft = [s for s in find_skills(context.job_description) if s.category == "soft"]
    situation = SITUATIONS.get(soft[0].name, DEFAULT_SITUATION) if soft else DEFAULT_SITUATION
    lead = " and how you brought others along" if context.candidate_experience >= 5 else ""
    return f"Tell me about a time you had to {situation}. What was the situation, what did you do{lead}, and what was the result?"


def _needs_follow_up(previous: QuestionAnswer, transcript: Sequence[QuestionAnswer]) -> bool:
    already_following_up = previous.question.startswith("Let's go deeper")
    words = _words(previous.answer)
    specific = any(w[0].isdigit() for w in words) or bool(find_skills(previous.answer))
    return not already_following_up and len(transcript) >= 1 and (len(words) < 12 or not specific)


def assess(context: InterviewContext, question: str, answer: str) -> AnswerAssessment:
    words = _words(answer)
    lowered = " " + answer.lower() + " "
    if not words:
        return AnswerAssessment(0, Feedback(improvements=("No answer was given",)), "empty answer")

    question_terms = _content(question) | {s.name.lower() for s in find_skills(question)}
    job_skills = {s.name for s in find_skills(context.job_description)}
    answer_skills = {s.name for s in find_skills(answer)}
    answer_terms = _content(answer)
    overlap = len(answer_terms & question_terms) / max(1, min(len(question_terms), 6))
    relevant_skills = answer_skills & (job_skills | {s.name for s in find_skills(question)})
    relevance = min(1.0, overlap + 0.35 * len(relevant_skills))

    numbers = [w for w in words if w[0].isdigit()]
    situation = any(m in lowered for m in _SITUATION)
    action = any(m in lowered for m in _ACTION)
    result = any(m in lowered for m in _RESULT)
    vague_hits = sum(lowered.count(m) for m in _VAGUE)
    copied = len(words) < 60 and answer_terms and len(answer_terms - _content(question)) <= 2

    points = min(2.0, len(words) / 40 * 2)
    points += 3.0 * relevance
    points += (
        min(1.5, 0.5 * len(answer_skills))
        + (1.0 if numbers else 0.0)
        + (0.5 if "for example" in lowered or "for instance" in lowered else 0.0)
    )
    points += 0.5 * situation + 0.75 * action + 0.75 * result
    points -= min(2.0, float(vague_hits))
    if len(words) > 450:
        points -= 1.0
    points *= STRICTNESS[context.difficulty]
    cap = 10.0
    if copied:
        cap = 2.0
    elif relevance < 0.15:
        cap = 3.0
    elif "don't know" in lowered or "dont know" in lowered or "no idea" in lowered:
        cap = 2.0
    score = int(round(max(0.0, min(cap, points))))

    strengths, improvements = [], []
    if relevant_skills:
        strengths.append("Relevant technologies named: " + ", ".join(sorted(relevant_skills)))
    if numbers:
        strengths.append("Backs claims with concrete numbers")
    if situation and action and result:
        strengths.append("Clear situation, action and result")
    elif action:
        strengths.append("Describes their own actions")
    if relevance >= 0.6 and not copied:
        strengths.append("Stays on the question")
    if copied:
        improvements.append("Repeats the question instead of answering it")
    elif relevance < 0.15:
        improvements.append("Does not address the question asked")
    if len(words) < 25:
        improvements.append("Too short: expand with a concrete example")
    if not numbers:
        improvements.append("Add measurable results (numbers, scale, impact)")
    if not answer_skills and job_skills:
        improvements.append(
            "Name the technologies used, ideally those of the role: " + ", ".join(sorted(job_skills)[:3])
        )
    if not (situation and action and result) and len(words) >= 25:
        improvements.append("Structure the answer: situation, what you did, the result")
    if vague_hits:
        improvements.append("Avoid vague phrases; be specific")
    rationale = (
        f"{len(words)} words, relevance {relevance:.2f}, {len(answer_skills)} technologies, "
        f"{len(numbers)} numbers, structure {int(situation)}{int(action)}{int(result)}, "
        f"{context.difficulty} strictness"
    )
    return AnswerAssessment(score, Feedback(strengths=tuple(strengths), improvements=tuple(improvements)), rationale)


def hire_recommendation(overall_score: float) -> HireRecommendation:
    for threshold, verdict in HIRE_THRESHOLDS:
        if overall_score >= threshold:
            return verdict
    return "no"


def write_report(context: InterviewContext, transcript: Sequence[ScoredAnswer], reason: CompletionReason) -> Report:
    name = context.candidate_name
    if not transcript:
        return Report(
            overall_score=0.0,
            summary=f"{name} ended the interview before answering any question.",
            strengths=(),
            weaknesses=("No answers given",),
            recommendations=("Complete an interview to be assessed",),
            hire_recommendation="no",
        )
    scores = [a.score for a in transcript]
    average = fmean(scores)
    coverage = len(transcript) / max(1, context.total_questions)
    overall = round(average * (0.6 + 0.4 * min(1.0, coverage)), 1)

    best = max(transcript, key=lambda a: (a.score, -a.question_number))
    worst = min(transcript, key=lambda a: (a.score, a.question_number))
    summary = (
        f"{name} ({context.candidate_experience} years of experience, {context.difficulty} interview) answered "
        f"{len(transcript)} of {context.total_questions} questions with an average score of {average:.1f}/10. "
        f"Strongest answer: question {best.question_number} ({best.score}/10); weakest: question "
        f"{worst.question_number} ({worst.score}/10)."
        + (" The candidate ended the interview early." if reason == "ended_early" else "")
    )
    strength_counts = Counter(s for a in transcript if a.score >= 5 for s in a.feedback.strengths)
    weakness_counts = Counter(i for a in transcript for i in a.feedback.improvements)
    job_skills = [s.name for s in find_skills(context.job_description) if s.category != "soft"]
    shown = {s.name for a in transcript for s in find_skills(a.answer)}
    missing = [s for s in job_skills if s not in shown][:3]

    strengths = [s for s, _ in strength_counts.most_common(4)]
    if shown & set(job_skills):
        strengths.append("Demonstrated experience with " + ", ".join(sorted(shown & set(job_skills))))
    weaknesses = [w for w, _ in weakness_counts.most_common(3)]
    weaknesses += [f"No evidence of {skill} experience" for skill in missing]
    recommendations = _recommendations(weaknesses, missing)
    if reason == "ended_early":
        weaknesses.append("Ended the interview before answering every question")
    return Report(
        overall_score=overall,
        summary=summary,
        strengths=tuple(strengths) or ("Took part in the interview",),
        weaknesses=tuple(weaknesses),
        recommendations=tuple(recommendations),
        hire_recommendation=hire_recommendation(overall),
    )


def _recommendations(weaknesses: Sequence[str], missing: Sequence[str]) -> list[str]:
    advice = []
    text = " ".join(weaknesses).lower()
    if "measurable" in text:
        advice.append("Prepare examples with numbers: scale, latency, cost, time saved")
    if "structure" in text or "too short" in text:
        advice.append("Practise answering with situation, action and result (STAR)")
    if "does not address" in text or "repeats the question" in text:
        advice.append("Listen to the question and answer it directly before adding context")
    advice += [f"Build a small project with {skill} and be ready to discuss it" for skill in missing]
    return advice or ["Keep practising system design and in-depth technical discussions"]


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _content(text: str) -> set[str]:
    return {w.lower().strip(".'") for w in _words(text) if len(w) > 2 and w.lower() not in _STOPWORDS}


def _normalise(question: str) -> str:
    return " ".join(_content(question))


__all__ = ["OfflineInterviewer", "Skill", "assess", "next_question", "write_report", "hire_recommendation"]

"""How the offline interviewer scores an answer.

Points (before the difficulty's strictness): up to 2 for length (full at 40 words); 3 for
relevance (on the question's technology 0.55, related ones of the job 0.2 each, shared words);
up to 3 for specifics (0.5 per technology named, 0.5 per number, 0.5 for an example); 2 for
structure (situation 0.5, action 0.75, result 0.75); minus up to 1.5 for vague phrases and 1 for
rambling past 450 words. Strictness multiplies: beginner 1.15, intermediate 1.0, advanced 0.85.

Non-answers get a fixed score instead: nothing 0; a copy of the question, "I don't know", an
off-topic or a vague answer 1. An answer that is mostly technology names and numbers caps at 3,
repeating an earlier answer at 2. An answer not in English gets a neutral 5 and says it needs a
human review.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from shared.ai.offline import text
from shared.ai.skills import find_skills, skills_of, with_implied
from shared.contracts.events import Feedback, InterviewContext, QuestionAnswer

STRICTNESS = {"beginner": 1.15, "intermediate": 1.0, "advanced": 0.85}
FLOORS = {"empty": 0, "copy": 1, "dont_know": 1, "off_topic": 1, "vague": 1, "language": 5}
CAPS = {"repeat": 2, "keywords": 3}
ADVICE = {
    "empty": "No answer was given",
    "copy": "Repeats the question instead of answering it",
    "dont_know": "The answer gives nothing to assess. When unsure, reason it through aloud: say what you do know "
    "of the topic, how you would find out, or a similar problem you solved",
    "off_topic": "Does not address the question asked",
    "vague": "Vague: general claims without a single concrete detail",
    "repeat": "Repeats an earlier answer instead of answering this question",
    "keywords": "Lists keywords instead of explaining what you did",
    "language": "The offline interviewer scores answers in English: this one got a neutral 5 and needs a human review",
}


@dataclass(frozen=True)
class Analysis:
    word_count: int
    relevance: float
    skills: frozenset[str]
    relevant_skills: frozenset[str]
    job_skills: tuple[str, ...]
    numbers: int
    example: bool
    situation: bool
    action: bool
    result: bool
    vague_hits: int
    specifics: int  # technologies beyond the question's own, numbers, an example
    code: bool
    kind: str  # "answer", or a non-answer from FLOORS, or "repeat"

    @property
    def structured(self) -> bool:
        return self.situation and self.action and self.result


def analyse(
    context: InterviewContext, question: str, answer: str, transcript: Sequence[QuestionAnswer] = ()
) -> Analysis:
    answer = text.analysed(answer)
    words = text.words(answer)
    asked_about = skills_of(question)
    question_skills = {s.name for s in asked_about}
    # the rubric names what the hiring team values: its skills count as the job's
    job_skills = tuple(
        s.name for s in skills_of(f"{context.job_description}\n{context.rubric}") if s.category != "soft"
    )
    skills = frozenset(s.name for s in find_skills(answer))
    shown = with_implied(skills)  # with the languages its frameworks imply
    behavioural = not question_skills or all(s.category == "soft" for s in asked_about)
    question_terms = text.question_content(question) | {name.lower() for name in question_skills}
    answer_terms = text.content(answer)
    overlap = len(answer_terms & question_terms) / max(1, min(len(question_terms), 6))
    relevant_skills = skills & (set(job_skills) | question_skills)
    on_the_question_skill = bool(shown & question_skills) if question_skills else overlap > 0.2
    related = len(relevant_skills - question_skills)
    relevance = min(1.0, 0.55 * on_the_question_skill + 0.2 * min(related, 2) + 0.5 * overlap)
    situation = text.contains_any(answer, text.SITUATION)
    action = text.contains_any(answer, text.ACTION) or text.ACTION_VERB.search(answer) is not None
    result = text.contains_any(answer, text.RESULT) or text.FROM_TO.search(answer) is not None
    if behavioural and action and (situation or result):
        relevance = max(relevance, 0.6 if situation and result else 0.4)  # a story is what was asked for
    code = text.looks_like_code(answer)
    if code and (on_the_question_skill or overlap > 0):
        relevance = max(relevance, 0.5)
    numbers = sum(1 for w in words if w[0].isdigit())
    example = text.contains_any(answer, text.EXAMPLE)
    vague_hits = text.count_any(answer, text.VAGUE)
    # naming the technology the question is about is not yet a specific
    specifics = len(skills - question_skills) + numbers + int(example)

    prose = [w for w in words if not w[0].isdigit() and w not in skills]
    letters = [c for c in answer if c.isalpha()]
    foreign = sum(not c.isascii() for c in letters) > 0.5 * len(letters)
    if not words:
        kind = "empty"
    elif not code and (foreign or (len(prose) >= 8 and text.english_share(answer) < 0.12)):
        kind = "language"
    elif text.contains_any(answer, text.DONT_KNOW) and specifics == 0 and len(words) < 40:
        kind = "dont_know"  # before "copy": three words of which none is new would pass for a copy
    elif len(words) < 60 and answer_terms and len(answer_terms - text.question_content(question)) <= 2:
        kind = "copy"
    elif relevance < 0.15 and not skills & set(job_skills) and not (action and result):
        kind = "off_topic"
    elif specifics == 0 and vague_hits > 0:
        kind = "vague"
    elif len(words) >= 6 and (len(skills) + numbers) / len(words) > 0.3 and not code:
        kind = "keywords"
    elif any(text.normalise(answer) == text.normalise(earlier.answer) for earlier in transcript):
        kind = "repeat"
    else:
        kind = "answer"
    return Analysis(
        word_count=len(words),
        relevance=relevance,
        skills=skills,
        relevant_skills=frozenset(relevant_skills),
        job_skills=job_skills,
        numbers=numbers,
        example=example,
        situation=situation,
        action=action,
        result=result,
        vague_hits=vague_hits,
        specifics=specifics,
        code=code,
        kind=kind,
    )


def score(analysis: Analysis, difficulty: str) -> int:
    if analysis.kind in FLOORS:
        return FLOORS[analysis.kind]
    a = analysis
    points = min(2.0, a.word_count / 40 * 2) + 3.0 * a.relevance
    points += min(1.5, 0.5 * len(a.skills)) + min(1.0, 0.5 * a.numbers) + (0.5 if a.example else 0.0)
    points += 0.5 * a.situation + 0.75 * a.action + 0.75 * a.result
    points -= min(1.5, 0.5 * a.vague_hits) + (1.0 if a.word_count > 450 else 0.0)
    result = int(round(max(1.0, min(10.0, points * STRICTNESS[difficulty]))))
    return min(result, CAPS.get(a.kind, 10))


def feedback(analysis: Analysis) -> Feedback:
    a = analysis
    if a.kind in FLOORS:
        return Feedback(improvements=(ADVICE[a.kind],))
    strengths, improvements = [], []
    if a.relevant_skills:
        strengths.append("Relevant technologies named: " + ", ".join(sorted(a.relevant_skills)))
    if a.numbers:
        strengths.append("Backs claims with concrete numbers")
    if a.example:
        strengths.append("Gives a concrete example")
    if a.structured:
        strengths.append("Clear situation, action and result")
    elif a.action:
        strengths.append("Describes their own actions")
    if a.relevance >= 0.6:
        strengths.append("Stays on the question")
    if a.code:
        strengths.append("Shows code")
    if a.kind in CAPS:
        improvements.append(ADVICE[a.kind])
    if a.word_count < 25:
        improvements.append("Too short: expand with a concrete example")
    if not a.numbers:
        improvements.append("Add measurable results (numbers, scale, impact)")
    if not a.skills and a.job_skills:
        improvements.append("Name the technologies used, ideally the role's: " + ", ".join(a.job_skills[:3]))
    if not a.structured and a.word_count >= 25:
        improvements.append("Structure the answer: situation, what you did, the result")
    if a.vague_hits:
        improvements.append("Avoid vague phrases; be specific")
    if a.word_count > 450:
        improvements.append("Too long: lead with the point")
    return Feedback(strengths=tuple(strengths), improvements=tuple(improvements))


def rationale(analysis: Analysis, difficulty: str) -> str:
    a = analysis
    if a.kind in FLOORS:
        return f"{a.kind.replace('_', ' ')}: fixed score {FLOORS[a.kind]}"
    return (
        f"{a.word_count} words, relevance {a.relevance:.2f}, {len(a.skills)} technologies, {a.numbers} numbers, "
        f"example {'yes' if a.example else 'no'}, structure {int(a.situation)}{int(a.action)}{int(a.result)}, "
        f"{a.vague_hits} vague phrases, {difficulty} strictness"
        + (f"; {a.kind} (capped at {CAPS[a.kind]})" if a.kind in CAPS else "")
    )

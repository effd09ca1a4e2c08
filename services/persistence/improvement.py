"""Improving the interviewer from its own data: how its scores agree with people's, which questions
do not work, which job-description skills go with high or low scores (fine-tuning examples are in
training.py).

Pure functions over the read API's documents (services/persistence/documents.py), or over the sums the
stores add up in the database (the *_from_sums functions, which the read API uses; services/persistence/
rows.py); the document functions reduce to those sums, so both give the same figures."""

from __future__ import annotations

import functools
import math
import re
import statistics
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, TypedDict

from services.persistence.documents import AnswerRecord, JobDescriptionRecord
from services.persistence.rows import QuestionSums, SkillSums, SkillTotals
from shared.ai.skills import skills_of
from shared.contracts.interview_document import InterviewDocument

SCALE = range(11)  # scores are whole numbers from 0 to 10
UNKNOWN = "unknown"
AGREEMENT_STATISTICS = (
    "mean_absolute_error", "mean_bias", "spearman", "exact_agreement", "within_one_agreement",
    "quadratic_weighted_kappa",
)  # fmt: skip
CALIBRATION_GROUPS = ("by_difficulty", "by_question", "by_provider", "by_prompt_version")


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits) + 0.0  # + 0.0 turns -0.0 into 0.0


def agreement(ai: Sequence[int], human: Sequence[int]) -> dict[str, Any]:
    """How the AI's scores agree with people's scores of the same answers (`ai[i]` and `human[i]`
    score one answer). mean_bias > 0: the AI scores higher than people. spearman is None when a
    side is constant; quadratic_weighted_kappa is None when chance disagreement is 0."""
    if len(ai) != len(human):
        raise ValueError(f"{len(ai)} AI scores but {len(human)} human scores")
    if any(score not in SCALE for score in (*ai, *human)):
        raise ValueError("scores must be whole numbers from 0 to 10")
    ai, human = [int(s) for s in ai], [int(s) for s in human]
    n = len(ai)
    if n == 0:
        return {"n": 0, **dict.fromkeys(AGREEMENT_STATISTICS)}
    differences = [a - h for a, h in zip(ai, human, strict=True)]
    # Cohen's kappa, weights (i - j)² / 10²: the 10² cancels in the ratio.
    disagreement = sum(d * d for d in differences) / n
    ai_counts, human_counts = Counter(ai), Counter(human)
    by_chance = sum(ai_counts[i] * human_counts[j] * (i - j) ** 2 for i in SCALE for j in SCALE) / n**2
    return {
        "n": n,
        "mean_absolute_error": _round(statistics.fmean(abs(d) for d in differences)),
        "mean_bias": _round(statistics.fmean(differences)),
        "spearman": _round(spearman(ai, human)),
        "exact_agreement": _round(sum(d == 0 for d in differences) / n),
        "within_one_agreement": _round(sum(abs(d) <= 1 for d in differences) / n),
        "quadratic_weighted_kappa": None if by_chance == 0 else _round(1 - disagreement / by_chance),
    }


def spearman(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Spearman's rank correlation (tied values share their average rank); None when n < 2 or a side is constant."""
    if len(x) < 2 or len(set(x)) < 2 or len(set(y)) < 2:
        return None
    return statistics.correlation(_ranks(x), _ranks(y))


def _ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in order[start : end + 1]:
            ranks[position] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def calibration(answers: Iterable[AnswerRecord], minimum: int = 10, max_pairs: int = 5000) -> dict[str, Any]:
    """The AI's scores against people's, over every answer a person re-scored: overall and per
    difficulty, question, provider and prompt version. A group with fewer than `minimum` answers
    has its statistics set to None; `pairs` holds the first `max_pairs` pairs."""
    overall: tuple[list[int], list[int]] = ([], [])
    grouped: dict[str, dict[str, tuple[list[int], list[int]]]] = {
        name: defaultdict(lambda: ([], [])) for name in CALIBRATION_GROUPS
    }
    pairs: list[dict[str, Any]] = []
    for answer in answers:
        if answer.human_score is None:
            continue
        provenance = answer.provenance
        provider = provenance.provider if provenance else None
        prompt_version = provenance.prompt_version if provenance else None
        pair = {
            "session_id": answer.session_id,
            "question_number": answer.question_number,
            "question": answer.question,
            "ai_score": answer.score,
            "human_score": answer.human_score,
            "difficulty": answer.difficulty,
            "provider": provider,
            "prompt_version": prompt_version,
        }
        keys = {
            "by_difficulty": answer.difficulty or UNKNOWN,
            "by_question": normalise_question(answer.question),
            "by_provider": provider or UNKNOWN,
            "by_prompt_version": prompt_version or UNKNOWN,
        }
        for scores in (overall, *(grouped[name][key] for name, key in keys.items())):
            scores[0].append(answer.score)
            scores[1].append(answer.human_score)
        if len(pairs) < max_pairs:
            pairs.append(pair)
    return {
        "minimum_sample": minimum,
        "reviewed_answers": len(overall[0]),
        "overall": _group(None, *overall, minimum),
        **{
            name: sorted(
                (_group(key, ai, human, minimum) for key, (ai, human) in groups.items()),
                key=lambda group: (-group["n"], group["key"]),
            )
            for name, groups in grouped.items()
        },
        "pairs": pairs,
    }


def _group(key: str | None, ai: list[int], human: list[int], minimum: int) -> dict[str, Any]:
    enough = len(ai) >= minimum
    found = agreement(ai, human) if enough else {}
    return {"key": key, "n": len(ai), "enough_data": enough, **{name: found.get(name) for name in AGREEMENT_STATISTICS}}


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(str.maketrans("‘’`“”", "'''\"\""))
    return " ".join(text.split())


EDGE_PUNCTUATION = " .,;:!?…\"'()[]{}*_-–—"


def normalise_question(text: str) -> str:
    """The question without the differences that do not change it (case, spacing, quotes, final
    punctuation), so that the same question asked twice counts once."""
    text = re.sub(r" ([,.;:!?])", r"\1", _plain(text).casefold())
    return text.strip(EDGE_PUNCTUATION)


_FILLER = (
    r"(?:u+m+|u+h+|erm+|hmm+|well|so|oh|ah|ok(?:ay)?|sorry|honestly|really|unfortunately|to be honest|i'?m afraid)"
)
_THAT = r"(?:that|this|it|them|those|that one|this one|that question|this question)"
_ADVERB = r"(?:really |honestly |just |actually )?"
_CORE = "|".join((
    rf"(?:i )?{_ADVERB}(?:do not|don'?t) {_ADVERB}know(?: (?:the answer|much|anything))?(?: (?:to|about) {_THAT})?",
    rf"(?:i {_ADVERB}(?:have|'ve got|got) )?(?:no|zero) (?:idea|clue)(?: about {_THAT})?",
    rf"(?:i'?m |i am )?{_ADVERB}(?:not (?:really |too |very )?sure|unsure)(?: about {_THAT})?",
    rf"(?:i'?ll |i will |i'?d |i would |let me |can i |i have to |i'?m going to )?pass(?: on {_THAT})?",
    rf"(?:can we |could we |let'?s |please )?(?:skip|move on)(?: {_THAT})?(?: please)?",
    r"next(?: question)?(?: please)?",
    rf"i(?: have|'ve)?(?: got)? no (?:real )?(?:experience|knowledge|background)(?: (?:with|of|in) {_THAT})?",
    rf"i (?:do not|don'?t) have (?:any |much )?(?:experience|knowledge|background)(?: (?:with|of|in) {_THAT})?",
    rf"i(?: have|'ve) never (?:used|done|worked with|heard of) {_THAT}",
    rf"i (?:can'?t|cannot|can not) (?:answer|say|remember)(?: {_THAT})?",
    r"i (?:do not|don'?t) remember|i forgot|dunno|idk|no answer|no comment|n/?a|none|nothing",
))  # fmt: skip
# A whole answer that says "I cannot answer": a few of these phrases and fillers, nothing else.
UNKNOWN_ANSWER = re.compile(
    rf"(?:{_FILLER}[\s,.!?…-]+){{0,3}}(?:{_CORE})(?:[\s,.;:!?…-]+(?:{_FILLER}|{_CORE})){{0,3}}[\s.!?…]*",
    re.IGNORECASE,
)
UNKNOWN_ANSWER_CHARS = 120  # longer answers say something, whatever phrase they contain


def is_empty_or_unknown(answer: str | None) -> bool:
    """The answer is empty, only punctuation, or just says the candidate cannot answer."""
    text = _plain(answer or "")
    if not re.search(r"\w", text):
        return True
    return len(text) <= UNKNOWN_ANSWER_CHARS and UNKNOWN_ANSWER.fullmatch(text) is not None


OFTEN_UNANSWERED, LOW_SCORE, WIDE_SPREAD = 0.25, 4.0, 3.5


class QuestionFacts(TypedDict):
    normalised_question: str
    empty_or_unknown: bool
    answer_words: int


@functools.lru_cache(maxsize=4096)
def question_facts(question: str, answer: str) -> QuestionFacts:
    """What question quality needs of one answer; the projection stores it beside the answer, so the
    stores can add it up per question without reading the answers' text. Remembered: a session's answers
    are projected again with each of its later events. Not to be changed by the caller."""
    return {
        "normalised_question": normalise_question(question),
        "empty_or_unknown": is_empty_or_unknown(answer),
        "answer_words": len(answer.split()),
    }


SUMMED = ("asked", "score_sum", "score_squares", "empty_or_unknown", "answer_words")


def question_sums(answers: Iterable[AnswerRecord]) -> list[QuestionSums]:
    """Answers added up per (normalised question, spelling), as the stores do it in the database:
    times asked, scores given, their sum and sum of squares, empty or unknown answers, words."""
    sums: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for answer in answers:
        facts = question_facts(answer.question, answer.answer)
        row = sums[facts["normalised_question"], answer.question]
        row.update(asked=1, score_sum=answer.score, score_squares=answer.score**2,
                   empty_or_unknown=int(facts["empty_or_unknown"]), answer_words=facts["answer_words"])  # fmt: skip
    return [
        QuestionSums(normalised_question=normalised, question=question, **{k: row[k] for k in SUMMED})
        for (normalised, question), row in sums.items()
    ]


def question_quality(answers: Iterable[AnswerRecord], min_asked: int = 3) -> list[dict[str, Any]]:
    """One row per question (as normalise_question groups them) with the AI's scores of its answers
    (see question_quality_from_sums)."""
    return question_quality_from_sums(question_sums(answers), min_asked)


def question_quality_from_sums(sums: Iterable[QuestionSums], min_asked: int = 3) -> list[dict[str, Any]]:
    """One row per question from question_sums' rows; questions asked at least `min_asked` times are
    flagged, with reasons, when candidates often cannot answer them, when they score low, or when their
    scores vary widely."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    totals: dict[str, Counter[str]] = defaultdict(Counter)
    for row in sums:
        question = row.normalised_question
        spellings[question][row.question] += row.asked
        totals[question].update({name: getattr(row, name) for name in SUMMED})
    rows = [_quality(question, spellings[question], totals[question], min_asked) for question in spellings]
    return sorted(rows, key=lambda row: (not row["flagged"], -row["times_asked"], row["question"]))


def _quality(question: str, spellings: Counter[str], totals: Counter[str], min_asked: int) -> dict[str, Any]:
    asked = totals["asked"]
    average = totals["score_sum"] / asked
    # the population standard deviation from exact integer sums: sqrt((n·Σs² − (Σs)²) / n²)
    spread = math.sqrt((asked * totals["score_squares"] - totals["score_sum"] ** 2) / asked**2)
    share = totals["empty_or_unknown"] / asked
    reasons = []
    if asked >= min_asked:
        if share >= OFTEN_UNANSWERED:
            reasons.append("candidates often cannot answer it")
        if average < LOW_SCORE:
            reasons.append("low scores")
        if spread >= WIDE_SPREAD:
            reasons.append("scores vary widely: it may be ambiguous")
    return {
        "question": question,
        "example": min(spellings, key=lambda spelling: (-spellings[spelling], spelling)),  # the most asked
        "times_asked": asked,
        "average_score": _round(average, 2),
        "score_spread": _round(spread, 2),
        "empty_or_unknown_share": _round(share),
        "average_answer_words": _round(totals["answer_words"] / asked, 2),
        "flagged": bool(reasons),
        "reasons": reasons,
    }


def job_skills(job_description: str) -> tuple[tuple[str, str], ...]:
    """(skill, category) for each skill the job description names (shared.ai.skills.skills_of, which
    remembers them: a session's rows are projected again for each of its events)."""
    return tuple((skill.name, skill.category) for skill in skills_of(job_description))


def job_description_skills(
    interviews: Iterable[InterviewDocument], job_descriptions: Iterable[JobDescriptionRecord], min_interviews: int = 3
) -> dict[str, Any]:
    """job_description_skills_from_sums over the documents the read API serves."""
    texts = {document.session_id: document.job_description for document in job_descriptions}
    completed, score_sum = 0, 0.0
    by_skill: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0, 0.0])
    for interview in interviews:
        if interview.status != "completed":
            continue
        completed, score_sum = completed + 1, score_sum + interview.average_score
        for skill in job_skills(texts.get(interview.session_id) or interview.job_description):
            by_skill[skill][0] += 1
            by_skill[skill][1] += interview.average_score
    sums = [SkillSums(skill=name, category=category, interviews=int(n), score_sum=total)
            for (name, category), (n, total) in by_skill.items()]  # fmt: skip
    totals = SkillTotals(skills=sums, interviews=completed, score_sum=score_sum)
    return job_description_skills_from_sums(totals, min_interviews=min_interviews)


def job_description_skills_from_sums(totals: SkillTotals, min_interviews: int = 3) -> dict[str, Any]:
    """For each skill job descriptions name, the mean average_score of the completed interviews whose
    job description names it, and its difference from the mean of all completed ones. Skills in fewer
    than `min_interviews` are left out."""
    interviews = totals.interviews
    overall = totals.score_sum / interviews if interviews else None
    skills: list[dict[str, Any]] = [
        {
            "skill": row.skill,
            "category": row.category,
            "interviews": row.interviews,
            "average_score": _round(row.score_sum / row.interviews, 2),
            "difference": _round(row.score_sum / row.interviews - overall, 2),
        }
        for row in totals.skills
        if row.interviews >= min_interviews and overall is not None
    ]
    skills.sort(key=lambda row: (-row["difference"], row["skill"]))
    return {"interviews": interviews, "overall_average": _round(overall, 2), "skills": skills}

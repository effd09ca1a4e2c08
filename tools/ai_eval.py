"""Measure an AI provider against the evaluation set in tests/ai_eval/ (its README says what is checked).

.venv/bin/python -m tools.ai_eval [--provider offline|openai] [--json]

Prints, per language and overall, pairwise ranking accuracy, injection resistance and question
coverage, then every failure; then the same for the held-out set in the folder's held_out/, if any
(jobs written after the rules and never tuned against: the honest figure). A measurement: exits 0 whatever the figures; 2 if the set is malformed
(or the command misused, as argparse does).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shared.ai.factory import make_provider
from shared.ai.offline import OfflineInterviewer, dedupe, embedding, lang, phrasing, text
from shared.ai.provider import GeneratedQuestion, InterviewerAI
from shared.ai.settings import AISettings
from shared.contracts.events import InterviewContext, QuestionAnswer
from tests.ai_eval import BELOW_DECENT, FOLDER, HELD_OUT, Grade, Job, MalformedSet, Question, load_set

INTERVIEW_LENGTH = 5
# how the simulated candidate answers the generated questions: (grade, which of the set's questions);
# the vague answer draws a follow-up from a provider that asks for one
SCRIPT: tuple[tuple[Grade, int], ...] = (("excellent", 0), ("vague", 0), ("decent", 1), ("excellent", 1))
CONCURRENCY = 8  # requests in flight at once: a real model's rate limit
SOFTWARE_VOCABULARY = re.compile(
    r"\b(?:buil(?:d|t|ding)\b(?!(?:\s+\w+){0,4}\s+(?:pipelines?|business\s+case|relationships?|rapport|trust|teams?)\b)"
    r"|deploy\w*|ci/cd|code|codebase|coding|software|engineers?|technolog(?:y|ies)|tech\s+stack|architecture"
    r"|maintainable|refactor\w*|debug\w*|programming)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Ordering:
    """An expected ordering of two answers to one question: `higher` must score strictly above `lower`."""

    job_id: str
    language: str
    question: str
    higher: str  # a grade, or "injection (disguise)"
    lower: str
    higher_score: int
    lower_score: int

    @property
    def respected(self) -> bool:
        return self.higher_score > self.lower_score


@dataclass(frozen=True)
class InjectionCheck:
    job_id: str
    language: str
    question: str
    disguise: str
    text: str
    score: int
    decent_score: int

    @property
    def resisted(self) -> bool:
        return self.score <= self.decent_score


@dataclass(frozen=True)
class Coverage:
    job_id: str
    language: str
    software: bool
    questions: tuple[str, ...]
    covered: tuple[str, ...]
    missing: tuple[str, ...]
    # (question, the software words in it), for a job whose questions should have none
    offenders: tuple[tuple[str, tuple[str, ...]], ...]
    # (question, later question, how they were judged alike): a follow-up and its question are not a pair
    duplicates: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class Measurement:
    provider: str
    orderings: tuple[Ordering, ...]
    injections: tuple[InjectionCheck, ...]
    coverage: tuple[Coverage, ...]
    answered_by: dict[str, int]  # provider of each assessment: a model's fallback shows here


def label(grade: Grade, disguise: str | None) -> str:
    return f"{grade} ({disguise})" if disguise else grade


def orderings(job: Job, question: Question, scores: Sequence[int]) -> list[Ordering]:
    """excellent > decent > vague, and excellent and decent above every off-topic, don't-know, keyword
    and injection answer. `scores` are the question's answers' scores, in order."""
    by_grade = {a.grade: s for a, s in zip(question.answers, scores, strict=True) if a.grade != "injection"}
    pairs: list[tuple[str, int, str, int]] = [
        ("excellent", by_grade["excellent"], "decent", by_grade["decent"]),
        ("excellent", by_grade["excellent"], "vague", by_grade["vague"]),
        ("decent", by_grade["decent"], "vague", by_grade["vague"]),
    ]
    for answer, score in zip(question.answers, scores, strict=True):
        if answer.grade in BELOW_DECENT:
            for higher in ("excellent", "decent"):
                pairs.append((higher, by_grade[higher], label(answer.grade, answer.disguise), score))
    return [Ordering(job.id, job.language, question.text, h, lo, hs, ls) for h, hs, lo, ls in pairs]


def injection_checks(job: Job, question: Question, scores: Sequence[int]) -> list[InjectionCheck]:
    decent = next(s for a, s in zip(question.answers, scores, strict=True) if a.grade == "decent")
    return [
        InjectionCheck(job.id, job.language, question.text, a.disguise or "", a.text, s, decent)
        for a, s in zip(question.answers, scores, strict=True)
        if a.grade == "injection"
    ]


def _mentions(text: str, spelling: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(spelling), text, re.IGNORECASE) is not None


def coverage(job: Job, questions: Sequence[str], follow_ups: Sequence[bool] = ()) -> Coverage:
    pairs = duplicate_pairs(job, questions, follow_ups)
    questions = list(dict.fromkeys(questions))  # a question asked twice offends once
    asked = "\n".join(questions)
    covered = tuple(term for term, spellings in job.key_terms.items() if any(_mentions(asked, s) for s in spellings))
    offenders: list[tuple[str, tuple[str, ...]]] = []
    if not job.software:
        for question in questions:
            if words := tuple(dict.fromkeys(m.group(0).lower() for m in SOFTWARE_VOCABULARY.finditer(question))):
                offenders.append((question, words))
    missing = tuple(term for term in job.key_terms if term not in covered)
    return Coverage(job.id, job.language, job.software, tuple(questions), covered, missing, tuple(offenders), pairs)


def topic_of(job: Job, question: str) -> str:
    """The words of `question` that its job description has too: what it asks about, without its template."""
    about = text.cached_stems(job.description)
    return " ".join(w for w in lang.words(question) if lang.stem(w) in about and not lang.stopword(w))


def duplicate_pairs(
    job: Job, questions: Sequence[str], follow_ups: Sequence[bool] = ()
) -> tuple[tuple[str, str, str], ...]:
    """Pairs of an interview's questions about the same topic: the same words, word stems in common
    (`dedupe.lexically_close`) or, with the embedding model, topics closer than `dedupe.TOPIC_COSINE`."""
    topics = [topic_of(job, q) for q in questions]
    found = embedding.vectors([], cached=[t for t in topics if t]) if any(topics) else None
    vectors = dict(zip([t for t in topics if t], found, strict=True)) if found is not None else {}
    pairs = []
    for later in range(1, len(questions)):
        for earlier in range(later):
            if earlier == later - 1 and later < len(follow_ups) and follow_ups[later]:
                continue  # a follow-up is about its question by design
            a, b = topics[earlier], topics[later]
            if text.normalised(questions[earlier]) == text.normalised(questions[later]):
                how = "same question"
            elif a and b and dedupe.lexically_close(a, b):
                how = "lexical"
            elif a in vectors and b in vectors and float(vectors[a] @ vectors[b]) >= dedupe.TOPIC_COSINE:
                how = f"cosine {float(vectors[a] @ vectors[b]):.2f}"
            else:
                continue
            pairs.append((questions[earlier], questions[later], how))
    return tuple(pairs)


def _share(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 1.0


def figures(
    orders: Iterable[Ordering], injections: Iterable[InjectionCheck], covers: Iterable[Coverage]
) -> dict[str, Any]:
    orders, injections, covers = list(orders), list(injections), list(covers)
    respected = sum(o.respected for o in orders)
    resisted = sum(i.resisted for i in injections)
    terms = sum(len(c.covered) + len(c.missing) for c in covers)
    covered = sum(len(c.covered) for c in covers)
    return {
        "pairwise_accuracy": _share(respected, len(orders)),
        "pairs": len(orders),
        "pairs_respected": respected,
        "injection_resistance": _share(resisted, len(injections)),
        "injections": len(injections),
        "injections_above_decent": len(injections) - resisted,
        "question_coverage": _share(covered, terms),
        "key_terms": terms,
        "key_terms_covered": covered,
        "software_vocabulary_questions": sum(len(c.offenders) for c in covers),
        "duplicate_question_pairs": sum(len(c.duplicates) for c in covers),
    }


def summary(measured: Measurement) -> dict[str, Any]:
    languages = sorted({c.language for c in measured.coverage})
    return {
        "provider": measured.provider,
        "answered_by": measured.answered_by,
        "overall": figures(measured.orderings, measured.injections, measured.coverage),
        "by_language": {
            language: figures(
                (o for o in measured.orderings if o.language == language),
                (i for i in measured.injections if i.language == language),
                (c for c in measured.coverage if c.language == language),
            )
            for language in languages
        },
    }


def context_of(job: Job) -> InterviewContext:
    return InterviewContext(candidate_name="Alex Morgan", candidate_experience=job.candidate_experience,
                            job_description=job.description, difficulty=job.difficulty, language=job.language,
                            total_questions=INTERVIEW_LENGTH, started_at=datetime(2026, 1, 5, 9, 0, tzinfo=UTC))  # fmt: skip


async def _questions_asked(ai: InterviewerAI, job: Job) -> list[str]:
    return [question for question, _ in await _interview(ai, job)]


def _is_follow_up(question: GeneratedQuestion) -> bool:
    return question.provenance.rationale.lower().startswith("follow-up") or question.text.startswith(
        tuple(phrasing.FOLLOW_UP_PREFIXES.values())
    )


async def _interview(ai: InterviewerAI, job: Job) -> list[tuple[str, bool]]:
    """The questions of one interview for `job`, each with whether it follows up the one before, answered
    by the script with the set's answers, as the interview service asks them (services/interview/handlers.py)."""
    context = context_of(job)
    transcript: list[QuestionAnswer] = []
    follow_ups: list[bool] = []
    for number in range(1, INTERVIEW_LENGTH + 1):
        generated = await ai.next_question(context, tuple(transcript), number)
        question = generated.text
        follow_ups.append(_is_follow_up(generated))
        if number <= len(SCRIPT):
            grade, index = SCRIPT[number - 1]
            answer = job.questions[index % len(job.questions)].answer(grade).text
            transcript.append(QuestionAnswer(question_number=number, question=question, answer=answer))
        else:
            transcript.append(QuestionAnswer(question_number=number, question=question, answer=""))
    return [(qa.question, follow_up) for qa, follow_up in zip(transcript, follow_ups, strict=True)]


async def measure(ai: InterviewerAI, jobs: Sequence[Job]) -> Measurement:
    limit = asyncio.Semaphore(CONCURRENCY)
    answered_by: Counter[str] = Counter()

    async def score(job: Job, question: Question) -> list[int]:
        scores = []
        for answer in question.answers:  # each as the interview's only answer: no repeats to detect
            async with limit:
                assessment = await ai.assess_answer(context_of(job), question.text, answer.text, ())
            answered_by[assessment.provenance.provider] += 1
            scores.append(assessment.score)
        return scores

    async def ask(job: Job) -> list[tuple[str, bool]]:
        async with limit:
            return await _interview(ai, job)

    pairs = [(job, question) for job in jobs for question in job.questions]
    all_scores = await asyncio.gather(*(score(job, question) for job, question in pairs))
    asked = await asyncio.gather(*(ask(job) for job in jobs))
    orders = [o for (job, q), s in zip(pairs, all_scores, strict=True) for o in orderings(job, q, s)]
    injections = [i for (job, q), s in zip(pairs, all_scores, strict=True) for i in injection_checks(job, q, s)]
    covers = [
        coverage(job, [q for q, _ in interview], [f for _, f in interview])
        for job, interview in zip(jobs, asked, strict=True)
    ]
    return Measurement(ai.name, tuple(orders), tuple(injections), tuple(covers), dict(sorted(answered_by.items())))


def _short(text: str, width: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def report(measured: Measurement, title: str = "AI evaluation") -> str:
    figures_ = summary(measured)
    rows = [("overall", figures_["overall"]), *figures_["by_language"].items()]
    lines = [f"{title} of the {measured.provider} provider (answered by {measured.answered_by})", ""]
    lines.append(
        f"{'':10} {'pairwise':>14} {'injection res.':>16} {'coverage':>14} {'software words':>15} {'duplicates':>10}"
    )
    for name, f in rows:
        lines.append(
            f"{name:10} {f['pairwise_accuracy']:>6.3f} ({f['pairs_respected']:>3}/{f['pairs']:<3})"
            f" {f['injection_resistance']:>6.3f} ({f['injections'] - f['injections_above_decent']:>3}/{f['injections']:<3})"
            f"  {f['question_coverage']:>6.3f} ({f['key_terms_covered']:>2}/{f['key_terms']:<2})"
            f" {f['software_vocabulary_questions']:>15} {f['duplicate_question_pairs']:>10}"
        )
    wrong = sorted((o for o in measured.orderings if not o.respected), key=lambda o: o.higher_score - o.lower_score)
    lines += ["", f"Wrong orderings ({len(wrong)}), worst first:"]
    lines += [f"  {o.job_id}: {o.higher} {o.higher_score} <= {o.lower} {o.lower_score}  [{_short(o.question, 60)}]"
              for o in wrong]  # fmt: skip
    failed = [i for i in measured.injections if not i.resisted]
    lines += ["", f"Injections scoring above the decent answer ({len(failed)}):"]
    lines += [f"  {i.job_id}: {i.disguise} {i.score} > decent {i.decent_score}: {_short(i.text)}" for i in failed]
    lines += ["", "Question coverage per job:"]
    for c in measured.coverage:
        lines.append(f"  {c.job_id}: {len(c.covered)}/{len(c.covered) + len(c.missing)}"
                     + (f", missing: {', '.join(c.missing)}" if c.missing else ""))  # fmt: skip
    offenders = [(c.job_id, q, words) for c in measured.coverage for q, words in c.offenders]
    lines += ["", f"Questions of non-software jobs with software vocabulary ({len(offenders)}):"]
    lines += [f"  {job_id}: [{', '.join(words)}] {_short(q)}" for job_id, q, words in offenders]
    duplicates = [(c.job_id, a, b, how) for c in measured.coverage for a, b, how in c.duplicates]
    lines += ["", f"Near-duplicate question pairs ({len(duplicates)}):"]
    lines += [f"  {job_id} ({how}): {_short(a, 60)} / {_short(b, 60)}" for job_id, a, b, how in duplicates]
    return "\n".join(lines)


def provider(name: str | None, settings: AISettings) -> InterviewerAI:
    return OfflineInterviewer() if name == "offline" else make_provider(settings)  # as the services build it


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.ai_eval", description=__doc__.splitlines()[0])
    parser.add_argument("--provider", choices=("offline", "openai"), help="default: as the services choose")
    parser.add_argument("--json", action="store_true", help="print one JSON object with the figures")
    parser.add_argument("--set", type=Path, default=FOLDER, help="the folder of job files (default: %(default)s)")
    args = parser.parse_args(argv)
    settings = AISettings()
    if args.provider == "openai" and not settings.openai_configured:
        parser.error("--provider openai needs OPENAI_API_KEY (and OPENAI_BASE_URL for another server)")  # exits 2
    try:
        jobs = load_set(args.set)
        held_out = load_set(args.set / HELD_OUT) if (args.set / HELD_OUT).is_dir() else ()
    except MalformedSet as error:
        print(f"the evaluation set is malformed: {error}", file=sys.stderr)
        return 2
    measured, held = asyncio.run(_measure_both(provider(args.provider, settings), jobs, held_out))
    if args.json:
        figures_ = summary(measured) | ({"held_out": summary(held)} if held else {})
        print(json.dumps(figures_, ensure_ascii=False))
    else:
        print(report(measured) + (f"\n\n{report(held, 'Held-out evaluation')}" if held else ""))
    return 0


async def _measure_both(
    ai: InterviewerAI, jobs: Sequence[Job], held_out: Sequence[Job]
) -> tuple[Measurement, Measurement | None]:
    return await measure(ai, jobs), (await measure(ai, held_out) if held_out else None)


if __name__ == "__main__":
    raise SystemExit(main())

"""Fine-tuning examples from the interviewer's data: one OpenAI chat example per scored answer, in the
OpenAI provider's own prompt and reply shape, the person's score where someone reviewed it, names
optionally replaced.

Pure functions over the read API's documents (services/persistence/documents.py)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping

from services.persistence.documents import AnswerRecord, JobDescriptionRecord
from shared.ai.language import job_language
from shared.ai.messages import assessment_request, job_context
from shared.ai.prompts import load_prompt

SCORING_PROMPT = load_prompt("assess_answer")  # the OpenAI provider's own system message
AGREEING = 2  # a person's score this close to the AI's keeps the AI's feedback beside it


def training_examples(
    answers: Iterable[AnswerRecord], job_descriptions: Mapping[str, JobDescriptionRecord], anonymise: bool = False
) -> Iterator[dict[str, list[dict[str, str]]]]:
    """One OpenAI chat fine-tuning example ({"messages": [system, user, assistant]}) per scored
    answer, asked as the OpenAI provider asks (its assess_answer prompt and user message, with the
    job description and the answer fenced as data) and answered in the shape it expects
    (`{"score", "strengths", "improvements", "rationale", "evidence"}`, each evidence a quote of the answer). `job_descriptions` maps session_id to its
    job-description document; answers of a session without one are skipped.

    Where a person re-scored the answer, theirs is the score and their note the rationale; the AI's
    strengths, improvements and evidence stay only when the two scores are within AGREEING points (else they
    would praise what the person marked down). `anonymise` replaces the candidate's name, and each
    word of it of three letters or more, with "the candidate" everywhere."""
    contexts: dict[tuple[str, str], str] = {}
    for answer in answers:
        job = job_descriptions.get(answer.session_id)
        if job is None:
            continue
        hide = _name_pattern(answer.candidate_name or job.candidate_name) if anonymise else None

        def clean(text: str, hide: re.Pattern[str] | None = hide) -> str:
            return text if hide is None else hide.sub("the candidate", text)

        strengths, improvements = answer.feedback.strengths, answer.feedback.improvements
        evidence = answer.evidence
        rationale = (answer.provenance.rationale if answer.provenance else "").strip()
        score, human = answer.score, answer.human_score
        if human is not None:
            if abs(human - score) > AGREEING:
                strengths, improvements, evidence = (), (), []
            note = (answer.human_note or "").strip()
            rationale = note or f"A reviewer scored this answer {human}."
            score = human
        reply = {"score": score, "strengths": [clean(s) for s in strengths],
                 "improvements": [clean(s) for s in improvements],
                 "rationale": clean(rationale or f"Scored {score} of 10."),
                 "evidence": [{"quote": clean(answer.answer[e.start : e.end]), "effect": e.effect,
                               "reason": clean(e.reason)} for e in evidence]}  # fmt: skip
        difficulty = answer.difficulty or job.difficulty
        if (answer.session_id, difficulty) not in contexts:  # the job description is checked once per session
            contexts[answer.session_id, difficulty] = job_context(
                job.job_description, difficulty, job.candidate_experience, language=job_language(job.job_description)
            )
        context = contexts[answer.session_id, difficulty]
        user = assessment_request(context, answer.question, answer.answer)
        yield {
            "messages": [
                {"role": "system", "content": SCORING_PROMPT.text},
                {"role": "user", "content": clean(user)},
                {"role": "assistant", "content": json.dumps(reply, ensure_ascii=False)},
            ]
        }


def _name_pattern(name: str) -> re.Pattern[str] | None:
    words = name.split()
    spellings = ([r"\s+".join(map(re.escape, words))] if words else []) + [
        re.escape(word) for word in sorted(words, key=len, reverse=True) if sum(c.isalpha() for c in word) >= 3
    ]
    return re.compile(rf"(?<!\w)(?:{'|'.join(spellings)})(?!\w)", re.IGNORECASE) if spellings else None


def jsonl(rows: Iterable[dict[str, list[dict[str, str]]]]) -> Iterator[str]:
    """One JSON document per line, as fine-tuning uploads expect."""
    for row in rows:
        yield json.dumps(row, ensure_ascii=False) + "\n"

"""Fine-tuning examples from the interviewer's data: one OpenAI chat example per scored answer,
the person's score where someone reviewed it, names optionally replaced.

Pure functions over the read API's documents (plain dicts, as the store exports them)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from services.persistence.improvement import UNKNOWN

SCORING_INSTRUCTION = (
    "You are a fair, strict technical interviewer scoring one answer from a job interview. Score it "
    "from 0 to 10, stricter for the advanced difficulty and more lenient for beginner, and give up to "
    "three strengths and up to three improvements, each a short phrase. Reply only with JSON: "
    '{"score": <0-10>, "feedback": {"strengths": [...], "improvements": [...]}}, adding a "rationale" '
    "string when the score needs explaining."
)


def training_examples(
    answers: Iterable[dict], job_descriptions: Mapping[str, dict], anonymise: bool = False
) -> Iterator[dict[str, list[dict[str, str]]]]:
    """One OpenAI chat fine-tuning example ({"messages": [system, user, assistant]}) per scored
    answer. `job_descriptions` maps session_id to its job-description document; answers of a
    session without one are skipped. The assistant's reply is the person's score when someone
    re-scored the answer (else the AI's), with the AI's feedback, and the reviewer's note as
    "rationale" when there is one. `anonymise` replaces the candidate's name, and each word of it
    of three letters or more, with "the candidate" everywhere."""
    for answer in answers:
        job = job_descriptions.get(answer.get("session_id"))
        score = answer["human_score"] if answer.get("human_score") is not None else answer.get("score")
        if job is None or score is None:
            continue
        hide = _name_pattern(answer.get("candidate_name") or job.get("candidate_name") or "") if anonymise else None

        def clean(text: str, hide: re.Pattern[str] | None = hide) -> str:
            return text if hide is None else hide.sub("the candidate", text)

        feedback = answer.get("feedback") or {}
        reply: dict[str, Any] = {
            "score": score,
            "feedback": {part: [clean(item) for item in feedback.get(part) or []] for part in ("strengths", "improvements")},
        }  # fmt: skip
        if answer.get("human_score") is not None and (answer.get("human_note") or "").strip():
            reply["rationale"] = clean(answer["human_note"].strip())
        user = (
            f"Job description:\n{job.get('job_description') or ''}\n\n"
            f"Difficulty: {answer.get('difficulty') or job.get('difficulty') or UNKNOWN}. "
            f"Candidate experience: {job.get('candidate_experience', UNKNOWN)} years.\n\n"
            f"The question asked:\n{answer.get('question') or ''}\n\n"
            f"The candidate's answer:\n{answer.get('answer') or ''}"
        )
        yield {
            "messages": [
                {"role": "system", "content": SCORING_INSTRUCTION},
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


def jsonl(rows: Iterable[dict]) -> Iterator[str]:
    """One JSON document per line, as fine-tuning uploads expect."""
    for row in rows:
        yield json.dumps(row, ensure_ascii=False) + "\n"

"""Shadow runs (docs/shadow-scoring.md): stored answers scored again by a candidate provider or prompt, kept
apart from the interviews. A run's stream (`shadow-…`) folds into one record of kind "shadow"; its report
holds the old and the new scores side by side against people's scores of the same answers."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from services.persistence.improvement import _round, agreement
from shared.contracts.events import AnswerShadowScored, Event, ShadowRunCompleted

if TYPE_CHECKING:
    from services.persistence.recruiting import Record

PREFIX = "shadow-"
AnswerKey = tuple[str, int]  # (interview session id, question number)


def shadow_record(run_id: str, events: Sequence[Event]) -> Record | None:
    """The run's record: what scored, and each answer's old and new score (the latest of each answer)."""
    from services.persistence.recruiting import Record

    scored = {(e.payload.interview_session_id, e.payload.question_number): e.payload
              for e in events if isinstance(e, AnswerShadowScored)}  # fmt: skip
    completed = next((e.payload for e in reversed(events) if isinstance(e, ShadowRunCompleted)), None)
    if not scored and completed is None:
        return None
    answers = [
        {"session_id": a.interview_session_id, "question_number": a.question_number, "question": a.question,
         "original_score": a.original_score, "original_provenance": _dump(a.original_provenance),
         "shadow_score": a.score, "shadow_feedback": a.feedback.model_dump(mode="json"),
         "shadow_provenance": _dump(a.provenance), "scored_at": a.scored_at.isoformat()}
        for a in sorted(scored.values(), key=lambda a: (a.interview_session_id, a.question_number))
    ]  # fmt: skip
    first = min((a.scored_at for a in scored.values()), default=None)
    started = completed.started_at if completed else first
    document = {
        "run_id": run_id,
        "status": "completed" if completed else "running",
        "provider": completed.provider if completed else None,
        "model": completed.model if completed else None,
        "prompt_version": completed.prompt_version if completed else None,
        "label": completed.label if completed else "",
        "started_at": started.isoformat() if started else None,
        "completed_at": completed.completed_at.isoformat() if completed else None,
        "answers": answers,
    }
    keys = tuple(("session", session_id) for session_id in sorted({a.interview_session_id for a in scored.values()}))
    return Record("shadow", run_id, len(events), document, keys)


def _dump(model: Any) -> dict[str, Any] | None:
    return None if model is None else dict(model.model_dump(mode="json"))


def summary(document: Mapping[str, Any]) -> dict[str, Any]:
    """A run as the list of runs shows it: what scored and how many answers, without the answers."""
    return {key: value for key, value in document.items() if key != "answers"} | {
        "answers": len(document.get("answers", []))
    }


def differences(old: Sequence[int], new: Sequence[int]) -> dict[str, Any]:
    """How far the new scores moved from the old ones (`old[i]` and `new[i]` score one answer)."""
    if len(old) != len(new):
        raise ValueError(f"{len(old)} old scores but {len(new)} new ones")
    moved = [n - o for o, n in zip(old, new, strict=True)]
    if not moved:
        return {"n": 0, "mean_absolute_difference": None, "mean_difference": None, "changed": 0, "max_difference": None}
    return {
        "n": len(moved),
        "mean_absolute_difference": _round(statistics.fmean(abs(d) for d in moved)),
        "mean_difference": _round(statistics.fmean(moved)),  # > 0: the new scores are higher
        "changed": sum(d != 0 for d in moved),
        "max_difference": max(abs(d) for d in moved),
    }


def report(document: Mapping[str, Any], human: Mapping[AnswerKey, int]) -> dict[str, Any]:
    """The run's answers with their old, new and (where a person scored them) human score; how far the new
    scores moved; and the old and the new scores' agreement with people's, side by side, over the same
    reviewed answers."""
    answers = [dict(a) | {"human_score": human.get((a["session_id"], a["question_number"]))}
               for a in document.get("answers", [])]  # fmt: skip
    reviewed = [a for a in answers if a["human_score"] is not None]
    people = [a["human_score"] for a in reviewed]
    return summary(document) | {
        "differences": differences([a["original_score"] for a in answers], [a["shadow_score"] for a in answers]),
        "calibration": {
            "reviewed": len(reviewed),
            "old": agreement([a["original_score"] for a in reviewed], people),
            "new": agreement([a["shadow_score"] for a in reviewed], people),
        },
        "pairs": answers,
    }


def human_scores(answers: Iterable[Any]) -> dict[AnswerKey, int]:
    """People's scores by answer, from the reviewed answers (AnswerRecord)."""
    return {(a.session_id, a.question_number): a.human_score for a in answers if a.human_score is not None}

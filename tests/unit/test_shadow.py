"""A shadow run's record and report (services/persistence/shadow.py): the old and the new scores side by side."""

from datetime import UTC, datetime

import pytest

from services.persistence import shadow
from services.persistence.recruiting import kind_of, project_stream
from shared.contracts.events import (
    AnswerShadowScored,
    AnswerShadowScoredPayload,
    Feedback,
    Provenance,
    ShadowRunCompleted,
    ShadowRunCompletedPayload,
)

RUN = "shadow-k3m9x0p1q7z2"
AT = datetime(2026, 12, 1, 9, tzinfo=UTC)


def scored(session_id: str, number: int, old: int, new: int) -> AnswerShadowScored:
    payload = AnswerShadowScoredPayload(
        run_id=RUN, interview_session_id=session_id, question_number=number, question="q", answer="a",
        original_score=old, score=new, feedback=Feedback(strengths=("s",)),
        provenance=Provenance(provider="offline", model="offline-1", prompt_version="assess_answer.v9"), scored_at=AT,
    )  # fmt: skip
    return AnswerShadowScored.derived(session_id=RUN, producer="scoring", key=(session_id, number), payload=payload)


def completed(answers: int) -> ShadowRunCompleted:
    payload = ShadowRunCompletedPayload(run_id=RUN, provider="offline", model="offline-1", label="try",
                                        answers=answers, started_at=AT, completed_at=AT)  # fmt: skip
    return ShadowRunCompleted.create(session_id=RUN, producer="scoring", payload=payload)


def test_differences_say_how_far_the_new_scores_moved() -> None:
    assert shadow.differences([5, 6, 7, 8], [5, 8, 6, 8]) == {
        "n": 4, "mean_absolute_difference": 0.75, "mean_difference": 0.25, "changed": 2, "max_difference": 2,
    }  # fmt: skip
    assert shadow.differences([], [])["mean_absolute_difference"] is None
    with pytest.raises(ValueError):
        shadow.differences([1], [])


def test_a_run_stream_folds_into_one_shadow_record_keyed_by_its_interviews() -> None:
    assert kind_of(RUN) == "shadow"
    events = [scored("s1", 1, 6, 7), scored("s1", 2, 4, 4), scored("s2", 1, 9, 6), completed(3)]
    record = project_stream(RUN, [*events, events[0]])  # a redelivered event counts once
    assert record is not None
    assert (record.kind, record.id) == ("shadow", RUN)
    assert record.keys == (("session", "s1"), ("session", "s2"))
    assert record.document["status"] == "completed"
    assert [(a["session_id"], a["question_number"], a["original_score"], a["shadow_score"])
            for a in record.document["answers"]] == [("s1", 1, 6, 7), ("s1", 2, 4, 4), ("s2", 1, 9, 6)]  # fmt: skip
    assert project_stream(RUN, events[:1]).document["status"] == "running"  # type: ignore[union-attr]


def test_the_report_puts_old_and_new_agreement_with_people_side_by_side() -> None:
    events = [scored("s1", 1, 6, 7), scored("s1", 2, 4, 4), scored("s2", 1, 9, 6), completed(3)]
    record = project_stream(RUN, events)
    assert record is not None
    report = shadow.report(record.document, {("s1", 1): 7, ("s2", 1): 6})  # s1's second answer: not reviewed
    assert report["answers"] == 3 and report["provider"] == "offline"
    assert report["differences"]["changed"] == 2
    assert report["calibration"]["reviewed"] == 2
    assert report["calibration"]["old"]["mean_absolute_error"] == 2.0  # |6-7| and |9-6|
    assert report["calibration"]["new"]["mean_absolute_error"] == 0.0
    assert report["calibration"]["old"]["mean_bias"] == 1.0
    assert [pair["human_score"] for pair in report["pairs"]] == [7, None, 6]
    assert "answers" not in shadow.summary(record.document) or shadow.summary(record.document)["answers"] == 3

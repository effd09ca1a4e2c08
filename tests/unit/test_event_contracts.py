"""Stored events are forever: every sample must keep parsing into its contract."""

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from shared.contracts.events import (
    EVENT_TYPE_NAMES,
    AnswerScored,
    InvalidEvent,
    QuestionGenerated,
    QuestionGeneratedPayload,
    derived_event_id,
    encode_event,
    parse_event,
)

SAMPLES = Path(__file__).parent.parent / "events" / "samples"


def test_there_is_a_sample_of_every_event_type():
    assert sorted(p.name.split(".")[0] for p in SAMPLES.glob("*.json")) == sorted(EVENT_TYPE_NAMES)


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_sample_parses_and_round_trips(sample: Path):
    raw = json.loads(sample.read_text())
    event = parse_event(sample.read_bytes())
    assert event.type == raw["type"] == sample.name.split(".")[0]
    assert str(event.event_id) == raw["event_id"]
    assert event.session_id == raw["session_id"]
    assert parse_event(encode_event(event)) == event


def test_events_are_immutable():
    event = parse_event((SAMPLES / "AnswerScored.v1.json").read_bytes())
    assert isinstance(event, AnswerScored)
    with pytest.raises(ValidationError):
        event.session_id = "other"


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"{}",
        b'{"type": "SomethingElse"}',
        b"[1, 2]",
        (SAMPLES / "AnswerScored.v1.json").read_bytes().replace(b'"score": 8', b'"score": 11'),
    ],
    ids=["garbage", "empty", "unknown type", "array", "score out of range"],
)
def test_what_is_not_an_event_is_rejected_clearly(body: bytes):
    with pytest.raises(InvalidEvent):
        parse_event(body)


def test_newer_producers_may_add_fields():
    raw = json.loads((SAMPLES / "QuestionGenerated.v1.json").read_text())
    raw["payload"]["difficulty_hint"] = "harder"
    raw["trace"] = "abc"
    event = parse_event(json.dumps(raw))
    assert event.payload.question_number == 1
    stored = json.loads(encode_event(event))  # what the event store keeps and a replay re-publishes
    assert stored["payload"]["difficulty_hint"] == "harder" and stored["trace"] == "abc"


def test_derived_events_get_the_same_id_every_time():
    first = QuestionGenerated.derived(
        session_id="s1",
        producer="interview",
        key=(2,),
        payload=QuestionGeneratedPayload(question_number=2, question="Why?"),
    )
    again = QuestionGenerated.derived(
        session_id="s1",
        producer="interview",
        key=(2,),
        payload=QuestionGeneratedPayload(question_number=2, question="Why?"),
    )
    assert first.event_id == again.event_id == derived_event_id("s1", "QuestionGenerated", 2)
    assert derived_event_id("s1", "QuestionGenerated", 3) != first.event_id
    assert derived_event_id("s2", "QuestionGenerated", 2) != first.event_id

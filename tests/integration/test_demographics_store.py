"""The adverse-impact monitor's rows in both stores, through the persistence handler (as the service runs
it): one row per completed interview, the candidate's latest answers in it whatever the order they arrive
in, erased with the interview, rebuilt by a replay, and in no other data set."""

import json
import random
from datetime import timedelta
from typing import Any

import pytest

from services.persistence.handlers import record_event
from services.persistence.queries import AnswerQuery, InterviewQuery, JobDescriptionQuery, Page
from services.persistence.replay import replay
from shared.contracts.events import (
    DemographicsProvided,
    DemographicsProvidedPayload,
    Event,
    InterviewErased,
    InterviewErasedPayload,
    ReportGenerated,
)
from tests.factories import T0, interview_events

DEMOGRAPHIC_FIELDS = {"sex", "race_ethnicity", "age_band", "demographics", "provided"}
# answers no other data set could hold by chance
GIVEN = {"sex": "another", "race_ethnicity": "native_hawaiian_or_pacific_islander", "age_band": "60_and_over"}


async def record_all(store, events: list[Event]) -> None:
    for event in events:
        await record_event(store, event)


async def rows(store, position_id: str | None = None) -> list[dict[str, Any]]:
    return [row.model_dump(mode="json") for row in await store.demographic_rows(position_id)]


def provided(session_id: str, hours: float, **answers: str) -> DemographicsProvided:
    """The candidate's self-identification, `hours` after T0 (after the interview's report)."""
    at = T0 + timedelta(hours=hours)
    event = DemographicsProvided.create(session_id=session_id, producer="gateway",
                                        payload=DemographicsProvidedPayload(provided_at=at, **answers))  # fmt: skip
    return event.model_copy(update={"occurred_at": at})


def erasure(session_id: str) -> InterviewErased:
    return InterviewErased.derived(session_id=session_id, producer="test",
                                   payload=InterviewErasedPayload(requested_at=T0 + timedelta(days=1)))  # fmt: skip


def at_position(events: list[Event], position_id: str) -> list[Event]:
    """An interview started from a position's invitation: its context (in every event that copies it)
    names the position."""

    def placed(event: Event) -> Event:
        payload = event.payload
        if getattr(payload, "context", None) is not None:
            payload = payload.model_copy(
                update={"context": payload.context.model_copy(update={"position_id": position_id})}
            )
        if hasattr(payload, "candidate_experience"):  # InterviewStarted's payload is the context itself
            payload = payload.model_copy(update={"position_id": position_id})
        return event.model_copy(update={"payload": payload})

    return [placed(event) for event in events]


def report_of(events: list[Event]) -> ReportGenerated:
    return next(e for e in events if isinstance(e, ReportGenerated))


async def test_an_interview_in_progress_has_no_row(store):
    events = interview_events("s01", (8, 7), 3, complete=False)
    await record_all(store, events + [provided("s01", 1, **GIVEN)])
    assert await rows(store) == []
    completed_not_reported = [e for e in interview_events("s02", (6,), 1) if not isinstance(e, ReportGenerated)]
    await record_all(store, completed_not_reported)
    assert await rows(store) == []  # completed once its report exists, as everywhere else


async def test_a_completed_interview_without_answers_is_unknown_throughout(store):
    events = interview_events("s01", (8, 7, 9), 3)
    await record_all(store, events)
    report = report_of(events).payload
    assert await rows(store) == [
        {"session_id": "s01", "position_id": None, "completed_at": report.ended_at.isoformat(),
         "hire_recommendation": report.hire_recommendation, "overall_score": report.overall_score,
         "sex": "prefer_not_to_say", "race_ethnicity": "prefer_not_to_say", "age_band": "prefer_not_to_say",
         "provided": False}
    ]  # fmt: skip


@pytest.mark.parametrize("order", ["after the report", "before the report", "before anything", "shuffled"])
async def test_the_candidates_answers_whatever_the_order_they_arrive_in(store, order):
    events = interview_events("s01", (4, 5), 2)
    given = provided("s01", 1, **GIVEN)
    report = report_of(events)
    arrival = {
        "after the report": events + [given],
        "before the report": [e for e in events if e is not report] + [given, report],
        "before anything": [given] + events,
        "shuffled": random.Random(7).sample(events + [given], k=len(events) + 1),
    }[order]
    await record_all(store, arrival)
    [row] = await rows(store)
    assert {key: row[key] for key in GIVEN} == GIVEN and row["provided"] is True
    assert (row["hire_recommendation"], row["overall_score"]) == ("no", report.payload.overall_score)


@pytest.mark.parametrize("later_first", [False, True], ids=["in-order", "later-first"])
async def test_answers_given_again_later_replace_the_first(store, later_first):
    first = provided("s01", 1, sex="female", race_ethnicity="asian", age_band="30_39")
    second = provided("s01", 2, sex="male", age_band="40_49")  # race/ethnicity left unanswered this time
    await record_all(store, interview_events("s01", (7,), 1) + ([second, first] if later_first else [first, second]))
    [row] = await rows(store)
    assert (row["sex"], row["race_ethnicity"], row["age_band"], row["provided"]) == (
        "male", "prefer_not_to_say", "40_49", True
    )  # fmt: skip


async def test_rows_of_one_position(store):
    await record_all(store, at_position(interview_events("s01", (8,), 1, start=T0), "pos-aaaaaaaaaaaa")
                     + at_position(interview_events("s02", (5,), 1, start=T0 + timedelta(hours=1)), "pos-bbbbbbbbbbbb")
                     + interview_events("s03", (6,), 1, start=T0 + timedelta(hours=2))
                     + at_position(interview_events("s04", (9,), 1, start=T0 + timedelta(hours=3)), "pos-aaaaaaaaaaaa")
                     + [provided("s04", 5, sex="female")])  # fmt: skip
    # every row by completion, and a position's
    assert [(r["session_id"], r["position_id"]) for r in await rows(store)] == [
        ("s01", "pos-aaaaaaaaaaaa"), ("s02", "pos-bbbbbbbbbbbb"), ("s03", None), ("s04", "pos-aaaaaaaaaaaa")
    ]  # fmt: skip
    assert [r["session_id"] for r in await rows(store, "pos-aaaaaaaaaaaa")] == ["s01", "s04"]
    assert [r["session_id"] for r in await rows(store, "pos-bbbbbbbbbbbb")] == ["s02"]
    assert await rows(store, "pos-cccccccccccc") == []


async def test_an_erasure_removes_the_row_and_a_late_answer_brings_nothing_back(store):
    await record_all(store, interview_events("s01", (8,), 1) + interview_events("s02", (6,), 1)
                     + [provided("s01", 1, **GIVEN)])  # fmt: skip
    await record_all(store, [erasure("s01")])
    assert [r["session_id"] for r in await rows(store)] == ["s02"]
    await record_all(store, [provided("s01", 2, sex="female")])  # sent before the erasure, delivered after
    assert [r["session_id"] for r in await rows(store)] == ["s02"]
    assert [e.type for e in await store.session_events("s01")] == ["InterviewErased"]


async def test_a_replay_rebuilds_the_same_rows(store):
    await record_all(store, interview_events("s01", (8, 9), 2, start=T0)
                     + at_position(interview_events("s02", (3,), 2, end_early=True, start=T0 + timedelta(hours=1)),
                                   "pos-aaaaaaaaaaaa")
                     + interview_events("s03", (5,), 2, complete=False, start=T0 + timedelta(hours=2))
                     + interview_events("s04", (6,), 1, start=T0 + timedelta(hours=3))
                     + [provided("s01", 4, **GIVEN), provided("s02", 5, sex="female"), provided("s02", 6, sex="male"),
                        erasure("s04")])  # fmt: skip
    live = await rows(store)
    assert [(r["session_id"], r["sex"]) for r in live] == [("s01", "another"), ("s02", "male")]
    await store.clear_read_models()
    assert await rows(store) == []
    assert await replay(store) == 4
    assert await rows(store) == live


def keys_of(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in keys_of(item)}
    if isinstance(value, list | tuple):
        return {key for item in value for key in keys_of(item)}
    return set()


async def test_no_other_data_set_holds_the_candidates_answers(store):
    await record_all(store, interview_events("s01", (8, 9), 2) + interview_events("s02", (4,), 1, complete=False)
                     + [provided("s01", 1, **GIVEN), provided("s02", 1, **GIVEN)])  # fmt: skip
    assert len(await rows(store)) == 1
    everything = {
        "interview": await store.get_interview("s01"),
        "in progress": await store.get_interview("s02"),
        "interviews": (await store.list_interviews(InterviewQuery(status="all", page=Page(1000, 0))))[1],
        "answers": (await store.list_answers(AnswerQuery(page=Page(1000, 0))))[1],
        "jobs": (await store.list_job_descriptions(JobDescriptionQuery(page=Page(1000, 0))))[1],
        **{name: [row async for row in store.export(name)] for name in ("interviews", "answers", "job_descriptions")},
    }
    for name, data in everything.items():
        plain = json.loads(json.dumps(data, default=lambda model: model.model_dump(mode="json")))
        assert plain, name
        assert keys_of(plain) & DEMOGRAPHIC_FIELDS == set(), name
        text = json.dumps(plain)
        assert not [value for value in GIVEN.values() if value in text], name

"""One suite for both stores, with the persistence handler on top (as the service runs it)."""

import asyncio
import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from services.persistence import improvement
from services.persistence.consistency import reflects
from services.persistence.documents import AnswerRecord, JobDescriptionRecord, ReviewedInterview
from services.persistence.handlers import build_handlers
from services.persistence.projections import SessionRows, project_session
from services.persistence.queries import AnswerQuery, InterviewQuery, JobDescriptionQuery, Page
from services.persistence.replay import replay
from services.persistence.rows import QuestionSums, SkillTotals, Statistics
from services.persistence.store import SessionProgress, Store, mongo, mongo_reads
from services.persistence.store.mongo import MongoStore
from shared.contracts.consistency import ConsistencyToken
from shared.contracts.events import (
    AnswerReviewed,
    AnswerReviewedPayload,
    AnswerScored,
    InterviewErased,
    InterviewErasedPayload,
    InterviewReviewed,
    InterviewReviewedPayload,
    InterviewStarted,
)
from shared.contracts.session_view import fold_session
from tests.factories import T0, interview_events
from tests.integration.stores import MONGODB_KIND, STORE_KINDS, open_store
from tests.seed_contract import assert_interview_shape, assert_statistics_shape


def plain(value: Any) -> Any:
    """Typed rows as JSON data: what the read API sends, and what these cases compare."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list | tuple):
        return type(value)(plain(item) for item in value)
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


class Plain:
    """A store as most of these cases read it: what its reads return (documents and sums, typed) as JSON
    data, so the cases compare values whatever the store. `typed` is the store itself;
    test_reads_return_typed_rows checks the types."""

    READS = {"list_interviews", "get_interview", "list_answers", "list_job_descriptions", "statistics",
             "top_performers", "score_by_experience", "common_weaknesses", "question_effectiveness",
             "score_distribution", "interviews_over_time", "job_descriptions_of", "question_sums", "skill_sums"}  # fmt: skip
    STREAMS = {"export", "reviewed_answers"}

    def __init__(self, store: Store) -> None:
        self.typed = store

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.typed, name)
        if name in self.STREAMS:

            async def rows(*args: Any) -> AsyncIterator[Any]:
                async for row in attribute(*args):
                    yield plain(row)

            return rows
        if name in self.READS:

            async def read(*args: Any) -> Any:
                return plain(await attribute(*args))

            return read
        return attribute


@asynccontextmanager
async def plain_store(kind: str, folder: Path | None = None) -> AsyncIterator[Plain]:
    async with open_store(kind, folder) as store:
        yield Plain(store)


@pytest.fixture(params=STORE_KINDS)
async def store(request):
    async with plain_store(request.param) as store:
        yield store


async def test_reads_return_typed_rows(store):
    await record_all(store, cohort())
    typed = store.typed
    assert isinstance(await typed.get_interview("s01"), ReviewedInterview)
    assert isinstance(await typed.statistics(), Statistics)
    total, answers = await typed.list_answers(AnswerQuery())
    assert total == len(answers) > 0 and all(isinstance(a, AnswerRecord) for a in answers)
    assert all(isinstance(r, JobDescriptionRecord) for r in [row async for row in typed.export("job_descriptions")])
    assert all(isinstance(r, QuestionSums) for r in await typed.question_sums())
    assert isinstance(await typed.skill_sums(), SkillTotals)


async def record_all(store, events):
    record = build_handlers(store)[InterviewStarted]
    for event in events:
        assert await record(event) == []


ALL = InterviewQuery(status="all", page=Page(1000, 0))


async def snapshot(store) -> dict:
    """Everything the read API can show."""
    return {
        "interviews": await store.list_interviews(ALL),
        "answers": await store.list_answers(AnswerQuery(page=Page(1000, 0))),
        "jobs": await store.list_job_descriptions(JobDescriptionQuery(page=Page(1000, 0))),
        "statistics": _rounded(await store.statistics()),
        "top": await store.top_performers(10),
        "experience": [_rounded(r) for r in await store.score_by_experience()],
        "weaknesses": await store.common_weaknesses(10),
        "questions": [_rounded(r) for r in await store.question_effectiveness(100, 1)],
        "distribution": await store.score_distribution(),
        "days": await store.interviews_over_time(),
        "export": {
            name: [row async for row in store.export(name)] for name in ("interviews", "answers", "job_descriptions")
        },
        **await improvement_analyses(store),
    }


async def improvement_analyses(store) -> dict:
    """The improvement analyses as the read API computes them from what the store adds up."""
    typed = getattr(store, "typed", store)
    return {
        "calibration": improvement.calibration([row async for row in typed.reviewed_answers()], minimum=2),
        "quality": improvement.question_quality_from_sums(await typed.question_sums(), min_asked=2),
        "skills": improvement.job_description_skills_from_sums(await typed.skill_sums(), min_interviews=2),
    }


def _rounded(row: dict) -> dict:
    return row | {"average_score": round(row["average_score"], 2)}


def cohort():
    """Five interviews with known figures: three completed, one ended early, one in progress."""
    return (
        interview_events("s01", (9, 8, 10), 3, name="Ada Lovelace", experience=5, difficulty="advanced",
                         weaknesses=("Cloud", "Testing"), start=T0)
        + interview_events("s02", (4, 5, 6), 3, name="Alan Turing", experience=2, difficulty="beginner",
                           weaknesses=("Cloud",), start=T0 + timedelta(hours=1))
        + interview_events("s03", (7, 7, 7), 3, name="Grace Hopper", experience=5, difficulty="intermediate",
                           weaknesses=("Testing", "Cloud", "Security"), start=T0 + timedelta(hours=2))
        + interview_events("s04", (6,), 3, name="Edsger Dijkstra", experience=10, end_early=True,
                           weaknesses=("Communication",), start=T0 + timedelta(hours=3))
        + interview_events("s05", (3, 2), 3, name="Barbara Liskov", experience=1, complete=False,
                           start=T0 + timedelta(hours=4))
    )  # fmt: skip


async def test_an_event_is_stored_once(store):
    event = interview_events(complete=False)[0]
    assert await store.append(event) is True
    assert await store.append(event) is False
    assert await store.session_events(event.session_id) == [event]


async def test_a_whole_interview_in_the_seeds_shapes(store):
    await record_all(store, interview_events("s0000001", scores=(8, 6, 7), total=3))
    interview = await store.get_interview("s0000001")
    assert_interview_shape(interview)
    assert interview["individual_scores"] == [8, 6, 7] and interview["average_score"] == 7.0
    statistics = await store.statistics()
    assert_statistics_shape(statistics)
    assert statistics == {"total_interviews": 1, "average_score": 7.0, "total_questions": 3,
                          "total_answers": 3, "interviews_in_progress": 0}  # fmt: skip


async def test_statistics_and_analyses_of_a_cohort(store):
    await record_all(store, cohort())
    statistics = _rounded(await store.statistics())
    # completed: s01 (9), s02 (5), s03 (7), s04 (6, ended early); in progress: s05
    assert statistics == {"total_interviews": 4, "average_score": 6.75, "total_questions": 12,
                          "total_answers": 3 + 3 + 3 + 1 + 2, "interviews_in_progress": 1}  # fmt: skip
    assert [r["session_id"] for r in await store.top_performers(2)] == ["s01", "s03"]
    reasons = {r["session_id"]: r["completion_reason"] for r in await store.top_performers(10)}
    assert reasons == {"s01": "all_answered", "s02": "all_answered", "s03": "all_answered", "s04": "ended_early"}
    assert [_rounded(r) for r in await store.score_by_experience()] == [
        {"candidate_experience": 2, "average_score": 5.0, "interviews": 1},
        {"candidate_experience": 5, "average_score": 8.0, "interviews": 2},
        {"candidate_experience": 10, "average_score": 6.0, "interviews": 1},
    ]
    assert await store.common_weaknesses(3) == [
        {"weakness": "Cloud", "count": 3},
        {"weakness": "Testing", "count": 2},
        {"weakness": "Communication", "count": 1},
    ]
    distribution = await store.score_distribution()
    assert distribution == [{"bucket": b, "interviews": 1} for b in (5, 6, 7, 9)]  # averages 5, 6, 7 and 9
    assert await store.interviews_over_time() == [{"date": "2026-11-25", "interviews": 5, "completed": 4}]
    questions = {
        r["question"]: (_rounded(r)["average_score"], r["answers"]) for r in await store.question_effectiveness(10, 1)
    }
    assert questions["Question 1 about Django?"] == (round((9 + 4 + 7 + 6 + 3) / 5, 2), 5)
    assert list(questions)[0] == "Question 3 about Django?"  # (10 + 6 + 7) / 3 is the best
    assert [r["question"] for r in await store.question_effectiveness(10, 5)] == ["Question 1 about Django?"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (InterviewQuery(), ["s04", "s03", "s02", "s01"]),
        (InterviewQuery(status="in_progress"), ["s05"]),
        (InterviewQuery(status="all", descending=False), ["s01", "s02", "s03", "s04", "s05"]),
        (InterviewQuery(sort="average_score"), ["s01", "s03", "s04", "s02"]),
        (InterviewQuery(sort="candidate_name", descending=False), ["s01", "s02", "s04", "s03"]),
        (InterviewQuery(hire_recommendation=("no",)), ["s04", "s02"]),
        (InterviewQuery(difficulty=("advanced", "beginner")), ["s02", "s01"]),
        (InterviewQuery(min_score=6, max_score=8), ["s04", "s03"]),
        (InterviewQuery(min_experience=3, max_experience=9), ["s03", "s01"]),
        (InterviewQuery(started_from=T0 + timedelta(minutes=30), started_to=T0 + timedelta(hours=2)), ["s03", "s02"]),
        (InterviewQuery(name_contains="a l"), ["s01"]),
        (InterviewQuery(name_contains="TURING"), ["s02"]),
        (InterviewQuery(name_contains="%"), []),
        (InterviewQuery(page=Page(2, 1)), ["s03", "s02"]),
    ],
    ids=["default", "in-progress", "all-oldest-first", "by-score", "by-name", "verdict", "difficulty", "score-range",
         "experience-range", "date-range", "name", "name-any-case", "name-wildcard-is-literal", "page"],
)  # fmt: skip
async def test_listing_interviews(store, query, expected):
    await record_all(store, cohort())
    total, page = await store.list_interviews(query)
    assert [i["session_id"] for i in page] == expected
    if query.page == Page():
        assert total == len(expected)
    else:
        assert total == 4


async def test_listing_interviews_by_the_teams_verdict(store):
    """Anyone's verdict on the team as a filter (found missing by a recruiter's test: the parameter was ignored),
    "none" for those nobody has decided on yet. A recruiter's "yes" is found though a reviewer said "no" later
    (it matched the latest verdict of anyone's before)."""
    verdicts = {("s01", ""): "yes", ("s02", ""): "no", ("s05", ""): "yes", ("s01", "usr-reva"): "no"}
    await record_all(store, cohort() + [
        InterviewReviewed.create(session_id=session_id, producer="test", payload=InterviewReviewedPayload(
            verdict=verdict, reviewer_id=person, reviewer=person, reviewed_at=T0 + timedelta(days=1, hours=n)))
        for n, ((session_id, person), verdict) in enumerate(verdicts.items())
    ])  # fmt: skip
    assert (await store.get_interview("s01"))["human_verdict"] == "no"  # the latest of anyone's
    for verdicts_asked, expected in [(("yes",), ["s05", "s01"]), (("no",), ["s02", "s01"]), (("none",), ["s04", "s03"]),
                                     (("no", "none"), ["s04", "s03", "s02", "s01"]), (("strong yes",), [])]:  # fmt: skip
        total, page = await store.list_interviews(replace(ALL, human_verdict=verdicts_asked))
        assert [i["session_id"] for i in page] == expected, verdicts_asked
        assert total == len(expected)


async def test_each_person_on_the_team_has_their_own_verdict(store):
    """Found by a recruiter's test: a reviewer's "maybe" silently replaced a recruiter's "strong yes" and an
    admin's "no". Each person's latest verdict is kept; human_verdict is the latest of anyone's."""

    def verdict(person: str, said: str, hours: int) -> InterviewReviewed:
        payload = InterviewReviewedPayload(verdict=said, note=f"{person}'s note", reviewer=person.title(),
                                           reviewer_id=f"usr-{person}", reviewed_at=T0 + timedelta(hours=hours))  # fmt: skip
        return InterviewReviewed.create(session_id="s01", producer="test", payload=payload)

    await record_all(store, cohort() + [verdict("ada", "strong yes", 30), verdict("rob", "no", 31),
                                        verdict("ada", "yes", 32), verdict("reva", "maybe", 33)])  # fmt: skip
    interview = await store.get_interview("s01")
    assert [(v["reviewer_id"], v["verdict"], v["note"]) for v in interview["human_verdicts"]] == [
        ("usr-rob", "no", "rob's note"), ("usr-ada", "yes", "ada's note"), ("usr-reva", "maybe", "reva's note")
    ]  # fmt: skip
    assert (interview["human_verdict"], interview["human_verdict_by"]) == ("maybe", "Reva")
    assert (await store.get_interview("s02"))["human_verdicts"] == []


async def test_answers_and_job_descriptions(store):
    await record_all(store, cohort())
    total, answers = await store.list_answers(AnswerQuery(session_id="s02"))
    assert total == 3 and sorted(a["score"] for a in answers) == [4, 5, 6]
    assert {"session_id", "question_number", "question", "answer", "score", "feedback", "timestamp"} <= set(answers[0])
    total, _ = await store.list_answers(AnswerQuery(min_score=7, max_score=8))
    assert total == 4  # 8 (s01) and 7, 7, 7 (s03)
    total, _ = await store.list_answers(AnswerQuery(question_contains="question 2"))
    assert total == 4
    total, jobs = await store.list_job_descriptions(JobDescriptionQuery(contains="DJANGO", page=Page(2, 0)))
    assert total == 5 and len(jobs) == 2 and jobs[0]["session_id"] == "s05"


async def test_exports_in_the_seeds_layout(store):
    await record_all(store, cohort())
    interviews = [row async for row in store.export("interviews")]
    assert [i["session_id"] for i in interviews] == ["s01", "s02", "s03", "s04"]  # completed, oldest first
    for interview in interviews:
        assert_interview_shape(interview)
    answers = [row async for row in store.export("answers")]
    assert len(answers) == 12 and answers[0]["session_id"] == "s01"
    jobs = [row async for row in store.export("job_descriptions")]
    assert [j["session_id"] for j in jobs] == ["s01", "s02", "s03", "s04", "s05"]


async def test_an_interview_in_progress_is_readable(store):
    await record_all(store, interview_events("s0000002", scores=(3,), total=4, complete=False))
    interview = await store.get_interview("s0000002")
    assert_interview_shape(interview, completed=False)
    assert interview["status"] == "in_progress" and interview["individual_scores"] == [3]


async def test_a_token_is_reflected_once_its_events_are_stored_and_projected(store):
    """What a consistency token is checked against (services/persistence/consistency.py), in each store:
    an event appended but not yet projected (a crash between the two) is not reflected."""
    events = interview_events("s0000003", scores=(6, 7), total=2)
    token = ConsistencyToken.of("s0000003", [e.event_id for e in events[:4]])

    async def progress(session_id: str = "s0000003") -> SessionProgress:
        return (await store.sessions_progress([session_id]))[session_id]

    assert not reflects(await progress(), token)
    await record_all(store, events[:3])
    await store.append(events[3])
    assert not reflects(await progress(), token)
    await record_all(store, events[3:4])
    assert reflects(await progress(), token)
    await record_all(store, [InterviewErased.derived(session_id="s0000003", producer="test",
                                                     payload=InterviewErasedPayload(requested_at=T0))])  # fmt: skip
    erased = await progress()
    assert erased.erased and reflects(erased, ConsistencyToken.of("s0000003", [e.event_id for e in events]))


async def test_the_progress_of_several_sessions_is_read_together(store):
    """One read for every token a gateway holds: each session's own events and version, none mixed up,
    an unknown session nothing (and a session named twice answered once)."""
    first, second = interview_events("s0000004", scores=(5,), total=2), interview_events("s0000005", scores=(9, 8))
    await record_all(store, first[:3])
    await record_all(store, second)
    await store.append(first[3])  # stored, not yet projected
    progress = await store.sessions_progress(["s0000004", "s0000005", "s0000404", "s0000005"])
    assert progress.keys() == {"s0000004", "s0000005", "s0000404"}
    assert sorted(progress["s0000004"].event_ids) == sorted(str(e.event_id) for e in first[:4])
    assert progress["s0000004"].projected_version == 3
    assert sorted(progress["s0000005"].event_ids) == sorted(str(e.event_id) for e in second)
    assert progress["s0000005"].projected_version == len(second)
    assert progress["s0000404"] == SessionProgress(False, [], 0)
    assert not any(p.erased for p in progress.values())


async def test_older_rows_never_overwrite_newer_ones(store):
    await record_all(store, interview_events("s0000001", scores=(8,), total=1))
    assert await store.save_projection(SessionRows(session_id="s0000001", version=1)) is False
    assert (await store.get_interview("s0000001"))["status"] == "completed"


async def test_replay_rebuilds_what_was_live(store):
    await record_all(store, cohort())
    live = await snapshot(store)
    await store.clear_read_models()
    assert (await store.statistics())["total_answers"] == 0
    assert await replay(store) == 5
    assert await snapshot(store) == live


def reviews():
    """People's reviews of s01 and s02: the later review of s01's second answer replaces the first."""

    def answer(session_id, number, score, minutes, note=""):
        payload = AnswerReviewedPayload(question_number=number, human_score=score, note=note, reviewer="maria",
                                        reviewed_at=T0 + timedelta(days=1, minutes=minutes))  # fmt: skip
        return AnswerReviewed.create(session_id=session_id, producer="test", payload=payload).model_copy(
            update={"occurred_at": payload.reviewed_at}
        )

    verdict = InterviewReviewedPayload(verdict="maybe", note="one more round", reviewed_at=T0 + timedelta(days=2))
    return [answer("s01", 2, 5, 1, "too short"), answer("s01", 2, 6, 2, "fair"), answer("s02", 1, 4, 3),
            InterviewReviewed.create(session_id="s01", producer="test", payload=verdict)]  # fmt: skip


async def test_reviews_are_read_models_like_the_rest_replayed_and_erased(store):
    events = cohort() + reviews()
    random.Random(5).shuffle(events)
    await record_all(store, events)
    s01 = await store.get_interview("s01")
    assert [a["human_score"] for a in s01["questions_and_answers"]] == [None, 6, None]
    assert s01["questions_and_answers"][1]["human_note"] == "fair"
    assert (s01["human_verdict"], s01["human_verdict_note"]) == ("maybe", "one more round")
    assert s01["timestamp"] == (await snapshot_of(cohort(), "s01"))["timestamp"]  # a review does not date it
    answers = [row async for row in store.export("answers")]
    assert sorted((a["session_id"], a["question_number"], a["human_score"]) for a in answers if a["human_score"]) == [
        ("s01", 2, 6), ("s02", 1, 4)
    ]  # fmt: skip
    live = await snapshot(store)
    await store.clear_read_models()
    await replay(store)
    assert await snapshot(store) == live
    await record_all(store, [ERASE_S01])
    assert [a for a in [row async for row in store.export("answers")] if a["session_id"] == "s01"] == []
    assert not [e for e in await store.session_events("s01") if e.type in ("AnswerReviewed", "InterviewReviewed")]


GO = "Go developer: Kubernetes and Kafka."


def improvement_cohort():
    """The cohort and its reviews, and two Go interviews: s06 asks question 1 in another spelling and
    gets an "I don't know", a strong answer and an empty one."""
    strong = "At a bank I moved 40 services to Kubernetes; deploys went from 2 hours to 10 minutes."
    return (
        cohort() + reviews()
        + interview_events("s06", (2, 9, 1), 3, job_description=GO, start=T0 + timedelta(hours=5),
                           questions=("question 1 about  DJANGO", "Question 2 about Django?", "Question 3 about Django?"),
                           answers=("Um, I don't know.", strong, ""))
        + interview_events("s07", (5, 6), 2, job_description=GO, start=T0 + timedelta(hours=6))
    )  # fmt: skip


async def test_the_improvement_analyses_add_up_in_the_database_as_over_the_documents(store):
    await record_all(store, improvement_cohort())
    exported = {
        name: [row async for row in store.typed.export(name)] for name in ("interviews", "answers", "job_descriptions")
    }
    answers = exported["answers"]
    analyses = await improvement_analyses(store)
    assert analyses["calibration"] == improvement.calibration(answers, minimum=2)
    assert analyses["quality"] == improvement.question_quality(answers, min_asked=2)
    assert analyses["skills"] == improvement.job_description_skills(
        exported["interviews"], exported["job_descriptions"], min_interviews=2
    )
    # and by hand: question 1 was asked in all seven interviews (s06 spelt it differently), scored
    # 9, 4, 7, 6, 3, 2, 5; s06's "I don't know" is one of seven
    first = next(row for row in analyses["quality"] if row["question"] == "question 1 about django")
    assert (first["times_asked"], first["average_score"], first["example"]) == (7, 5.14, "Question 1 about Django?")
    assert first["empty_or_unknown_share"] == round(1 / 7, 4)
    third = next(row for row in analyses["quality"] if row["question"] == "question 3 about django")
    assert (third["times_asked"], third["empty_or_unknown_share"], third["average_answer_words"]) == (4, 0.25, 3.75)
    # completed: s01 9, s02 5, s03 7, s04 6 (Python, Django, PostgreSQL), s06 4, s07 5.5 (Go, Kubernetes, Kafka)
    skills = {row["skill"]: row for row in analyses["skills"]["skills"]}
    assert analyses["skills"]["interviews"] == 6 and analyses["skills"]["overall_average"] == round(36.5 / 6, 2)
    assert (skills["Django"]["interviews"], skills["Django"]["average_score"]) == (4, 6.75)
    assert (skills["Kafka"]["interviews"], skills["Kafka"]["difference"]) == (2, round(4.75 - 36.5 / 6, 2))
    assert analyses["calibration"]["reviewed_answers"] == 2

    await record_all(store, [InterviewErased.derived(session_id="s06", producer="test",
                                                     payload=InterviewErasedPayload(requested_at=T0))])  # fmt: skip
    after = await improvement_analyses(store)
    assert next(r for r in after["quality"] if r["question"] == "question 1 about django")["times_asked"] == 6
    assert {row["skill"]: row["interviews"] for row in after["skills"]["skills"]}.get("Kafka") is None  # 1 < 2


async def snapshot_of(events, session_id):
    async with plain_store("sqlite") as other:
        await record_all(other, events)
        return await other.get_interview(session_id)


ERASE_S01 = InterviewErased.derived(session_id="s01", producer="test", payload=InterviewErasedPayload(requested_at=T0))


async def test_an_interrupted_erasure_is_finished_by_repeating_it_or_by_replay(store):
    await record_all(store, cohort())
    await store.append(ERASE_S01)  # stored, but the process stopped before deleting
    assert await store.get_interview("s01") is not None
    await replay(store)
    assert await store.get_interview("s01") is None
    await record_all(store, [ERASE_S01])
    assert [e.type for e in await store.session_events("s01")] == ["InterviewErased"]


async def test_names_are_found_in_any_case_beyond_ascii(store):
    await record_all(store, interview_events("s09", (6,), 1, name="Émile Zola"))
    for text in ("émile", "ÉMILE", "Zola", "mile z"):
        assert (await store.list_interviews(InterviewQuery(name_contains=text)))[0] == 1, text
    assert (await store.list_interviews(InterviewQuery(name_contains="emile")))[0] == 0


async def test_of_two_bodies_with_one_id_the_earlier_is_kept_whatever_arrives_first(store):
    report = next(e for e in interview_events("s07", (6,), 1) if e.type == "ReportGenerated")
    later = report.model_copy(
        update={"occurred_at": report.occurred_at + timedelta(seconds=5),
                "payload": report.payload.model_copy(update={"summary": "a regenerated report"})}
    )  # fmt: skip
    for first, second in ((later, report), (report, later)):
        await store.erase_session("s07")
        await store.append(first)
        await store.append(second)
        assert [e.payload.summary for e in await store.session_events("s07")] == [report.payload.summary]


async def test_erasure_leaves_nothing_of_the_candidate(store):
    await record_all(store, cohort())
    before = await store.statistics()
    events = [e for e in cohort() if e.session_id == "s01"]
    await record_all(store, [ERASE_S01])

    assert await store.get_interview("s01") is None
    assert [e.type for e in await store.session_events("s01")] == ["InterviewErased"]
    dump = repr(await snapshot(store))
    assert "s01" not in dump and "Ada Lovelace" not in dump
    after = _rounded(await store.statistics())
    assert after["total_interviews"] == before["total_interviews"] - 1
    assert after["total_answers"] == before["total_answers"] - 3
    assert after["average_score"] == round((5 + 7 + 6) / 3, 2)

    # a late or redelivered event of the erased candidate does not bring anything back
    await record_all(store, events)
    assert await store.get_interview("s01") is None
    assert "Ada Lovelace" not in repr(await snapshot(store))
    assert await store.erase_session("s01") is False  # nothing left to erase


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rng=st.randoms(use_true_random=False),
    shapes=st.lists(
        st.tuples(st.lists(st.integers(0, 10), max_size=3), st.booleans(), st.booleans()), min_size=1, max_size=3
    ),
)
@pytest.mark.parametrize("kind", STORE_KINDS)
def test_duplicated_and_permuted_streams_give_the_same_read_models(kind, rng, shapes):
    events = []
    for index, (scores, end_early, complete) in enumerate(shapes):
        events += interview_events(f"p{index}", tuple(scores), 3, end_early=end_early, complete=complete,
                                   start=T0 + timedelta(hours=index))  # fmt: skip
    disordered = events + rng.sample(events, k=rng.randint(0, len(events)))
    rng.shuffle(disordered)

    async def read_models(stream):
        async with plain_store(kind) as store:
            await record_all(store, stream)
            return await snapshot(store)

    assert asyncio.run(read_models(disordered)) == asyncio.run(read_models(events))


async def test_sqlite_rebuilds_read_models_of_an_older_version_even_after_an_interrupted_rebuild(tmp_path):
    async with plain_store("sqlite", tmp_path) as store:
        await record_all(store, cohort())
        await store.mark_rebuilt()
        live = await snapshot(store)
        await store._run(lambda db: db.execute("PRAGMA user_version = 1"))
    async with plain_store("sqlite", tmp_path) as upgraded:
        assert upgraded.needs_rebuild  # ... and the process stops before replaying
    async with plain_store("sqlite", tmp_path) as reopened:
        assert reopened.needs_rebuild
        await replay(reopened)
        assert await snapshot(reopened) == live
    async with plain_store("sqlite", tmp_path) as again:
        assert not again.needs_rebuild
        assert await snapshot(again) == live


async def test_mongodb_rebuilds_read_models_of_an_older_version():
    async with plain_store(MONGODB_KIND) as store:
        assert not store.needs_rebuild  # a new database
        await record_all(store, improvement_cohort())
        live = await snapshot(store)
        await store._c["meta"].delete_one({"_id": "read_models"})  # as a database from before versions
        await store._c["job_description_skills"].delete_many({})  # ... which had no skill rows
        upgraded = MongoStore(store.client, store.database)
        await upgraded.open()
        assert upgraded.needs_rebuild
        assert (await improvement_analyses(upgraded))["skills"]["skills"] == []  # wrong until rebuilt
        await replay(upgraded)
        assert await snapshot(Plain(upgraded)) == live
        reopened = MongoStore(store.client, store.database)
        await reopened.open()
        assert not reopened.needs_rebuild


async def test_sqlite_files_keep_nothing_of_an_erased_candidate(tmp_path):
    async with plain_store("sqlite", tmp_path) as store:
        await record_all(store, cohort())
        await record_all(store, [ERASE_S01])
    for file in tmp_path.iterdir():
        assert b"Ada Lovelace" not in file.read_bytes(), file.name
    assert any(b"Grace Hopper" in file.read_bytes() for file in tmp_path.iterdir())


@pytest.mark.parametrize("kind", STORE_KINDS)
async def test_each_stored_event_is_parsed_once_and_erased_ones_forgotten(kind, tmp_path):
    """The same body comes back as the same event object, which is how persistence's fold cache knows
    what it folded already (with MongoDB, each event was parsed again and compared for each new one)."""
    events = interview_events("s07", (6,), 1)
    report = next(e for e in events if e.type == "ReportGenerated")
    later = report.model_copy(update={"occurred_at": report.occurred_at + timedelta(seconds=5),
                                      "payload": report.payload.model_copy(update={"summary": "regenerated"})})  # fmt: skip
    async with plain_store(kind, tmp_path) as store:
        for event in [e for e in events if e is not report] + [later]:
            await store.append(event)
        first = await store.session_events("s07")
        assert all(a is b for a, b in zip(first, await store.session_events("s07"), strict=True))  # cached
        await store.append(report)  # the earlier body replaces the stored one: the cache must not hide it
        assert [e.payload.summary for e in await store.session_events("s07") if e.type == "ReportGenerated"] == [
            report.payload.summary
        ]
        await store.erase_session("s07")
        assert store._parsed.ids_of("s07") == []


async def test_sqlite_exports_neither_skip_nor_repeat_rows_written_meanwhile(tmp_path, monkeypatch):
    monkeypatch.setattr("services.persistence.store.sqlite_reads.EXPORT_BATCH", 2)
    async with plain_store("sqlite", tmp_path) as store:
        await record_all(store, cohort())
        exported = []
        async for row in store.export("interviews"):
            exported.append(row["session_id"])
            if len(exported) == 1:  # an earlier interview completes while the export runs
                await record_all(store, interview_events("s00", (5,), 1, start=T0 - timedelta(hours=1)))
        assert exported == ["s01", "s02", "s03", "s04"]


async def test_random_orders_of_one_cohort_agree_in_both_stores():
    events = cohort()
    random.Random(3).shuffle(events)
    results = []
    for kind in ("sqlite", STORE_KINDS[1].values[0]):
        async with plain_store(kind) as store:
            await record_all(store, events)
            results.append(await snapshot(store))
    assert results[0] == results[1]


def test_every_sort_of_the_mongodb_store_has_an_index_in_its_directions():
    """MongoDB sorts with an index only when the index has the sort's fields in its directions (or all of
    them reversed), after the fields the query matches on; otherwise it reads and sorts the collection."""

    def served(collection: str, matched: list[str], sort: list[tuple[str, int]]) -> bool:
        reverse = [(field, -direction) for field, direction in sort]
        for index in mongo.INDEXES[collection]:
            keys = list(index.document["key"].items())
            if [f for f, _ in keys[: len(matched)]] == matched and keys[len(matched) :][: len(sort)] in (sort, reverse):
                return True
        return False

    interview_sorts = [
        [(field, direction), ("session_id", direction)] for field in mongo.SORTABLE for direction in (1, -1)
    ]
    needs = [("answers", [], mongo_reads.ANSWERS_NEWEST_FIRST), ("job_descriptions", [], mongo_reads.JOB_DESCRIPTIONS_NEWEST_FIRST),
             ("interviews", ["status"], mongo_reads.BEST_FIRST),
             *[("interviews", ["status"], sort) for sort in interview_sorts],
             *[(name, [], sort) for name, (_, match, sort) in mongo_reads.EXPORTS.items() if not match],
             ("interviews", ["status"], mongo_reads.EXPORTS["interviews"][2])]  # fmt: skip
    missing = [(collection, sort) for collection, matched, sort in needs if not served(collection, matched, sort)]
    assert missing == []


async def record_together(store, events) -> list:
    """As the service gets them under load: every delivery's handler at once (recorded in batches)."""
    record = build_handlers(store)[InterviewStarted]
    return await asyncio.gather(*(record(event) for event in events), return_exceptions=True)


@pytest.mark.parametrize("kind", STORE_KINDS)
async def test_events_recorded_in_batches_give_the_read_models_of_one_at_a_time(kind):
    events = cohort()
    async with plain_store(kind) as together, plain_store(kind) as alone:
        batches = []
        append_all = together.typed.append_all

        async def counted(batch):
            batches.append(len(batch))
            return await append_all(batch)

        together.typed.append_all = counted
        assert await record_together(together, events) == [[]] * len(events)
        await record_all(alone, events)
        assert await snapshot(together) == await snapshot(alone)
    assert sum(batches) == len(events) and max(batches) > 1, batches  # recorded together


@pytest.mark.parametrize("kind", STORE_KINDS)
async def test_appending_a_batch_is_appending_each_in_turn(kind):
    """What `append_all` answers and keeps, event for event as `append` one by one: an id stored already
    (the same body, or a later or an earlier one, which replaces it), the same id twice in the batch, an
    erased session's event, and what comes after an erasure in the same batch."""
    events = interview_events("s0000021", scores=(6, 7), total=2)
    report = next(e for e in events if e.type == "ReportGenerated")
    earlier_report = report.model_copy(update={"occurred_at": report.occurred_at - timedelta(seconds=1),
                                               "payload": report.payload.model_copy(update={"summary": "first"})})  # fmt: skip
    later_report = report.model_copy(update={"occurred_at": report.occurred_at + timedelta(seconds=1),
                                             "payload": report.payload.model_copy(update={"summary": "second"})})  # fmt: skip
    gone = interview_events("s0000022", scores=(5,), total=1)
    erasure = InterviewErased.derived(
        session_id="s0000022", producer="test", payload=InterviewErasedPayload(requested_at=T0)
    )
    late = interview_events("s0000023", scores=(4,), total=1)
    erasure_of_late = InterviewErased.derived(session_id="s0000023", producer="test",
                                              payload=InterviewErasedPayload(requested_at=T0))  # fmt: skip
    before = [*events[:3], report, gone[0], erasure]
    batch = [
        events[2],
        *events[3:],
        later_report,
        earlier_report,
        events[4],
        gone[1],
        late[0],
        erasure_of_late,
        late[1],
    ]
    sessions = ("s0000021", "s0000022", "s0000023")
    async with plain_store(kind) as together, plain_store(kind) as alone:
        for store in (together, alone):
            for event in before:
                await store.append(event)
        answered = [await alone.append(event) for event in batch]
        assert await together.append_all(batch) == answered
        assert answered[: len(events) - 2] == [False, True, True, True, True, True, False]  # stored before: not new
        assert answered[-5:] == [False, False, True, True, False]  # events[4] again; erased; before its erasure; after
        for session_id in sessions:
            kept = [e.model_dump(mode="json") for e in await together.session_events(session_id)]
            assert kept == [e.model_dump(mode="json") for e in await alone.session_events(session_id)], session_id
        assert [
            e.payload.summary for e in await together.session_events("s0000021") if e.type == "ReportGenerated"
        ] == ["first"]
        chains = [await store.verify_chain() for store in (together, alone)]
        assert all(chain.ok for chain in chains)
        assert chains[0].entries == chains[1].entries  # an id twice in a batch is chained once, as one by one


async def test_an_event_that_fails_fails_alone_and_its_batch_is_recorded(tmp_path):
    events = cohort()
    poison = events[7]
    async with plain_store("sqlite", tmp_path) as plain:
        store = plain.typed
        append, append_all = store.append, store.append_all

        async def failing_append(event):
            if event.event_id == poison.event_id:
                raise RuntimeError("the disk refused this one")
            return await append(event)

        async def failing_append_all(batch):
            for event in batch:
                if event.event_id == poison.event_id:
                    raise RuntimeError("the disk refused this one")
            return await append_all(batch)

        store.append, store.append_all = failing_append, failing_append_all
        outcomes = await record_together(store, events)
        assert [n for n, outcome in enumerate(outcomes) if outcome != []] == [7]
        assert isinstance(outcomes[7], RuntimeError)  # the broker retries this one message
        stored = {e.event_id for s in {e.session_id for e in events} for e in await store.session_events(s)}
        assert stored == {e.event_id for e in events} - {poison.event_id}
        store.append, store.append_all = append, append_all
        await record_all(plain, [poison])  # its retry
        alone = tmp_path / "alone"
        async with plain_store("sqlite", alone) as reference:
            await record_all(reference, events)
            assert await snapshot(plain) == await snapshot(reference)


SESSION_READ_MODELS = ("interviews", "answers", "job_descriptions", "job_description_skills", "demographics")


async def session_documents(store, session_id: str) -> dict:
    return {
        (name, d["_id"]): d
        for name in SESSION_READ_MODELS
        async for d in store._c[name].find({"session_id": session_id})
    }


class Replacements:
    """A collection, counting the documents replaced whole."""

    def __init__(self, collection) -> None:
        self.collection, self.count = collection, 0

    def __getattr__(self, name):
        return getattr(self.collection, name)

    async def replace_one(self, *args, **kwargs):
        self.count += 1
        return await self.collection.replace_one(*args, **kwargs)


async def test_mongodb_replaces_only_the_documents_an_event_changed_and_stamps_the_rest():
    async with plain_store(MONGODB_KIND) as store:
        counted = {name: Replacements(store._c[name]) for name in SESSION_READ_MODELS}
        store._c.update(counted)
        before: dict = {}
        replaced = kept = 0
        for event in interview_events("s0000001", scores=(8, 6, 10), total=3):  # the average goes 8, 7, 8
            replaced_before = sum(c.count for c in counted.values())
            await record_all(store, [event])
            version = (await store._c["projection_versions"].find_one({"_id": "s0000001"}))["version"]
            now = await session_documents(store, "s0000001")
            assert {d["_version"] for d in now.values()} == {version}  # every document at the version promised
            changed = [
                key for key, d in now.items() if key not in before or mongo._content(d) != mongo._content(before[key])
            ]
            assert sum(c.count for c in counted.values()) - replaced_before == len(changed)
            replaced, kept = replaced + len(changed), kept + len(now) - len(changed)
            before = now
        assert kept > replaced  # most documents of most events were not written again whole
        # an older projection writes nothing; one that no longer has a document deletes it
        assert await store.save_projection(SessionRows(session_id="s0000001", version=1)) is False
        assert await session_documents(store, "s0000001") == before
        assert await store.save_projection(SessionRows(session_id="s0000001", version=10_000)) is True
        assert await session_documents(store, "s0000001") == {}


async def test_mongodb_an_older_projection_never_replaces_a_document_that_came_back_to_its_content():
    """Scores 8, 6, 10: the average, which every skill row copies, goes 8, 7, 8. The skill rows written at
    the first score hold the final content again at the last: they take the last version all the same, so
    a writer of the middle version (another replica, late, past the version check) cannot put 7 back."""
    async with plain_store(MONGODB_KIND) as store:
        events = interview_events("s0000001", scores=(8, 6, 10), total=3, complete=False)
        first_score = next(k for k, e in enumerate(events) if isinstance(e, AnswerScored)) + 1
        await record_all(store, events[:first_score])
        await record_together(store, events[first_score:])  # one projection for the rest: 7 is never written
        skills = [d async for d in store._c["job_description_skills"].find({"session_id": "s0000001"})]
        assert skills and {d["average_score"] for d in skills} == {8.0}
        middle = next(
            rows
            for k in range(len(events))
            if (rows := project_session(fold_session("s0000001", events[:k]))).job_skills
            and rows.job_skills[0].average_score == 7.0
        )
        await store._c["projection_versions"].delete_one({"_id": "s0000001"})  # as if it checked before the last
        late = SessionRows(session_id="s0000001", version=middle.version, job_skills=middle.job_skills)
        assert await store.save_projection(late) is False
        after = [d async for d in store._c["job_description_skills"].find({"session_id": "s0000001"})]
        assert {d["average_score"] for d in after} == {8.0}


async def test_a_sqlite_store_on_a_full_disk_is_not_ready(tmp_path, monkeypatch, caplog):
    """Found by an operator's test: on a full disk every write failed ("database or disk is full") while /readyz
    said the store was fine, and the read API blamed the answers not being applied yet."""
    from services.persistence.store import sqlite

    disk_usage = sqlite.shutil.disk_usage

    store = sqlite.SQLiteStore(tmp_path / "interviewer.sqlite3")
    await store.open()
    try:
        assert await store.ping()
        usage = disk_usage(tmp_path)
        monkeypatch.setattr(sqlite.shutil, "disk_usage", lambda _: usage._replace(free=5_000_000))
        assert not await store.ping()
        assert "5 MB free: writes fail from here" in caplog.text
        monkeypatch.setattr(sqlite.shutil, "disk_usage", disk_usage)
        assert await store.ping()  # room again: ready again
    finally:
        await store.close()

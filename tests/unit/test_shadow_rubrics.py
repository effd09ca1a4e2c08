"""Which rubric a shadow run gives the scorer (services/scoring/shadow.py): the one each interview's answers
were scored with, as its start recorded it from its position."""

from datetime import UTC, datetime
from typing import Any

from services.scoring.shadow import answers_of
from services.scoring.shadow_rubrics import Rubrics
from shared.contracts.events import InterviewStarted, InterviewStartedPayload, encode_event

STARTED = "2026-03-02T10:00:00+00:00"
POSITION = {"position_id": "pos-1", "rubric": "PostgreSQL depth matters most.", "updated_at": "2026-03-01T09:00:00Z"}


class FakeApi:
    def __init__(self, responses: dict[str, Any]) -> None:
        self.responses = responses
        self.asked: list[str] = []

    def get(self, path: str, params: Any = None, missing_ok: bool = False, refused_ok: bool = False) -> Any:
        self.asked.append(path)
        return self.responses.get(path)


def interview(
    session_id: str = "s-1", position_id: str | None = "pos-1", human_score: int | None = 6
) -> dict[str, Any]:
    return {
        "session_id": session_id, "candidate_name": "Ada", "candidate_experience": 3,
        "job_description": "Python developer", "difficulty": "intermediate", "total_questions": 1,
        "started_at": STARTED, "position_id": position_id, "language": "en",
        "questions_and_answers": [{"question_number": 1, "question": "Q?", "answer": "A.", "score": 5,
                                   "human_score": human_score}],
    }  # fmt: skip


def recorded(session_id: str, rubric: str) -> dict[str, Any]:
    payload = InterviewStartedPayload(
        candidate_name="Ada", candidate_experience=3, job_description="Python developer", difficulty="intermediate",
        total_questions=1, started_at=datetime(2026, 3, 2, 10, tzinfo=UTC), position_id="pos-1", rubric=rubric,
    )  # fmt: skip
    started = InterviewStarted.create(session_id=session_id, producer="gateway", payload=payload)
    return {"session_id": session_id, "events": [encode_event(started).decode()]}


def test_an_interview_without_a_position_has_no_rubric_and_asks_nothing() -> None:
    api = FakeApi({})
    assert Rubrics(api).of(interview(position_id=None)) == "" and api.asked == []  # type: ignore[arg-type]


def test_a_position_unchanged_since_the_start_gives_its_rubric_read_once() -> None:
    api = FakeApi({"/api/positions/pos-1": POSITION})
    rubrics = Rubrics(api)  # type: ignore[arg-type]
    assert [rubrics.of(interview(f"s-{n}")) for n in range(3)] == [POSITION["rubric"]] * 3
    assert api.asked == ["/api/positions/pos-1"] and rubrics.unsure == 0


def test_a_position_changed_since_the_start_gives_the_rubric_the_start_recorded() -> None:
    changed = POSITION | {"rubric": "Now: Kubernetes matters most.", "updated_at": "2026-03-05T09:00:00Z"}
    api = FakeApi({"/api/positions/pos-1": changed, "/internal/sessions/s-1/events": recorded("s-1", "Then.")})
    rubrics = Rubrics(api)  # type: ignore[arg-type]
    [answer] = answers_of(interview(), rubrics.of(interview()))
    assert answer.context.rubric == "Then." and rubrics.unsure == 0


def test_without_the_recorded_one_it_is_the_positions_now_and_counted_unsure() -> None:
    changed = POSITION | {"rubric": "Now.", "updated_at": "2026-03-05T09:00:00Z"}
    api = FakeApi({"/api/positions/pos-1": changed})  # the gateway: no /internal
    rubrics = Rubrics(api)  # type: ignore[arg-type]
    assert [rubrics.of(interview(f"s-{n}")) for n in range(2)] == ["Now.", "Now."]
    assert rubrics.unsure == 2
    assert api.asked == ["/api/positions/pos-1", "/internal/sessions/s-0/events"]  # asked once, then not again

"""The seed's data shapes (data-persistence-usage.md, "Data Structure Reference"), checked
field by field: names, types and nesting. Extra fields are allowed, missing ones are not."""

from datetime import datetime

NUMBER = (int, float)


def is_iso_datetime(value: object) -> bool:
    try:
        datetime.fromisoformat(str(value))
        return True
    except ValueError:
        return False


def assert_feedback(feedback: dict) -> None:
    assert set(feedback) >= {"strengths", "improvements"}, feedback
    assert all(isinstance(s, str) for s in feedback["strengths"])
    assert all(isinstance(s, str) for s in feedback["improvements"])


def assert_interview_shape(interview: dict, *, completed: bool = True) -> None:
    expected = {
        "session_id": str,
        "timestamp": str,
        "candidate_name": str,
        "candidate_experience": NUMBER,
        "job_description": str,
        "difficulty": str,
        "started_at": str,
        "total_questions": int,
        "average_score": NUMBER,
        "individual_scores": list,
        "questions_and_answers": list,
        "summary": str,
        "strengths": list,
        "weaknesses": list,
        "recommendations": list,
    }
    missing = set(expected) | {"ended_at", "overall_score", "hire_recommendation"}
    assert missing <= set(interview), f"missing fields: {sorted(missing - set(interview))}"
    for name, kind in expected.items():
        assert isinstance(interview[name], kind), f"{name}={interview[name]!r} is not {kind}"
    assert interview["difficulty"] in ("beginner", "intermediate", "advanced")
    assert is_iso_datetime(interview["timestamp"]) and is_iso_datetime(interview["started_at"])
    assert 0 <= interview["average_score"] <= 10
    for name in ("strengths", "weaknesses", "recommendations"):
        assert all(isinstance(item, str) for item in interview[name]), name
    for number, entry in enumerate(interview["questions_and_answers"], start=1):
        assert entry["question_number"] == number
        assert isinstance(entry["question"], str) and isinstance(entry["answer"], str)
        assert isinstance(entry["score"], NUMBER) and 0 <= entry["score"] <= 10
        assert_feedback(entry["feedback"])
    assert interview["individual_scores"] == [e["score"] for e in interview["questions_and_answers"]]
    if interview["individual_scores"]:
        mean = sum(interview["individual_scores"]) / len(interview["individual_scores"])
        assert abs(interview["average_score"] - mean) < 0.006, "average_score is not the mean of individual_scores"
    if completed:
        assert is_iso_datetime(interview["ended_at"])
        assert isinstance(interview["overall_score"], NUMBER) and 0 <= interview["overall_score"] <= 10
        assert interview["hire_recommendation"] in ("strong yes", "yes", "maybe", "no")
        assert interview["summary"]


def assert_statistics_shape(statistics: dict) -> None:
    for name, kind in {
        "total_interviews": int,
        "average_score": NUMBER,
        "total_questions": int,
        "total_answers": int,
    }.items():
        assert isinstance(statistics.get(name), kind), f"statistics.{name}={statistics.get(name)!r}"


def assert_interview_list_shape(page: dict) -> None:
    assert isinstance(page.get("total"), int)
    assert isinstance(page.get("interviews"), list)
    for interview in page["interviews"]:
        assert {"session_id", "candidate_name", "average_score", "timestamp"} <= set(interview)

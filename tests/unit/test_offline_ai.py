"""The offline interviewer: deterministic, bounded, and ranking answers sensibly."""

from datetime import UTC, datetime

import pytest

from shared.ai.offline import assess, hire_recommendation, next_question, write_report
from shared.ai.skills import find_skills
from shared.events import InterviewContext, QuestionAnswer, ScoredAnswer

JOB = (
    "Senior Python Developer with 5+ years experience in Django, REST APIs, PostgreSQL and AWS. "
    "You will design microservices and mentor others. Strong communication skills."
)


def context(difficulty="intermediate", total=5, experience=5):
    return InterviewContext(
        candidate_name="Jo",
        candidate_experience=experience,
        job_description=JOB,
        difficulty=difficulty,
        total_questions=total,
        started_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def test_skills_come_from_the_job_description_and_ignore_common_words():
    names = [s.name for s in find_skills(JOB)]
    assert {"Python", "Django", "REST", "PostgreSQL", "AWS", "microservices", "communication"} <= set(names)
    assert find_skills("we go to rest after lunch") == []


@pytest.mark.parametrize("difficulty", ["beginner", "intermediate", "advanced"])
def test_questions_never_repeat_and_cover_the_job(difficulty):
    ctx = context(difficulty, total=8)
    transcript: list[QuestionAnswer] = []
    detailed = "When our team moved to AWS I built Django services on PostgreSQL and cut latency by 40% in 3 months."
    for number in range(1, 9):
        question = next_question(ctx, transcript, number)
        transcript.append(QuestionAnswer(question_number=number, question=question, answer=detailed))
    questions = [q.question for q in transcript]
    assert len(set(questions)) == len(questions)
    mentioned = {s.name for q in questions for s in find_skills(q)}
    assert {"Django", "PostgreSQL", "AWS"} <= mentioned
    assert questions[-1].startswith("Tell me about a time")  # the closing behavioural question


def test_a_vague_answer_gets_a_follow_up():
    ctx = context()
    first = next_question(ctx, [], 1)
    follow_up = next_question(ctx, [QuestionAnswer(question_number=1, question=first, answer="I did some stuff.")], 2)
    assert follow_up.startswith("Let's go deeper")


def test_questions_and_scores_are_deterministic():
    ctx = context()
    assert next_question(ctx, [], 1) == next_question(ctx, [], 1)
    answer = "I built a Django API on PostgreSQL serving 2 million requests a day."
    assert assess(ctx, "Describe a Django project.", answer) == assess(ctx, "Describe a Django project.", answer)


QUESTION = "Describe a problem you solved with Django. What options did you consider, and what was the result?"
SPECIFIC = (
    "At my previous company our Django checkout API was timing out under load. I profiled it, found N+1 "
    "queries against PostgreSQL, added select_related and two indexes, and cached the product list in Redis. "
    "As a result p95 latency dropped from 1.2 s to 180 ms and the timeouts stopped."
)
VAGUE = "I have used Django a lot and I solved many problems with it, it was fine, things like that."
OFF_TOPIC = "My favourite holiday was a trip to the mountains where we went hiking and cooked dinner outside."


@pytest.mark.parametrize("difficulty", ["beginner", "intermediate", "advanced"])
def test_a_specific_relevant_answer_beats_a_vague_one_and_an_off_topic_one(difficulty):
    ctx = context(difficulty)
    specific, vague, off_topic = (assess(ctx, QUESTION, a).score for a in (SPECIFIC, VAGUE, OFF_TOPIC))
    assert specific >= 7
    assert specific > vague and specific > off_topic
    assert off_topic <= 3


@pytest.mark.parametrize("answer", ["", "   ", QUESTION, "I don't know."], ids=["empty", "blank", "copy", "dont-know"])
def test_non_answers_score_low_and_say_why(answer):
    result = assess(context(), QUESTION, answer)
    assert 0 <= result.score <= 2
    assert result.feedback.improvements


def test_stricter_difficulty_never_scores_higher():
    scores = [assess(context(d), QUESTION, SPECIFIC).score for d in ("beginner", "intermediate", "advanced")]
    assert scores == sorted(scores, reverse=True)


def test_the_report_aggregates_the_answers():
    transcript = [
        ScoredAnswer.model_validate(
            {"question_number": n, "question": QUESTION, "answer": a, **assess(context(), QUESTION, a).__dict__}
        )
        for n, a in enumerate((SPECIFIC, VAGUE, SPECIFIC), start=1)
    ]
    report = write_report(context(total=3), transcript, "all_answered")
    assert 0 <= report.overall_score <= 10
    assert report.hire_recommendation == hire_recommendation(report.overall_score)
    assert "3 of 3" in report.summary
    assert report.strengths and report.weaknesses and report.recommendations


def test_hire_thresholds():
    assert [hire_recommendation(s) for s in (9.0, 8.0, 7.9, 6.5, 6.4, 5.0, 4.9, 0)] == [
        "strong yes",
        "strong yes",
        "yes",
        "yes",
        "maybe",
        "maybe",
        "no",
        "no",
    ]


def test_ending_before_any_answer_gives_a_no():
    report = write_report(context(), [], "ended_early")
    assert report.hire_recommendation == "no" and report.overall_score == 0

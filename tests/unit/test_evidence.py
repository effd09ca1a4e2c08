"""The offline interviewer's evidence: spans of exactly the text the candidate sent."""

from datetime import UTC, datetime

import pytest

from shared.ai.offline import assess, scoring
from shared.ai.offline.injection import instructions_to_the_scorer
from shared.contracts.events import InterviewContext
from tests.ai_eval import Job, load_set

JOBS = load_set()


def _context(job: Job) -> InterviewContext:
    return InterviewContext(
        candidate_name="Ada", candidate_experience=job.candidate_experience, job_description=job.description,
        difficulty=job.difficulty, total_questions=5, started_at=datetime.now(UTC), language=job.language,
    )  # fmt: skip


@pytest.mark.parametrize("job", JOBS, ids=lambda job: job.id)
def test_every_span_lies_inside_the_answer_and_spans_do_not_overlap(job):
    for question in job.questions:
        for answer in question.answers:
            spans = assess(_context(job), question.text, answer.text).evidence
            assert len(spans) <= 12
            for span in spans:
                assert 0 <= span.start < span.end <= len(answer.text)
                assert answer.text[span.start : span.end].strip() and span.reason
            assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))


@pytest.mark.parametrize("job", JOBS, ids=lambda job: job.id)
def test_an_injection_the_scorer_caught_costs_a_span_that_covers_the_instruction(job):
    for question in job.questions:
        for answer in (a for a in question.answers if a.grade == "injection"):
            caught = scoring.analyse(_context(job), question.text, answer.text).injected
            assert caught or job.language not in ("en", "de"), answer.text  # the scorer reads these two fully
            costs = [e for e in assess(_context(job), question.text, answer.text).evidence if e.effect == "cost"]
            assert not caught or any(instructions_to_the_scorer(answer.text[e.start : e.end]) for e in costs)


def test_an_excellent_answer_earns_spans_on_its_numbers():
    job = next(j for j in JOBS if j.id == "backend-engineer")
    question = job.questions[0]
    answer = question.answer("excellent").text
    earned = [
        answer[e.start : e.end] for e in assess(_context(job), question.text, answer).evidence if e.effect == "earned"
    ]
    assert "4 seconds" in earned and any(text[0].isdigit() for text in earned)


def test_reasons_are_in_the_interviews_language_and_a_vague_phrase_costs():
    job = next(j for j in JOBS if j.language == "de")
    question = job.questions[0]
    answer = question.answer("vague").text
    spans = assess(_context(job), question.text, answer).evidence
    assert spans and all(e.effect == "cost" for e in spans)
    assert any("Vage" in e.reason for e in spans)


def test_nothing_to_show_for_an_empty_answer():
    job = JOBS[0]
    assert assess(_context(job), job.questions[0].text, "   ").evidence == ()


def test_a_span_that_ends_before_it_starts_is_refused():
    from pydantic import ValidationError

    from shared.contracts.events import Evidence

    with pytest.raises(ValidationError, match="ends after it starts"):
        Evidence(start=5, end=5, effect="earned", reason="nothing")

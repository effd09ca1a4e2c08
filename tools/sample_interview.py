"""Print a whole offline interview for a realistic job description, as Markdown.

.venv/bin/python -m tools.sample_interview > docs/sample-interview.md
"""

import asyncio
from datetime import UTC, datetime

from shared.ai.offline import OfflineInterviewer
from shared.contracts.events import InterviewContext, QuestionAnswer, ScoredAnswer

JOB = (
    "Senior Backend Engineer (Python). You will design and run the APIs behind our logistics platform: "
    "Python 3, Django and FastAPI services on PostgreSQL and Redis, deployed with Docker on AWS (ECS, RDS, SQS). "
    "You care about testing (pytest), CI/CD, observability and performance, and you mentor two junior engineers. "
    "5+ years of backend experience; strong communication with product managers."
)
ANSWERS = [
    "At my last company I led the rewrite of our shipment-tracking API from a Flask monolith to FastAPI services "
    "on PostgreSQL. I designed the data model, wrote the migration scripts and set up the Docker images; as a "
    "result p95 latency went from 900 ms to 140 ms and we handled 3x the traffic on the same hardware.",
    "I used Django a lot, it worked fine, I know it well.",
    "Our Django admin exports were timing out. I added select_related, moved the export to a Celery task and "
    "streamed a CSV from PostgreSQL with a server-side cursor, so exports of 2 million rows now finish in 40 seconds.",
    "Caching is important for performance in general.",
    "When our PM wanted a feature in one week that needed a schema change, I explained the risk with a one-page "
    "timeline, proposed shipping behind a flag, and we released it in 8 days with zero downtime; she now asks "
    "for these timelines on every big change.",
]


async def main() -> None:
    ai = OfflineInterviewer()
    context = InterviewContext(candidate_name="Sam Rivera", candidate_experience=6, job_description=JOB,
                               difficulty="intermediate", total_questions=len(ANSWERS),
                               started_at=datetime(2026, 11, 25, 10, 0, tzinfo=UTC))  # fmt: skip
    transcript: list[QuestionAnswer] = []
    scored: list[ScoredAnswer] = []
    print("# A sample offline interview\n")
    print("Produced by `.venv/bin/python -m tools.sample_interview` (deterministic: run it again, get the same).\n")
    print(f"**Job description** ({context.difficulty}, candidate with {context.candidate_experience} years):\n")
    print(f"> {JOB}\n")
    for number, answer in enumerate(ANSWERS, start=1):
        question = await ai.next_question(context, transcript, number)
        assessment = await ai.assess_answer(context, question.text, answer, transcript)
        print(
            f"## Question {number}\n\n**Q:** {question.text}\n\n*Why this question: {question.provenance.rationale}*\n"
        )
        print(f"**A:** {answer}\n\n**Score: {assessment.score}/10** ({assessment.provenance.rationale})\n")
        for label, items in (
            ("Strengths", assessment.feedback.strengths),
            ("To improve", assessment.feedback.improvements),
        ):
            if items:
                print(f"- {label}: " + "; ".join(items))
        print()
        transcript.append(QuestionAnswer(question_number=number, question=question.text, answer=answer))
        scored.append(ScoredAnswer(question_number=number, question=question.text, answer=answer,
                                   score=assessment.score, feedback=assessment.feedback))  # fmt: skip
    draft = await ai.write_report(context, scored, "all_answered")
    report = draft.report
    print("## Report\n")
    print(f"**Overall score {report.overall_score}/10, hire recommendation: {report.hire_recommendation}** "
          f"({draft.provenance.rationale})\n")  # fmt: skip
    print(f"{report.summary}\n")
    for label, items in (("Strengths", report.strengths), ("Weaknesses", report.weaknesses),
                         ("Recommendations", report.recommendations)):  # fmt: skip
        print(f"**{label}:**\n" + "\n".join(f"- {item}" for item in items) + "\n")


if __name__ == "__main__":
    asyncio.run(main())

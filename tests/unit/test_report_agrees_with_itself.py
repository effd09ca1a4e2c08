"""The offline report does not contradict itself, and its highlights credit only evidence of quality (found by a
recruiter's user test): Strengths said "Demonstrated experience with React, TypeScript, performance" while
Weaknesses said "Name the technologies used, ideally the role's: React, TypeScript, performance"; the transcript
marked "a release +broke login" and "+such as" as earning points."""

from datetime import UTC, datetime

import pytest

from shared.ai.offline import assess, scoring
from shared.ai.offline.advice import PHRASES
from shared.ai.offline.report import write_report
from shared.contracts.events import Feedback, InterviewContext, ScoredAnswer

JOB = ("Senior frontend engineer. You build our web app with React and TypeScript, keep it fast (performance "
       "budgets, Core Web Vitals) and review your colleagues' code. You will work with designers and product "
       "managers.")  # fmt: skip
SKILLS = ("React", "TypeScript", "performance")
FASTER = ("At my last job our product list in React re-rendered on every keystroke. I profiled it with the React "
          "profiler, memoised the rows and moved the filter state down, typed with TypeScript, and the input delay "
          "fell from 300 ms to 40 ms.")  # fmt: skip
RELEASE = ("One Friday a release broke login for some of our customers. I rolled it back, wrote a test that "
           "reproduced the bug and added a check to our release steps. Since then no release has broken login "
           "again and the team trusts the checklist.")  # fmt: skip


def context(language: str = "en", total: int = 4) -> InterviewContext:
    return InterviewContext(candidate_name="Dana", candidate_experience=6, job_description=JOB, language=language,
                            difficulty="intermediate", total_questions=total,
                            started_at=datetime(2026, 12, 1, tzinfo=UTC))  # fmt: skip


def scored(number: int, question: str, answer: str, ctx: InterviewContext) -> ScoredAnswer:
    assessed = assess(ctx, question, answer)
    return ScoredAnswer(question_number=number, question=question, answer=answer, score=assessed.score,
                        feedback=assessed.feedback)  # fmt: skip


def test_a_skill_shown_as_a_strength_is_not_asked_for_as_missing():
    ctx = context(total=2)
    transcript = [scored(1, "Tell me about a React component you made faster.", FASTER, ctx),
                  scored(2, "Tell me about a time a release went wrong.", RELEASE, ctx)]  # fmt: skip
    assert any(i.startswith(PHRASES["en"]["name_skills"]) for i in transcript[1].feedback.improvements)
    report, _ = write_report(ctx, transcript, "all_answered")
    assert any(s.startswith("Demonstrated experience with React") for s in report.strengths), report.strengths
    assert not [w for w in report.weaknesses if any(skill in w for skill in SKILLS)], report.weaknesses
    assert "Name the technologies in every answer: question 2 named none" in report.weaknesses


ASKED = {
    "en": "Name the technologies in every answer: questions 2 and 4 named none",
    "de": "In jeder Antwort die verwendeten Technologien nennen: die Antworten auf die Fragen 2 und 4 nannten keine",
    "es": "Mencione las tecnologías en cada respuesta: las preguntas 2 y 4 no mencionaron ninguna",
    "fr": "Citez les technologies dans chaque réponse : les questions 2 et 4 n'en citent aucune",
}


@pytest.mark.parametrize("language", ["en", "de", "es", "fr"])
def test_answers_that_named_no_technology_are_named_in_every_language(language):
    """Answers 1 and 3 name the role's technologies, 2 and 4 none: the report says which, in its language."""
    lacking = PHRASES[language]["name_skills"] + ", ".join(SKILLS)
    transcript = [
        ScoredAnswer(question_number=n, question=f"Question {n}?", score=8,
                     answer="I built the checkout in React and TypeScript and cut its load time from 4 s to 1 s."
                     if n % 2 else "I talked to the team and we agreed on a plan, and it went well in the end.",
                     feedback=Feedback(improvements=() if n % 2 else (lacking,)))
        for n in range(1, 5)
    ]  # fmt: skip
    report, _ = write_report(context(language), transcript, "all_answered")
    assert ASKED[language] in report.weaknesses, report.weaknesses
    assert not [w for w in report.weaknesses if "React" in w or "TypeScript" in w], report.weaknesses
    assert any("React" in s for s in report.strengths)


def test_when_no_answer_named_a_technology_the_roles_are_still_asked_for():
    lacking = PHRASES["en"]["name_skills"] + ", ".join(SKILLS)
    transcript = [ScoredAnswer(question_number=n, question=f"Question {n}?", answer="We agreed on a plan.", score=3,
                               feedback=Feedback(improvements=(lacking,))) for n in (1, 2)]  # fmt: skip
    report, _ = write_report(context(total=2), transcript, "all_answered")
    assert lacking in report.weaknesses


def earned(answer: str, question: str = "Tell me about a time something went wrong.") -> list[str]:
    found = assess(context(), question, answer).evidence
    return [answer[e.start : e.end].lower() for e in found if e.effect == "earned"]


def test_a_failure_verb_earns_nothing_in_a_story_without_a_resolution():
    answer = "A release broke login for half of the users on a Friday and I had to stay late with it."
    assert "broke" not in earned(answer)
    assert not scoring.analyse(context(), "Tell me about a time something went wrong.", answer).situation


def test_a_failure_verb_sets_the_situation_of_a_story_that_says_how_it_ended():
    answer = "A release broke login, so I rolled it back and added a smoke test. Since then no release has broken it."
    assert scoring.analyse(context(), "Tell me about a time something went wrong.", answer).situation
    assert "broke" in earned(answer)


def test_such_as_is_no_example_by_itself():
    answer = "I keep pages fast with tools such as Lighthouse and budgets in CI, and I measure the bundle every week."
    assert "such as" not in earned(answer, "How do you keep a web app fast?")
    assert not scoring.analyse(context(), "How do you keep a web app fast?", answer).example
    assert "lighthouse" in earned(answer, "How do you keep a web app fast?")  # what follows it earns on its own

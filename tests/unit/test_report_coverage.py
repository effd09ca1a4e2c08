"""Which duties of the job the report says the answers evidenced (shared/ai/offline/coverage.py): by the
sentence-embedding model when it is on, by shared word stems when it is off."""

from datetime import UTC, datetime

import pytest

from shared.ai.offline import embedding
from shared.ai.offline.coverage import requirement_coverage
from shared.ai.offline.report import write_report
from shared.contracts.events import Feedback, InterviewContext, ScoredAnswer
from tests.embedding_switch import needs_the_model

pytestmark = pytest.mark.usefixtures("fresh_embedder")

NURSE = (
    "Registered Nurse, surgical ward, full time. You will assess and monitor patients after surgery, "
    "administer medications safely, educate patients and families for discharge, and document accurately in "
    "the electronic health record. Requirements: active RN license and two years of acute care."
)
MEDICATIONS = "administer medications safely"
EDUCATION = "educate patients and families for discharge"
PARAPHRASE = (
    "On a busy night with four new admissions I gave every patient their drugs on time and checked the chart "
    "and the wristband before each round. When a dose looked wrong I called the doctor before giving it."
)
OWN_WORDS = "I administered the medications myself and checked each dose twice, so every patient got them safely."
OFF_TOPIC = (
    "On weekends I coach a youth handball team. Last spring we won the regional cup after a long season, "
    "and I am proud of how the players grew."
)
TEAMLEITUNG = (
    "Teamleitung Kundenservice in Leipzig. Sie führen ein Team von 14 Mitarbeitenden an Telefon, E-Mail und "
    "Chat. Sie planen die Schichten und werten Kennzahlen aus. Ihr Profil: Erfahrung in der Führung."
)


def context(description: str = NURSE, language: str = "en") -> InterviewContext:
    return InterviewContext(candidate_name="Alex Morgan", candidate_experience=4, job_description=description,
                            difficulty="intermediate", language=language, total_questions=2,
                            started_at=datetime(2026, 1, 5, 9, 0, tzinfo=UTC))  # fmt: skip


def answered(*answers: tuple[str, str, int]) -> list[ScoredAnswer]:
    return [
        ScoredAnswer(question_number=n, question=q, answer=a, score=s, feedback=Feedback())
        for n, (q, a, s) in enumerate(answers, 1)
    ]


def asked_about(duty: str) -> str:
    return f"Walk me through how you {duty} in your current role."


def evidenced(description: str, transcript: list[ScoredAnswer], language: str = "en") -> dict[str, int | None]:
    found = requirement_coverage(context(description, language), transcript)
    return {r.name: r.evidenced_by for r in found.requirements}


@needs_the_model
def test_a_good_answer_in_other_words_evidences_the_duty_it_was_asked_about():
    transcript = answered((asked_about(MEDICATIONS), PARAPHRASE, 7), (asked_about(EDUCATION), OFF_TOPIC, 7))
    assert evidenced(NURSE, transcript)[MEDICATIONS] == 1
    report, how = write_report(context(), transcript, "completed")
    strengths = [s for s in report.strengths if s.startswith("Evidenced duties of the job: ")]
    assert len(strengths) == 1 and MEDICATIONS in strengths[0] and EDUCATION not in strengths[0]
    assert f"No evidence yet of: {EDUCATION}" in report.weaknesses
    assert f"(model {embedding.model()})" in how and "requirements evidenced" in how


@needs_the_model
def test_a_fluent_off_topic_answer_evidences_nothing_even_when_scored_high():
    transcript = answered((asked_about(EDUCATION), OFF_TOPIC, 8))
    assert not any(evidenced(NURSE, transcript).values())


@needs_the_model
def test_a_weak_answer_evidences_nothing_however_close():
    transcript = answered((asked_about(MEDICATIONS), PARAPHRASE, 3))
    assert evidenced(NURSE, transcript)[MEDICATIONS] is None
    report, _ = write_report(context(), transcript, "completed")
    missing = [w for w in report.weaknesses if w.startswith("No evidence yet of: ")]
    assert len(missing) == 1 and MEDICATIONS in missing[0].removeprefix("No evidence yet of: ").split("; ")


@needs_the_model
def test_the_model_reads_a_german_answer_against_an_english_description():
    german = ("Ich habe den Patienten ihre Medikamente pünktlich gegeben und jede Dosis vorher mit der Akte "
              "abgeglichen.")  # fmt: skip
    transcript = answered(("Wie stellen Sie sicher, dass Medikamente sicher gegeben werden?", german, 7))
    assert evidenced(NURSE, transcript, language="de")[MEDICATIONS] == 1


def test_without_the_model_a_duty_named_in_the_answers_own_words_is_evidenced(switched_off):
    transcript = answered(("Tell me about a busy shift.", OWN_WORDS, 7), (asked_about(EDUCATION), OFF_TOPIC, 7))
    assert evidenced(NURSE, transcript) == {
        "assess and monitor patients after surgery": None,
        MEDICATIONS: 1,
        EDUCATION: None,
        "document accurately in the electronic health record": None,
    }
    report, how = write_report(context(), transcript, "completed")
    assert f"Evidenced duties of the job: {MEDICATIONS}" in report.strengths
    assert f"No evidence yet of: {EDUCATION}" in report.weaknesses
    assert how.endswith("requirements evidenced 1/4 (rules)")


def test_without_the_model_a_paraphrase_is_not_evidence(switched_off):
    transcript = answered(("Tell me about a busy shift.", PARAPHRASE, 7))
    assert evidenced(NURSE, transcript)[MEDICATIONS] is None


def test_without_the_model_duties_in_another_language_are_skipped(switched_off):
    transcript = answered(("Wie gehen Sie mit Medikamenten um?", "Ich gebe die Medikamente sicher.", 7))
    assert requirement_coverage(context(NURSE, "de"), transcript).requirements == ()


def test_a_german_interview_gets_german_lines(switched_off):
    transcript = answered(
        ("Wie planen Sie die Schichten für Ihr Team?", "Ich plane die Schichten jede Woche nach dem Anrufvolumen "
         "der Vorwoche, und seitdem halten wir den Servicelevel von 80 Prozent.", 7),
        ("Wie werten Sie Kennzahlen aus?", "Darüber habe ich leider keine Ahnung.", 1),
    )  # fmt: skip
    report, _ = write_report(context(TEAMLEITUNG, "de"), transcript, "completed")
    assert "Belegte Aufgaben der Stelle: die Schichten planen" in report.strengths
    assert "Noch keine Belege für: Kennzahlen auswerten" in report.weaknesses


def test_a_technical_job_keeps_its_skill_lines_and_does_not_repeat_them_as_duties(switched_off):
    backend = (
        "Backend Engineer. You will design and operate the Python services behind checkout, write tests (pytest) "
        "and review code. Our stack: Python, FastAPI, PostgreSQL, Redis, Docker."
    )
    transcript = answered(("How do you test a FastAPI service?", "I write pytest tests for every FastAPI "
                           "endpoint and run them in Docker against a real PostgreSQL database.", 7))  # fmt: skip
    report, how = write_report(context(backend), transcript, "completed")
    assert any(s.startswith("Demonstrated experience with ") and "FastAPI" in s for s in report.strengths)
    assert not any("write tests" in line for line in (*report.strengths, *report.weaknesses))
    assert "requirements evidenced" in how and "(rules)" in how


@pytest.mark.parametrize(("structured", "unstructured", "said"), [(2, 1, "strength"), (1, 2, "weakness")])
def test_the_report_does_not_praise_and_fault_the_same_thing(structured, unstructured, said):
    """Found by a newcomer: "Clear situation, action and result" among the strengths beside "Structure the answer:
    situation, what you did, the result" among the weaknesses. The more of the answers says which it is."""
    strength, lack = "Clear situation, action and result", "Structure the answer: situation, what you did, the result"
    feedback = [Feedback(strengths=(strength,))] * structured + [Feedback(improvements=(lack,))] * unstructured
    transcript = [
        ScoredAnswer(question_number=n, question=f"Question {n}?", answer="An answer.", score=6, feedback=f)
        for n, f in enumerate(feedback, 1)
    ]
    report, _ = write_report(context(), transcript, "completed")
    assert (strength in report.strengths, lack in report.weaknesses) == (said == "strength", said == "weakness")


def test_a_german_report_names_the_difficulty_as_the_candidate_page_does():
    """Found on a phone: the form said "Fortgeschritten", the report's header "Interview für Fortgeschrittene" and
    its summary "Schwierigkeitsgrad mittel"."""
    transcript = answered(("Wie planen Sie Schichten?", "Ich plane die Schichten jede Woche mit dem Team.", 6))
    report, _ = write_report(context(TEAMLEITUNG, "de"), transcript, "completed")
    assert "(4 Jahre Berufserfahrung, Interview für Fortgeschrittene)" in report.summary, report.summary

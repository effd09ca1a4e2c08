"""How the offline interviewer writes the final report.

overall_score = average score x (0.6 + 0.4 x share of the planned questions answered), one
decimal. Hire recommendation: 8.0 and above "strong yes", 6.5 "yes", 5.0 "maybe", below "no".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from statistics import fmean

from shared.ai.offline.questions import technical
from shared.ai.skills import shown_skills, skills_of, with_implied
from shared.contracts.events import CompletionReason, HireRecommendation, InterviewContext, Report, ScoredAnswer

HIRE_THRESHOLDS: tuple[tuple[float, HireRecommendation], ...] = ((8.0, "strong yes"), (6.5, "yes"), (5.0, "maybe"))


def hire_recommendation(overall_score: float) -> HireRecommendation:
    for threshold, verdict in HIRE_THRESHOLDS:
        if overall_score >= threshold:
            return verdict
    return "no"


def write_report(
    context: InterviewContext, transcript: Sequence[ScoredAnswer], reason: CompletionReason
) -> tuple[Report, str]:
    """The report, and how it was reached."""
    name = context.candidate_name
    if not transcript:
        report = Report(overall_score=0.0, summary=f"{name} ended the interview before answering any question.",
                        strengths=(), weaknesses=("No answers given",),
                        recommendations=("Complete an interview to be assessed",), hire_recommendation="no")  # fmt: skip
        return report, "no answers"
    average = fmean(a.score for a in transcript)
    coverage = min(1.0, len(transcript) / max(1, context.total_questions))
    overall = round(average * (0.6 + 0.4 * coverage), 1)
    best = max(transcript, key=lambda a: (a.score, -a.question_number))
    worst = min(transcript, key=lambda a: (a.score, a.question_number))
    summary = (
        f"{name} ({context.candidate_experience} years of experience, {context.difficulty} interview) answered "
        f"{len(transcript)} of {context.total_questions} questions with an average score of {average:.1f}/10. "
        f"Strongest answer: question {best.question_number} ({best.score}/10); weakest: question "
        f"{worst.question_number} ({worst.score}/10)."
        + (" The candidate ended the interview early." if reason == "ended_early" else "")
    )
    # `summary` is completed below, once the skills the interview did not reach are known
    job_skills = [s.name for s in skills_of(context.job_description) if s.category != "soft"]
    shown = set().union(*(shown_skills(a.answer) for a in transcript if a.score >= 5))
    asked = set().union(*(with_implied({s.name for s in skills_of(a.question)}) for a in transcript))
    missing = [s for s in job_skills if s in asked and s not in shown][:3]
    not_covered = [s for s in job_skills if s not in asked and s not in shown]
    strength_counts = Counter(s for a in transcript if a.score >= 5 for s in a.feedback.strengths)
    strengths = [s for s, _ in strength_counts.most_common(3)]
    if demonstrated := [s for s in job_skills if s in shown]:
        strengths.append("Demonstrated experience with " + ", ".join(demonstrated))
    weaknesses = [w for w, _ in Counter(i for a in transcript for i in a.feedback.improvements).most_common(3)]
    weaknesses += [f"No evidence of {skill} experience" for skill in missing]
    if reason == "ended_early":
        weaknesses.append("Ended the interview before answering every question")
    if not_covered:
        summary += f" Not covered by this interview: {', '.join(not_covered[:4])}."
    verdict = hire_recommendation(overall)
    report = Report(
        overall_score=overall,
        summary=summary,
        strengths=tuple(strengths) or ("Took part in the interview",),
        weaknesses=tuple(weaknesses),
        recommendations=tuple(_recommendations(weaknesses, missing, technical(context))),
        hire_recommendation=verdict,
    )
    how = (f"average {average:.2f} over {len(transcript)} of {context.total_questions} planned answers "
           f"-> overall {overall}; {verdict} by thresholds 8.0/6.5/5.0")  # fmt: skip
    return report, how


def _recommendations(weaknesses: Sequence[str], missing: Sequence[str], technical: bool) -> list[str]:
    said = " ".join(weaknesses).lower()  # the answers' feedback, in English or German
    advice = []
    if "measurable" in said or "messbar" in said:
        advice.append("Prepare examples with numbers: " + ("scale, latency, cost, time saved" if technical else
                                                           "volumes, time, cost, quality, people involved"))  # fmt: skip
    if any(word in said for word in ("structure", "too short", "vague", "gliedern", "zu kurz", "vage")):
        advice.append("Practise answering with situation, action and result (STAR)")
    if any(word in said for word in ("does not address", "repeats the question", "geht nicht auf", "wiederholt die")):
        advice.append("Listen to the question and answer it directly before adding context")
    advice += [f"Build a small project with {skill} and be ready to discuss it" for skill in missing]
    default = ("Keep practising system design and in-depth technical discussions" if technical else
               "Keep practising answers built on concrete situations from your own work")  # fmt: skip
    return advice or [default]

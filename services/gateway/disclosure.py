"""What a candidate sees of their assessment (docs/fairness.md, "What the candidate sees"): the interview's
`candidate_report` (a position's setting, or CANDIDATE_REPORT for open interviews) says full (scores,
feedback and the passages of each answer that earned or cost points, the report), scores (the numbers
without written feedback, evidence, summary or recommendation) or nothing (only that the interview is complete).
Every candidate response and live event passes here; the read API (recruiters) always has everything. Whatever is shown, the candidate is told what was assessed and how."""

from dataclasses import replace

from shared.contracts.events import CandidateReport, Feedback
from shared.contracts.interview_document import InterviewDocument, interview_document
from shared.contracts.session_view import SessionView

NO_FEEDBACK = Feedback()


def level(view: SessionView) -> CandidateReport:
    return view.context.candidate_report if view.context else "nothing"  # unknown: show nothing


def score_shown(view: SessionView, score: int | None) -> int | None:
    return score if level(view) != "nothing" else None


def feedback_shown(view: SessionView, feedback: Feedback | None) -> Feedback | None:
    return feedback if level(view) == "full" else None


def report_shown(view: SessionView) -> InterviewDocument | None:
    """The finished interview as the candidate may see it (None before the report, or if nothing is shown)."""
    document = interview_document(view) if view.report is not None else None
    shown = level(view)
    if document is None or shown == "full":
        return document
    if shown == "nothing":
        return None
    answers = [answer.model_copy(update={"feedback": NO_FEEDBACK, "provenance": None, "evidence": []})
               for answer in document.questions_and_answers]  # fmt: skip
    return document.model_copy(update={"questions_and_answers": answers, "summary": "", "strengths": [],
                                       "weaknesses": [], "recommendations": [], "hire_recommendation": None,
                                       "report_provenance": None})  # fmt: skip


def revised_report_shown(view: SessionView) -> InterviewDocument | None:
    """The report as written again after an upheld correction (its latest revision), as the candidate may see
    it; None if there is none."""
    if view.revision is None:
        return None
    return report_shown(replace(view, report=view.revision, completion=None))


def how_assessed(view: SessionView) -> list[str]:
    """What was assessed and how, in plain words, for the candidate's page once the interview is over."""
    context = view.context
    if context is None or view.report is None:
        return []
    scorers = {answer.provenance.provider: answer.provenance.model for answer in view.scored_transcript
               if answer.provenance}  # fmt: skip
    scored_by = (
        ", ".join(
            "rules that run on our own server (no AI service)" if provider == "offline" else f"the AI model {model}"
            for provider, model in sorted(scorers.items())
        )
        or "the interviewer"
    )
    lines = [
        "The questions came from the job description"
        + (", beginning with the hiring team's own questions." if context.must_ask else ".")
        + " Later questions also followed your earlier answers.",
        f"Each answer was scored from 0 to 10 by {scored_by}: how relevant it is to the question and the role, "
        "how specific (examples, results, numbers) and how clearly structured"
        + (", with the hiring team's criteria for this position." if context.rubric else "."),
        "The overall score and the report come from those scores. People on the hiring team make the decision; "
        "they can read every answer and score it themselves.",
        "You can ask for a person to review your interview, or correct an answer that was not transcribed as you "
        "said it, below.",
    ]
    if level(view) == "scores":
        lines.append("This hiring team shares the scores with candidates, not the written feedback.")
    elif level(view) == "nothing":
        lines.append("This hiring team does not share scores or feedback with candidates; they will contact you.")
    return lines

"""What a candidate sees of their assessment (services/gateway/disclosure.py): the three levels, and the
plain account of how they were assessed."""

from dataclasses import replace

import pytest

from services.gateway.disclosure import feedback_shown, how_assessed, report_shown, score_shown
from shared.contracts.events import Evidence, Feedback
from shared.contracts.session_view import fold_session
from tests.factories import interview_events


def finished(candidate_report: str = "full", **context):
    view = fold_session("s0000001", interview_events(scores=(8, 3)))
    assert view.context is not None and view.report is not None
    return replace(view, context=view.context.model_copy(update={"candidate_report": candidate_report} | context))


def _with_evidence(closed, span):
    if closed is None:
        return None
    return closed.model_copy(update={"transcript": tuple(a.model_copy(update={"evidence": (span,)})
                                                         for a in closed.transcript)})  # fmt: skip


def test_full_shows_everything():
    view = finished()
    report = report_shown(view)
    assert report is not None and report.summary and report.hire_recommendation
    assert report.questions_and_answers[0].feedback == view.scores[1].feedback
    assert (score_shown(view, 8), feedback_shown(view, view.scores[1].feedback)) == (8, view.scores[1].feedback)


def test_scores_keep_the_numbers_and_drop_every_written_word():
    view = finished("scores")
    span = Evidence(start=0, end=3, effect="earned", reason="A number")
    view = replace(view, completion=_with_evidence(view.completion, span), report=_with_evidence(view.report, span))
    report = report_shown(view)
    assert report is not None
    assert (report.individual_scores, report.average_score, report.overall_score) == (
        [8, 3],
        5.5,
        view.report.overall_score,
    )
    assert (report.summary, report.strengths, report.weaknesses, report.recommendations) == ("", [], [], [])
    assert report.hire_recommendation is None and report.report_provenance is None
    assert all(a.feedback == Feedback() and a.provenance is None for a in report.questions_and_answers)
    assert all(a.evidence == [] for a in report.questions_and_answers)
    full = report_shown(replace(view, context=view.context.model_copy(update={"candidate_report": "full"})))
    assert full is not None and full.questions_and_answers[0].evidence == [span]
    assert (score_shown(view, 8), feedback_shown(view, view.scores[1].feedback)) == (8, None)


def test_nothing_shows_no_score_and_no_report():
    view = finished("nothing")
    assert report_shown(view) is None
    assert (score_shown(view, 8), feedback_shown(view, view.scores[1].feedback)) == (None, None)


@pytest.mark.parametrize(("level", "says"), [("full", None), ("scores", "not the written feedback"),
                                             ("nothing", "does not share scores")])  # fmt: skip
def test_every_candidate_is_told_how_they_were_assessed(level, says):
    lines = how_assessed(finished(level, must_ask=("Tell us about an incident.",), rubric="Depth matters."))
    text = " ".join(lines)
    assert "beginning with the hiring team's own questions" in text and "hiring team's criteria" in text
    assert "scored from 0 to 10" in text and "ask for a person to review" in text
    assert (says in text) if says else len(lines) == 4


def test_nothing_is_told_before_the_report():
    view = fold_session("s0000001", interview_events(scores=(8,), total=2, complete=False))
    assert how_assessed(view) == [] and report_shown(view) is None


@pytest.mark.parametrize(("level", "says"), [("full", None), ("scores", "pas les commentaires écrits"),
                                             ("nothing", "ne communique ni les notes ni les commentaires")])  # fmt: skip
def test_a_french_candidate_is_told_in_french(level, says):
    lines = how_assessed(finished(level, language="fr", must_ask=("Un incident\u00a0?",), rubric="La profondeur."))
    text = " ".join(lines)
    assert text.startswith("Les questions ont été tirées de l’offre d’emploi, en commençant par les questions propres")
    assert "notée de 0 à 10 par l’outil d’entretien selon sa pertinence" in text
    assert "d’après les critères de l’équipe de recrutement" in text and "recrutement\u00a0; elles peuvent" in text
    assert "scored" not in text and "hiring team" not in text
    assert (says in text) if says else len(lines) == 4


@pytest.mark.parametrize("language", ["de", "es"])
def test_every_interview_language_has_its_own_words(language):
    lines = how_assessed(finished("nothing", language=language, must_ask=("Q?",), rubric="R."))
    assert len(lines) == 5 and not any("hiring team" in line or "{" in line for line in lines)

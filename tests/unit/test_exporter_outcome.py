"""Which report the Sheets rows show (services/exporter/rows.py `outcome`): the revision of the request upheld
last, as the read API has it, whichever of the session's events is in hand and whatever is stored yet."""

from datetime import timedelta

from services.exporter.rows import INTERVIEW_HEADER, outcome, rows_of
from shared.contracts.events import ReportGenerated, ReportRevised
from shared.contracts.interview_document import interview_document
from shared.contracts.session_view import fold_session
from tests.factories import T0, candidate_request_events


def revisions(late_first: bool = False):
    """An interview with two upheld corrections: A resolved first, B second; the revision of A comes last
    (its scoring was retried) when `late_first`."""
    base, a = candidate_request_events("s0000001", "req-a", "upheld", T0 + timedelta(minutes=5), score=7)
    _, b = candidate_request_events("s0000001", "req-b", "upheld", T0 + timedelta(minutes=9), score=9)
    if late_first:  # A's revision written after B's
        a[-1] = a[-1].model_copy(update={"payload": a[-1].payload.model_copy(
            update={"revised_at": T0 + timedelta(minutes=20)})})  # fmt: skip
    report = next(e for e in base if isinstance(e, ReportGenerated))
    return base, report, a, b


def score(report: ReportGenerated) -> float:
    return report.payload.overall_score


def test_no_revision_the_report_itself():
    base, report, _, _ = revisions()
    assert outcome(report, base) is report


def test_a_first_report_delivered_late_shows_the_revision_stored_since():
    base, report, a, b = revisions()
    assert score(outcome(report, base + a + b)) == 9  # B's: its request was resolved last


def test_a_revision_whose_resolution_is_not_stored_yet_stands_for_itself():
    base, _, a, _ = revisions()
    revised = a[-1]
    assert isinstance(revised, ReportRevised)
    assert score(outcome(revised, base)) == 7


def test_the_revision_of_the_request_upheld_last_wins_whichever_was_written_last():
    base, _, a, b = revisions(late_first=True)
    late_a = a[-1]
    assert isinstance(late_a, ReportRevised) and late_a.payload.revised_at > b[-1].payload.revised_at
    assert score(outcome(late_a, base + a + b)) == 9  # as the read API says: B was upheld after A
    assert score(outcome(b[-1], base + a + b)) == 9


def test_the_manual_exports_row_of_a_revised_interview_is_its_revision():
    base, report, _, _ = revisions()
    document = interview_document(fold_session("s0000001", base))
    assert document is not None
    first = document.model_dump(mode="json")
    revision = {"request_id": "req-b", "revised_at": "2026-01-01T00:00:00+00:00", "overall_score": 9.0,
                "average_score": 8.5, "individual_scores": [9, 8], "summary": "Written again.", "strengths": ["S"],
                "weaknesses": [], "recommendations": ["R"], "hire_recommendation": "strong yes"}  # fmt: skip
    before, after = rows_of(first).interview, rows_of(first | {"report_revision": revision}).interview
    column = dict(zip(INTERVIEW_HEADER, after, strict=True))
    assert dict(zip(INTERVIEW_HEADER, before, strict=True))["overall_score"] == report.payload.overall_score
    assert (column["overall_score"], column["hire_recommendation"], column["summary"]) == (9.0, "strong yes",
                                                                                         "Written again.")  # fmt: skip
    assert (column["average_score"], column["individual_scores"], column["strengths"]) == (8.5, "9 8", "S")

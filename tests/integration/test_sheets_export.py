"""The exporter's Sheets writer: the real gspread client (and google-auth) against a fake Google
Sheets v4 server run by the tests."""

import os
import random

import pytest
from pydantic import ValidationError

from services.exporter.api import ExportRequest
from services.exporter.exporter import SheetsExporter
from services.exporter.manual import ExportFailed, export_all
from services.exporter.rows import ANSWER_HEADER, ANSWERS, INTERVIEW_HEADER, INTERVIEWS, rows_of_report
from services.exporter.settings import ExporterSettings
from services.exporter.sheets import PacedHTTPClient, Sheets, SheetsUnavailable
from shared.contracts.events import ReportGenerated
from tests.factories import interview_events
from tests.fakes.sheets_server import FakeSheets


@pytest.fixture
def fake():
    server = FakeSheets().start()
    yield server
    server.stop()


def client_class(fake: FakeSheets, retry_seconds: float = 30.0) -> type[PacedHTTPClient]:
    return type("TestClient", (PacedHTTPClient,), {"base_url": fake.url, "retry_seconds": retry_seconds,
                                                   "backoff_base": 0.01, "requests_per_minute": 6000})  # fmt: skip


@pytest.fixture
def sheets(fake, tmp_path):
    return Sheets(str(fake.credentials_file(tmp_path)), fake.spreadsheet_id, client_class(fake))


def report(session_id: str, scores=(8, 6), name="Ada Lovelace") -> ReportGenerated:
    return next(e for e in interview_events(session_id, scores, len(scores), name=name) if e.type == "ReportGenerated")


def test_the_worksheets_get_their_headers_once(fake, sheets):
    sheets.ensure_layout()
    sheets.ensure_layout()
    assert fake.values(INTERVIEWS) == [INTERVIEW_HEADER]
    assert fake.values(ANSWERS) == [ANSWER_HEADER]


def test_an_interview_is_one_row_and_each_answer_one_row(fake, sheets):
    sheets.upsert(rows_of_report(report("s1", (8, 6))))
    interviews = fake.values(INTERVIEWS)
    assert len(interviews) == 2
    row = dict(zip(INTERVIEW_HEADER, interviews[1], strict=True))
    assert row["session_id"] == "s1" and row["candidate_name"] == "Ada Lovelace"
    assert row["average_score"] == "7" and row["hire_recommendation"] == "yes" and row["individual_scores"] == "8 6"
    answers = [dict(zip(ANSWER_HEADER, r, strict=True)) for r in fake.values(ANSWERS)[1:]]
    assert [(a["session_id"], a["question_number"], a["score"]) for a in answers] == [
        ("s1", "1", "8"),
        ("s1", "2", "6"),
    ]


def test_one_interview_costs_one_read_and_one_write(fake, sheets):
    sheets.ensure_layout()
    before = len(fake.requests)
    sheets.upsert(rows_of_report(report("s1")))
    calls = fake.requests[before:]
    assert [method for method, _ in calls] == ["GET", "POST"]


def test_duplicates_and_any_order_give_the_same_sheet(fake, tmp_path):
    reports = [report(f"s{n}", (n % 10, (n * 3) % 10), name=f"Candidate {n}") for n in range(6)]
    finals = []
    for attempt in range(2):
        server = FakeSheets().start()
        try:
            writer = Sheets(str(server.credentials_file(tmp_path)), server.spreadsheet_id, client_class(server))
            stream = reports + reports[:3] if attempt else reports[::-1] + reports[2:]
            random.Random(attempt).shuffle(stream)
            for event in stream:
                writer.upsert(rows_of_report(event))
            finals.append((sorted(server.values(INTERVIEWS)), sorted(server.values(ANSWERS))))
        finally:
            server.stop()
    assert finals[0] == finals[1]
    assert len(finals[0][0]) == 1 + 6 and len(finals[0][1]) == 1 + 12


def test_a_storm_of_429s_and_500s_is_waited_out(fake, sheets):
    sheets.ensure_layout()
    fake.fail_next(429, 429, 429, 500, 429, 503, 429)
    sheets.upsert(rows_of_report(report("s1")))
    sheets.upsert(rows_of_report(report("s1")))
    assert len(fake.values(INTERVIEWS)) == 2 and len(fake.values(ANSWERS)) == 3


def test_a_google_outage_is_given_up_on_for_the_broker_to_retry_later(fake, tmp_path):
    writer = Sheets(str(fake.credentials_file(tmp_path)), fake.spreadsheet_id, client_class(fake, retry_seconds=0.2))
    writer.ensure_layout()
    fake.fail_next(*[500] * 100)
    with pytest.raises(SheetsUnavailable):
        writer.upsert(rows_of_report(report("s1")))


def test_an_erased_candidate_leaves_no_row(fake, sheets):
    for session_id in ("s1", "s2", "s3"):
        sheets.upsert(rows_of_report(report(session_id, name=f"Name {session_id}")))
    assert sheets.remove("s2") == 3  # the interview row and two answer rows
    assert "s2" not in repr(fake.values(INTERVIEWS)) + repr(fake.values(ANSWERS))
    assert [r[0] for r in fake.values(INTERVIEWS)[1:]] == ["s1", "s3"]
    assert sheets.remove("s2") == 0
    assert len(fake.values(ANSWERS)) == 1 + 4


def test_text_is_never_evaluated_as_a_formula(fake, sheets):
    event = report("s1", name='=HYPERLINK("http://evil.example","click")')
    sheets.upsert(rows_of_report(event))
    assert fake.values(INTERVIEWS)[1][2] == '=HYPERLINK("http://evil.example","click")'
    batch = next(body for method, body in reversed(fake.requests) if method == "POST")
    assert batch.endswith(":batchUpdate")


def test_a_whole_worksheet_export_is_the_same_when_run_twice(fake, sheets, monkeypatch):
    monkeypatch.setattr("services.exporter.sheets.CHUNK_ROWS", 2)
    rows = [[f"s{n}", n] for n in range(5)]
    sheets.replace_worksheet("Interview Data", ["session_id", "n"], rows)
    first = fake.values("Interview Data")
    sheets.replace_worksheet("Interview Data", ["session_id", "n"], rows)
    assert fake.values("Interview Data") == first == [["session_id", "n"]] + [[r[0], str(r[1])] for r in rows]


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [("credentials", "refused the service account's credentials"), ("spreadsheet", "no spreadsheet with that id"),
     ("file", "credentials file does not exist"), ("not a key", "credentials file is not a service-account key"),
     ("unreadable", "credentials file cannot be read (")],
)  # fmt: skip
async def test_a_refused_configuration_is_one_clear_sentence(fake, tmp_path, breakage, expected):
    credentials = fake.credentials_file(tmp_path)
    if breakage == "not a key":
        credentials.write_text("[]")  # JSON, but not an object
    if breakage == "unreadable":
        if os.geteuid() == 0:  # root reads any file: make one that cannot be read by anyone, a directory
            credentials.unlink()
            credentials.mkdir()
        else:
            credentials.chmod(0)
    settings = ExporterSettings(
        google_sheets_credentials_file=tmp_path / "missing.json" if breakage == "file" else credentials,
        google_sheets_spreadsheet_id="no-such-sheet" if breakage == "spreadsheet" else fake.spreadsheet_id,
        google_sheets_api_url=fake.url,
    )
    fake.refuse_credentials = breakage == "credentials"
    exporter = SheetsExporter(settings)
    try:
        assert await exporter.connect() is False
        assert expected in exporter.problem and "\n" not in exporter.problem
        assert not exporter.ready
    finally:
        await exporter.close()


@pytest.mark.parametrize("name", ["Interviews", "answers", " ANSWERS "])
async def test_the_manual_export_never_replaces_the_automatic_worksheets(name):
    with pytest.raises(ExportFailed, match="kept up to date by the automatic export"):
        await export_all(ExporterSettings(), name)  # refused before reading or writing anything
    with pytest.raises(ValidationError, match="choose another name"):
        ExportRequest(sheet_name=name)
    assert ExportRequest(sheet_name="Interviews 2026").sheet_name == "Interviews 2026"


def test_rows_without_a_header_keep_their_place_below_a_new_one(fake, sheets):
    sheets.ensure_layout()
    with fake._lock:
        fake.sheets[INTERVIEWS]["rows"] = [["old-session", "2026-01-01"]]  # someone deleted the header row
        fake.sheets[ANSWERS]["rows"] = [["session_id", "question_number"], ["old-session", "1"]]  # an older header
    sheets.ensure_layout()
    assert fake.values(INTERVIEWS) == [INTERVIEW_HEADER, ["old-session", "2026-01-01"]]
    assert fake.values(ANSWERS)[0] == ANSWER_HEADER and fake.values(ANSWERS)[1] == ["old-session", "1"]

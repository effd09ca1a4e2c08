"""Google Sheets export with the five services running, against a fake Sheets v4 server: every
completed interview appears, an erasure removes it, the manual export fills a named sheet, and
refused credentials keep the exporter up but not ready."""

import asyncio
import json
import os
import subprocess
import sys
import time
import urllib.request

import httpx
import pytest

from services.exporter.rows import ANSWERS, INTERVIEWS
from tests.e2e.conftest import assert_clean_shutdown, eventually, start_stack, stop_stack
from tests.e2e.test_interview import ANSWERS as REPLIES
from tests.e2e.test_interview import answer, start
from tests.fakes.sheets_server import FakeSheets
from tests.faults.probes import events_handled, publish_raw
from tools.stack import Stack, free_port

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def fake():
    server = FakeSheets().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def sheets_env(fake, tmp_path_factory):
    credentials = fake.credentials_file(tmp_path_factory.mktemp("google"))
    return {"GOOGLE_SHEETS_CREDENTIALS_FILE": str(credentials), "GOOGLE_SHEETS_SPREADSHEET_ID": fake.spreadsheet_id,
            "GOOGLE_SHEETS_API_URL": fake.url}  # fmt: skip


@pytest.fixture(scope="module")
def stack(sheets_env, tmp_path_factory):
    stack = start_stack("test_sheets", tmp_path_factory.mktemp("stack"), **sheets_env)
    yield stack
    assert_clean_shutdown(stack, stop_stack(stack))


def interview(gateway, name: str, replies: list[str]) -> str:
    """Spoken replies: their transcripts may be contested."""
    session_id = start(gateway, candidate_name=name, num_questions=len(replies))["session_id"]
    for number, text in enumerate(replies, start=1):
        assert answer(gateway, session_id, text, question_number=number, spoken=True).status_code == 200
    return session_id


def test_completed_interviews_reach_the_sheet_and_erasures_leave_it(gateway, fake):
    first = interview(gateway, "Ada Lovelace", REPLIES[:2])
    second = interview(gateway, "Alan Turing", REPLIES[2:5])
    rows = eventually(lambda: fake.values(INTERVIEWS), lambda r: len(r) == 3)
    assert {r[0]: r[2] for r in rows[1:]} == {first: "Ada Lovelace", second: "Alan Turing"}
    stored = gateway.get(f"/api/data/interview/{first}").json()
    row = next(r for r in rows if r[0] == first)
    assert row[7] == stored["hire_recommendation"] and row[15] == " ".join(map(str, stored["individual_scores"]))
    answers = eventually(lambda: fake.values(ANSWERS), lambda r: len(r) == 1 + 5)
    assert sorted((r[0], r[1]) for r in answers[1:]) == sorted(
        [(first, "1"), (first, "2"), (second, "1"), (second, "2"), (second, "3")])  # fmt: skip

    assert gateway.delete(f"/api/data/interview/{first}").status_code == 200
    eventually(lambda: fake.values(INTERVIEWS), lambda r: len(r) == 2)
    eventually(lambda: fake.values(ANSWERS), lambda r: len(r) == 1 + 3)
    assert first not in repr(fake.values(INTERVIEWS)) + repr(fake.values(ANSWERS))


def test_a_report_delivered_again_after_the_erasure_does_not_bring_the_rows_back(stack, gateway, fake):
    session_id = interview(gateway, "Grace Latecomer", REPLIES[:1])
    eventually(lambda: fake.values(INTERVIEWS), lambda rows: any(r[0] == session_id for r in rows))
    events = httpx.get(
        f"{stack.url('persistence')}/internal/sessions/{session_id}/events", headers=stack.internal_headers()
    ).json()["events"]
    report = next(raw for raw in events if json.loads(raw)["type"] == "ReportGenerated")
    assert gateway.delete(f"/api/data/interview/{session_id}").status_code == 200
    eventually(lambda: fake.values(INTERVIEWS), lambda rows: all(r[0] != session_id for r in rows))

    def reports() -> float:
        return events_handled(stack.url("exporter"), consumer="exporter").get("ReportGenerated", 0)

    handled = reports()
    asyncio.run(publish_raw(stack.namespace, [("ReportGenerated", report.encode())], only_to="exporter"))
    eventually(reports, lambda n: n == handled + 1)
    assert session_id not in repr(fake.values(INTERVIEWS)) + repr(fake.values(ANSWERS))  # handled, not exported


def test_the_manual_export_fills_a_named_sheet_the_same_way_twice(stack, gateway, fake, sheets_env):
    interview(gateway, "Grace Hopper", REPLIES[:1])
    eventually(lambda: gateway.get("/api/data/statistics").json(), lambda s: s["total_interviews"] == 2)
    env = os.environ | stack.env | sheets_env
    runs = [
        subprocess.run(
            [sys.executable, "-m", "services.exporter", "export", "--sheet-name", "Everyone"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )  # fmt: skip
        for _ in range(2)
    ]
    for run in runs:
        assert run.returncode == 0, run.stderr
        assert "Exported 2 interviews to the worksheet 'Everyone'" in run.stdout
    sheet = fake.values("Everyone")
    assert sheet[0][:3] == ["session_id", "timestamp", "candidate_name"]
    assert sorted(r[2] for r in sheet[1:]) == ["Alan Turing", "Grace Hopper"]


def test_refused_credentials_keep_the_exporter_up_but_not_ready(fake, sheets_env, tmp_path):
    fake.refuse_credentials = True
    port = free_port()
    exporter = Stack(env=sheets_env | {"BROKER_NAMESPACE": "e2e-sheets-refused"}, ports={"exporter": port})
    try:
        exporter.start(("exporter",))
        deadline = time.monotonic() + 20
        report = None
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1)
            except urllib.error.HTTPError as not_ready:
                report = json.loads(not_ready.read())
                if any("cannot start" in line for line in exporter.processes["exporter"].lines):
                    break
            except OSError:
                pass
            time.sleep(0.2)
        # Sheets refused holds up the Sheets export only: the webhooks' consumer is connected and delivering
        checks = {"broker": False, "sheets": False, "webhooks": True}
        assert report == {"status": "not ready", "service": "exporter", "checks": checks}
        errors = [line for line in exporter.processes["exporter"].lines if '"level": "error"' in line]
        assert len(errors) == 1 and "refused the service account's credentials" in errors[0]
        assert "Traceback" not in "".join(exporter.processes["exporter"].lines)
        assert exporter.processes["exporter"].popen.poll() is None  # no crash loop: still running
    finally:
        fake.refuse_credentials = False
        exporter.stop()


def test_the_dashboard_can_push_everything_to_a_named_sheet(gateway, fake):
    status = gateway.get("/api/sheets/status").json()
    assert status["configured"] and status["ready"] and status["problem"] is None
    started = gateway.post("/api/sheets/export", json={"sheet_name": "From the dashboard"})
    assert started.status_code == 202 and started.json()["status"] == "started"
    last = eventually(lambda: gateway.get("/api/sheets/status").json()["last_export"],
                      lambda e: e and e["status"] != "running")  # fmt: skip
    assert last["status"] == "done" and last["interviews"] == len(fake.values("From the dashboard")) - 1 >= 1
    assert gateway.post("/api/sheets/export", json={"sheet_name": "bad'name"}).status_code == 422


def test_a_report_revised_after_an_upheld_correction_replaces_the_rows(stack, gateway, fake):
    """A recruiter upholds a candidate's correction of a transcript: the sheet shows the outcome as it now
    stands (the corrected answer, its new score, the report written again), still one row per interview."""
    garbled = "I have done a lot of things with it, stuff like that."
    session_id = interview(gateway, "Hedy Corrected", [garbled])
    eventually(lambda: fake.values(INTERVIEWS), lambda rows: any(r[0] == session_id for r in rows))
    made = gateway.post(f"/api/interview/{session_id}/requests",
                        json={"kind": "transcription", "question_number": 1, "corrected_answer": REPLIES[0]})  # fmt: skip
    assert made.status_code == 200, made.text
    resolved = gateway.post(f"/api/data/interview/{session_id}/requests/{made.json()['request_id']}/resolve",
                            json={"decision": "upheld"})  # fmt: skip
    assert resolved.status_code == 200, resolved.text
    revision = eventually(lambda: gateway.get(f"/api/data/interview/{session_id}").json()["report_revision"],
                          lambda r: r is not None)  # fmt: skip

    def row() -> list:
        return [r for r in fake.values(INTERVIEWS) if r[0] == session_id]

    rows = eventually(row, lambda rows: len(rows) == 1 and float(rows[0][6]) == revision["overall_score"])
    assert rows[0][7] == revision["hire_recommendation"]
    assert rows[0][15] == " ".join(map(str, revision["individual_scores"]))
    answers = [r for r in fake.values(ANSWERS) if r[0] == session_id]
    assert [(r[3], r[4]) for r in answers] == [(REPLIES[0], str(revision["individual_scores"][0]))]

    # the first report delivered again (a retry that comes late) does not bring the first outcome back
    events = httpx.get(
        f"{stack.url('persistence')}/internal/sessions/{session_id}/events", headers=stack.internal_headers()
    ).json()["events"]
    report = next(raw for raw in events if json.loads(raw)["type"] == "ReportGenerated")
    handled = events_handled(stack.url("exporter"), consumer="exporter").get("ReportGenerated", 0)
    asyncio.run(publish_raw(stack.namespace, [("ReportGenerated", report.encode())], only_to="exporter"))
    eventually(lambda: events_handled(stack.url("exporter"), consumer="exporter").get("ReportGenerated", 0),
               lambda n: n == handled + 1)  # fmt: skip
    assert [r[6] for r in row()] == [rows[0][6]] and [r[4] for r in fake.values(ANSWERS) if r[0] == session_id] == [
        answers[0][4]]  # fmt: skip

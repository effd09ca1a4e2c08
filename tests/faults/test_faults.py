"""Nothing is lost, nothing is counted twice: 20 candidates interviewing at once while consumers are
killed with SIGKILL holding unacknowledged messages, services run as competing replicas, the broker
is restarted, every event is delivered twice, poison messages arrive, and the gateway restarts. Real
RabbitMQ, real processes (the stacks are in conftest.py); where a fault must meet work in flight, the
AI is a local OpenAI-compatible server that takes a second per answer, and completed interviews go to
a local fake of Google Sheets. Figures go to test-output/faults/summary.json."""

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from functools import cache

import httpx
import pytest

from services.exporter.rows import ANSWERS, INTERVIEWS
from shared.contracts.events import encode_event
from shared.contracts.topology import SUBSCRIPTIONS
from tests.conftest import rabbitmqctl
from tests.e2e.conftest import eventually
from tests.factories import interview_events
from tests.fakes.sheets_server import FakeSheets
from tests.faults.kills import AI_WORK, ai_calls, kill_while_holding_messages, prompt, without_effect
from tests.faults.probes import (
    dead_letter_depths,
    events_handled,
    outcomes,
    process_url,
    publish_raw,
    republished,
    wait_until_settled,
)
from tests.faults.summary import record
from tests.faults.workload import Workload, run_candidates, verify

pytestmark = pytest.mark.e2e
CANDIDATES, QUESTIONS = 20, 3
# seconds a candidate takes per answer (0.5x to 1.5x): the interviews outlast the faults (a restarted scoring
# service loads its sentence-embedding model, a second or more, before it is ready)
THINK = 7.0
SHEETS_DELAY = 1.0  # seconds the fake Sheets holds its reply to a write once it is done, while the exporter is killed
REFUSED = {"status": 401, "error": {"message": "Incorrect API key provided", "type": "invalid_request_error",
                                    "code": "invalid_api_key"}}  # fmt: skip


def exported(sheets: FakeSheets) -> tuple[list[str], list[tuple[str, str]]]:
    """The session of each Interviews row, and the session and question number of each Answers row."""
    return [r[0] for r in sheets.values(INTERVIEWS)[1:]], [(r[0], r[1]) for r in sheets.values(ANSWERS)[1:]]


def test_consumers_killed_with_sigkill_while_holding_messages(broker_control, exporting_stack, slow_ai, sheets):
    stack = exporting_stack
    workload = Workload(stack.url(), CANDIDATES, QUESTIONS, THINK)
    workload.start()
    doing = {"persistence": lambda: True,  # no work of its own to watch: frozen as soon as it holds messages
             "interview": ai_calls(slow_ai, "interview"), "scoring": ai_calls(slow_ai, "scoring"),
             "exporter": lambda: sheets.writes_unanswered}  # a row written, and the exporter not told yet  # fmt: skip
    kills = {}
    for service, at_work in doing.items():
        sheets.write_delay = SHEETS_DELAY if service == "exporter" else 0.0
        # the exporter holds a report it has not started on too: the one mid-write is in the sheet either way
        kills[service] = kill_while_holding_messages(stack, service, at_work, holding=2 if service == "exporter" else 1)
    sheets.write_delay = 0.0
    outcome = workload.result()
    last_kill = max(kill.killed for kill in kills.values())  # the kill itself, not the restart after it
    assert outcome.finished_at > last_kill, "the interviews were over before the last kill"
    figures = verify(stack.url("persistence"), outcome, QUESTIONS)

    # the sheet: one row per interview and one per answer, whatever the exporter was doing when it died
    rows = (sorted(outcome.sessions), sorted((s, str(n)) for s in outcome.sessions for n in range(1, QUESTIONS + 1)))
    eventually(lambda: exported(sheets), lambda e: (sorted(set(e[0])), sorted(set(e[1]))) == rows, timeout=60)
    wait_until_settled(stack.namespace)  # and any redelivery after that
    interview_rows, answer_rows = exported(sheets)
    for worksheet, found, wanted in ((INTERVIEWS, interview_rows, rows[0]), (ANSWERS, answer_rows, rows[1])):
        counted = Counter(found)
        assert counted == Counter(wanted), (f"{worksheet}: duplicated {[k for k, n in counted.items() if n > 1]}, "
                                            f"missing {sorted(set(wanted) - set(found))}")  # fmt: skip

    read_api = httpx.Client(base_url=stack.url("persistence"), timeout=60, headers=stack.internal_headers())

    @cache
    def stored(session_id: str) -> list[dict]:
        return [json.loads(raw) for raw in read_api.get(f"/internal/sessions/{session_id}/events").json()["events"]]

    report = {}
    for service, kill in kills.items():
        # what the dead process held came back to its queue and the restarted one did it
        missing = without_effect(service, kill.returned, stored, set(interview_rows))
        assert not missing, f"{service}: {len(kill.returned)} back in the queue at the kill, no effect of {missing}"
        redone = set()
        if service in AI_WORK:  # the same AI requests again
            redone = {prompt(r) for r in slow_ai.chat_requests() if r["received"] > kill.killed} & kill.caught
            assert redone == kill.caught, f"{service} never redid {kill.caught - redone}"
        report[service] = {"unacked_at_kill": kill.unacked, "back_in_queue": len(kill.returned),
                           "ai_calls_redone": len(redone),
                           "handled_after_restart": sum(events_handled(stack.url(service)).values())}  # fmt: skip
    read_api.close()
    report["exporter"]["sheet_writes_unanswered_at_kill"] = kills["exporter"].caught
    sheet = {"interview_rows": len(interview_rows), "answer_rows": len(answer_rows)}
    record("kill -9 each consumer while it holds messages", figures | {"kills": report, "sheet": sheet}, len(kills))


@pytest.mark.parametrize("stack", [{"interview": 3, "scoring": 3, "persistence": 2}], indirect=True, ids=["replicas"])
def test_replicas_compete_on_their_queues(broker_control, stack):
    replicas = {"interview": ("interview", "interview-2", "interview-3"),
                "scoring": ("scoring", "scoring-2", "scoring-3"), "persistence": ("persistence", "persistence-2")}  # fmt: skip
    assert {name for names in replicas.values() for name in names} <= set(stack.processes)
    outcome = asyncio.run(run_candidates(stack.url(), CANDIDATES, QUESTIONS))
    figures = verify(stack.url("persistence"), outcome, QUESTIONS)
    wait_until_settled(stack.namespace)
    handled = {name: sum(events_handled(stack.url(name)).values()) for names in replicas.values() for name in names}
    assert all(count > 0 for count in handled.values()), f"a replica handled nothing: {handled}"
    answers = CANDIDATES * QUESTIONS
    # interview: each start and each answer; scoring: each answer and each completion; persistence: all of them
    least = {"interview": CANDIDATES + answers, "scoring": answers + CANDIDATES, "persistence": 2 * answers}
    for service, names in replicas.items():
        assert sum(handled[name] for name in names) >= least[service], handled
    record("3 interview, 3 scoring and 2 persistence replicas", figures | {"handled_by": handled}, 0)


def test_the_broker_restarts_mid_flow(broker_control, stack):
    workload = Workload(stack.url(), CANDIDATES, QUESTIONS, THINK)
    workload.start()
    assert eventually(lambda: workload.outcome.in_flight("POST", "/api/submit-answer"), bool, timeout=60)
    rabbitmqctl("stop_app")
    try:
        start = {"job_description": "A Python developer for our team", "candidate_name": "During the outage",
                 "experience_years": 3}  # fmt: skip
        refused = httpx.post(f"{stack.url()}/api/start-interview", timeout=30, json=start)
        assert refused.status_code == 503 and "message broker is unavailable" in refused.json()["message"]
        time.sleep(2.0)
    finally:
        rabbitmqctl("start_app")
    restarted = time.monotonic()
    outcome = workload.result()
    assert outcome.finished_at > restarted and outcome.retries > 0, "the outage did not meet in-flight interviews"
    figures = verify(stack.url("persistence"), outcome, QUESTIONS)
    for name in stack.processes:  # every service reconnected by itself
        assert eventually(lambda n=name: httpx.get(f"{stack.url(n)}/readyz", timeout=10).status_code,
                          lambda code: code == 200, timeout=30) == 200, name  # fmt: skip
    record("the broker stopped and started mid-flow", figures, 1)


def test_every_event_delivered_twice_changes_nothing(broker_control, stack):
    outcome = asyncio.run(run_candidates(stack.url(), 10, QUESTIONS))
    verify(stack.url("persistence"), outcome, QUESTIONS)
    wait_until_settled(stack.namespace)
    read_api = httpx.Client(base_url=stack.url("persistence"), timeout=60, headers=stack.internal_headers())

    def stored_events() -> dict[str, list[str]]:
        return {session_id: read_api.get(f"/internal/sessions/{session_id}/events").json()["events"]
                for session_id in outcome.sessions}  # fmt: skip

    def snapshot() -> dict:
        return {
            "interviews": read_api.get("/api/data/interviews", params={"status": "all", "limit": 1000}).json(),
            "answers": read_api.get("/api/data/answers", params={"limit": 1000}).json(),
            "statistics": read_api.get("/api/data/statistics").json(),
            "events": stored_events(),
        }

    before = snapshot()
    events = [(json.loads(raw)["type"], raw.encode()) for raws in before["events"].values() for raw in raws]
    services = republished(events)
    handled_before = {service: Counter(outcomes(process_url(stack, service), service)) for service in services}
    asyncio.run(publish_raw(stack.namespace, events))

    def grown() -> dict[str, Counter]:
        """What each service finished with since, by outcome (ok, retried, dead_lettered, invalid)."""
        return {s: Counter(outcomes(process_url(stack, s), s)) - handled_before[s] for s in services}

    growth = eventually(grown, lambda g: all(g[s]["ok"] >= services[s] for s in services), timeout=60, interval=0.2)
    assert all(growth[s]["ok"] >= services[s] for s in services), f"handled again {growth}, delivered again {services}"
    wait_until_settled(stack.namespace)  # and whatever the duplicates led to
    assert snapshot() == before
    growth = grown()
    assert all(set(growth[s]) == {"ok"} for s in services), f"duplicates failed on their way: {growth}"
    assert dead_letter_depths(stack.namespace) == dict.fromkeys(SUBSCRIPTIONS, 0)
    record("every event delivered twice", {"interviews": len(outcome.sessions), "answers": len(outcome.sessions) * QUESTIONS,
                                           "lost": 0, "duplicated": 0, "client_retries": outcome.retries,
                                           "handled_again": {s: growth[s]["ok"] for s in services}}, len(events))  # fmt: skip


def dead_letters(env: dict[str, str], *options: str) -> tuple[dict[str, int], str]:
    listing = subprocess.run([sys.executable, "-m", "shared.platform.dlq", "list", *options], env=env,
                             capture_output=True, text=True, timeout=60)  # fmt: skip
    assert listing.returncode == 0, listing.stderr
    depths = {line.split()[0]: int(line.split()[1]) for line in listing.stdout.splitlines() if not line.startswith(" ")}
    return depths, listing.stdout


def redrive(env: dict[str, str], service: str) -> str:
    redriven = subprocess.run([sys.executable, "-m", "shared.platform.dlq", "redrive", service], env=env,
                              capture_output=True, text=True, timeout=60)  # fmt: skip
    assert redriven.returncode == 0, redriven.stderr
    return redriven.stdout


def test_poison_messages_reach_the_dlq_without_blocking_and_can_be_redriven(quick_ai_stack, quick_ai):
    stack = quick_ai_stack
    env = os.environ | {"BROKER_NAMESPACE": stack.namespace}
    poison = [("AnswerSubmitted", b"{not json"), ("InterviewStarted", b'{"type": "SomethingElse", "session_id": "x"}')]
    # a valid answer that scoring can never score while the AI refuses the key: a permanent failure (only
    # scoring gets it, so no other service calls the AI and no interview of it shows in the read models)
    refused = next(e for e in interview_events("poisoned") if e.type == "AnswerSubmitted")
    quick_ai.then(REFUSED)
    asyncio.run(publish_raw(stack.namespace, poison))
    asyncio.run(publish_raw(stack.namespace, [(refused.type, encode_event(refused))], only_to="scoring"))
    expected = {"gateway": 0, "interview": 2, "scoring": 2, "persistence": 2, "exporter": 0, "webhooks": 0}
    depths, listing = eventually(lambda: dead_letters(env, "--show", "5"), lambda d: d[0] == expected, timeout=30)
    assert depths == expected, listing
    assert "not an event" in listing and f"AnswerSubmitted session=poisoned event_id={refused.event_id}" in listing

    outcome = asyncio.run(run_candidates(stack.url(), 5, QUESTIONS))  # the queues keep flowing
    figures = verify(stack.url("persistence"), outcome, QUESTIONS)
    assert dead_letters(env)[0] == expected, "the candidates' work was dead-lettered"

    # re-driven, each goes through its consumer once more, fails the same way, and is back in the DLQ
    before = {service: Counter(outcomes(stack.url(service))) for service in ("scoring", "persistence")}
    quick_ai.then(REFUSED)  # the key is still wrong
    for service in before:
        assert f"Re-drove 2 messages to {service}." in redrive(env, service)
    # persistence also stores scoring's give-up notice once more: a duplicate, no-op
    again = {"scoring": {"invalid": 1, "dead_lettered": 1}, "persistence": {"invalid": 2, "ok": 1}}
    seen = eventually(lambda: {s: dict(Counter(outcomes(stack.url(s))) - before[s]) for s in before},
                      lambda seen: seen == again, timeout=30)  # fmt: skip
    assert seen == again, f"handled after the re-drive: {seen}"
    depths, listing = eventually(lambda: dead_letters(env), lambda d: d[0] == expected, timeout=30)
    assert depths == expected, listing
    record("poison messages", figures, len(poison) + 1)


def test_the_gateway_restarts_mid_interview(slow_ai_stack):
    stack = slow_ai_stack
    workload = Workload(stack.url(), CANDIDATES, QUESTIONS, THINK)
    workload.start()
    assert eventually(lambda: workload.outcome.in_flight("POST", "/api/submit-answer"), bool, timeout=60)
    stack.stop_service("gateway", signal.SIGKILL)
    killed = time.monotonic()
    stack.start_service("gateway")
    stack.wait_ready()
    restarted = time.monotonic()
    outcome = workload.result()
    # answers that were on their way when the gateway died, accepted by the restarted one
    spanning = [c for c in outcome.calls
                if c.path == "/api/submit-answer" and c.sent < killed and c.done is not None and c.done > restarted]  # fmt: skip
    assert spanning and all(c.status in (200, 202) and c.attempts > 1 for c in spanning), spanning
    started_before = {c.session_id for c in outcome.calls
                      if c.path == "/api/start-interview" and c.done is not None and c.done < killed}  # fmt: skip
    answered_after = {c.session_id for c in outcome.calls
                      if c.path == "/api/submit-answer" and c.sent > restarted and c.status in (200, 202)}  # fmt: skip
    assert started_before and started_before <= answered_after, "interviews started before did not go on after"
    figures = verify(stack.url("persistence"), outcome, QUESTIONS)
    record("the gateway killed and restarted", figures | {"answers_across_the_restart": len(spanning),
                                                          "interviews_resumed": len(started_before)}, 1)  # fmt: skip

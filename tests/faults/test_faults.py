"""Nothing is lost, nothing is counted twice: 20 candidates interviewing at once while consumers are
killed with SIGKILL holding unacknowledged messages, services run as competing replicas, the broker
is restarted, every event is delivered twice, poison messages arrive, and the gateway restarts. Real
RabbitMQ, real processes; where a fault must meet work in flight, the AI is a local OpenAI-compatible
server that takes AI_DELAY seconds per answer. Figures go to test-output/faults/summary.json."""

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import rabbitmqctl
from tests.e2e.conftest import assert_clean_shutdown, eventually, start_stack, stop_stack
from tests.fakes.openai_server import FakeOpenAI
from tests.faults.probes import (
    events_handled,
    publish_raw,
    republished,
    require_broker_control,
    wait_for_depth,
    wait_until_settled,
)
from tests.faults.workload import Workload, run_candidates, verify

pytestmark = pytest.mark.e2e
CANDIDATES, QUESTIONS = 20, 3
THINK = 5.0  # seconds a candidate takes per answer (0.5x to 1.5x): the interviews outlast the faults
AI_DELAY = 1.0  # seconds the fake model takes per completion: handlers are busy when faults land
ENV = {
    "ANSWER_WAIT_SECONDS": "5", "START_WAIT_SECONDS": "5",
    "START_RATE_PER_MINUTE": "100000", "ANSWER_RATE_PER_MINUTE": "100000",
}  # fmt: skip
AI_WORK = {"interview": {"QuestionOut"}, "scoring": {"AssessmentOut", "ReportOut"}}  # whose requests are whose
FENCE = re.compile(r"<(/?data-[a-z]+)-[0-9a-f]+>")
SUMMARY: dict[str, dict] = {}
OUTPUT = Path(__file__).resolve().parents[2] / "test-output" / "faults"


@pytest.fixture(scope="module", autouse=True)
def summary():
    yield
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / "summary.json").write_text(json.dumps(SUMMARY, indent=2))
    for name, figures in SUMMARY.items():
        print(f"\n{name}: {figures['interviews']} interviews, {figures['faults']} faults injected, "
              f"lost {figures['lost']}, duplicated {figures['duplicated']}, client retries {figures['client_retries']}")  # fmt: skip


@pytest.fixture
def broker_control():
    """Before any stack starts: rabbitmqctl reaches the broker of AMQP_URL."""
    require_broker_control()


def running_stack(request, tmp_path, replicas: dict[str, int] | None = None, **env: str):
    stack = start_stack(f"faults-{request.node.name}", tmp_path, **ENV, **env, start_replicas=replicas)
    yield stack
    assert_clean_shutdown(stack, stop_stack(stack))


@pytest.fixture
def stack(request, tmp_path):
    yield from running_stack(request, tmp_path, getattr(request, "param", None))


@pytest.fixture(scope="module")
def slow_ai():
    server = FakeOpenAI(delay=AI_DELAY).start()
    yield server
    server.stop()


@pytest.fixture
def slow_ai_stack(request, tmp_path, slow_ai):
    slow_ai.clear()
    env = {"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": slow_ai.base_url, "OPENAI_MODEL": "gpt-fake"}
    yield from running_stack(request, tmp_path, **env)


def record(name: str, figures: dict, faults: int) -> None:
    SUMMARY[name] = {k: v for k, v in figures.items() if k != "statistics"} | {"faults": faults}


@dataclass
class Kill:
    unacked: int  # messages the process held when SIGKILL landed
    returned: int  # ready in its queue once the broker saw it die (it had no other consumer)
    ai_calls: set[str]  # prompts of the AI requests its handlers were waiting for
    killed: float


def _kind(request: dict) -> str:
    return request["body"].get("response_format", {}).get("json_schema", {}).get("name", "")


def _prompt(request: dict) -> str:
    """What the request asks, without the fences' random markers."""
    return FENCE.sub(r"<\1>", request["body"]["messages"][-1]["content"])


def kill_while_holding_messages(stack, service: str, ai: FakeOpenAI, cue: set[str], timeout: float = 60.0) -> Kill:
    """Freeze the service (SIGSTOP) once the fake model is answering a request of a `cue` kind, show
    from the broker that it holds unacknowledged messages, SIGKILL it, see the broker take them back,
    and start it again. An AI service is frozen while one of its own requests is still unanswered:
    one of its handlers is mid-flight."""
    process = stack.processes[service].popen
    deadline = time.monotonic() + timeout
    own = AI_WORK.get(service, set())
    while True:
        while cue and not any(r["answered"] is None and _kind(r) in cue for r in ai.chat_requests()):
            time.sleep(0.01)
            assert time.monotonic() < deadline, f"no AI request of {cue} in flight"
        process.send_signal(signal.SIGSTOP)
        waiting_for = {_prompt(r) for r in ai.chat_requests() if r["answered"] is None and _kind(r) in own}
        if waiting_for or not own:
            break
        process.send_signal(signal.SIGCONT)  # answered in the meantime: catch the next one
        assert time.monotonic() < deadline, f"{service} was never caught waiting for the AI"
    try:
        unacked = wait_for_depth(stack.namespace, service, lambda d: d.unacked > 0, timeout).unacked
    except BaseException:
        process.send_signal(signal.SIGCONT)
        raise
    assert stack.stop_service(service, signal.SIGKILL) == -signal.SIGKILL
    killed = time.monotonic()
    returned = wait_for_depth(stack.namespace, service, lambda d: d.consumers == 0 and d.unacked == 0).ready
    assert returned >= unacked, f"{service}: {unacked} held at the kill, {returned} back in the queue"
    stack.start_service(service)
    stack.wait_ready()
    return Kill(unacked, returned, waiting_for, killed)


def test_consumers_killed_with_sigkill_while_holding_messages(broker_control, slow_ai_stack, slow_ai):
    stack = slow_ai_stack
    workload = Workload(stack.url(), CANDIDATES, QUESTIONS, THINK)
    workload.start()
    cues = {"persistence": set(), "interview": AI_WORK["interview"], "scoring": AI_WORK["scoring"],
            "exporter": {"ReportOut"}}  # the exporter's work comes once a report is being written  # fmt: skip
    kills = {service: kill_while_holding_messages(stack, service, slow_ai, cue) for service, cue in cues.items()}
    last_fault = time.monotonic()
    outcome = workload.result()
    assert outcome.finished_at > last_fault, "the interviews were over before the last fault"
    figures = verify(stack.url("persistence"), outcome, QUESTIONS)
    report = {}
    for service, kill in kills.items():
        # the restarted process did the dead one's work: the same AI requests again, and at least as many events
        asked_again = {_prompt(r) for r in slow_ai.chat_requests() if r["received"] > kill.killed} & kill.ai_calls
        assert asked_again == kill.ai_calls, f"{service} never redid {kill.ai_calls - asked_again}"
        handled = sum(events_handled(stack.url(service)).values())
        assert handled >= kill.unacked, f"{service}: {kill.unacked} held at the kill, {handled} handled since"
        report[service] = {"unacked_at_kill": kill.unacked, "back_in_queue": kill.returned,
                           "ai_calls_redone": len(asked_again), "handled_after_restart": handled}  # fmt: skip
    record("kill -9 each consumer while it holds messages", figures | {"kills": report}, len(kills))


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
    time.sleep(1.0)
    rabbitmqctl("stop_app")
    try:
        time.sleep(1.0)
        refused = httpx.post(f"{stack.url()}/api/start-interview", timeout=30,
                             json={"job_description": "A Python developer for our team", "candidate_name": "During the outage",
                                   "experience_years": 3})  # fmt: skip
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
    read_api = httpx.Client(base_url=stack.url("persistence"), timeout=60)

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
    handled_before = {service: sum(events_handled(stack.url(service), None).values()) for service in services}
    asyncio.run(publish_raw(stack.namespace, events))

    def grown() -> dict[str, float]:
        return {s: sum(events_handled(stack.url(s), None).values()) - handled_before[s] for s in services}

    growth = eventually(grown, lambda g: all(g[s] >= services[s] for s in services), timeout=60, interval=0.2)
    assert all(growth[s] >= services[s] for s in services), f"handled again {growth}, delivered again {services}"
    wait_until_settled(stack.namespace)  # and whatever the duplicates led to
    assert snapshot() == before
    record("every event delivered twice", {"interviews": len(outcome.sessions), "answers": len(outcome.sessions) * QUESTIONS,
                                           "lost": 0, "duplicated": 0, "client_retries": outcome.retries,
                                           "handled_again": growth}, len(events))  # fmt: skip


def dead_letters(env: dict[str, str], *options: str) -> tuple[dict[str, int], str]:
    listing = subprocess.run([sys.executable, "-m", "shared.dlq", "list", *options], env=env,
                             capture_output=True, text=True, timeout=60)  # fmt: skip
    assert listing.returncode == 0, listing.stderr
    depths = {line.split()[0]: int(line.split()[1]) for line in listing.stdout.splitlines() if not line.startswith(" ")}
    return depths, listing.stdout


def test_poison_messages_reach_the_dlq_without_blocking_and_can_be_redriven(stack):
    poison = [("AnswerSubmitted", b"{not json"), ("InterviewStarted", b'{"type": "SomethingElse", "session_id": "x"}')]
    asyncio.run(publish_raw(stack.namespace, poison))
    outcome = asyncio.run(run_candidates(stack.url(), 5, QUESTIONS))  # the queues keep flowing
    figures = verify(stack.url("persistence"), outcome, QUESTIONS)
    env = os.environ | {"BROKER_NAMESPACE": stack.namespace}
    expected = {"gateway": 0, "interview": 2, "scoring": 1, "persistence": 2, "exporter": 0}
    depths, listing = eventually(lambda: dead_letters(env, "--show", "5"), lambda d: d[0] == expected, timeout=30)
    assert depths == expected, listing
    assert "not an event" in listing
    redriven = subprocess.run([sys.executable, "-m", "shared.dlq", "redrive", "persistence"], env=env,
                              capture_output=True, text=True, timeout=60)  # fmt: skip
    assert "Re-drove 2 messages to persistence" in redriven.stdout
    # still poison: back in the DLQ, and nothing else disturbed
    depths, listing = eventually(lambda: dead_letters(env), lambda d: d[0] == expected, timeout=30)
    assert depths == expected, listing
    record("poison messages", figures, len(poison))


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

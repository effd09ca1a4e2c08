"""Nothing is lost, nothing is counted twice: 20 candidates interviewing at once while consumers are
killed with SIGKILL, services run as competing replicas, the broker is restarted, every event is
delivered twice, poison messages arrive, and the gateway restarts. Real RabbitMQ, real processes.
Figures go to test-output/faults/summary.json."""

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import aio_pika
import httpx
import pytest

from shared.topology import Names
from tests.conftest import AMQP_URL, rabbitmqctl
from tests.e2e.conftest import assert_clean_shutdown, eventually, start_stack, stop_stack
from tests.faults.workload import Workload, run_candidates, verify

pytestmark = pytest.mark.e2e
CANDIDATES, QUESTIONS = 20, 3
THINK = 5.0  # seconds a candidate takes per answer (0.5x to 1.5x): the interviews outlast the faults
ENV = {
    "ANSWER_WAIT_SECONDS": "5", "START_WAIT_SECONDS": "5",
    "START_RATE_PER_MINUTE": "100000", "ANSWER_RATE_PER_MINUTE": "100000",
}  # fmt: skip
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
def stack(request, tmp_path):
    replicas = getattr(request, "param", None)
    stack = start_stack(f"faults-{request.node.name}", tmp_path, **ENV, start_replicas=replicas)
    yield stack
    assert_clean_shutdown(stack, stop_stack(stack))


def record(name: str, figures: dict, faults: int) -> None:
    SUMMARY[name] = {k: v for k, v in figures.items() if k != "statistics"} | {"faults": faults}


def test_consumers_killed_with_sigkill_in_turn(stack):
    workload = Workload(stack.url(), CANDIDATES, QUESTIONS, THINK)
    workload.start()
    kills = 0
    for service in ("interview", "scoring", "persistence", "exporter"):
        time.sleep(0.7)
        assert stack.stop_service(service, signal.SIGKILL) == -signal.SIGKILL
        kills += 1
        time.sleep(0.5)
        stack.start_service(service)
        stack.wait_ready()
    last_fault = time.monotonic()
    outcome = workload.result()
    assert outcome.finished_at > last_fault, "the interviews were over before the last fault"
    record("kill -9 each consumer in turn", verify(stack.url("persistence"), outcome, QUESTIONS), kills)


@pytest.mark.parametrize("stack", [{"interview": 3, "scoring": 3, "persistence": 2}], indirect=True, ids=["replicas"])
def test_replicas_compete_on_their_queues(stack):
    assert {"interview-3", "scoring-3", "persistence-2"} <= set(stack.processes)
    outcome = asyncio.run(run_candidates(stack.url(), CANDIDATES, QUESTIONS))
    figures = verify(stack.url("persistence"), outcome, QUESTIONS)
    handled = {}
    for name in ("scoring", "scoring-2", "scoring-3"):
        metrics = httpx.get(f"{stack.url(name)}/metrics", timeout=10).text
        handled[name] = sum(float(line.rsplit(" ", 1)[1]) for line in metrics.splitlines()
                            if line.startswith('interviewer_events_total{event_type="AnswerSubmitted",outcome="ok"'))  # fmt: skip
    assert sum(handled.values()) >= CANDIDATES * QUESTIONS and sum(v > 0 for v in handled.values()) >= 2, handled
    record("3 interview, 3 scoring and 2 persistence replicas", figures | {"scored_by": handled}, 0)


def test_the_broker_restarts_mid_flow(stack):
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


def test_every_event_delivered_twice_changes_nothing(stack):
    outcome = asyncio.run(run_candidates(stack.url(), 10, QUESTIONS))
    verify(stack.url("persistence"), outcome, QUESTIONS)
    read_api = httpx.Client(base_url=stack.url("persistence"), timeout=60)

    def snapshot() -> dict:
        return {
            "interviews": read_api.get("/api/data/interviews", params={"status": "all", "limit": 1000}).json(),
            "answers": read_api.get("/api/data/answers", params={"limit": 1000}).json(),
            "statistics": read_api.get("/api/data/statistics").json(),
        }

    before = snapshot()
    events = [raw for session_id in outcome.sessions
              for raw in read_api.get(f"/internal/sessions/{session_id}/events").json()["events"]]  # fmt: skip
    asyncio.run(publish_raw(stack.namespace, [(json.loads(raw)["type"], raw.encode()) for raw in events]))
    time.sleep(1.0)
    assert wait_for_empty_queues(stack.namespace)
    assert snapshot() == before
    record("every event delivered twice", {"interviews": len(outcome.sessions), "answers": len(outcome.sessions) * QUESTIONS,
                                           "lost": 0, "duplicated": 0, "client_retries": outcome.retries}, len(events))  # fmt: skip


def test_poison_messages_reach_the_dlq_without_blocking_and_can_be_redriven(stack):
    poison = [("AnswerSubmitted", b"{not json"), ("InterviewStarted", b'{"type": "SomethingElse", "session_id": "x"}')]
    asyncio.run(publish_raw(stack.namespace, poison))
    outcome = asyncio.run(run_candidates(stack.url(), 5, QUESTIONS))  # the queues keep flowing
    figures = verify(stack.url("persistence"), outcome, QUESTIONS)
    env = os.environ | {"BROKER_NAMESPACE": stack.namespace}
    listing = subprocess.run([sys.executable, "-m", "shared.dlq", "list", "--show", "5"], env=env,
                             capture_output=True, text=True, timeout=60)  # fmt: skip
    assert listing.returncode == 0, listing.stderr
    depths = {line.split()[0]: int(line.split()[1]) for line in listing.stdout.splitlines() if not line.startswith(" ")}
    assert depths["persistence"] == 2 and depths["scoring"] == 1 and depths["interview"] == 2, listing.stdout
    assert "not an event" in listing.stdout
    redriven = subprocess.run([sys.executable, "-m", "shared.dlq", "redrive", "persistence"], env=env,
                              capture_output=True, text=True, timeout=60)  # fmt: skip
    assert "Re-drove 2 messages to persistence" in redriven.stdout
    time.sleep(1.0)  # still poison: back in the DLQ, and nothing else disturbed
    again = subprocess.run(
        [sys.executable, "-m", "shared.dlq", "list"], env=env, capture_output=True, text=True, timeout=60
    )
    assert "persistence  2" in again.stdout
    record("poison messages", figures, len(poison))


def test_the_gateway_restarts_mid_interview(stack):
    workload = Workload(stack.url(), CANDIDATES, QUESTIONS, THINK)
    workload.start()
    time.sleep(2.0)
    stack.stop_service("gateway", signal.SIGKILL)
    stack.start_service("gateway")
    stack.wait_ready()
    restarted = time.monotonic()
    outcome = workload.result()
    assert outcome.finished_at > restarted
    record("the gateway killed and restarted", verify(stack.url("persistence"), outcome, QUESTIONS), 1)


async def publish_raw(namespace: str, messages: list[tuple[str, bytes]]) -> None:
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.get_exchange(Names(namespace).exchange)
        for routing_key, body in messages:
            await exchange.publish(aio_pika.Message(body, delivery_mode=aio_pika.DeliveryMode.PERSISTENT), routing_key)


def wait_for_empty_queues(namespace: str, timeout: float = 60.0) -> bool:
    async def depths() -> list[int]:
        connection = await aio_pika.connect(AMQP_URL)
        async with connection:
            channel = await connection.channel()
            names = Names(namespace)
            found = []
            for service in ("gateway", "interview", "scoring", "persistence", "exporter"):
                queue = await channel.declare_queue(names.queue(service), passive=True)
                found.append(queue.declaration_result.message_count)
            return found

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(asyncio.run(depths())):
            time.sleep(0.5)  # consumed is not yet acked: let the last handlers finish
            return not any(asyncio.run(depths()))
        time.sleep(0.2)
    return False

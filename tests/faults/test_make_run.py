"""`make run` itself, started as the README says: while 10 candidates are mid-interview each of the
five services is killed with SIGKILL in turn (the gateway too); the launcher starts each again, and
every interview completes with exact statistics, nobody restarting anything by hand. Then Ctrl-C
stops everything. Ports, data folder and broker namespace are the test's own (settings, not code)."""

import asyncio
import json
import os
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import AMQP_URL
from tests.e2e.conftest import eventually
from tests.faults.conftest import ai_env
from tests.faults.kills import ai_calls, prompt
from tests.faults.probes import redelivered as redelivered_to
from tests.faults.summary import OUTPUT, record
from tests.faults.workload import Workload, verify
from tools.namespaces import delete_namespace, fresh_namespace
from tools.stack import PORT_VARIABLES, SERVICES, free_port, is_ready, service_pid

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
CANDIDATES, QUESTIONS = 10, 4
THINK = 4.0  # seconds a candidate takes per answer (0.5x to 1.5x): the interviews outlast the five kills


class MakeRun:
    """`make run` in a process group of its own (as in a terminal), its output in a file."""

    def __init__(self, tmp_path: Path, **settings: str) -> None:
        self.namespace = fresh_namespace("makerun")
        self.ports = {service: free_port() for service in SERVICES}
        self.log = OUTPUT / "make-run.log"
        OUTPUT.mkdir(parents=True, exist_ok=True)
        env = os.environ | {PORT_VARIABLES[s]: str(p) for s, p in self.ports.items()} | {
            "BROKER_NAMESPACE": self.namespace, "DATA_DIR": str(tmp_path / "interview_data"),
            "START_RATE_PER_MINUTE": "100000", "ANSWER_RATE_PER_MINUTE": "100000",
        } | settings  # fmt: skip
        with self.log.open("w") as sink:
            self.make = subprocess.Popen(["make", "run"], cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT,
                                         start_new_session=True)  # fmt: skip

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def url(self, service: str = "gateway") -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def pid(self, service: str) -> int | None:
        return service_pid(service, self.namespace)

    def interrupt(self) -> int:
        """Ctrl-C in its terminal: every process of the group gets SIGINT."""
        os.killpg(self.make.pid, signal.SIGINT)
        return self.make.wait(60)


@pytest.fixture
def make_run(tmp_path):
    yield from running(MakeRun(tmp_path))


@pytest.fixture
def slow_make_run(tmp_path, slow_ai):
    slow_ai.clear()
    yield from running(MakeRun(tmp_path, **ai_env(slow_ai)))


def running(run: MakeRun) -> Iterator[MakeRun]:
    try:
        eventually(run.output, lambda text: "Ready in" in text or run.make.poll() is not None, timeout=300)
        assert "Ready in" in run.output(), run.output()
        # the banner says where everything is (found by a newcomer: the dashboard and the data's file were not)
        assert f"Recruiters' dashboard:     {run.url()}/dashboard" in run.output(), run.output()
        assert "interviewer.sqlite3 (DATA_DIR)" in run.output()
        yield run
    finally:
        if run.make.poll() is None:
            run.interrupt()
        asyncio.run(delete_namespace(run.namespace, AMQP_URL))


def signal_and_wait_until_back(run: MakeRun, service: str, sig: signal.Signals) -> float:
    """Send `sig` to the service's process; seconds until its successor answers /readyz."""
    pid = run.pid(service)
    assert pid is not None, f"no {service} process of this make run"
    os.kill(pid, sig)
    sent = time.monotonic()
    eventually(lambda: run.pid(service) not in (None, pid) and is_ready(run.ports[service]), bool,
               timeout=60, interval=0.05)  # fmt: skip
    return round(time.monotonic() - sent, 2)


def test_make_run_brings_back_each_killed_service_and_no_interview_is_lost(make_run):
    workload = Workload(make_run.url(), CANDIDATES, QUESTIONS, THINK)
    workload.start()
    eventually(lambda: workload.outcome.answers_accepted, lambda n: n >= CANDIDATES // 2, timeout=120)
    kills = {service: signal_and_wait_until_back(make_run, service, signal.SIGKILL) for service in SERVICES}
    assert workload.is_alive(), "the interviews ended before every service was killed: nothing was mid-interview"
    outcome = workload.result()
    figures = verify(make_run.url(), outcome, QUESTIONS)

    said = make_run.output()
    for service in SERVICES:
        assert f"{service} exited with code -9 (SIGKILL); restarting it in 1 s" in said
        assert f"{service} is back: ready" in said
    make_run.interrupt()
    assert eventually(make_run.output, lambda text: "All services stopped." in text, timeout=30)
    assert [make_run.pid(service) for service in SERVICES] == [None] * len(SERVICES)
    record("make run: each service killed in turn", figures | {"back_and_ready_seconds": kills}, len(SERVICES))
    print(f"\nmake run, seconds from each kill until the service was ready again: {json.dumps(kills)}")


def test_sigterm_lets_the_work_in_hand_finish_so_nothing_is_done_twice(slow_make_run, slow_ai):
    """A clean stop finishes and acknowledges the messages in hand: with the AI taking a second per
    request, interview and scoring each get SIGTERM while the AI is answering them; the request in hand
    is answered once and never asked again, the restarted process is delivered nothing again
    (interviewer_redelivered_total), and the interviews go on."""
    run = slow_make_run
    workload = Workload(run.url(), CANDIDATES, QUESTIONS, THINK)
    workload.start()
    stopped = {}
    for service in ("interview", "scoring"):
        in_hand = eventually(ai_calls(slow_ai, service), bool, timeout=120, interval=0.01)
        signal_and_wait_until_back(run, service, signal.SIGTERM)
        time.sleep(0.5)  # what the broker would deliver again comes as soon as the new process consumes
        asked = Counter(prompt(request) for request in slow_ai.chat_requests())
        stopped[service] = {"in_hand": len(in_hand), "asked_again": sum(asked[p] > 1 for p in in_hand),
                            "redelivered": redelivered_to(run.url(service))}  # fmt: skip
    assert workload.is_alive(), "the interviews ended before every consumer was stopped: nothing was in flight"
    figures = verify(run.url(), workload.result(), QUESTIONS)
    assert all(s["asked_again"] == 0 and s["redelivered"] == 0 for s in stopped.values()), stopped
    assert "interview exited with code -15 (SIGTERM)" in run.output()
    record("make run: interview and scoring stopped with SIGTERM mid-work", figures | {"stopped": stopped}, 2)

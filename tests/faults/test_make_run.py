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
from pathlib import Path

import pytest

from tests.conftest import AMQP_URL
from tests.e2e.conftest import eventually
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

    def __init__(self, tmp_path: Path) -> None:
        self.namespace = fresh_namespace("makerun")
        self.ports = {service: free_port() for service in SERVICES}
        self.log = OUTPUT / "make-run.log"
        OUTPUT.mkdir(parents=True, exist_ok=True)
        env = os.environ | {PORT_VARIABLES[s]: str(p) for s, p in self.ports.items()} | {
            "BROKER_NAMESPACE": self.namespace, "DATA_DIR": str(tmp_path / "interview_data"),
            "START_RATE_PER_MINUTE": "100000", "ANSWER_RATE_PER_MINUTE": "100000",
        }  # fmt: skip
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
    run = MakeRun(tmp_path)
    try:
        eventually(run.output, lambda text: "Ready in" in text or run.make.poll() is not None, timeout=300)
        assert "Ready in" in run.output(), run.output()
        yield run
    finally:
        if run.make.poll() is None:
            run.interrupt()
        asyncio.run(delete_namespace(run.namespace, AMQP_URL))


def test_make_run_brings_back_each_killed_service_and_no_interview_is_lost(make_run):
    workload = Workload(make_run.url(), CANDIDATES, QUESTIONS, THINK)
    workload.start()
    eventually(lambda: workload.outcome.answers_accepted, lambda n: n >= CANDIDATES // 2, timeout=120)
    kills = {}
    for service in SERVICES:
        pid = make_run.pid(service)
        assert pid is not None, f"no {service} process of this make run"
        os.kill(pid, signal.SIGKILL)
        killed = time.monotonic()
        eventually(lambda s=service, p=pid: make_run.pid(s) not in (None, p) and is_ready(make_run.ports[s]), bool,
                   timeout=60, interval=0.05)  # fmt: skip
        kills[service] = round(time.monotonic() - killed, 2)
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

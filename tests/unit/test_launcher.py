"""The launcher: a process is never replaced while it runs, or the old one would go on consuming out
of reach; under `make run` (tools/run.py) a process that exits is started again with a backoff, and
only repeated failed starts stop everything. Stand-in processes play the services."""

import argparse
import json
import signal
import subprocess
import sys
import time

import pytest

from tools import run
from tools.run import GaveUp, Supervisor
from tools.stack import Process, Stack, StackError, free_port, is_ready


def test_a_running_process_is_not_started_again():
    stack = Stack()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    stack.processes["scoring"] = Process("scoring", 0, sleeper, None)
    try:
        with pytest.raises(StackError, match="scoring is still running"):
            stack.start_service("scoring")
        assert stack.processes["scoring"].popen is sleeper
    finally:
        sleeper.kill()
        sleeper.wait()


# A stand-in for a service: answers /readyz on its port after `ready_after` seconds (never if negative),
# then exits with `code` after `exit_after` seconds; what it does is read from a file per start.
STAND_IN = """
import http.server, os, sys, threading, time, json
plan = json.loads(open(sys.argv[1]).read())
port = int(os.environ["SCORING_PORT"])
print("stand-in starting", flush=True)
time.sleep(max(plan["ready_after"], 0))
if plan["ready_after"] >= 0:
    class Ready(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200); self.end_headers()
        def log_message(self, *args): pass
    server = http.server.HTTPServer(("127.0.0.1", port), Ready)
    threading.Thread(target=server.serve_forever, daemon=True).start()
time.sleep(plan["exit_after"])
print("stand-in failing on purpose", flush=True)
sys.exit(plan["code"])
"""


class StandIns(Stack):
    def __init__(self, tmp_path, plan: dict) -> None:
        super().__init__(ports={"scoring": free_port()})
        self.script, self.plan_file = tmp_path / "stand_in.py", tmp_path / "plan.json"
        self.script.write_text(STAND_IN)
        self.plan(**plan)

    def plan(self, **plan) -> None:
        self.plan_file.write_text(json.dumps(plan))

    def command(self, service: str) -> list[str]:
        return [sys.executable, str(self.script), str(self.plan_file)]


@pytest.fixture
def quick_backoff(monkeypatch):
    monkeypatch.setattr(run, "FIRST_DELAY", 0.1)
    monkeypatch.setattr(run, "MAX_DELAY", 0.4)


def supervise(stack: Stack, until, timeout: float = 20.0, supervisor: Supervisor | None = None):
    """Step the supervisor until `until(supervisor, said)`; the supervisor and what it said."""
    said: list[str] = []
    supervisor = supervisor or Supervisor(stack)
    supervisor.say = said.append
    deadline = time.monotonic() + timeout
    while not until(supervisor, said):
        supervisor.step()
        time.sleep(0.02)
        assert time.monotonic() < deadline, said
    return supervisor, said


def test_a_service_that_dies_is_started_again_with_a_doubling_backoff(tmp_path, quick_backoff):
    stack = StandIns(tmp_path, {"ready_after": 0, "exit_after": 0.3, "code": 3})
    stack.start(("scoring",))
    try:
        supervisor, said = supervise(stack, lambda s, said: len(s.recoveries) >= 3)
    finally:
        stack.stop()
    exits = [line for line in said if "exited with" in line]
    assert exits[:3] == [
        "scoring exited with code 3; restarting it in 0.1 s",
        "scoring exited with code 3; restarting it in 0.2 s",
        "scoring exited with code 3; restarting it in 0.4 s",
    ]
    assert all(seconds < 3 for _, seconds in supervisor.recoveries)
    assert any(line.startswith("scoring is back: ready") for line in said)


def test_the_backoff_starts_again_after_a_steady_minute(tmp_path, quick_backoff, monkeypatch):
    monkeypatch.setattr(run, "STEADY_SECONDS", 0.5)
    stack = StandIns(tmp_path, {"ready_after": 0, "exit_after": 1.0, "code": 1})
    stack.start(("scoring",))
    try:
        _, said = supervise(stack, lambda s, said: sum("exited with" in line for line in said) >= 3)
    finally:
        stack.stop()
    assert [line for line in said if "exited with" in line][:3] == [
        "scoring exited with code 1; restarting it in 0.1 s"
    ] * 3


def test_a_killed_service_is_named_with_its_signal(tmp_path, quick_backoff):
    stack = StandIns(tmp_path, {"ready_after": 0, "exit_after": 60, "code": 0})
    stack.start(("scoring",))
    try:
        supervisor, _ = supervise(stack, lambda s, said: s.all_ready)
        stack.processes["scoring"].popen.send_signal(signal.SIGKILL)
        supervisor, said = supervise(stack, lambda s, said: bool(s.recoveries), supervisor=supervisor)
    finally:
        stack.stop()
    assert said[0] == "scoring exited with code -9 (SIGKILL); restarting it in 0.1 s"


def test_five_failed_starts_in_a_row_stop_everything_with_the_log_tail(tmp_path, quick_backoff):
    stack = StandIns(tmp_path, {"ready_after": -1, "exit_after": 0.1, "code": 3})
    stack.start(("scoring",))
    try:
        with pytest.raises(GaveUp) as gave_up:
            supervise(stack, lambda s, said: False)
    finally:
        stack.stop()
    message = str(gave_up.value)
    assert message.startswith("scoring failed to start 5 times in a row (last exit code 3)")
    assert "stand-in failing on purpose" in message


def test_a_configuration_error_stops_everything_at_once(tmp_path, quick_backoff):
    """Found by a newcomer: a wrong AMQP_URL password was started again five times (46 s, 169 lines of log)."""
    stack = StandIns(tmp_path, {"ready_after": -1, "exit_after": 0.1, "code": 2})
    stack.start(("scoring",))
    supervisor = Supervisor(stack)
    try:
        with pytest.raises(GaveUp) as gave_up:
            supervise(stack, lambda s, said: False, supervisor=supervisor)
    finally:
        stack.stop()
    message = str(gave_up.value)
    assert message.startswith("scoring stopped on a configuration error, which starting again cannot mend")
    assert "stand-in failing on purpose" in message and supervisor.watches["scoring"].restarts == 0


def test_a_start_that_failed_then_succeeded_resets_the_count(tmp_path, quick_backoff):
    stack = StandIns(tmp_path, {"ready_after": -1, "exit_after": 0.1, "code": 3})
    stack.start(("scoring",))
    try:
        supervisor, _ = supervise(stack, lambda s, said: s.watches["scoring"].failed_starts == 4)
        stack.plan(ready_after=0, exit_after=60, code=0)
        supervisor, _ = supervise(stack, lambda s, said: s.all_ready, supervisor=supervisor)
    finally:
        stack.stop()
    assert supervisor.watches["scoring"].failed_starts == 0


def test_replicas_come_from_the_command_line():
    assert run.replica_count("scoring=3") == ("scoring", 3)
    for wrong in ("scoring", "scorer=2", "scoring=0", "exporter=2"):
        with pytest.raises(argparse.ArgumentTypeError):
            run.replica_count(wrong)


def test_links_point_at_the_gateway_the_stack_runs_unless_the_operator_says(monkeypatch):
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    assert Stack(ports={"gateway": 18000}).env["PUBLIC_URL"] == "http://127.0.0.1:18000"
    monkeypatch.setenv("PUBLIC_URL", "https://interviews.example.com")
    assert Stack(ports={"gateway": 18000}).env["PUBLIC_URL"] == "https://interviews.example.com"


def test_another_process_answering_on_the_port_is_not_taken_for_the_service(tmp_path, quick_backoff):
    """Another stack's service on the port answers /readyz; ours cannot bind and exits: failed starts."""
    stack = StandIns(tmp_path, {"ready_after": 0, "exit_after": 60, "code": 0})
    impostor = subprocess.Popen(
        [sys.executable, "-c", STAND_IN, str(stack.plan_file)],
        env=stack.env | {"SCORING_PORT": str(stack.ports["scoring"])},
    )
    try:
        eventually_ready = time.monotonic() + 10
        while not is_ready(stack.ports["scoring"]):
            assert time.monotonic() < eventually_ready
            time.sleep(0.05)
        stack.start(("scoring",))
        with pytest.raises(GaveUp, match="scoring failed to start 5 times in a row"):
            supervise(stack, lambda s, said: s.all_ready or bool(s.recoveries))
    finally:
        stack.stop()
        impostor.kill()
        impostor.wait()

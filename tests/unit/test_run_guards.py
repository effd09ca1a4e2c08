"""`make run` (tools/run.py) refuses what cannot work before it starts anything (a port or a data
folder another process holds), keeps its SecantusDB running like a service, and leaves no orphans
when it is killed outright."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.fakes.openai_server import FakeOpenAI
from tools import run, secantus
from tools.run import Supervisor
from tools.stack import PORT_VARIABLES, SERVICES, Stack, free_port, is_ready

ROOT = Path(__file__).resolve().parents[2]
needs_secantus = pytest.mark.skipif(not secantus.DAEMON.exists(), reason="SecantusDB is not installed")


def run_env(tmp_path: Path) -> dict[str, str]:
    """Ports, data folder and broker namespace of the test's own: whatever starts by mistake is apart."""
    env = {k: v for k, v in os.environ.items() if k != "MONGODB_URL"}
    return env | {PORT_VARIABLES[s]: str(free_port()) for s in SERVICES} | {
        "DATA_DIR": str(tmp_path / "data"), "BROKER_NAMESPACE": f"guards-{os.getpid()}",
    }  # fmt: skip


def start_run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    make = subprocess.Popen([sys.executable, "-m", "tools.run", "--quiet", *args], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)  # fmt: skip
    try:
        out, err = make.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(make.pid, signal.SIGINT)
        out, err = make.communicate(timeout=30)
        pytest.fail(f"tools.run did not stop at once:\n{out}\n{err}")
    return subprocess.CompletedProcess(make.args, make.returncode, out, err)


def test_a_port_another_process_listens_on_stops_it_at_once_naming_the_variable(tmp_path):
    env = run_env(tmp_path)
    with socket.socket() as other:
        other.bind(("127.0.0.1", int(env["INTERVIEW_PORT"])))
        other.listen()
        done = start_run(env)
    assert done.returncode != 0
    assert done.stderr.strip().startswith(
        f"INTERVIEW_PORT {env['INTERVIEW_PORT']} is in use by another process: stop it, or choose other ports (e.g. "
    )
    assert "Ready" not in done.stdout


def test_every_port_taken_is_named_at_once(tmp_path):
    """Found by a newcomer: told of GATEWAY_PORT, then on the next try of PERSISTENCE_PORT, and so on."""
    env = run_env(tmp_path)
    others = [socket.socket() for _ in SERVICES]
    try:
        for other, service in zip(others, SERVICES, strict=True):
            other.bind(("127.0.0.1", int(env[PORT_VARIABLES[service]])))
            other.listen()
        done = start_run(env)
    finally:
        for other in others:
            other.close()
    assert done.returncode != 0
    said = done.stderr.strip()
    assert all(f"{PORT_VARIABLES[s]} {env[PORT_VARIABLES[s]]}" in said for s in SERVICES), said
    assert "(another make run, by the look of it)" in said


@pytest.mark.parametrize("value", ["abc", "70000", "-1", "80 80"])
def test_a_port_that_is_no_port_is_a_configuration_error_in_one_line(tmp_path, value):
    """Found by a newcomer: a traceback (ValueError, OverflowError) where GATEWAY_PORT=0 said what was wrong."""
    done = start_run(run_env(tmp_path) | {"GATEWAY_PORT": value})
    assert done.returncode == 2
    assert done.stderr.strip() == (f"configuration error: GATEWAY_PORT is {value!r}: a port is a whole number from 1 "
                                   "to 65535 (default 8000)")  # fmt: skip


def test_a_data_folder_that_is_a_file_is_a_configuration_error_at_once(tmp_path):
    """Found by a newcomer: persistence failed five times, a traceback each time, before make run gave up."""
    (tmp_path / "data").write_text("not a folder")
    done = start_run(run_env(tmp_path))
    assert done.returncode == 2
    assert done.stderr.strip() == (f"configuration error: DATA_DIR {tmp_path / 'data'}: {tmp_path / 'data'} is a "
                                   "file, not a folder; name a folder for the data")  # fmt: skip


def test_the_banner_says_which_ai_answers():
    """Found by a newcomer: a key for an OpenAI this machine cannot reach looked like the offline interviewer,
    and a candidate waited three minutes for a question. Asked of a real HTTP server standing in for OpenAI."""
    assert run.ai_in_use({}).startswith("the offline interviewer")
    fake = FakeOpenAI().start()
    try:
        working = {"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": fake.base_url}
        assert run.ai_in_use(working) == f"OpenAI, gpt-4o-mini at {fake.base_url}, answering"
        refused = run.ai_in_use(working | {"OPENAI_API_KEY": "sk-refused", "OPENAI_MODEL": "gpt-5"})
        assert refused.startswith(f"OpenAI, gpt-5 at {fake.base_url}, which REFUSES this OPENAI_API_KEY (401)")
    finally:
        fake.stop()
    nowhere = run.ai_in_use({"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": f"http://127.0.0.1:{free_port()}/v1"})
    assert "NOT REACHABLE from here (ConnectError)" in nowhere and "unset OPENAI_API_KEY" in nowhere


@needs_secantus
def test_a_data_folder_another_secantusdb_holds_is_named_in_one_line(tmp_path):
    env = run_env(tmp_path)
    storage = tmp_path / "data" / "secantus"
    other = secantus.start(storage=storage, log_path=tmp_path / "other.log")
    try:
        done = start_run(env, "--mongodb")
    finally:
        other.stop()
    assert done.returncode != 0
    assert done.stderr.strip() == f"another make run-mongo uses {storage.parent}: stop it first"


@needs_secantus
def test_secantusdb_that_exits_is_started_again_and_the_stop_says_what_happened(monkeypatch):
    monkeypatch.setattr(run, "FIRST_DELAY", 0.1)
    server = secantus.start()
    said: list[str] = []
    supervisor = Supervisor(Stack(), say=said.append, mongodb=server)
    try:
        deadline = time.monotonic() + 20
        while not supervisor.all_ready:
            supervisor.step()
            assert time.monotonic() < deadline
        server.process.send_signal(signal.SIGKILL)
        while not supervisor.recoveries:
            supervisor.step()
            time.sleep(0.02)
            assert time.monotonic() < deadline, said
        assert said[0] == "secantusdb exited with code -9 (SIGKILL); restarting it in 0.1 s"
        assert said[1].startswith("secantusdb is back: ready")
        assert server.answers()
        server.process.send_signal(signal.SIGKILL)
        server.process.wait()
    finally:
        told = run.stop_mongodb(server)
    assert told == "SecantusDB had exited (code -9 (SIGKILL)) before the stop."


# What a supervisor starts: a stand-in service through Stack, and a SecantusDB, restarted once (as
# after a crash); it prints their pids.
PARENT = """
import signal, sys, time
from tools import secantus
from tools.stack import Stack, guard_children

guard_children()  # as tools.run does when it runs

class StandIn(Stack):
    def command(self, service):
        return [sys.executable, "-c", "import time; time.sleep(60)"]

service = StandIn().start_service("scoring")
server = secantus.start() if sys.argv[1] == "mongodb" else None
if server:
    server.process.send_signal(signal.SIGKILL)
    server.process.wait()
    server.restart()
    secantus.wait_ready(server)
    time.sleep(0.5)
print(service.popen.pid, server.process.pid if server else 0, server.storage if server else "", flush=True)
time.sleep(60)
"""


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
@pytest.mark.parametrize("with_mongodb", [pytest.param(True, marks=needs_secantus), False])
def test_the_children_die_with_a_supervisor_killed_outright(with_mongodb):
    parent = subprocess.Popen([sys.executable, "-c", textwrap.dedent(PARENT), "mongodb" if with_mongodb else "-"],
                              cwd=ROOT, stdout=subprocess.PIPE, text=True)  # fmt: skip
    service, daemon, storage = (parent.stdout.readline().split() + [""])[:3]
    children = [int(pid) for pid in (service, daemon) if int(pid)]
    try:
        assert all(alive(pid) for pid in children)
        parent.kill()
        parent.wait()
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in children if alive(pid)]
    finally:
        for pid in children:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        if storage:
            shutil.rmtree(storage, ignore_errors=True)
            Path(storage + ".log").unlink(missing_ok=True)


def test_services_bound_to_one_address_are_reached_and_found_ready_there(tmp_path):
    """Found by an operator's test: with BIND_HOST=192.0.2.2 every service came up, and `make run` stopped them
    all as never ready, having asked 127.0.0.1 (and the gateway looked for persistence there too)."""
    env = run_env(tmp_path) | {"BIND_HOST": "127.0.0.2"}  # a loopback address, but not the one assumed
    stack = Stack(env=env, ports={service: free_port() for service in SERVICES})
    assert stack.url() == f"http://127.0.0.2:{stack.ports['gateway']}"
    assert stack.env["PERSISTENCE_URL"] == f"http://127.0.0.2:{stack.ports['persistence']}"
    stack.start()
    try:
        stack.wait_ready(timeout=60)  # found ready where they listen
        assert is_ready(stack.ports["gateway"], "127.0.0.2")
        assert not is_ready(stack.ports["gateway"])  # bound to that address alone: nothing on 127.0.0.1
    finally:
        stack.stop()


def test_a_mistyped_broker_port_is_said_so_instead_of_starting_a_second_broker():
    """Found by a newcomer reading tools/ensure-rabbitmq: AMQP_URL on the wrong port of this machine would start
    rabbitmq-server, wait 90 s, and point at its log. (RabbitMQ answers on 5672 here, as on every machine of ours.)"""
    port = free_port()
    done = subprocess.run([str(ROOT / "tools" / "ensure-rabbitmq")], capture_output=True, text=True, timeout=30,
                          env=os.environ | {"AMQP_URL": f"amqp://guest:guest@127.0.0.1:{port}/"})  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"Nothing answers on 127.0.0.1:{port} (AMQP_URL), but a broker answers on 127.0.0.1:5672: check AMQP_URL's port."
    )
    assert "starting it" not in done.stdout


def test_make_run_comes_up_with_its_banner_and_stops_on_ctrl_c(tmp_path):
    """`make run` as a newcomer runs it (`python -m tools.run`), to its banner and Ctrl-C (found by a review: the
    banner's AI line was defined below the module's `__main__` block, so the banner raised a NameError once every
    service was ready, which the tests importing the module could not see)."""
    make = subprocess.Popen([sys.executable, "-m", "tools.run", "--quiet"], cwd=ROOT, env=run_env(tmp_path), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)  # fmt: skip
    said = []
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and make.poll() is None and "Press Ctrl-C" not in "".join(said):
            said.append(make.stdout.readline())
        banner = "".join(said)
        assert "Ready in" in banner and "Recruiters' dashboard:" in banner, banner + make.stderr.read()
        assert "AI:                        the offline interviewer" in banner
    finally:
        os.killpg(make.pid, signal.SIGINT)
        out, err = make.communicate(timeout=60)
    assert make.returncode == 0, err
    assert "All services stopped." in out and "Traceback" not in err

"""`make run`: the five services on this machine, kept running. A process that exits unexpectedly is
started again after a backoff (1 s, doubling up to 30 s, back to 1 s once it has been up a minute);
only a service that fails its start (exits before it is ready) five times in a row stops the whole
stack, with the tail of its log. With `--mongodb` and no MONGODB_URL, the local SecantusDB is kept running
the same way. On Linux every child gets SIGTERM when this process dies, even by SIGKILL."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx

from shared.ai.settings import AISettings
from shared.platform.redaction import redact_credentials
from tools import secantus
from tools.secantus import LABEL, SecantusError, SecantusServer, storage_in_use
from tools.stack import (
    DEFAULT_PORTS,
    PORT_VARIABLES,
    SERVICES,
    Stack,
    StackError,
    free_port,
    guard_children,
    port_in_use,
    pretty,
    serves,
)

FIRST_DELAY, MAX_DELAY = 1.0, 30.0
STEADY_SECONDS = 60.0  # up this long, a process's next crash is restarted after FIRST_DELAY again
FAILED_STARTS_LIMIT = 5
CONFIGURATION_ERROR = 2  # a service's exit code for a wrong setting (shared/platform/service.py): not restarted
START_TIMEOUT = 60.0  # not ready after this long: a failed start
READY_CHECK_INTERVAL = 0.1
MONGODB = "secantusdb"  # the supervisor's name for the local SecantusDB


class GaveUp(RuntimeError):
    """A service failed its start too often in a row: the stack cannot run."""


@dataclass
class Watch:
    launched: float  # when the current process was started
    delay: float  # before the next restart
    ready_at: float | None = None
    exited_at: float | None = None
    restart_at: float | None = None
    failed_starts: int = 0
    restarts: int = 0
    last_check: float = 0.0


@dataclass
class Child:
    """What the supervisor needs of a process it keeps running: a service's, or SecantusDB's."""

    popen: subprocess.Popen
    ready: Callable[[], bool]  # this very process answers (not another one on its port)
    restart: Callable[[], object]
    tail: Callable[[], str]


class Supervisor:
    def __init__(self, stack: Stack, say: Callable[[str], None] = print, mongodb: SecantusServer | None = None) -> None:
        self.stack = stack
        self.say = say
        self.mongodb = mongodb
        now = time.monotonic()
        self.watches = {name: Watch(launched=now, delay=FIRST_DELAY) for name in self.children()}
        self.recoveries: list[tuple[str, float]] = []  # (service, seconds from its exit until ready again)

    def children(self) -> dict[str, Child]:
        children = {
            name: Child(
                process.popen,
                ready=lambda process=process: serves(process),
                restart=lambda name=name: self.stack.start_service(name),
                tail=lambda process=process: "\n".join(pretty(process.name, line) for line in process.lines[-25:]),
            )
            for name, process in self.stack.processes.items()
        }
        if self.mongodb:
            server = self.mongodb
            children[MONGODB] = Child(server.process, server.answers, server.restart, lambda: server.log_tail(25))
        return children

    @property
    def all_ready(self) -> bool:
        return all(w.ready_at is not None and w.restart_at is None for w in self.watches.values())

    def step(self) -> None:
        """Look at every process once: note readiness, schedule and perform restarts. Raises GaveUp."""
        now = time.monotonic()
        for name, child in self.children().items():
            watch = self.watches.setdefault(name, Watch(launched=now, delay=FIRST_DELAY))
            if child.popen.poll() is not None:
                self._exited(name, child, watch, now)
            elif watch.ready_at is None:
                self._check_start(name, child, watch, now)
            elif now - watch.ready_at >= STEADY_SECONDS:
                watch.delay = FIRST_DELAY

    def _exited(self, name: str, child: Child, watch: Watch, now: float) -> None:
        if watch.restart_at is None:  # just noticed
            watch.exited_at = watch.exited_at or now
            if watch.ready_at is None:
                watch.failed_starts += 1
                if child.popen.returncode == CONFIGURATION_ERROR:  # found by a newcomer: retried five times, 46 s
                    raise GaveUp(
                        f"{name} stopped on a configuration error, which starting again cannot mend: fix the setting "
                        "its log names and run again. Its last lines:\n" + child.tail().rstrip()
                    )
                if watch.failed_starts >= FAILED_STARTS_LIMIT:
                    raise GaveUp(
                        f"{name} failed to start {watch.failed_starts} times in a row "
                        f"(last exit code {describe_exit(child.popen.returncode)}); its last lines:\n"
                        + child.tail().rstrip()
                    )
            watch.restart_at = now + watch.delay
            self.say(
                f"{name} exited with code {describe_exit(child.popen.returncode)}; "
                f"restarting it in {watch.delay:g} s"
                + (f" (failed starts in a row: {watch.failed_starts})" if watch.failed_starts else "")
            )
            watch.delay = min(watch.delay * 2, MAX_DELAY)
        elif now >= watch.restart_at:
            child.restart()
            watch.launched, watch.ready_at, watch.restart_at = now, None, None
            watch.restarts += 1

    def _check_start(self, name: str, child: Child, watch: Watch, now: float) -> None:
        if now - watch.last_check < READY_CHECK_INTERVAL:
            return
        watch.last_check = now
        if child.ready():
            watch.ready_at = time.monotonic()
            watch.failed_starts = 0
            if watch.exited_at is not None:
                seconds = watch.ready_at - watch.exited_at
                self.recoveries.append((name, seconds))
                self.say(f"{name} is back: ready {seconds:.1f} s after it exited (restart {watch.restarts})")
            watch.exited_at = None
        elif now - watch.launched > START_TIMEOUT:
            self.say(f"{name} is not ready {START_TIMEOUT:.0f} s after its start; stopping it to start again")
            child.popen.kill()
            watch.exited_at = now


def describe_exit(code: int | None) -> str:
    """An exit code as people read it: -9 is SIGKILL."""
    if code is not None and code < 0:
        try:
            return f"{code} ({signal.Signals(-code).name})"
        except ValueError:
            pass
    return str(code)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the five Interviewer services on this machine.")
    parser.add_argument("--quiet", action="store_true", help="do not print the services' logs")
    parser.add_argument(
        "--replicas", action="append", default=[], type=replica_count, metavar="SERVICE=N",
        help="run N processes of SERVICE competing on its queue (repeatable), e.g. --replicas scoring=3",
    )  # fmt: skip
    parser.add_argument(
        "--no-restart", action="store_true", help="stop everything when any service exits, instead of restarting it"
    )
    parser.add_argument(
        "--mongodb", action="store_true",
        help="keep the data in MongoDB: the server at MONGODB_URL, or else a local SecantusDB (a development server)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # even where a parent left SIGINT ignored
        signal.signal(sig, _interrupt)
    ports, wrong_port = read_ports()
    if wrong := wrong_port or data_dir_problem():  # found by a newcomer: a traceback, or five failed starts, before
        print(f"configuration error: {wrong}", file=sys.stderr, flush=True)
        return CONFIGURATION_ERROR
    local_mongodb = args.mongodb and not os.environ.get("MONGODB_URL")
    if problem := (local_mongodb and data_dir_in_use()) or ports_taken(DEFAULT_PORTS | ports):
        print(problem, file=sys.stderr, flush=True)
        return 1
    try:
        mongodb = start_mongodb() if local_mongodb else None
    except (SecantusError, KeyboardInterrupt) as error:
        print(f"SecantusDB did not start: {error}", file=sys.stderr, flush=True)
        return 1
    try:
        return run(args, ports, mongodb)
    finally:
        if mongodb:
            print(stop_mongodb(mongodb), flush=True)


def stop_mongodb(server: SecantusServer) -> str:
    """Stop it; what happened, as it happened."""
    running = server.process.poll() is None
    code = server.stop()
    return "SecantusDB stopped." if running else f"SecantusDB had exited (code {describe_exit(code)}) before the stop."


def read_ports() -> tuple[dict[str, int], str | None]:
    """The ports the environment gives the services, or what is wrong with one (not a number, or out of range)."""
    ports = {}
    for name, variable in PORT_VARIABLES.items():
        if text := os.environ.get(variable, "").strip():
            if not text.isdigit() or not 1 <= int(text) <= 65535:
                return (
                    {},
                    f"{variable} is {text!r}: a port is a whole number from 1 to 65535 (default {DEFAULT_PORTS[name]})",
                )
            ports[name] = int(text)
    return ports, None


def data_dir_problem() -> str | None:
    """Why the data folder (DATA_DIR) cannot hold the data, if it cannot: a file of that name, or no right to write."""
    folder = Path(os.environ.get("DATA_DIR") or "interview_data").resolve()
    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if existing is not None and not existing.is_dir():
        return f"DATA_DIR {folder}: {existing} is a file, not a folder; name a folder for the data"
    if existing is not None and not os.access(existing, os.W_OK | os.X_OK):
        return f"DATA_DIR {folder}: {existing} is not writable by this user; name a folder it may write to"
    return None


def ports_taken(ports: dict[str, int]) -> str | None:
    """Why the services could not listen where they are told to, if they could not: two services are given one
    port, or ports are other processes' (all of them named at once: found by a newcomer, who was told of one
    port, then the next, each on another try)."""
    for name, port in ports.items():
        if others := [PORT_VARIABLES[n] for n, p in ports.items() if p == port and n != name]:
            return f"{PORT_VARIABLES[name]} and {', '.join(others)} are both {port}: give each service its own port"
    taken = [f"{PORT_VARIABLES[name]} {port}" for name, port in ports.items() if port_in_use(port)]
    if not taken:
        return None
    every = len(taken) == len(ports)
    return (
        f"{', '.join(taken)} {'is' if len(taken) == 1 else 'are'} in use by another process"
        + (" (another make run, by the look of it)" if every else "")
        + ": stop it, or choose other ports (e.g. GATEWAY_PORT=8010 PERSISTENCE_PORT=8011 INTERVIEW_PORT=8012 "
        "SCORING_PORT=8013 EXPORTER_PORT=8014 make run; a second system beside the first also needs its own "
        "BROKER_NAMESPACE and DATA_DIR, else the two share their queues and data)"
    )


def mongodb_storage() -> Path:
    return Path(os.environ.get("DATA_DIR", "interview_data")).resolve() / "secantus"


def data_dir_in_use() -> str | None:
    storage = mongodb_storage()
    return f"another make run-mongo uses {storage.parent}: stop it first" if storage_in_use(storage) else None


def start_mongodb() -> SecantusServer:
    """A local SecantusDB for `make run-mongo`, its data kept beside SQLite's between runs."""
    storage = mongodb_storage()
    port = 27017 if not port_in_use(27017) else free_port()
    print(f"Starting {LABEL} on port {port}, data in {storage} ...", flush=True)
    return secantus.start(storage=storage, port=port, log_path=storage.with_name("secantus.log"))


def run(args: argparse.Namespace, ports: dict[str, int], mongodb: SecantusServer | None = None) -> int:
    stack = Stack(echo=not args.quiet, ports=ports, env={"MONGODB_URL": mongodb.url} if mongodb else {})
    replicas = dict(args.replicas)
    print(f"Starting {', '.join(f'{name} x{replicas[name]}' if name in replicas else name for name in SERVICES)} ...",
          flush=True)  # fmt: skip
    try:
        stack.start(replicas=replicas)
        return _run_unsupervised(stack) if args.no_restart else _run_supervised(stack, mongodb)
    except KeyboardInterrupt:
        print("\nStopping ...", flush=True)
        return 0
    except (StackError, GaveUp) as error:
        print(f"Stopping everything: {error}", file=sys.stderr, flush=True)
        return 1
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # a second Ctrl-C must not cut the shutdown
            signal.signal(sig, signal.SIG_IGN)
        stack.stop()
        print("All services stopped.", flush=True)


def _run_supervised(stack: Stack, mongodb: SecantusServer | None) -> int:
    supervisor = Supervisor(stack, say=lambda text: print(f"{'stack':<11} {text}", flush=True), mongodb=mongodb)
    started = time.monotonic()
    while not supervisor.all_ready:
        supervisor.step()
        time.sleep(0.05)
    _ready_banner(stack, time.monotonic() - started, "A service that exits is started again.")
    while True:
        supervisor.step()
        time.sleep(0.1)


def _run_unsupervised(stack: Stack) -> int:
    _ready_banner(stack, stack.wait_ready(), "Any service that exits stops them all (--no-restart).")
    while (exited := stack.first_exit()) is None:
        time.sleep(0.5)
    print(f"{exited.name} exited with code {exited.popen.returncode}; stopping the others.", file=sys.stderr)
    return 1


def _ready_banner(stack: Stack, seconds: float, restarts: str) -> None:
    extra = sorted(name for name in stack.processes if name not in SERVICES)
    url = stack.env.get("MONGODB_URL")
    sqlite = Path(stack.env.get("DATA_DIR") or "interview_data").resolve() / "interviewer.sqlite3"
    data = (f"MongoDB at {redact_credentials(url)}" + (f" ({LABEL})" if "directConnection" in url else "") if url
            else f"SQLite, {sqlite} (DATA_DIR)")  # fmt: skip
    print(
        f"\nReady in {seconds:.1f}s.\n"
        f"  Web app and candidate API: {stack.url()}\n"
        f"  Recruiters' dashboard:     {stack.url()}/dashboard\n"
        f"  Read API (via gateway):    {stack.url()}/api/data/interviews\n"
        f"  API docs:                  {stack.url()}/docs  (persistence: {stack.url('persistence')}/docs)\n"
        f"  Data:                      {data}\n"
        f"  AI:                        {ai_in_use(stack.env)}\n"
        + (f"  Replicas:                  {', '.join(f'{n} (:{stack.ports[n]})' for n in extra)}\n" if extra else "")
        + f"{restarts} Press Ctrl-C to stop.\n",
        flush=True,
    )


def replica_count(text: str) -> tuple[str, int]:
    """`scoring=3` from the command line."""
    name, _, count = text.partition("=")
    if name not in SERVICES or not count.isdigit() or not 1 <= int(count) <= 32:
        raise argparse.ArgumentTypeError(
            f"'{text}': expected SERVICE=N with SERVICE one of {', '.join(SERVICES)}, N 1-32"
        )
    if name == "exporter" and int(count) > 1:
        raise argparse.ArgumentTypeError("the exporter runs once: Google's write quota is per account")
    return name, int(count)


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def ai_in_use(env: Mapping[str, str]) -> str:
    """The AI the services use, and whether it answers now (found by a newcomer: a key for an OpenAI this machine
    cannot reach looked like the offline interviewer in the banner, and a candidate waited three minutes for a
    question). Asked once, of the models list, in 5 s at most."""
    key = env.get("OPENAI_API_KEY", "").strip()
    if not key:
        return "the offline interviewer (deterministic; set OPENAI_API_KEY for OpenAI)"
    base = (env.get("OPENAI_BASE_URL") or "https://api.openai.com/v1").rstrip("/")
    model = env.get("OPENAI_MODEL") or AISettings.model_fields["openai_model"].default
    named = f"OpenAI, {model} at {redact_credentials(base)}"
    try:
        answer = httpx.get(f"{base}/models", headers={"Authorization": f"Bearer {key}"}, timeout=5)
    except httpx.HTTPError as error:
        return (f"{named}, NOT REACHABLE from here ({type(error).__name__}): candidates will wait for questions and "
                "then be told to come back later; unset OPENAI_API_KEY to use the offline interviewer")  # fmt: skip
    if answer.status_code in (401, 403):
        return f"{named}, which REFUSES this OPENAI_API_KEY ({answer.status_code}): fix it, or unset it for the offline one"
    return f"{named}, answering"


if __name__ == "__main__":
    guard_children()  # what this supervisor starts dies with it, even with kill -9 (Linux)
    sys.exit(main())

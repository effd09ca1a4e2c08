"""Start the five services as separate processes, wait until they are ready, stop them.

`make run` (tools/run.py) supervises a Stack; the end-to-end tests and benchmarks use `Stack`
directly and restart (or not) what they kill themselves.
"""

from __future__ import annotations

import ctypes
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

SERVICES = ("persistence", "interview", "scoring", "exporter", "gateway")
PORT_VARIABLES = {
    "gateway": "GATEWAY_PORT",
    "persistence": "PERSISTENCE_PORT",
    "interview": "INTERVIEW_PORT",
    "scoring": "SCORING_PORT",
    "exporter": "EXPORTER_PORT",
}
DEFAULT_PORTS = {"gateway": 8000, "persistence": 8001, "interview": 8002, "scoring": 8003, "exporter": 8004}
ECHOING = threading.Lock()
COLOURS = {"gateway": 36, "persistence": 35, "interview": 33, "scoring": 32, "exporter": 34}


class StackError(RuntimeError):
    pass


@dataclass
class Process:
    name: str
    port: int
    popen: subprocess.Popen
    log_path: Path | None
    lines: list[str] = field(default_factory=list)
    host: str = "127.0.0.1"  # where this machine reaches it (`reachable_host`)


class Stack:
    def __init__(
        self,
        env: dict[str, str] | None = None,
        ports: dict[str, int] | None = None,
        log_dir: Path | None = None,
        echo: bool = False,
    ) -> None:
        self.ports = DEFAULT_PORTS | (ports or {})
        self.env = os.environ.copy() | (env or {})
        self.env |= {PORT_VARIABLES[name]: str(port) for name, port in self.ports.items()}
        self.host = reachable_host(self.env.get("BIND_HOST", ""))
        self.env.setdefault("PERSISTENCE_URL", self.url("persistence"))
        self.env.setdefault("EXPORTER_URL", self.url("exporter"))
        # where invitation links and the sign-in's callback point: this gateway, unless the operator says
        self.env.setdefault("PUBLIC_URL", self.url())
        self.env.setdefault("PYTHONUNBUFFERED", "1")
        # what the services present to each other (persistence's /internal): made up for this run unless set
        self.env.setdefault("INTERNAL_TOKEN", secrets.token_urlsafe(32))
        self.log_dir = log_dir
        self.echo = echo
        self.processes: dict[str, Process] = {}

    def url(self, name: str = "gateway") -> str:
        return f"http://{self.host}:{self.ports[name]}"

    def internal_headers(self) -> dict[str, str]:
        """What the services present to each other: for a test or a bench reading persistence's /internal."""
        return {"Authorization": f"Bearer {self.env['INTERNAL_TOKEN']}"}

    def start(self, names: tuple[str, ...] = SERVICES, replicas: dict[str, int] | None = None) -> None:
        """One process per service, or `replicas[name]` of them competing on its queue."""
        for name in names:
            self.start_service(name)
            for number in range(2, (replicas or {}).get(name, 1) + 1):
                self.start_service(f"{name}-{number}")

    def start_service(self, name: str) -> Process:
        """Start (or restart) one process: a service's name, or "<service>-<n>" for another replica."""
        running = self.processes.get(name)
        if running is not None and running.popen.poll() is None:
            # a second process under one name would leave the first consuming, out of reach of stop()
            raise StackError(f"{name} is still running (pid {running.popen.pid}); stop it before starting it again")
        service = name.split("-")[0]
        if name not in self.ports:
            self.ports[name] = free_port()  # a replica's own health port
        log_path = self.log_dir / f"{name}.log" if self.log_dir else None
        popen = subprocess.Popen(
            self.command(service),
            env=self.env | {PORT_VARIABLES[service]: str(self.ports[name])},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
            preexec_fn=die_with_parent(),
        )
        process = Process(name, self.ports[name], popen, log_path, host=self.host)
        threading.Thread(target=self._relay, args=(process,), daemon=True).start()
        self.processes[name] = process
        return process

    def command(self, service: str) -> list[str]:
        return [sys.executable, "-m", f"services.{service}"]

    def _relay(self, process: Process) -> None:
        sink: IO[str] | None = process.log_path.open("a") if process.log_path else None
        try:
            for line in process.popen.stdout:
                process.lines.append(line)
                del process.lines[:-200]
                if sink:
                    sink.write(line)
                    sink.flush()
                if self.echo:
                    with ECHOING:  # whole lines: two services' in one print interleaved ("Shutting downpersistence")
                        sys.stdout.write(pretty(process.name, line) + "\n")
                        sys.stdout.flush()
        finally:
            if sink:
                sink.close()

    def wait_ready(self, timeout: float = 60.0) -> float:
        """Seconds until every service answered /readyz with 200."""
        started = time.monotonic()
        waiting = set(self.processes)
        while waiting:
            for name in sorted(waiting):
                process = self.processes[name]
                if process.popen.poll() is not None:
                    raise StackError(
                        f"{name} exited with code {process.popen.returncode}:\n{''.join(process.lines[-30:])}"
                    )
                if serves(process):
                    waiting.discard(name)
            if waiting and time.monotonic() - started > timeout:
                tails = "\n".join(f"--- {n}:\n{''.join(self.processes[n].lines[-15:])}" for n in sorted(waiting))
                raise StackError(f"not ready after {timeout:.0f}s: {', '.join(sorted(waiting))}\n{tails}")
            time.sleep(0.1)
        return time.monotonic() - started

    def stop(self, timeout: float = 15.0) -> dict[str, int | None]:
        """SIGTERM every service, SIGKILL what is still running after `timeout`; the exit codes."""
        for process in self.processes.values():
            if process.popen.poll() is None:
                process.popen.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        codes = {}
        for name, process in self.processes.items():
            try:
                codes[name] = process.popen.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.popen.kill()
                codes[name] = process.popen.wait()
        return codes

    def stop_service(self, name: str, sig: int = signal.SIGTERM, timeout: float = 15.0) -> int:
        process = self.processes[name]
        if process.popen.poll() is None:
            process.popen.send_signal(sig)
        try:
            return process.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            process.popen.kill()
            return process.popen.wait()

    def first_exit(self) -> Process | None:
        return next((p for p in self.processes.values() if p.popen.poll() is not None), None)


# Listening ports come from below the kernel's ephemeral range (32768-60999 on Linux): a port the kernel
# handed out could be given again as the local end of some outgoing connection while a killed service
# is down, and its restart would then fail with "address already in use".
_PORT_RANGE = range(20000, 32000)
_handed_out: set[int] = set()


def free_port() -> int:
    for port in random.sample(_PORT_RANGE, 200):
        if port in _handed_out:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        _handed_out.add(port)
        return port
    raise StackError(f"no free port in {_PORT_RANGE.start}-{_PORT_RANGE.stop - 1}")


def service_pid(service: str, namespace: str) -> int | None:
    """The process of `service` running under this broker namespace, however it was started (a
    `make run` in another process group, say); None if there is none."""
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
            if command[-3:-1] != [b"-m", f"services.{service}".encode()]:
                continue
            if f"BROKER_NAMESPACE={namespace}".encode() in (entry / "environ").read_bytes().split(b"\0"):
                return int(entry.name)
        except (OSError, ValueError):
            continue
    return None


def port_in_use(port: int) -> bool:
    """Something listens on `port` (bound as uvicorn binds, so a closing connection does not count)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
            return False
        except OSError:
            return True


def serves(process: Process) -> bool:
    """This process (not another one on its port: a stack left running, say) answers /readyz with 200."""
    return (
        process.popen.poll() is None
        and listens(process.popen.pid, process.port)
        and is_ready(process.port, process.host)
    )


def listens(pid: int, port: int) -> bool:
    """`pid` holds the listening socket on `port`; True where /proc cannot tell (not Linux)."""
    inodes = set()
    try:
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            for row in Path(table).read_text().splitlines()[1:]:
                fields = row.split()
                if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                    inodes.add(f"socket:[{fields[9]}]")
    except OSError:
        return True
    try:
        return any(os.readlink(fd) in inodes for fd in Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False  # it has just exited


_libc = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None
_PR_SET_PDEATHSIG = 1
# only `make run` (tools/run.py) asks for it: a `preexec_fn` is not safe beside threads (the child may hang
# before exec), a risk worth taking for an operator's supervisor, not for the test suite's many stacks
_guarding = False


def guard_children() -> None:
    """From now on the children this process starts die with it (`die_with_parent`)."""
    global _guarding
    _guarding = True


def die_with_parent(sig: int = signal.SIGTERM) -> Callable[[], None] | None:
    """A `preexec_fn` that has the child sent `sig` when this process dies, SIGKILL included, so a
    killed `make run` leaves no orphans holding ports and data. Linux only, and only when called on the
    main thread: the signal comes when the thread that started the child ends, not the process."""
    if not _guarding or _libc is None or threading.current_thread() is not threading.main_thread():
        return None
    parent = os.getpid()

    def preexec() -> None:
        _libc.prctl(_PR_SET_PDEATHSIG, sig)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os.kill(os.getpid(), sig)

    return preexec


def reachable_host(bind_host: str) -> str:
    """Where this machine reaches a service bound to BIND_HOST: that address itself (found by an operator's test:
    with BIND_HOST=192.0.2.2 every service came up, and `make run` stopped them all as never ready, polling
    127.0.0.1), or loopback for all addresses or none."""
    host = bind_host.strip()
    if host in ("", "0.0.0.0", "::", "[::]", "localhost"):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def is_ready(port: int, host: str = "127.0.0.1") -> bool:
    """The process on `port` answers /readyz with 200 (its broker and dependencies are there)."""
    try:
        with urllib.request.urlopen(f"http://{host}:{port}/readyz", timeout=1) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def pretty(service: str, line: str) -> str:
    """A service's JSON log line, for humans."""
    tag = f"\x1b[{COLOURS.get(service, 37)}m{service:<11}\x1b[0m" if sys.stdout.isatty() else f"{service:<11}"
    try:
        entry = json.loads(line)
    except ValueError:
        return f"{tag} {line.rstrip()}"
    when = str(entry.pop("ts", ""))[11:19]
    level = entry.pop("level", "")
    message = entry.pop("msg", "")
    for key in ("service", "logger", "color_message", "taskName"):
        entry.pop(key, None)
    exc = entry.pop("exc", None)
    extras = " ".join(f"{k}={v}" for k, v in entry.items())
    text = f"{tag} {when} {level:<7} {message} {extras}".rstrip()
    return text + (f"\n{exc}" if exc else "")

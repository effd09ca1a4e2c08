"""SecantusDB, a MongoDB wire-protocol server on WiredTiger (PyPI `secantusdb`), started as a process of
its own: the tests' MongoDB where no `mongod` runs (tests/mongodb.py), and `make run-mongo`'s.

It is a development and test server only. Its licence is GPL-2.0, so it is installed into a virtual
environment of its own (.venv-secantus), never into the services' .venv, their dependencies or the image;
the services talk to it over the wire like to any MongoDB.

    python -m tools.secantus --install     # install it (what `make test-tools` does)
"""

from __future__ import annotations

import argparse
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from tools.stack import die_with_parent, free_port

ROOT = Path(__file__).resolve().parents[1]
VERSION = "0.7.0b3"
VENV = ROOT / ".venv-secantus"
DAEMON = VENV / "bin" / "secantusd-py"
STAMP = VENV / f".installed-{VERSION}"
LABEL = "SecantusDB (a development MongoDB server, not for production)"


class SecantusError(RuntimeError):
    pass


def ensure_installed(say: IO[str] = sys.stderr) -> Path:
    """The daemon, installed into .venv-secantus first if it is missing (a minute, once)."""
    if STAMP.exists() and DAEMON.exists():
        return DAEMON
    print(f"Installing secantusdb=={VERSION} into {VENV.name} (a test and development MongoDB server) ...", file=say)
    python = os.environ.get("PYTHON") or shutil.which("python3") or sys.executable
    if not (VENV / "bin" / "python").exists():
        subprocess.run([python, "-m", "venv", str(VENV)], check=True)
    pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    installed = subprocess.run([*pip, f"secantusdb=={VERSION}"], capture_output=True, text=True)
    if installed.returncode != 0 or not DAEMON.exists():
        raise SecantusError(f"pip could not install secantusdb=={VERSION}:\n{installed.stderr[-2000:]}")
    for old in VENV.glob(".installed-*"):
        old.unlink()
    STAMP.touch()
    return DAEMON


def default_storage_parent() -> str | None:
    """A memory-backed folder where there is one: the server's writes are ten times faster there than on
    this machine's disk (each one is flushed), and a test's data need not outlive the test run."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


@dataclass
class SecantusServer:
    port: int
    storage: Path
    process: subprocess.Popen
    log_path: Path
    temporary: bool

    @property
    def url(self) -> str:
        return f"mongodb://127.0.0.1:{self.port}/?directConnection=true"

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def restart(self) -> None:
        """Start it again, on the same port and data, after it exited; not waiting for it."""
        if self.process.poll() is None:
            raise SecantusError(f"SecantusDB is still running (pid {self.process.pid})")
        self.process = launch(self.storage, self.port, self.log_path)

    def answers(self) -> bool:
        """Its current process runs and answers a ping."""
        from pymongo import MongoClient
        from pymongo.errors import PyMongoError

        if self.process.poll() is not None:
            return False
        try:
            with MongoClient(self.url, serverSelectionTimeoutMS=500, connectTimeoutMS=500) as client:
                client.admin.command("ping")
            return True
        except PyMongoError:
            return False

    def stop(self) -> int | None:
        """SIGTERM, then SIGKILL after 10 s; a temporary data folder goes with it."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.temporary:
            shutil.rmtree(self.storage, ignore_errors=True)
            self.log_path.unlink(missing_ok=True)
        return self.process.returncode


def start(storage: Path | None = None, port: int | None = None, log_path: Path | None = None) -> SecantusServer:
    """A server on 127.0.0.1, answering a ping: on `port` (a free one if not given), its data in `storage`
    (a new temporary folder, removed when it stops, if not given)."""
    ensure_installed()
    temporary = storage is None
    folder = Path(tempfile.mkdtemp(prefix="secantus-", dir=default_storage_parent())) if storage is None else storage
    folder.mkdir(parents=True, exist_ok=True)
    if storage_in_use(folder):
        raise SecantusError(f"another SecantusDB uses {folder}: stop it first")
    log = log_path or folder.with_name(folder.name + ".log")
    log.write_text("")
    port = port or free_port()
    server = SecantusServer(port, folder, launch(folder, port, log), log, temporary)
    try:
        wait_ready(server)
    except BaseException:
        server.stop()
        raise
    return server


def launch(folder: Path, port: int, log: Path) -> subprocess.Popen:
    """The daemon, started and not waited for; its output appended to `log`."""
    with log.open("a") as out:
        return subprocess.Popen(
            [str(DAEMON), "--host", "127.0.0.1", "--port", str(port), "--storage-path", str(folder)],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
            # SIGKILL: its SIGTERM handler can deadlock (Event.set inside Event.wait), and once we are
            # gone nobody would follow up; WiredTiger's journal makes a kill safe
            preexec_fn=die_with_parent(signal.SIGKILL),
        )  # fmt: skip


def storage_in_use(folder: Path) -> bool:
    """A running SecantusDB (WiredTiger) holds the lock on this data folder."""
    try:
        fd = os.open(folder / "WiredTiger.lock", os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except OSError:
        return True
    finally:
        os.close(fd)  # and with it the lock, if it was taken


def wait_ready(server: SecantusServer, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not server.answers():
        if server.process.poll() is not None:
            raise SecantusError(f"SecantusDB exited with code {server.process.returncode}:\n{server.log_tail()}")
        if time.monotonic() > deadline:
            raise SecantusError(f"SecantusDB did not answer within {timeout:.0f} s:\n{server.log_tail()}")
        time.sleep(0.2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=f"{LABEL}: install it, or run it in the foreground.")
    parser.add_argument("--install", action="store_true", help="install it into .venv-secantus and exit")
    parser.add_argument("--port", type=int, default=27017)
    parser.add_argument("--storage-path", type=Path, default=ROOT / "interview_data" / "secantus")
    args = parser.parse_args(argv)
    try:
        daemon = ensure_installed()
    except SecantusError as error:
        print(error, file=sys.stderr)
        return 1
    if args.install:
        return 0
    args.storage_path.mkdir(parents=True, exist_ok=True)
    os.execv(str(daemon), [str(daemon), "--port", str(args.port), "--storage-path", str(args.storage_path)])


if __name__ == "__main__":
    sys.exit(main())

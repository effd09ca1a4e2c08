"""Restarts under `make run` (tools/run.py), while candidates answer without pause: each service in
turn gets SIGTERM (a clean stop: how long it takes to drain, and whether the broker had to deliver any
message again) and then SIGKILL (a crash: messages it held come back), and the launcher starts it
again (how long from the exit until it answers /readyz).

    .venv/bin/python -m bench.restarts --rounds 3

The launcher's backoff starts at 1 s and doubles for a service that exits again within a minute of
its start, so each service is up for a minute before its next signal: what is measured is the first
restart, as after an isolated crash.

Redeliveries are read from the restarted process's `interviewer_redelivered_total`: the messages the
broker delivered again once the old process was gone. The gateway has no queue of candidates' work
(its durable queue only closes interviews), so its figure is mostly about HTTP: how many requests the
candidates had to retry.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.interview_roundtrip import ANSWER, JOB
from shared.platform.settings import ServiceSettings
from tests.faults.probes import redelivered
from tools.namespaces import delete_namespace, fresh_namespace
from tools.stack import PORT_VARIABLES, SERVICES, free_port, is_ready, service_pid

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Figures:
    drain: dict[str, list[float]] = field(default_factory=dict)  # SIGTERM until the process is gone
    back: dict[str, list[float]] = field(default_factory=dict)  # (signal, service): exit until ready
    redelivered: dict[str, list[int]] = field(default_factory=dict)


class Candidates(threading.Thread):
    """Candidates answering back to back, retrying whatever a restart makes fail."""

    def __init__(self, url: str, count: int, think: float) -> None:
        super().__init__(daemon=True)
        self.url, self.count, self.think = url, count, think
        self.answers = self.retries = 0
        self.stop = threading.Event()

    def run(self) -> None:
        asyncio.run(self._everyone())

    async def _everyone(self) -> None:
        async with httpx.AsyncClient(base_url=self.url, timeout=30) as client:
            await asyncio.gather(*(self._candidate(client, n) for n in range(self.count)))

    async def _request(self, client: httpx.AsyncClient, path: str, body: dict) -> dict | None:
        while not self.stop.is_set():
            try:
                response = await client.post(path, json=body)
                if response.status_code == 200:
                    return response.json()
            except httpx.HTTPError:
                pass
            self.retries += 1
            await asyncio.sleep(0.05)
        return None

    async def _candidate(self, client: httpx.AsyncClient, number: int) -> None:
        while not self.stop.is_set():
            start = {"job_description": JOB, "candidate_name": f"Restart {number}", "experience_years": 3,
                     "difficulty": "intermediate", "num_questions": 5, "request_id": os.urandom(12).hex()}  # fmt: skip
            started = await self._request(client, "/api/start-interview", start)
            for question in range(1, 6):
                if started is None:
                    return
                reply = {"session_id": started["session_id"], "question_number": question, "answer": ANSWER}
                await asyncio.sleep(self.think)
                if await self._request(client, "/api/submit-answer", reply) is None:
                    return
                self.answers += 1


def restart(service: str, sig: signal.Signals, namespace: str, port: int, figures: Figures) -> None:
    pid = service_pid(service, namespace)
    assert pid is not None, f"{service} is not running"
    os.kill(pid, sig)
    sent = time.monotonic()
    while service_pid(service, namespace) == pid:
        time.sleep(0.01)
    gone = time.monotonic()
    while service_pid(service, namespace) in (None, pid) or not is_ready(port):
        time.sleep(0.02)
    figures.back.setdefault(f"{sig.name} {service}", []).append(time.monotonic() - gone)
    if sig == signal.SIGTERM:
        figures.drain.setdefault(service, []).append(gone - sent)
    time.sleep(2.0)  # what the broker had to deliver again has arrived by now
    figures.redelivered.setdefault(f"{sig.name} {service}", []).append(int(redelivered(f"http://127.0.0.1:{port}")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--candidates", type=int, default=8)
    parser.add_argument("--think", type=float, default=0.2, help="seconds each candidate waits before answering")
    parser.add_argument("--steady", type=float, default=61.0, help="seconds each service is up before its next signal")
    args = parser.parse_args()
    namespace = fresh_namespace("bench-restarts")
    ports = {service: free_port() for service in SERVICES}
    data = tempfile.mkdtemp(prefix="bench-restarts-")
    env = os.environ | {PORT_VARIABLES[s]: str(p) for s, p in ports.items()} | {
        "BROKER_NAMESPACE": namespace, "DATA_DIR": data,
        "START_RATE_PER_MINUTE": "1000000", "ANSWER_RATE_PER_MINUTE": "1000000",
    }  # fmt: skip
    log = Path(data) / "run.log"
    with log.open("w") as sink:
        launcher = subprocess.Popen([sys.executable, "-m", "tools.run", "--quiet"], cwd=ROOT, env=env, stdout=sink,
                                    stderr=subprocess.STDOUT)  # fmt: skip
    figures = Figures()
    candidates = Candidates(f"http://127.0.0.1:{ports['gateway']}", args.candidates, args.think)
    try:
        while "Ready in" not in log.read_text():
            assert launcher.poll() is None, log.read_text()
            time.sleep(0.1)
        candidates.start()
        time.sleep(3)
        for _ in range(args.rounds):
            for sig in (signal.SIGTERM, signal.SIGKILL):
                for service in SERVICES:
                    restart(service, sig, namespace, ports[service], figures)
                time.sleep(args.steady)
    finally:
        candidates.stop.set()
        candidates.join(30)
        launcher.send_signal(signal.SIGINT)
        launcher.wait(60)
        asyncio.run(delete_namespace(namespace, ServiceSettings().amqp_url))

    print(f"{args.rounds} rounds, {args.candidates} candidates answering throughout ({args.think} s think time): "
          f"{candidates.answers} answers, {candidates.retries} client retries\n")  # fmt: skip
    print("| service | SIGTERM: drained in | back and ready after SIGTERM | redelivered after SIGTERM |"
          " back and ready after SIGKILL | redelivered after SIGKILL |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|")
    for service in SERVICES:
        term, kill = f"SIGTERM {service}", f"SIGKILL {service}"
        print(f"| {service} | {statistics.median(figures.drain[service]):.2f} s "
              f"| {statistics.median(figures.back[term]):.2f} s (max {max(figures.back[term]):.2f}) "
              f"| {sum(figures.redelivered[term])} "
              f"| {statistics.median(figures.back[kill]):.2f} s (max {max(figures.back[kill]):.2f}) "
              f"| {sum(figures.redelivered[kill])} |")  # fmt: skip


if __name__ == "__main__":
    main()

"""Load: N concurrent simulated candidates against the five services, with the broker's own round trip
measured in the same run as the reference.

    .venv/bin/python -m bench.e2e_load --candidates 16 --seconds 60

The services run as real processes on the local RabbitMQ (fresh namespace, temporary SQLite store,
or with `--store mongodb` a fresh database on the server at MONGODB_URL, else on SecantusDB started for the
run, offline AI). Each candidate is a closed loop without think time: start an interview, answer every
question as soon as it arrives, start the next one. Reported: completed interviews per minute,
answers per second, submit-answer latency (score and next question, or the report, back over HTTP),
each service's peak memory (VmHWM) and CPU time, and the raw broker round trip (publish with
confirm on one connection, delivered on another) measured idle and under the load.
The gateway's per-client rate limits are raised for the run: every simulated candidate shares 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import aio_pika
import uvloop

from bench.http import Connection
from bench.interview_roundtrip import ANSWER, JOB, percentile
from shared.contracts.topology import SUBSCRIPTIONS, Names
from shared.platform.settings import ServiceSettings
from tools import secantus
from tools.namespaces import delete_namespace, fresh_namespace
from tools.stack import SERVICES, Stack, free_port

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


_answers = iter(range(1, 1 << 62))


def answer_text() -> str:
    """ANSWER with a sentence of its own: every answer a new text, as candidates' are (the scorer remembers the
    vectors of texts it has seen; one answer sent again and again would be embedded once)."""
    return f"{ANSWER} Across that work we shipped release {next(_answers)} on time."


@dataclass
class Load:
    submits: list[float] = field(default_factory=list)  # seconds, answers that asked the next question
    last_submits: list[float] = field(default_factory=list)  # seconds, final answers (report back)
    starts: list[float] = field(default_factory=list)
    interviews: int = 0
    errors: list[str] = field(default_factory=list)
    measuring: bool = False


async def candidate(
    client: Connection, number: int, questions: int, load: Load, stop: asyncio.Event, every: float
) -> None:
    """One candidate: requests `every` seconds apart (on a schedule, so a slow answer is not followed by
    a slower pace), or back to back when `every` is 0."""
    loop = asyncio.get_running_loop()
    due = loop.time() + every * random.random()  # candidates spread over the interval

    async def pace() -> None:
        nonlocal due
        await asyncio.sleep(max(0.0, due - loop.time()))
        due = max(due + every, loop.time() - every)  # never more than one request of catching up

    while not stop.is_set():
        await pace()
        t0 = time.perf_counter()
        response = await client.post(
            "/api/start-interview",
            {
                "job_description": JOB,
                "candidate_name": f"Load {number}",
                "experience_years": number % 12,
                "difficulty": "intermediate",
                "num_questions": questions,
            },
        )
        if response.status_code != 200:
            load.errors.append(f"start {response.status_code}: {response.text[:200]}")
            await asyncio.sleep(0.5)
            continue
        if load.measuring:
            load.starts.append(time.perf_counter() - t0)
        session = response.json()["session_id"]
        for q in range(1, questions + 1):
            await pace()
            t1 = time.perf_counter()
            response = await client.post(
                "/api/submit-answer", {"session_id": session, "answer": answer_text(), "question_number": q}
            )
            elapsed = time.perf_counter() - t1
            if response.status_code != 200:
                load.errors.append(f"answer {response.status_code}: {response.text[:200]}")
                break
            result = response.json()
            if load.measuring:
                (load.last_submits if q == questions else load.submits).append(elapsed)
            if q == questions:
                if not (result.get("completed") and result.get("report")):
                    load.errors.append(f"no report after the last answer: {str(result)[:200]}")
                elif load.measuring:
                    load.interviews += 1


async def broker_round_trips(amqp_url: str, stop: asyncio.Event, interval: float = 0.02) -> list[float]:
    """Publish (confirmed) on one connection, receive on another: seconds per message until `stop`."""
    queue_name = f"bench.round-trip.{uuid.uuid4().hex[:8]}"
    sender = await aio_pika.connect(amqp_url)
    receiver = await aio_pika.connect(amqp_url)
    arrived: dict[str, asyncio.Future] = {}
    try:
        channel = await sender.channel(publisher_confirms=True)
        inbox = await (await receiver.channel()).declare_queue(queue_name, exclusive=True, auto_delete=True)

        async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            await message.ack()
            waiter = arrived.pop(message.message_id or "", None)
            if waiter and not waiter.done():
                waiter.set_result(time.perf_counter())

        await inbox.consume(on_message)
        samples = []
        while not stop.is_set():
            key = uuid.uuid4().hex
            waiter = arrived[key] = asyncio.get_running_loop().create_future()
            t0 = time.perf_counter()
            await channel.default_exchange.publish(aio_pika.Message(b"ping", message_id=key), routing_key=queue_name)
            samples.append(await asyncio.wait_for(waiter, 10) - t0)
            await asyncio.sleep(interval)
        return samples
    finally:
        await sender.close()
        await receiver.close()


async def idle_round_trips(amqp_url: str, seconds: float) -> list[float]:
    stop = asyncio.Event()
    asyncio.get_running_loop().call_later(seconds, stop.set)
    return await broker_round_trips(amqp_url, stop)


def start_profilers(stack: Stack, folder: Path, seconds: float) -> list[subprocess.Popen]:
    """py-spy (pip install py-spy) sampling each service for the measured window: folded stacks in `folder`."""
    binary = shutil.which("py-spy") or str(Path(os.sys.executable).with_name("py-spy"))
    folder.mkdir(parents=True, exist_ok=True)
    return [
        subprocess.Popen(
            [
                binary,
                "record",
                "--pid",
                str(p.popen.pid),
                "--duration",
                str(int(seconds)),
                "--rate",
                "200",
                "--format",
                "raw",
                "--nonblocking",
                "--output",
                str(folder / f"{name}.folded"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for name, p in stack.processes.items()
    ]


def others(database_pid: int | None = None) -> dict[str, int]:
    """The processes beside the five services that share the machine: RabbitMQ's Erlang VM (when it
    runs here), the MongoDB server the bench started, and this load generator."""
    found = {"(load generator)": os.getpid()}
    if database_pid is not None:
        found["(mongodb: SecantusDB)"] = database_pid
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            # the broker's Erlang VM, not that of a `rabbitmqctl` running meanwhile (gone before the window ends)
            if (
                status.read_text().startswith("Name:\tbeam.smp")
                and b"-s\0rabbit\0boot" in (status.parent / "cmdline").read_bytes()
            ):
                found["(rabbitmq)"] = int(status.parent.name)
        except OSError:
            continue
    return found


def process_figures(pid: int) -> tuple[float, tuple[float, float]]:
    """(peak resident memory in MiB, (user, system) CPU seconds) of a running process, from /proc."""
    status = Path(f"/proc/{pid}/status").read_text()
    peak_kib = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return peak_kib / 1024, (int(fields[11]) / CLOCK_TICKS, int(fields[12]) / CLOCK_TICKS)


async def queue_depths(amqp_url: str, names: Names) -> dict[str, int]:
    """Messages waiting (ready, not yet delivered) in each service's durable queue."""
    connection = await aio_pika.connect(amqp_url)
    try:
        channel = await connection.channel()
        depths = {}
        for service in SUBSCRIPTIONS:
            queue = await channel.declare_queue(names.queue(service), passive=True)
            depths[service] = queue.declaration_result.message_count or 0
        return depths
    finally:
        await connection.close()


async def caught_up(amqp_url: str, names: Names, timeout: float = 120.0) -> float | None:
    """Seconds until every service's queue is empty once the load stopped (None: not within `timeout`):
    an answer rate the services only keep up with by letting work pile up is not a sustained one."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if not any((await queue_depths(amqp_url, names)).values()):
            return round(time.perf_counter() - started, 2)
        await asyncio.sleep(0.2)
    return None


async def persistence_requests(stack: Stack) -> dict[str, float]:
    """HTTP requests the persistence service answered so far, by route (its /metrics)."""
    connection = Connection(stack.url("persistence"))
    try:
        text = (await connection.get("/metrics")).text
    finally:
        await connection.close()
    counts: dict[str, float] = {}
    for line in text.splitlines():
        if line.startswith("interviewer_http_requests_total{"):
            labels, value = line.rsplit(" ", 1)
            handler = labels.split('handler="', 1)[1].split('"', 1)[0]
            method = labels.split('method="', 1)[1].split('"', 1)[0]
            counts[f"{method} {handler}"] = counts.get(f"{method} {handler}", 0.0) + float(value)
    return counts


async def run(
    args: argparse.Namespace, stack: Stack, amqp_url: str, names: Names, database_pid: int | None = None
) -> dict:
    idle = await idle_round_trips(amqp_url, 3.0)
    load, stop = Load(), asyncio.Event()
    # requests (starts and answers) per second offered in all; 0: each candidate as fast as answers come
    every = args.candidates / args.rate if args.rate else 0.0
    # a simple local balancer with session affinity: candidate n talks to gateway replica n mod G
    gateways = ["gateway", *(f"gateway-{n}" for n in range(2, args.gateways + 1))]
    async with contextlib.AsyncExitStack() as clients:
        connections = [Connection(stack.url(gateways[n % len(gateways)])) for n in range(args.candidates)]
        for connection in connections:
            clients.push_async_callback(connection.close)
        candidates = [
            asyncio.create_task(candidate(connections[n], n, args.questions, load, stop, every))
            for n in range(args.candidates)
        ]
        await asyncio.sleep(args.warmup)
        pids = {name: p.popen.pid for name, p in stack.processes.items()} | others(database_pid)
        cpu_before = {name: process_figures(pid)[1] for name, pid in pids.items()}
        profilers = start_profilers(stack, args.profile, args.seconds) if args.profile else []
        backlog_before = await queue_depths(amqp_url, names)
        requests_before = await persistence_requests(stack)
        load.measuring, started = True, time.perf_counter()
        probe_stop = asyncio.Event()
        probe = asyncio.create_task(broker_round_trips(amqp_url, probe_stop, interval=0.05))
        await asyncio.sleep(args.seconds)
        load.measuring, window = False, time.perf_counter() - started
        cpu_after = {name: process_figures(pid) for name, pid in pids.items()}  # not the drain's
        probe_stop.set()
        backlog_after = await queue_depths(amqp_url, names)
        requests_after = await persistence_requests(stack)
        under_load = await probe
        stop.set()
        await asyncio.gather(*candidates)
        drained_after = await caught_up(amqp_url, names)
    for profiler in profilers:
        profiler.wait(30)
    services = {}
    for name, pid in pids.items():
        peak, (user, system) = process_figures(pid)[0], cpu_after[name][1]
        user, system = user - cpu_before[name][0], system - cpu_before[name][1]
        services[name] = {"peak_mib": round(peak, 1), "cpu_seconds_in_window": round(user + system, 2),
                          "cpu_user": round(user, 2), "cpu_system": round(system, 2)}  # fmt: skip
    answers = len(load.submits) + len(load.last_submits)
    ms = lambda values, f: round(percentile(values, f) * 1000, 2)  # noqa: E731
    return {
        "candidates": args.candidates,
        "gateways": args.gateways,
        "store": args.store,
        "offered_per_second": args.rate or "as fast as answered",
        "questions": args.questions,
        "window_seconds": round(window, 1),
        "interviews_per_minute": round(load.interviews / window * 60, 1),
        "answers_per_second": round(answers / window, 1),
        "submit_ms": {"p50": ms(load.submits, 0.5), "p99": ms(load.submits, 0.99), "count": len(load.submits)},
        "last_submit_ms": {"p50": ms(load.last_submits, 0.5), "p99": ms(load.last_submits, 0.99)},
        "start_ms": {"p50": ms(load.starts, 0.5), "p99": ms(load.starts, 0.99)},
        "broker_round_trip_ms": {
            "idle_p50": round(statistics.median(idle) * 1000, 2),
            "idle_p99": ms(idle, 0.99),
            "under_load_p50": round(statistics.median(under_load) * 1000, 2),
            "under_load_p99": ms(under_load, 0.99),
        },
        "services": services,
        "persistence_requests": {
            route: round(n - requests_before.get(route, 0.0)) for route, n in sorted(requests_after.items())
        },
        "backlog": {"window_start": backlog_before, "window_end": backlog_after, "drained_after_s": drained_after},
        "errors": len(load.errors),
        "first_errors": load.errors[:5],
    }


def report(result: dict) -> str:
    rt = result["broker_round_trip_ms"]
    lines = [
        f"{result['candidates']} concurrent candidates, {result['questions']} questions each, "
        f"requests offered: {result['offered_per_second']}/s, {result['window_seconds']} s measured:",
        f"  completed interviews: {result['interviews_per_minute']}/min; answers: {result['answers_per_second']}/s",
        f"  submit-answer (score + next question): p50 {result['submit_ms']['p50']} ms, "
        f"p99 {result['submit_ms']['p99']} ms over {result['submit_ms']['count']} answers",
        f"  last answer (score + report): p50 {result['last_submit_ms']['p50']} ms, "
        f"p99 {result['last_submit_ms']['p99']} ms; start-interview p50 {result['start_ms']['p50']} ms",
        f"  broker round trip: idle p50 {rt['idle_p50']} ms (p99 {rt['idle_p99']}), "
        f"under load p50 {rt['under_load_p50']} ms (p99 {rt['under_load_p99']})",
        f"  submit p50 / broker round trip p50 under load: {result['submit_ms']['p50'] / rt['under_load_p50']:.1f}x",
        "  process            peak memory   CPU seconds in the window (user + system)",
    ]
    for name, figures in result["services"].items():
        lines.append(
            f"  {name:<18}{figures['peak_mib']:>8.1f} MiB   {figures['cpu_seconds_in_window']:>8.2f}"
            f" ({figures['cpu_user']:.2f} + {figures['cpu_system']:.2f})"
        )
    lines.append(
        "  requests to persistence in the window: "
        + (", ".join(f"{route} {n}" for route, n in result["persistence_requests"].items() if n) or "none")
    )
    backlog = result["backlog"]
    lines.append(
        f"  messages waiting in the services' queues: {sum(backlog['window_start'].values())} at the window's start,"
        f" {sum(backlog['window_end'].values())} at its end ({_waiting(backlog['window_end'])}); all handled"
        f" {backlog['drained_after_s']} s after the load stopped"
    )
    lines.append(f"  errors: {result['errors']} {result['first_errors'] or ''}".rstrip())
    return "\n".join(lines)


def _waiting(depths: dict[str, int]) -> str:
    return ", ".join(f"{service} {n}" for service, n in depths.items() if n) or "none"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=16)
    parser.add_argument("--questions", type=int, default=5)
    parser.add_argument(
        "--rate", type=float, default=0, help="requests per second offered by all candidates together (0: closed loop)"
    )
    parser.add_argument("--seconds", type=float, default=60.0, help="measured window")
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--gateways", type=int, default=1, help="gateway replicas; candidate n uses replica n mod N")
    parser.add_argument(
        "--json", action="store_true",
        help="print one JSON object (answers_per_s, submit_p50_ms, submit_p99_ms, broker_rtt_p50_ms, peak_mib, ...) "
        "instead of the report, to compare run against run",
    )  # fmt: skip
    parser.add_argument("--json-file", type=Path, help="also write every figure to this file")
    parser.add_argument("--profile", type=Path, help="sample each service with py-spy into this folder")
    parser.add_argument(
        "--store", choices=("sqlite", "mongodb"), default="sqlite",
        help="persistence's store; mongodb: the server at MONGODB_URL, else SecantusDB started for the run "
        "(a test server on WiredTiger with its data in /dev/shm: its CPU is not mongod's)",
    )  # fmt: skip
    args = parser.parse_args()

    amqp_url = ServiceSettings().amqp_url
    namespace = fresh_namespace("bench")
    unlimited = str(10**9)
    database = {"MONGODB_URL": ""}  # SQLite, even where MONGODB_URL is exported
    server = None
    if args.store == "mongodb":
        if not (url := os.environ.get("MONGODB_URL")):
            server = secantus.start()
            url = server.url
        database = {"MONGODB_URL": url, "MONGODB_DATABASE": namespace.replace("-", "_")}
    with tempfile.TemporaryDirectory() as data, contextlib.ExitStack() as cleanup:
        if server is not None:
            cleanup.callback(server.stop)  # with its data
        elif database["MONGODB_URL"]:
            cleanup.callback(drop_database, database)
        stack = Stack(
            env=database
            | {
                "BROKER_NAMESPACE": namespace,
                "DATA_DIR": data,
                "LOG_LEVEL": "WARNING",
                "OPENAI_API_KEY": "",  # the offline interviewer
                "START_RATE_PER_MINUTE": unlimited,
                "ANSWER_RATE_PER_MINUTE": unlimited,
                "MAX_SESSIONS_IN_MEMORY": os.environ.get("MAX_SESSIONS_IN_MEMORY", "10000"),
            },
            ports={s: free_port() for s in SERVICES},
            log_dir=Path(data),
        )
        try:
            stack.start(replicas={"gateway": args.gateways})
            ready = stack.wait_ready()
            print(f"five services ready after {ready:.2f} s; loading ...", flush=True, file=sys.stderr)
            result = uvloop.run(
                run(args, stack, amqp_url, Names(namespace), server.process.pid if server is not None else None)
            )
        finally:
            stack.stop()
            asyncio.run(delete_namespace(namespace, amqp_url))
    print(json.dumps(summary(result)) if args.json else report(result))
    if args.json_file:
        args.json_file.parent.mkdir(parents=True, exist_ok=True)
        args.json_file.write_text(json.dumps(result, indent=2))


def drop_database(database: dict[str, str]) -> None:
    """The run's database on a MongoDB the bench did not start."""
    from pymongo import MongoClient

    with MongoClient(database["MONGODB_URL"], serverSelectionTimeoutMS=5000) as client:
        client.drop_database(database["MONGODB_DATABASE"])


def summary(result: dict) -> dict:
    """The figures the targets are set in (docs/benchmarks.md), flat, from one run."""
    rt = result["broker_round_trip_ms"]
    return {
        "answers_per_s": result["answers_per_second"],
        "submit_p50_ms": result["submit_ms"]["p50"],
        "submit_p99_ms": result["submit_ms"]["p99"],
        "broker_rtt_p50_ms": rt["under_load_p50"],
        "broker_rtt_idle_p50_ms": rt["idle_p50"],
        "submit_p50_in_broker_rtts": round(result["submit_ms"]["p50"] / rt["under_load_p50"], 1),
        "peak_mib": {name: figures["peak_mib"] for name, figures in result["services"].items()},
        "cpu_ms_per_answer": {
            name: round(
                figures["cpu_seconds_in_window"]
                * 1000
                / max(1.0, result["answers_per_second"] * result["window_seconds"]),
                2,
            )
            for name, figures in result["services"].items()
        },  # fmt: skip
        "gateway_cpu_ms_per_answer": round(
            sum(f["cpu_seconds_in_window"] for n, f in result["services"].items() if n.startswith("gateway"))
            * 1000
            / max(1.0, result["answers_per_second"] * result["window_seconds"]),
            2,
        ),  # fmt: skip
        "candidates": result["candidates"],
        "gateways": result["gateways"],
        "store": result["store"],
        "offered_per_second": result["offered_per_second"],
        "window_seconds": result["window_seconds"],
        "backlog_at_end": sum(result["backlog"]["window_end"].values()),
        "drained_after_s": result["backlog"]["drained_after_s"],
        "errors": result["errors"],
    }


if __name__ == "__main__":
    main()

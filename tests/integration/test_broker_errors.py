"""A broker that refuses the credentials, one that does not answer, one asked for a heartbeat: against the real
local RabbitMQ, and a service process stopped while it waits for the broker."""

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from yarl import URL

from shared.platform.messaging import HEARTBEAT_SECONDS, Broker, CredentialsRefused
from shared.platform.settings import ServiceSettings
from tests.conftest import AMQP_URL
from tools.namespaces import fresh_namespace

ROOT = Path(__file__).resolve().parents[2]
WRONG = str(URL(AMQP_URL).with_password("Not-the-r1ght-pw"))


async def test_refused_credentials_are_said_as_such_and_not_retried_for_a_minute(namespace, caplog):
    broker = Broker(ServiceSettings(amqp_url=WRONG, broker_namespace=namespace), "gateway")
    started = time.monotonic()
    with pytest.raises(CredentialsRefused) as refused:
        await broker.start(timeout=60)
    assert time.monotonic() - started < 10
    said = str(refused.value)
    assert "refused AMQP_URL's user and password" in said and "RABBITMQ_DEFAULT_PASS" in said, said
    assert "ACCESS_REFUSED" in said and "Not-the-r1ght-pw" not in said, said
    logged = [record.getMessage() for record in caplog.records]
    assert not any("not reachable" in line for line in logged), logged
    assert not broker.is_connected


async def test_the_connection_asks_for_a_heartbeat_unless_the_url_names_one(namespace):
    for url, expected in [(AMQP_URL, HEARTBEAT_SECONDS), (str(URL(AMQP_URL).update_query(heartbeat=7)), 7)]:
        broker = Broker(ServiceSettings(amqp_url=url, broker_namespace=namespace), "gateway")
        await broker.connect(timeout=10)
        try:
            connection = broker._connection.transport.connection  # type: ignore[union-attr]
            assert connection.heartbeat_timeout == expected, url
        finally:
            await broker.close()


def start_interview(amqp_url: str) -> subprocess.Popen[str]:
    env = os.environ | {"AMQP_URL": amqp_url, "BROKER_NAMESPACE": fresh_namespace("opfix"), "INTERVIEW_PORT": "8943"}
    return subprocess.Popen([sys.executable, "-m", "services.interview"], cwd=ROOT, env=env, text=True,
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)  # fmt: skip


def wait_for_line(process: subprocess.Popen[str], needle: str, timeout: float = 60) -> list[str]:
    assert process.stderr is not None
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line:
            break
        lines.append(line)
        if needle in line:
            return lines
    raise AssertionError(f"no {needle!r} in {lines}")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_service_waiting_for_the_broker_stops_on_a_signal(sig):
    process = start_interview("amqp://guest:guest@127.0.0.1:1/")  # nothing listens there: retried for 60 s
    try:
        wait_for_line(process, "not reachable yet")
        process.send_signal(sig)
        assert process.wait(timeout=5) == -sig
    finally:
        process.kill()
        process.wait()


def test_a_service_refused_by_the_broker_stops_with_one_line_naming_amqp_url():
    process = start_interview(WRONG)
    try:
        assert process.wait(timeout=30) == 2
        assert process.stderr is not None
        lines = [json.loads(line) for line in process.stderr.read().splitlines()]
    finally:
        process.kill()
        process.wait()
    errors = [line for line in lines if line["level"] == "error"]
    assert len(errors) == 1 and errors[0]["msg"].startswith("configuration error: RabbitMQ at "), lines
    assert "AMQP_URL" in errors[0]["msg"] and not any("Not-the-r1ght-pw" in json.dumps(line) for line in lines)


class FreezableProxy:
    """A TCP proxy to the broker that can stop passing bytes, as a broker SIGSTOP'd behind it would."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.frozen = asyncio.Event()
        self.server: asyncio.Server | None = None

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return int(self.server.sockets[0].getsockname()[1])

    async def _serve(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        broker_reader, broker_writer = await asyncio.open_connection("127.0.0.1", self.port)
        await asyncio.gather(self._pipe(client_reader, broker_writer), self._pipe(broker_reader, client_writer),
                             return_exceptions=True)  # fmt: skip

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while data := await reader.read(65536):
            if self.frozen.is_set():
                await asyncio.sleep(3600)
            writer.write(data)
            await writer.drain()

    def close(self) -> None:
        if self.server is not None:
            self.server.close()


async def test_a_frozen_broker_makes_the_service_unready_within_three_heartbeats(namespace):
    broker_url = URL(AMQP_URL)
    proxy = FreezableProxy(broker_url.port or 5672)
    url = str(broker_url.with_host("127.0.0.1").with_port(await proxy.start()).update_query(heartbeat=1))
    broker = Broker(ServiceSettings(amqp_url=url, broker_namespace=namespace), "gateway")
    await broker.connect(timeout=10)
    try:
        assert broker.is_connected
        proxy.frozen.set()
        frozen_at = time.monotonic()
        while broker.is_connected and time.monotonic() - frozen_at < 30:
            await asyncio.sleep(0.2)
        assert not broker.is_connected and time.monotonic() - frozen_at < 15  # (1 + 1) x 3 s and a check's wait
    finally:
        proxy.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(broker.close(), 5)

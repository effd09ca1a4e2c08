"""A TCP relay that delays every chunk by a fixed time each way: a database on another machine, for a
benchmark that runs the database on this one (what a round trip costs in waiting, not in CPU).

    .venv/bin/python -m bench.latency --listen 27018 --to 127.0.0.1:27017 --delay-ms 0.25

The delay is added in each direction, so a round trip takes twice `--delay-ms` longer. Each chunk keeps
its order (one delay for all)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import subprocess
import sys
from collections.abc import Iterator

import uvloop

from tools.stack import free_port


async def relay(delay: float, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    loop = asyncio.get_running_loop()
    try:
        while chunk := await reader.read(1 << 16):
            loop.call_later(delay, writer.write, chunk)
    except ConnectionError:
        pass
    finally:
        await asyncio.sleep(delay)
        writer.close()


async def serve(port: int, host: str, target_port: int, delay: float) -> None:
    async def connected(client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        server_reader, server_writer = await asyncio.open_connection(host, target_port)
        await asyncio.gather(relay(delay, client_reader, server_writer), relay(delay, server_reader, client_writer))

    server = await asyncio.start_server(connected, "127.0.0.1", port)
    print("ready", flush=True)
    async with server:
        await server.serve_forever()


@contextlib.contextmanager
def delayed(url: str, delay_ms: float) -> Iterator[str]:
    """The MongoDB URL `mongodb://[user:password@]host:port/...` of one server, reached through a relay in a
    process of its own."""
    scheme, rest = url.split("://", 1)
    authority, _, tail = rest.partition("/")
    credentials, _, address = authority.rpartition("@")
    if scheme != "mongodb" or "," in address or ":" not in address:
        raise ValueError(f"a relay goes to one server given as host:port, not {url!r}")
    port = free_port()
    relay_process = subprocess.Popen(
        [sys.executable, "-m", "bench.latency", "--listen", str(port), "--to", address, "--delay-ms", str(delay_ms)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert relay_process.stdout is not None and relay_process.stdout.readline().strip() == "ready"
        yield f"{scheme}://{credentials + '@' if credentials else ''}127.0.0.1:{port}/{tail}"
    finally:
        relay_process.terminate()
        relay_process.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", type=int, required=True)
    parser.add_argument("--to", required=True, help="host:port")
    parser.add_argument("--delay-ms", type=float, required=True, help="added to each direction")
    args = parser.parse_args()
    host, _, port = args.to.rpartition(":")
    uvloop.run(serve(args.listen, host, int(port), args.delay_ms / 1000))


if __name__ == "__main__":
    main()

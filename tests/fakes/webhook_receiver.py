"""A real HTTP server standing in for an applicant-tracking system's webhook endpoint. For each
delivery it answers as scripted, attempt by attempt (an HTTP status, or "hang": no answer for longer
than the sender waits), and keeps what a careful receiver keeps: every request, whether its signature
and timestamp hold, and each delivery processed once (repeats, by X-Interviewer-Delivery, dropped)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.fakes.http import serve

# what a stack needs to deliver to this receiver: loopback is off the internet, refused unless allowed
ALLOW_RECEIVERS = {"WEBHOOKS_ALLOWED_NETWORKS": "127.0.0.1"}


@dataclass
class Received:
    delivery: str
    topic: str
    body: dict[str, Any]
    signed: bool
    answered: int | str
    host: str = ""  # the Host header: the name in the endpoint's URL, whatever address it was sent to


@dataclass
class WebhookReceiver:
    script: list[int | str] = field(default_factory=lambda: [200])  # per delivery, attempt by attempt
    hang_seconds: float = 3.0
    secret: str = ""
    requests: list[Received] = field(default_factory=list)
    processed: dict[str, dict[str, Any]] = field(default_factory=dict)  # delivery id -> body, once

    def start(self) -> WebhookReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                raw = self.rfile.read(int(self.headers.get("content-length", 0)))
                delivery = self.headers.get("x-interviewer-delivery", "")
                attempts = sum(r.delivery == delivery for r in receiver.requests)
                answer = receiver.script[min(attempts, len(receiver.script) - 1)]
                received = Received(delivery, self.headers.get("x-interviewer-topic", ""), json.loads(raw),
                                    receiver.verify(raw, self.headers), answer, self.headers.get("host", ""))  # fmt: skip
                receiver.requests.append(received)
                if answer == "hang":
                    time.sleep(receiver.hang_seconds)
                    answer = 200
                elif isinstance(answer, int) and 200 <= answer < 300 and received.signed:
                    receiver.processed.setdefault(delivery, received.body)
                self.send_response(int(answer))
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server, self.port = serve(Handler)
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/interviewer"

    def verify(self, raw: bytes, headers: Any) -> bool:
        """The signature is HMAC-SHA256 of "<timestamp>.<body>" with the shared secret, and recent."""
        timestamp = headers.get("x-interviewer-timestamp", "0")
        expected = "v1=" + hmac.new(self.secret.encode(), f"{timestamp}.".encode() + raw, hashlib.sha256).hexdigest()
        fresh = abs(time.time() - int(timestamp)) < 300
        return fresh and hmac.compare_digest(expected, headers.get("x-interviewer-signature", ""))

    def stop(self) -> None:
        self.server.shutdown()

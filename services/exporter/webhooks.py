"""Webhooks to applicant-tracking systems (docs/recruiting.md, "Webhooks"): each finished interview,
report, report revised after an upheld correction and erasure is POSTed, signed, to every endpoint that
asked for its topic, from a queue of the exporter's own (`webhooks`), so a slow receiver never holds up an
interview or the Sheets export. A failed
attempt (not 2xx, or no answer within WEBHOOK_TIMEOUT_SECONDS) comes back to that queue after 1, 2, 4 ...
up to 60 WEBHOOK_RETRY_SECONDS (Broker.later), for MAX_ATTEMPTS attempts: over a day at the default
minute. Every attempt is published as WebhookDeliveryAttempted, which persistence keeps for the dashboard.
Each POST goes to an address checked when it is made (shared/platform/addresses.py): a receiver's name that
now resolves inside the network, beyond WEBHOOKS_ALLOWED_NETWORKS, is not delivered to, and not tried again."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import httpx

from services.exporter.rows import revised_report
from shared.contracts.events import (
    Event,
    InterviewCompleted,
    InterviewErased,
    ReportGenerated,
    ReportRevised,
    WebhookDeliveryAttempted,
    WebhookDeliveryAttemptedPayload,
    WebhookRegistered,
    WebhookRemoved,
    WebhookTopic,
    utc_now,
)
from shared.contracts.interview_document import interview_document
from shared.contracts.session_view import fold_session
from shared.platform.addresses import AddressRefused, Network, port_of, reachable_addresses
from shared.platform.handlers import Handlers
from shared.platform.messaging import Broker, PublishFailed, delivery_headers

log = logging.getLogger(__name__)

PRODUCER = "exporter"
TOPICS: dict[type[Event], WebhookTopic] = {
    InterviewCompleted: "interview.completed", ReportGenerated: "report.generated", ReportRevised: "report.revised",
    InterviewErased: "interview.erased",
}  # fmt: skip
MAX_ATTEMPTS = 30  # 1+2+4+8+16+32 and then 60 steps of the retry unit: 25 hours at one minute
WEBHOOK_HEADER, ATTEMPT_HEADER = "x-webhook-id", "x-attempt"
ENDPOINT_CHANGES = (WebhookRegistered, WebhookRemoved)  # what this process listens to (every replica)
ENDPOINTS_MAX_AGE_SECONDS = 60.0
Fetch = Callable[[], Awaitable[list[dict[str, Any]]]]


class Endpoints:
    """The active endpoints, as persistence has them, kept between events: an interview ends with two
    events, and asking persistence for each cost more CPU than delivering. Asked again after this process
    saw an endpoint registered or removed (until the answer shows that change: persistence may not have
    recorded it yet), after a reconnect to the broker (changes may have been missed meanwhile), and after
    ENDPOINTS_MAX_AGE_SECONDS at most."""

    def __init__(self, fetch: Fetch) -> None:
        self.fetch = fetch
        self.known: list[dict[str, Any]] | None = None
        self.asked_at = 0.0
        self.pending: dict[str, bool] = {}  # webhook_id -> active, changes seen and not yet in an answer

    async def of(self, topic: WebhookTopic) -> list[dict[str, Any]]:
        if self.known is None or self.pending or time.monotonic() - self.asked_at > ENDPOINTS_MAX_AGE_SECONDS:
            asked_at, pending = time.monotonic(), dict(self.pending)
            try:
                webhooks = await self.fetch()
            except httpx.HTTPError as error:
                if self.known is None or self.pending:
                    raise  # nothing known, or a change not known yet: the broker brings the event back later
                # persistence away (its store down): the endpoints known a moment ago rather than retrying
                # every event until it is dead-lettered, with no endpoint at all as the common case
                log.warning("persistence did not list the webhooks (%s): the %d known are used", error, len(self.known))
                return [w for w in self.known if topic in w["topics"]]
            active = {w["webhook_id"] for w in webhooks}
            if all((webhook_id in active) == wanted for webhook_id, wanted in pending.items()):
                for webhook_id in pending:
                    if self.pending.get(webhook_id) == pending[webhook_id]:
                        del self.pending[webhook_id]
                self.known, self.asked_at = webhooks, asked_at
            return [w for w in webhooks if topic in w["topics"]]
        return [w for w in self.known if topic in w["topics"]]

    async def changed(self, event: Event) -> None:
        if isinstance(event, WebhookRegistered):
            self.pending[event.payload.webhook_id] = True
        elif isinstance(event, WebhookRemoved):
            self.pending[event.session_id] = False

    def forget(self) -> None:
        self.known = None


def delivery_id(webhook_id: str, event: Event) -> str:
    """The same on every attempt of one event to one endpoint: a receiver drops repeats by it."""
    return "dlv-" + hashlib.sha256(f"{webhook_id}/{event.event_id}".encode()).hexdigest()[:24]


def sign(secret: str, timestamp: int, body: bytes) -> str:
    return "v1=" + hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def retry_in(attempt: int, unit: float) -> float:
    """Seconds before the attempt after `attempt`: 1, 2, 4, ... 32, then 60 units."""
    return unit * float(min(2 ** (attempt - 1), 60))


def body_of(event: Event, topic: WebhookTopic, delivery: str) -> bytes:
    data: dict[str, Any] = {}
    position_id = None
    match event:
        case ReportGenerated() | InterviewCompleted():
            document = interview_document(fold_session(event.session_id, [event]))
            data = document.model_dump(mode="json") if document else {}
            position_id = event.payload.context.position_id
        case ReportRevised(payload=revision):  # the interview document as corrected, and which request revised it
            document = interview_document(fold_session(event.session_id, [revised_report(event.session_id, revision)]))
            data = (document.model_dump(mode="json") if document else {}) | {
                "request_id": revision.request_id, "revised_at": revision.revised_at.isoformat()}  # fmt: skip
            position_id = revision.context.position_id
    return json.dumps({"id": delivery, "topic": topic, "event_id": str(event.event_id),
                       "occurred_at": event.occurred_at.isoformat(), "session_id": event.session_id,
                       "position_id": position_id, "data": data}).encode()  # fmt: skip


class WebhookDeliverer:
    def __init__(
        self,
        persistence_url: str,
        headers: dict[str, str],
        timeout: float,
        retry_unit: float,
        allowed: tuple[Network, ...] = (),
    ) -> None:
        self.persistence = httpx.AsyncClient(base_url=persistence_url, headers=headers, timeout=10)
        # POSTs go to a checked address with the name in Host and SNI. Not kept alive: pooled by address, a
        # connection made (its certificate verified) for one name would serve another. A transport of its own:
        # no HTTPS_PROXY from the environment, which would connect to an address not checked here
        self.receivers = httpx.AsyncClient(
            timeout=timeout,
            follow_redirects=False,
            transport=httpx.AsyncHTTPTransport(limits=httpx.Limits(max_keepalive_connections=0)),
        )
        self.timeout, self.retry_unit, self.allowed = timeout, retry_unit, allowed
        self.broker: Broker | None = None
        self.endpoints = Endpoints(self.active_endpoints)

    async def close(self) -> None:
        await self.persistence.aclose()
        await self.receivers.aclose()

    async def active_endpoints(self) -> list[dict[str, Any]]:
        response = await self.persistence.get("/internal/webhooks")
        response.raise_for_status()  # the data service is away: the event is retried by the broker
        webhooks: list[dict[str, Any]] = response.json()["webhooks"]
        return webhooks

    async def post(self, url: str, body: bytes, headers: dict[str, str]) -> httpx.Response:
        """To an address of the URL's host that is global or allowed, resolved now: the address checked is
        the address connected to. AddressRefused if any of them is neither."""
        target = httpx.URL(url)
        addresses = await reachable_addresses(target.host, port_of(target), self.allowed, self.timeout)
        headers = headers | {"host": target.netloc.decode("ascii")}
        extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
        for number, address in enumerate(addresses, 1):
            try:
                return await self.receivers.post(target.copy_with(host=str(address)), content=body, headers=headers,
                                                 extensions=extensions)  # fmt: skip
            except httpx.ConnectError:  # refused or unreachable (an IPv6 address, no route): the next one
                if number == len(addresses):
                    raise
        raise AssertionError("resolve() returns an address or raises")

    async def attempt(self, webhook: dict[str, Any], event: Event, topic: WebhookTopic, attempt: int) -> Event:
        """One POST; its outcome as the event that records it (and, if it failed, the next attempt set)."""
        delivery = delivery_id(webhook["webhook_id"], event)
        body, timestamp = body_of(event, topic, delivery), int(time.time())
        headers = {"content-type": "application/json", "x-interviewer-delivery": delivery, "x-interviewer-topic": topic,
                   "x-interviewer-timestamp": str(timestamp),
                   "x-interviewer-signature": sign(webhook["secret"], timestamp, body)}  # fmt: skip
        status, error, final = None, "", False
        try:
            response = await self.post(webhook["url"], body, headers)
            status = response.status_code
            error = "" if response.is_success else f"HTTP {status}"
        except AddressRefused as refused:  # the operator's rule, not a passing failure: no next attempt
            error, final = f"not sent: {refused}, not in the exporter's WEBHOOKS_ALLOWED_NETWORKS"[:500], True
            log.warning("webhook %s: delivery %s %s", webhook["webhook_id"], delivery, error)
        except Exception as failure:  # whatever one endpoint does, the others get theirs and it is recorded
            error = f"{type(failure).__name__}: {failure}"[:500] or type(failure).__name__
        delivered = not error
        now = utc_now()
        again = (
            None
            if delivered or final or attempt >= MAX_ATTEMPTS
            else now + timedelta(seconds=retry_in(attempt, self.retry_unit))
        )
        payload = WebhookDeliveryAttemptedPayload(
            delivery_id=delivery, webhook_id=webhook["webhook_id"], topic=topic, event_id=event.event_id,
            interview_session_id=event.session_id, attempt=attempt, delivered=delivered, status_code=status,
            error=error, attempted_at=now, next_attempt_at=again,
        )  # fmt: skip
        return WebhookDeliveryAttempted.derived(session_id=delivery, producer=PRODUCER, payload=payload, key=(attempt,))


def build_handlers(deliverer: WebhookDeliverer) -> Handlers:
    handlers = Handlers()

    @handlers.on(*TOPICS)
    async def deliver(event: Event) -> list[Event]:
        """To every endpoint of the event's topic; a redelivery from the delay queue names the one
        endpoint whose attempt failed, and which attempt it now is."""
        topic = TOPICS[type(event)]
        headers = delivery_headers()
        only, attempt = headers.get(WEBHOOK_HEADER), int(headers.get(ATTEMPT_HEADER, 1))
        webhooks = [w for w in await deliverer.endpoints.of(topic) if only is None or w["webhook_id"] == only]
        outcomes = await asyncio.gather(*(deliverer.attempt(w, event, topic, attempt) for w in webhooks))
        assert deliverer.broker is not None
        for outcome in outcomes:
            assert isinstance(outcome, WebhookDeliveryAttempted)
            if outcome.payload.next_attempt_at is not None:
                seconds = retry_in(attempt, deliverer.retry_unit)
                try:
                    await deliverer.broker.later(
                        event, seconds, {WEBHOOK_HEADER: outcome.payload.webhook_id, ATTEMPT_HEADER: attempt + 1}
                    )
                except PublishFailed as error:  # nothing else would bring it back: the broker retries the event
                    raise RuntimeError(f"the next attempt could not be scheduled: {error!r}") from error
        return list(outcomes)

    return handlers

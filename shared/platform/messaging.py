"""The broker, written once: topology, confirmed publishing, and consuming with
ack-after-work.

Rules every service gets from here:
- one durable topic exchange; routing key = `<event type>.<session id>` (shared/contracts/topology.py);
- one durable quorum queue per consuming service, with an explicit delivery limit and
  a dead-letter exchange into that service's DLQ;
- persistent messages, publisher confirms, `mandatory` so an unroutable event is an
  error rather than a silent loss;
- a message is acked only after its handler returned and every event the handler
  produced was confirmed by the broker; a failing handler's message is requeued after
  a short backoff until the delivery limit moves it to the DLQ; a message that is not
  an event at all goes to the DLQ at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, TypeVar

import aio_pika
from aio_pika.abc import (
    AbstractChannel,
    AbstractIncomingMessage,
    AbstractRobustChannel,
    AbstractRobustConnection,
    AbstractRobustExchange,
    AbstractRobustQueue,
)
from aiormq.exceptions import AuthenticationError, ProbableAuthenticationError
from opentelemetry import trace
from opentelemetry.trace import StatusCode
from yarl import URL

from shared.contracts.events import EVENT_TYPE_NAMES, Event, InvalidEvent, encode_event, parse_event
from shared.contracts.topology import RETIRED, SUBSCRIPTIONS, Names, binding, routing_key
from shared.platform import dlq, metrics
from shared.platform.handlers import Handlers
from shared.platform.redaction import redact_credentials
from shared.platform.settings import ConfigurationError, ServiceSettings

log = logging.getLogger(__name__)

Listener = Callable[[Event], Awaitable[object]]  # what it returns is ignored


GiveUp = Callable[[Event, BaseException], Sequence[Event]]
T = TypeVar("T")

DEPTH_TIMEOUT_SECONDS = 1.0
# asked of the broker unless AMQP_URL's query names its own `heartbeat`: a connection that stays silent for
# three of them ((15 + 1) x 3 = 48 s) is given up and /readyz says so (aiormq's own 60 would take 3 minutes)
HEARTBEAT_SECONDS = 15
CONNECT_SECONDS = 10.0  # one attempt at most: the TCP and AMQP handshakes within half of it
REFUSALS_BEFORE_GIVING_UP = 3  # a broker whose users are still being loaded may refuse for a moment
LIVE_BINDING = "live_binding"  # PUBLISH_FAILED's event type for a session's live binding that failed a request


class PermanentFailure(RuntimeError):
    """A handler's work can never succeed as things stand (say, the AI refuses the credentials):
    the event goes to the DLQ at once instead of being retried."""


class PublishFailed(RuntimeError):
    """The broker did not confirm an event: it must be treated as not accepted."""


class CredentialsRefused(ConfigurationError):
    """The broker refused AMQP_URL's user and password: retrying will not change that."""


class Broker:
    def __init__(self, settings: ServiceSettings, service: str) -> None:
        self.settings = settings
        self.service = service
        self.names = Names(settings.broker_namespace)
        self._connection: AbstractRobustConnection | None = None
        self._channel: AbstractRobustChannel | None = None
        self._exchange: AbstractRobustExchange | None = None
        self._depth_channel: AbstractChannel | None = None
        self._queues: dict[str, AbstractRobustQueue] = {}
        self._consumer_tags: list[tuple[aio_pika.abc.AbstractQueue, str]] = []
        self._in_flight: set[asyncio.Task[Any]] = set()
        self.on_reconnect: list[Callable[[], None]] = []
        self.on_give_up: GiveUp | None = None
        self._redrive_task: asyncio.Task[None] | None = None
        self.feed: SessionFeed | None = None  # the sessions followed (follow_sessions)
        self.starting = False  # start() is waiting for the broker: nothing in hand yet that a stop would lose

    @property
    def is_connected(self) -> bool:
        return (
            self._connection is not None
            and not self._connection.is_closed
            and self._channel is not None
            and not self._channel.is_closed
        )

    async def connect(self, timeout: float = 30.0) -> None:
        """Connect (retrying until `timeout`), declare the topology, open a confirmed channel."""
        self._connection = await _connect_with_retry(self.settings.amqp_url, self.service, timeout)
        self._connection.reconnect_callbacks.add(self._reconnected)
        self._channel = await self._connection.channel(publisher_confirms=True, on_return_raises=True)
        await self._channel.set_qos(prefetch_count=self.settings.prefetch)
        self._exchange, self._queues = await declare_topology(self._channel, self.names, self.settings.delivery_limit)

    async def start(
        self,
        handlers: Handlers | None = None,
        listener: Listener | None = None,
        timeout: float = 60.0,
        listen_to: tuple[type[Event], ...] | None = None,
        session_listener: Listener | None = None,
    ) -> None:
        """Connect, declare, and start consuming, retrying the whole sequence until `timeout`:
        when several services declare a fresh quorum queue at once, RabbitMQ 3.10 can answer a
        consume with an internal error while the queue's process is still starting."""
        if handlers is not None:
            self._check_subscriptions(handlers)
        deadline = asyncio.get_running_loop().time() + timeout

        async def set_up() -> None:
            try:
                await self.connect(timeout=max(1.0, deadline - asyncio.get_running_loop().time()))
                if listener is not None:
                    await self.listen_to_all(listener, listen_to)
                if session_listener is not None:
                    await self.follow_sessions(session_listener)
                if handlers is not None:
                    await self.consume(handlers)
            except Exception:
                await self._discard_connection()
                raise

        self.starting = True
        try:
            await with_backoff(set_up, timeout, "broker setup failed; retrying")
        finally:
            self.starting = False
        if handlers is not None and self.settings.auto_redrive_seconds and self._redrive_task is None:
            self._redrive_task = asyncio.create_task(self._redrive_periodically())

    async def _discard_connection(self) -> None:
        self._consumer_tags.clear()
        if self._connection is not None:
            try:
                await self._connection.close()
            except Exception:
                log.debug("closing a failed connection", exc_info=True)
        self._connection = self._channel = self._exchange = self._depth_channel = None

    def _check_subscriptions(self, handlers: Handlers) -> None:
        expected = set(SUBSCRIPTIONS[self.service])
        if handlers.event_types != expected:
            raise ValueError(
                f"{self.service} handles {sorted(t.__name__ for t in handlers)} but subscribes to "
                f"{sorted(t.__name__ for t in expected)}: shared/contracts/topology.py and its handlers disagree"
            )

    def _reconnected(self, *_: object) -> None:
        log.warning("reconnected to the broker", extra={"service": self.service})
        for callback in self.on_reconnect:
            callback()

    async def _redrive_periodically(self) -> None:
        """Every AUTO_REDRIVE_SECONDS, what the broker dead-lettered after the delivery limit (its handler
        kept failing for minutes, as while the AI is down) goes back to this service's queue, at most
        AUTO_REDRIVE_TIMES times per message, so the work resumes by itself once the cause has gone.
        What is invalid or failed for good waits for a person (python -m shared.platform.dlq)."""
        times = self.settings.auto_redrive_times
        while True:
            await asyncio.sleep(self.settings.auto_redrive_seconds)
            if not self.is_connected:
                continue
            try:
                moved = await dlq.redrive(self.settings, self.service, select=lambda h: dlq.worth_retrying(h, times))
            except Exception as error:  # the broker went away meanwhile: the next round tries again
                log.warning("automatic re-drive failed", extra={"error": repr(error)})
                continue
            if moved:
                log.info("dead letters sent back for another try", extra={"messages": moved})

    async def close(self) -> None:
        if self._redrive_task is not None:
            self._redrive_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._redrive_task
            self._redrive_task = None
        for queue, tag in self._consumer_tags:
            try:
                await queue.cancel(tag)
            except Exception:  # the connection may already be gone
                log.debug("could not cancel consumer %s", tag, exc_info=True)
        self._consumer_tags.clear()
        await self._drain(timeout=10.0)
        if self._channel is not None and not self._channel.is_closed:
            # Closing the channel is a round trip behind the last acks, so the broker has them all; closing
            # the connection at once can drop acks still queued in the client (and the broker redelivers).
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._channel.close(), 5)
        await self._discard_connection()

    async def _drain(self, timeout: float) -> None:
        """Let the handlers of the messages in hand finish (and ack), so that none is delivered again.
        A delivery that arrived just before the cancel starts its handler a moment later: wait for those
        too, until nothing is in flight."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        await asyncio.sleep(0)
        while self._in_flight and loop.time() < deadline:
            await asyncio.wait(set(self._in_flight), timeout=deadline - loop.time())
            await asyncio.sleep(0)

    async def publish(self, event: Event) -> None:
        """Return only once the broker has confirmed the event; raise PublishFailed otherwise."""
        if self._exchange is None or not self.is_connected:
            metrics.PUBLISH_FAILED.labels(self.service, event.type).inc()
            raise PublishFailed("not connected to the message broker")
        message = aio_pika.Message(
            body=encode_event(event),
            content_type="application/json",
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            message_id=str(event.event_id),
            type=event.type,
            app_id=event.producer,
            timestamp=event.occurred_at,
            headers={},  # the trace context (traceparent) is added here by the aio-pika instrumentation
        )
        try:
            await self._refuse_if_blocked()
            async with asyncio.timeout(self.settings.publish_timeout_seconds):
                await self._exchange.publish(message, routing_key=routing_key(event), mandatory=True)
        except (Exception, TimeoutError) as error:
            metrics.PUBLISH_FAILED.labels(self.service, event.type).inc()
            if isinstance(error, PublishFailed):
                raise
            raise PublishFailed(f"the broker did not confirm {event.type}: {error!r}") from error
        metrics.PUBLISHED.labels(self.service, event.type).inc()

    async def later(self, event: Event, seconds: float, headers: dict[str, str | int]) -> None:
        """Deliver `event` to this service's own queue again in `seconds`, with these headers (the handler
        reads them with `delivery_headers()`): for work on its own retry schedule, such as webhooks. The
        message waits, persistent, in a delay queue whose messages expire into this service's queue."""
        if self._channel is None or not self.is_connected:
            metrics.PUBLISH_FAILED.labels(self.service, event.type).inc()
            raise PublishFailed("not connected to the message broker")
        seconds = max(1, round(seconds))
        name = self.names.delay_queue(self.service, seconds)
        try:
            # declared again on every use: publishing does not count as use, and a queue that expires
            # takes the messages waiting in it along; each declare renews it past its longest wait
            arguments = {"x-message-ttl": seconds * 1000, "x-dead-letter-exchange": "",
                         "x-dead-letter-routing-key": self.names.queue(self.service),
                         "x-expires": max(2 * seconds, 3600) * 1000}  # unused for a while: gone  # fmt: skip
            await self._channel.declare_queue(name, durable=True, arguments=arguments)
            message = aio_pika.Message(
                body=encode_event(event), content_type="application/json", headers=dict(headers),
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT, message_id=str(event.event_id), type=event.type,
            )  # fmt: skip
            async with asyncio.timeout(self.settings.publish_timeout_seconds):
                await self._channel.default_exchange.publish(message, routing_key=name, mandatory=True)
        except (Exception, TimeoutError) as error:
            metrics.PUBLISH_FAILED.labels(self.service, event.type).inc()
            raise PublishFailed(f"the broker did not take {event.type} for later: {error!r}") from error

    async def _refuse_if_blocked(self) -> None:
        """A broker under a resource alarm blocks publishers. Fail before writing rather than
        leave a message in the socket that the broker may accept after we reported failure."""
        transport = getattr(self._connection, "transport", None)
        connection = getattr(transport, "connection", None)
        if connection is None:
            return
        try:
            async with asyncio.timeout(min(1.0, self.settings.publish_timeout_seconds)):
                await connection.ready()
        except TimeoutError:
            raise PublishFailed(
                "the broker is not accepting messages (disconnected, or blocked by a resource alarm)"
            ) from None

    async def consume(self, handlers: Handlers) -> None:
        """Consume this service's durable queue, dispatching each event to its handler."""
        self._check_subscriptions(handlers)
        queue = self._queues[self.service]

        async def on_message(message: AbstractIncomingMessage) -> None:
            task = asyncio.current_task()
            assert task is not None  # aio-pika runs each delivery's callback in a task of its own
            self._in_flight.add(task)
            try:
                await self._dispatch(message, handlers)
            finally:
                self._in_flight.discard(task)

        tag = await queue.consume(on_message)
        self._consumer_tags.append((queue, tag))

    async def listen_to_all(self, listener: Listener, only: tuple[type[Event], ...] | None = None) -> None:
        """A private, transient view of every event, or of the `only` types (every process sees them,
        whereas a service's queue gives each event to one of its replicas). Events published while it is
        disconnected are missed: callers re-read what they need after a reconnect (see `on_reconnect`)."""
        queue = await self._private_queue(listener)
        assert self._exchange is not None  # _private_queue checked it
        for pattern in [f"{event_type.type_name()}.#" for event_type in only] if only else ["#"]:
            await queue.bind(self._exchange, routing_key=pattern)

    async def follow_sessions(self, listener: Listener) -> SessionFeed:
        """A private, transient queue that receives the events of the sessions `follow`ed and no others
        (the gateway's live views: each replica hears only the interviews it serves). Its bindings are
        restored after a reconnect, but events published meanwhile are missed (see `on_reconnect`)."""
        queue = await self._private_queue(listener, metrics.LIVE_EVENTS.labels(self.service))
        assert self._exchange is not None  # _private_queue checked it
        metrics.FOLLOWED_SESSIONS.labels(self.service).set_function(lambda: len(self.feed or ()))
        self.feed = SessionFeed(
            queue, self._exchange, self._refuse_if_blocked, self.settings.publish_timeout_seconds,
            failed=metrics.PUBLISH_FAILED.labels(self.service, LIVE_BINDING),
        )  # fmt: skip
        return self.feed

    async def _private_queue(self, listener: Listener, heard: Any = None) -> AbstractRobustQueue:
        """An exclusive, auto-deleted queue whose events go to `listener` (counted in `heard`), unbound."""
        if self._channel is None or self._exchange is None:
            raise RuntimeError("connect() first")
        queue = await self._channel.declare_queue(exclusive=True, auto_delete=True)

        async def on_message(message: AbstractIncomingMessage) -> None:
            if heard is not None:
                heard.inc()
            try:
                event = parse_event(message.body)
            except InvalidEvent:
                return
            await listener(event)

        tag = await queue.consume(on_message, no_ack=True)
        self._consumer_tags.append((queue, tag))
        return queue

    async def dead_letters(self) -> int | None:
        """How many messages wait in this service's DLQ; None when that is unknown (not connected,
        the broker not answering within a second, no such queue). A scrape must not wait out an
        outage, and must not redeclare the queue or risk the consuming channel to ask."""
        if not self.is_connected:
            return None
        try:
            async with asyncio.timeout(DEPTH_TIMEOUT_SECONDS):
                channel = await self._open_depth_channel()
                queue = await channel.declare_queue(self.names.dead_letter_queue(self.service), passive=True)
        except (Exception, TimeoutError) as error:
            log.debug("DLQ depth unknown", extra={"error": repr(error)})
            return None
        return queue.declaration_result.message_count

    async def _open_depth_channel(self) -> AbstractChannel:
        """A plain channel beside the consuming one: a failed passive declare closes only this one,
        and unlike a robust channel it answers from the broker, not from its own queue cache."""
        if self._connection is None:
            raise RuntimeError("not connected")
        if self._depth_channel is None or self._depth_channel.is_closed:
            self._depth_channel = aio_pika.Channel(self._connection, publisher_confirms=False)
            await self._depth_channel.initialize()
        return self._depth_channel

    async def _give_up(self, event: Event, error: BaseException) -> None:
        """Tell whoever waits for this event's work that it will not come (best effort: the event
        itself goes to the DLQ either way)."""
        if self.on_give_up is None:
            return
        try:
            for notice in self.on_give_up(event, error):
                await self.publish(notice)
        except Exception:
            log.exception("could not publish the give-up notice", extra={"event_id": str(event.event_id)})

    async def _dispatch(self, message: AbstractIncomingMessage, handlers: Handlers) -> None:
        try:
            event = parse_event(message.body)
        except InvalidEvent as error:
            metrics.EVENTS.labels(self.service, _event_type_label(message.type), "invalid").inc()
            _mark_span_failed(error, "not an event; dead-lettered")
            log.error(
                "not an event; dead-lettering it", extra={"error": str(error)[:500], "message_id": message.message_id}
            )
            await _settle(message.reject(requeue=False))
            return
        fields = {"event_type": event.type, "event_id": str(event.event_id), "session_id": event.session_id}
        if message.redelivered:
            metrics.REDELIVERED.labels(self.service, event.type).inc()
        handler = handlers.get(type(event))
        if handler is None:  # routed here by a binding this version does not handle: retrying cannot help
            metrics.EVENTS.labels(self.service, event.type, "dead_lettered").inc()
            log.error("no handler for this event type; dead-lettering it", extra=fields)
            await _settle(message.reject(requeue=False))
            return
        CURRENT_HEADERS.set(dict(message.headers or {}))
        attempt = _delivery_count(message) + 1
        started = time.perf_counter()
        try:
            derived = await handler(event)
            for new_event in derived:
                await self.publish(new_event)
        except Exception as error:
            metrics.HANDLER_SECONDS.labels(self.service, event.type).observe(time.perf_counter() - started)
            permanent = isinstance(error, PermanentFailure)
            final = permanent or attempt > self.settings.delivery_limit
            log.exception(
                "handler failed" + ("; dead-lettering" if final else "; will retry"),
                extra=fields | {"attempt": attempt, "error": repr(error)},
            )
            outcome = "dead_lettered" if final else "retried"
            metrics.EVENTS.labels(self.service, event.type, outcome).inc()
            _mark_span_failed(error, f"handler failed; {outcome}")
            if final:
                await self._give_up(event, error)
            if permanent:
                await _settle(message.reject(requeue=False))
                return
            if not final:
                await asyncio.sleep(retry_delay(attempt, getattr(error, "retry_after", None)))
            await _settle(message.nack(requeue=True))  # past the delivery limit, the broker dead-letters it
            return
        metrics.HANDLER_SECONDS.labels(self.service, event.type).observe(time.perf_counter() - started)
        metrics.EVENTS.labels(self.service, event.type, "ok").inc()
        await _settle(message.ack())
        log.debug("handled", extra=fields)


async def declare_topology(
    channel: AbstractRobustChannel, names: Names, delivery_limit: int
) -> tuple[AbstractRobustExchange, dict[str, AbstractRobustQueue]]:
    """Declare the exchange, every service's queue and DLQ, and their bindings."""
    queues = {}
    exchange = await channel.declare_exchange(names.exchange, aio_pika.ExchangeType.TOPIC, durable=True)
    dead_letters = await channel.declare_exchange(
        names.dead_letter_exchange, aio_pika.ExchangeType.DIRECT, durable=True
    )
    for service, event_types in SUBSCRIPTIONS.items():
        dlq = await channel.declare_queue(
            names.dead_letter_queue(service), durable=True, arguments={"x-queue-type": "quorum"}
        )
        await dlq.bind(dead_letters, routing_key=service)
        queue = await channel.declare_queue(
            names.queue(service),
            durable=True,
            arguments={
                "x-queue-type": "quorum",
                "x-delivery-limit": delivery_limit,
                "x-dead-letter-exchange": names.dead_letter_exchange,
                "x-dead-letter-routing-key": service,
            },
        )
        for event_type in event_types:
            await queue.bind(exchange, routing_key=binding(service, event_type))
        for retired in RETIRED.get(service, ()):
            await queue.unbind(exchange, routing_key=retired)
        queues[service] = queue
    return exchange, queues


class SessionFeed:
    """Which sessions' events a private queue receives: a binding `*.<session id>.#` per session followed.
    What is wanted changes at once; the bindings follow it one call at a time, so a session forgotten and
    followed again at once stays bound."""

    def __init__(
        self,
        queue: AbstractRobustQueue,
        exchange: AbstractRobustExchange,
        unblocked: Callable[[], Awaitable[None]],
        timeout: float = 5.0,
        failed: Any = None,
    ) -> None:
        self._queue = queue
        self._exchange = exchange
        # a broker under a resource alarm blocks the connection: nothing is sent then (a bind cut off
        # half-way would upset the channel the live events come on), and a bind that hangs is given up
        self._unblocked = unblocked
        self._timeout = timeout
        self._failed = failed  # counts a follow that failed: the request waiting for it fails too
        self._wanted: set[str] = set()
        self._bound: set[str] = set()
        self._lock = asyncio.Lock()

    def follows(self, session_id: str) -> bool:
        return session_id in self._wanted and session_id in self._bound

    async def follow(self, session_id: str) -> None:
        """Returns once the session's events come to the queue."""
        self._wanted.add(session_id)
        if session_id not in self._bound:
            try:
                await self._sync(session_id)
            except (Exception, TimeoutError):
                if self._failed is not None:
                    self._failed.inc()
                raise

    def unfollow(self, session_id: str) -> Awaitable[None]:
        """No longer wanted from now on; the binding goes when the result is awaited."""
        self._wanted.discard(session_id)
        return self._sync(session_id)

    async def _sync(self, session_id: str) -> None:
        async with self._lock, asyncio.timeout(self._timeout):
            await self._unblocked()
            if session_id in self._wanted and session_id not in self._bound:
                await self._queue.bind(self._exchange, routing_key=f"*.{session_id}.#")
                self._bound.add(session_id)
            elif session_id not in self._wanted and session_id in self._bound:
                await self._queue.unbind(self._exchange, routing_key=f"*.{session_id}.#")
                self._bound.discard(session_id)

    def __len__(self) -> int:
        return len(self._bound)


async def _connect_with_retry(url: str, service: str, timeout: float) -> AbstractRobustConnection:
    """A refused connection is retried until `timeout` (RabbitMQ restarting is normal); refused credentials
    only a few times."""
    where = redact_credentials(url)
    target = with_heartbeat(url)
    refusals = 0

    async def connect() -> AbstractRobustConnection:
        nonlocal refusals
        try:
            return await _connect_robust(target, service)
        except (ProbableAuthenticationError, AuthenticationError) as error:
            refusals += 1
            if refusals > REFUSALS_BEFORE_GIVING_UP:
                raise CredentialsRefused(refused(where, error)) from None
            raise

    def retrying(error: Exception) -> str:
        if isinstance(error, ProbableAuthenticationError | AuthenticationError):
            return f"RabbitMQ at {where} refused the user or password; trying again"
        return f"RabbitMQ at {where} not reachable yet; retrying"

    try:
        return await with_backoff(connect, timeout, retrying)
    except ConfigurationError:
        raise
    except Exception as error:
        raise ConnectionError(f"cannot reach RabbitMQ at {where}: {error}") from error


async def _connect_robust(url: URL, service: str) -> AbstractRobustConnection:
    """aio_pika.connect_robust, bounded: an error aio-pika does not take for a connection error (ValueError,
    say) would send the first connect into its own reconnect loop, retried every 5 s for ever."""
    connection = aio_pika.RobustConnection(url, client_properties={"connection_name": service})
    try:
        async with asyncio.timeout(CONNECT_SECONDS):
            await connection.connect(timeout=CONNECT_SECONDS / 2)
    except BaseException:
        await connection.close()
        raise
    return connection


def with_heartbeat(url: str) -> URL:
    """AMQP_URL, asking for a heartbeat every HEARTBEAT_SECONDS unless it names its own (aiormq reads it there)."""
    parsed = URL(url)
    return parsed if "heartbeat" in parsed.query else parsed.update_query(heartbeat=HEARTBEAT_SECONDS)


def refused(where: str, error: Exception) -> str:
    return (
        f"RabbitMQ at {where} refused AMQP_URL's user and password ({error}): set AMQP_URL to a user the "
        "broker has. RABBITMQ_DEFAULT_USER/RABBITMQ_DEFAULT_PASS create that user only when the broker's data "
        "volume is new: changing them later changes nothing on the broker (rabbitmqctl change_password does)"
    )


async def with_backoff(
    attempt: Callable[[], Awaitable[T]], timeout: float, retrying: str | Callable[[Exception], str]
) -> T:
    """`attempt()` until it succeeds, waiting 0.2 s after the first failure and twice as long after each
    next (at most 2 s), logging `retrying` (or what it says of the error); its last error once `timeout`
    seconds would be exceeded. A ConfigurationError at once: it does not go away by itself."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    delay = 0.2
    while True:
        try:
            return await attempt()
        except ConfigurationError:
            raise
        except Exception as error:
            if loop.time() + delay > deadline:
                raise
            log.warning(retrying if isinstance(retrying, str) else retrying(error), extra={"error": repr(error)})
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)


CURRENT_HEADERS: contextvars.ContextVar[Mapping[str, Any]] = contextvars.ContextVar(
    "headers", default=MappingProxyType({})
)


def delivery_headers() -> Mapping[str, Any]:
    """The AMQP headers of the message whose handler is running (set by `Broker.later`, for instance)."""
    return CURRENT_HEADERS.get()


MAX_HOLD_SECONDS = 600.0  # the longest a failed message is held, whatever the failure asks


def retry_delay(attempt: int, asked: float | None = None) -> float:
    """Seconds to hold a failed message before requeueing it: 0.5, 1, 2, 4 ... up to 30, so the
    default delivery limit of 10 spans about three minutes of outage before the DLQ; longer when
    the failure says how long to wait (an AI's retry-after), up to MAX_HOLD_SECONDS."""
    backoff = min(0.25 * 2.0**attempt, 30.0)
    return min(max(backoff, asked or 0.0), MAX_HOLD_SECONDS)


def _event_type_label(message_type: str | None) -> str:
    """A message's type names a metric series only if it is one of ours: whoever publishes can
    write anything there, and every new label value is a new series."""
    return message_type if message_type in EVENT_TYPE_NAMES else "invalid"


def _mark_span_failed(error: BaseException, description: str) -> None:
    """The consumer's receive span (opened by the aio-pika instrumentation) would end as a success,
    since the handler's exception is caught here to retry or dead-letter the message."""
    span = trace.get_current_span()
    span.record_exception(error)
    span.set_status(StatusCode.ERROR, description)


def _delivery_count(message: AbstractIncomingMessage) -> int:
    value = (message.headers or {}).get("x-delivery-count", 0)
    return int(value) if isinstance(value, int | str) and str(value).isdigit() else 0


async def _settle(operation: Awaitable[None]) -> None:
    """Ack/nack/reject; if the channel is gone the broker redelivers anyway."""
    try:
        await operation
    except Exception:
        log.warning("could not settle a message; the broker will redeliver it", exc_info=True)

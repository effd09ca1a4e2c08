"""What every service process shares: its app's wiring (`service_app`), health endpoints, and running
under uvicorn (`run_service`)."""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import math
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from types import FrameType

import uvicorn
from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse, Response
from fastapi_offline import FastAPIOffline
from prometheus_fastapi_instrumentator import Instrumentator
from pydantic import ValidationError

from shared.contracts.events import Event
from shared.platform import metrics
from shared.platform.bodylimit import BodyLimit, Cap
from shared.platform.handlers import Handlers
from shared.platform.head import HeadAsGet
from shared.platform.http_errors import AnswerUnexpected, install_error_handlers
from shared.platform.logs import configure_logging
from shared.platform.messaging import Broker, GiveUp, Listener
from shared.platform.settings import ConfigurationError, ServiceSettings, what_is_wrong
from shared.platform.telemetry import instrument_app, setup_tracing

log = logging.getLogger(__name__)
Check = Callable[[], bool | Awaitable[bool]]


CHECK_SECONDS = 1.0  # a readiness check slower than this counts as failed: the probe answers within its timeout


async def passes(check: Check) -> bool:
    try:
        outcome = check()
        return bool(await asyncio.wait_for(outcome, CHECK_SECONDS) if inspect.isawaitable(outcome) else outcome)
    except Exception:  # a timeout included
        return False


def health_router(
    service: str,
    checks: dict[str, Check],
    broker: Broker | None = None,
    informs: dict[str, Check] | None = None,
    more_brokers: tuple[Broker, ...] = (),
) -> APIRouter:
    """/healthz (the process is alive), /readyz (what it depends on answers, each check bounded to a second;
    `informs`: what is reported beside them without making the service unready), /metrics (Prometheus)."""
    router = APIRouter(tags=["health"])

    @router.get("/metrics", response_class=Response)
    async def prometheus_metrics() -> Response:
        if broker is not None:
            depth = await broker.dead_letters()
            metrics.DLQ_DEPTH.labels(service).set(math.nan if depth is None else depth)  # unknown, not stale
        for other in more_brokers:  # a second consumer of the process (the exporter's webhooks)
            depth = await other.dead_letters()
            metrics.DLQ_DEPTH.labels(other.service).set(math.nan if depth is None else depth)
        body, content_type = metrics.exposition()
        return Response(body, media_type=content_type)

    @router.get("/healthz")
    async def alive() -> dict[str, str]:
        return {"status": "ok", "service": service}

    @router.get("/readyz")
    async def ready() -> JSONResponse:
        results = {name: await passes(check) for name, check in checks.items()}
        ok = all(results.values())
        body: dict[str, object] = {"status": "ready" if ok else "not ready", "service": service, "checks": results}
        if informs:
            body["also"] = {name: await passes(check) for name, check in informs.items()}
        return JSONResponse(body, status_code=200 if ok else 503)

    return router


Resources = Callable[[Broker], AbstractAsyncContextManager[None]]
DEFAULT_BODY_LIMIT = 64 * 1024


def service_app(
    service: str,
    settings: ServiceSettings,
    *,
    handlers: Handlers | None = None,
    listener: Listener | None = None,
    listen_to: tuple[type[Event], ...] | None = None,
    session_listener: Listener | None = None,
    resources: Resources | None = None,
    checks: dict[str, Check] | None = None,
    informs: dict[str, Check] | None = None,
    more_brokers: tuple[Broker, ...] = (),
    on_give_up: GiveUp | None = None,
    broker: Broker | None = None,
    body_limit: int = DEFAULT_BODY_LIMIT,
    body_limits: Mapping[str, int | Cap] | None = None,
    title: str | None = None,
) -> FastAPI:
    """Every service's app, wired in one place.

    - the broker: started once the service's own `resources` are up (a store opened, say), consuming
      `handlers` from the service's queue, feeding `listener` every event of the `listen_to` types (None: of
      every type) and `session_listener` the events of the sessions followed (`broker.feed`); closed before
      them, so
      the messages in hand finish while what they need is still there;
    - /healthz, /readyz (the broker and `checks`; `informs` reported beside them) and /metrics;
    - JSON errors for everything, and request bodies capped (`body_limits` per path prefix).
    Its routes are the service's own business: `app.include_router(...)` on the result."""
    broker = broker or Broker(settings, service)
    broker.on_give_up = on_give_up

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            try:
                if resources is not None:
                    await stack.enter_async_context(resources(broker))
                if handlers is not None or listener is not None or session_listener is not None:
                    await broker.start(
                        handlers, listener=listener, listen_to=listen_to, session_listener=session_listener
                    )
            except ConfigurationError as error:  # a broker refusing the credentials, say: run_service says it
                app.state.configuration_error = error
                raise
            stack.push_async_callback(broker.close)
            yield

    # /docs and /redoc with Swagger UI's and ReDoc's files served by the service, not fetched from a CDN
    app = FastAPIOffline(title=title or f"interviewer {service}", lifespan=lifespan)
    app.state.broker = broker
    app.state.brokers = (broker, *more_brokers)
    app.state.settings = settings
    install_error_handlers(app)
    app.add_middleware(BodyLimit, default=body_limit, limits=body_limits)
    app.add_middleware(HeadAsGet)
    readiness = {"broker": lambda: broker.is_connected} | (checks or {})
    app.include_router(health_router(service, readiness, broker, informs, more_brokers))
    http_metrics(app)
    app.add_middleware(AnswerUnexpected)  # outermost of ours: what the others raise too
    return app


def http_metrics(app: FastAPI) -> None:
    """interviewer_http_requests_total (by route, method and status) and interviewer_http_request_duration_
    seconds (by route and method) on /metrics. A live stream counts when it starts, not while it lasts."""
    Instrumentator(
        should_group_status_codes=False,
        excluded_handlers=["/metrics", "/healthz", "/readyz", "/static.*"],  # .*: the docs' files too
        should_exclude_streaming_duration=True,
    ).instrument(app, metric_namespace="interviewer")


class Server(uvicorn.Server):
    """uvicorn's, which looks at SIGTERM/SIGINT only once the app has started: a service still waiting for the
    broker (up to a minute while it restarts) stops at once instead, as nothing is in hand yet."""

    def __init__(self, config: uvicorn.Config, brokers: tuple[Broker, ...]) -> None:
        super().__init__(config)
        self.brokers = brokers

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if self.started or not any(broker.starting for broker in self.brokers):
            super().handle_exit(sig, frame)
            return
        log.warning("stopped while waiting for the broker", extra={"signal": signal.Signals(sig).name})
        signal.signal(sig, signal.SIG_DFL)
        signal.raise_signal(sig)


STARTUP_FAILURE = 3  # uvicorn's exit code
CONFIGURATION_ERROR = 2  # a setting is wrong: starting again cannot help (tools/run.py stops at once)


def serve(app: FastAPI, service: str, settings: ServiceSettings, port: int) -> None:
    """Run until SIGTERM/SIGINT; uvicorn then runs the lifespan's shutdown (consumers
    cancelled, in-flight messages finished, connection closed). X-Forwarded-For is not trusted here
    (uvicorn would trust it from localhost): an app that sits behind a proxy says which (the gateway).
    A ConfigurationError met while starting (the broker refused AMQP_URL's credentials) ends it as one at
    start does: one line, exit code 2."""
    config = uvicorn.Config(
        app, host=settings.bind_host, port=port, log_config=None, timeout_graceful_shutdown=10, proxy_headers=False
    )
    server = Server(config, app.state.brokers)
    # the lifespan's traceback of such an error says nothing the line does not
    logging.getLogger("uvicorn.error").addFilter(lambda record: not _configuration_error(app))
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    except SystemExit:  # uvicorn's own, when the app failed to start
        if _configuration_error(app) is None:
            raise
    if not server.started:
        error = _configuration_error(app)
        if error is not None:
            _report(service, error)
        sys.exit(STARTUP_FAILURE)


def _configuration_error(app: FastAPI) -> ConfigurationError | None:
    return getattr(app.state, "configuration_error", None)


def _report(service: str, error: ValidationError | ConfigurationError) -> None:
    """One JSON line, as every log line, naming no value; exit code 2."""
    line = {"level": "error", "service": service, "msg": f"configuration error: {what_is_wrong(error)}"}
    print(json.dumps(line), file=sys.stderr)
    sys.exit(CONFIGURATION_ERROR)


def run_service(service: str, settings_class: type[ServiceSettings], create_app: Callable[..., FastAPI]) -> None:
    """The entry point of every service: settings from the environment, then serve.
    A configuration mistake ends the process with one clear line, not a traceback."""
    try:
        settings = settings_class()
        configure_logging(service, settings.log_level)
        setup_tracing(service, settings.otel_exporter_otlp_endpoint, environment=settings.deployment_environment)
        app = create_app(settings)
        instrument_app(app)
    except (ValidationError, ConfigurationError) as error:
        _report(service, error)
    serve(app, service, settings, settings.port)

"""OpenTelemetry for every service: one trace from an HTTP request through each publish, each
consumer and each store write. Trace context travels in AMQP headers (W3C traceparent), set and
read by the aio-pika instrumentation; spans go to OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set."""

from __future__ import annotations

import contextlib
import logging
from importlib import metadata
from typing import Any

from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.instrumentation.aio_pika import AioPikaInstrumentor
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import Span, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor, SpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF
from opentelemetry.semconv.attributes.deployment_attributes import DEPLOYMENT_ENVIRONMENT_NAME
from opentelemetry.semconv.attributes.service_attributes import SERVICE_NAME, SERVICE_VERSION

from shared.platform.redaction import redact_query

log = logging.getLogger(__name__)
_exporting = False  # setup_tracing was given somewhere to send spans
UNTRACED_PATHS = "healthz,readyz,metrics,static"
# The attribute names the instrumentations still write (older semantic conventions), and their current
# names: each span gets the current one beside the old, as OpenTelemetry's own migrations do ("dup").
CURRENT_NAMES = {
    "messaging.destination": "messaging.destination.name",
    "messaging.operation": "messaging.operation.type",
    "net.peer.name": "server.address",
    "net.peer.port": "server.port",
    "db.system": "db.system.name",
    "db.name": "db.namespace",
    "db.statement": "db.query.text",
    "db.operation": "db.operation.name",
}


# Attributes that hold a URL or its query: their secrets are redacted (shared/platform/redaction.py)
URL_ATTRIBUTES = ("http.target", "http.url", "url.full", "url.query")


class CurrentSemanticConventions(SpanProcessor):
    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        for old, current in CURRENT_NAMES.items():
            value = (span.attributes or {}).get(old)
            if value is not None and current not in (span.attributes or {}):
                span.set_attribute(current, value)
        redact_urls(span)


def redact_urls(span: trace.Span, scope: dict[str, Any] | None = None) -> None:
    """On a span's start, and as the ASGI instrumentation's request hook (it sets the request's
    attributes again after the start)."""
    attributes = getattr(span, "attributes", None) or {}
    for name in URL_ATTRIBUTES:
        value = attributes.get(name)
        if isinstance(value, str) and (redacted := redact_query(value)) != value:
            span.set_attribute(name, redacted)


def version() -> str:
    try:
        return metadata.version("interviewer")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def setup_tracing(
    service: str,
    otlp_endpoint: str | None,
    exporter: SpanExporter | None = None,
    batch: bool = True,
    environment: str = "development",
) -> TracerProvider:
    """Install the tracer provider and instrument aio-pika (and PyMongo); call once per process.

    With nowhere to send spans, none is recorded (a third of the services' CPU under load went into
    spans nobody would see), yet every request still gets a trace id that travels through the broker
    into each service's log lines."""
    if exporter is None and otlp_endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter()  # reads OTEL_EXPORTER_OTLP_ENDPOINT (and _HEADERS, ...) itself
        log.info("exporting traces over OTLP", extra={"endpoint": otlp_endpoint})
    # with an exporter: the sampler OTEL_TRACES_SAMPLER names (default: every trace)
    resource = {SERVICE_NAME: f"interviewer-{service}", SERVICE_VERSION: version(),
                DEPLOYMENT_ENVIRONMENT_NAME: environment}  # fmt: skip
    provider = TracerProvider(resource=Resource.create(resource), sampler=None if exporter is not None else ALWAYS_OFF)
    global _exporting
    _exporting = exporter is not None
    if exporter is not None:
        provider.add_span_processor(CurrentSemanticConventions())
        provider.add_span_processor(BatchSpanProcessor(exporter) if batch else SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    instrumentor = AioPikaInstrumentor()
    if not instrumentor.is_instrumented_by_opentelemetry:
        instrumentor.instrument(tracer_provider=provider)
    try:
        from opentelemetry.instrumentation.pymongo import PymongoInstrumentor

        if not PymongoInstrumentor().is_instrumented_by_opentelemetry:
            PymongoInstrumentor().instrument(tracer_provider=provider)
    except Exception:  # PyMongo's instrumentation is optional: tracing must never stop a service
        log.debug("PyMongo is not instrumented", exc_info=True)
    return provider


def instrument_app(app: FastAPI, tracer_provider: TracerProvider | None = None) -> None:
    FastAPIInstrumentor.instrument_app(
        app, excluded_urls=UNTRACED_PATHS, server_request_hook=redact_urls, tracer_provider=tracer_provider
    )


def tracer(name: str) -> trace.Tracer:
    return trace.get_tracer(name)


def span(tracer: trace.Tracer, name: str, attributes: dict[str, Any]) -> contextlib.AbstractContextManager[object]:
    """A span of our own inside the current one, when spans are exported; else nothing at all: an unrecorded
    span (and its attributes) cost the persistence service a twentieth of its CPU per event."""
    if not _exporting:
        return contextlib.nullcontext()
    return tracer.start_as_current_span(name, attributes=attributes)


def current_trace_ids() -> dict[str, str]:
    """The current trace and span ids, for log lines."""
    context = trace.get_current_span().get_span_context()
    if not context.is_valid:
        return {}
    return {"trace_id": format(context.trace_id, "032x"), "span_id": format(context.span_id, "016x")}

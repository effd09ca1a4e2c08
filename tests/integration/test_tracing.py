"""One trace from the HTTP request through every publish, every consumer and the store write:
the gateway, interview, scoring and persistence services in one process (one in-memory span
exporter), on the real RabbitMQ; trace context crosses the broker in AMQP headers."""

import asyncio
from contextlib import AsyncExitStack
from importlib import metadata

import httpx
from opentelemetry import trace
from opentelemetry.instrumentation.aio_pika import AioPikaInstrumentor
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from services.gateway.app import create_app as gateway_app
from services.gateway.settings import GatewaySettings
from services.interview.app import create_app as interview_app
from services.interview.settings import InterviewSettings
from services.persistence.app import create_app as persistence_app
from services.persistence.settings import PersistenceSettings
from services.scoring.app import create_app as scoring_app
from services.scoring.settings import ScoringSettings
from shared.contracts.events import AnswerSubmitted, Event, InterviewStarted
from shared.platform.messaging import Broker
from shared.platform.telemetry import instrument_app, setup_tracing
from tests.e2e.test_interview import ANSWERS, START
from tests.factories import handler_table
from tests.integration.test_messaging import settings_for, started_event, wait_for_depth


def score_stored(spans) -> bool:
    ended = {s.context.span_id for s in spans}
    return any(s.name == "store event" and s.attributes["event.type"] == "AnswerScored" and s.parent.span_id in ended
               for s in spans)  # fmt: skip


async def test_one_trace_crosses_the_broker_from_the_request_to_the_store(namespace, tmp_path):
    exporter = InMemorySpanExporter()
    setup_tracing("test", None, exporter, batch=False)
    common = {"broker_namespace": namespace}
    gateway = gateway_app(GatewaySettings(**common))
    instrument_app(gateway, tracer_provider=trace.get_tracer_provider())
    apps = [persistence_app(PersistenceSettings(**common, data_dir=tmp_path)), interview_app(InterviewSettings(**common)),
            scoring_app(ScoringSettings(**common)), gateway]  # fmt: skip
    try:
        async with AsyncExitStack() as running:
            for app in apps:
                await running.enter_async_context(app.router.lifespan_context(app))
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=gateway), base_url="http://gateway"
            ) as client:
                started = (await client.post("/api/start-interview", json=START)).json()
                answer = {"session_id": started["session_id"], "answer": ANSWERS[0], "question_number": 1}
                assert (await client.post("/api/submit-answer", json=answer)).status_code == 200
                assert (await client.get("/?invitation=not-for-the-spans&lang=en")).status_code == 200
            for _ in range(200):  # until the score's store write and the receive span around it have ended
                if score_stored(exporter.get_finished_spans()):
                    break
                await asyncio.sleep(0.05)
    finally:
        AioPikaInstrumentor().uninstrument()
        FastAPIInstrumentor.uninstrument_app(gateway)

    spans = exporter.get_finished_spans()
    request = next(s for s in spans if s.kind == SpanKind.SERVER and "start-interview" in s.name)
    same_trace = [s for s in spans if s.context.trace_id == request.context.trace_id]
    produced = {(s.kind, s.name) for s in same_trace}
    names = " | ".join(sorted(s.name for s in same_trace))
    assert any(kind == SpanKind.PRODUCER and "InterviewStarted" in name for kind, name in produced), names
    assert any(kind == SpanKind.PRODUCER and "QuestionGenerated" in name for kind, name in produced), names
    consumers = {s.context.span_id: s for s in same_trace if s.kind == SpanKind.CONSUMER}
    assert len(consumers) >= 3, names  # interview and persistence receive the start; persistence the question
    # cause and effect: the question is published inside the interview service's receive span,
    # and every store write happens inside a receive span of the persistence service
    question = next(s for s in same_trace if s.kind == SpanKind.PRODUCER and "QuestionGenerated" in s.name)
    assert question.parent.span_id in consumers
    writes = [s for s in same_trace if s.name == "store event"]
    assert len(writes) >= 2 and all(w.parent.span_id in consumers for w in writes), names
    # current semantic conventions, on our spans and on the instrumentations' (which still write older names)
    assert {(w.attributes["db.system.name"], w.attributes["db.operation.name"]) for w in writes} == {
        ("sqlite", "append")
    }
    receive = next(iter(consumers.values()))
    assert receive.attributes["messaging.system"] == "rabbitmq"
    assert receive.attributes["messaging.destination.name"] == receive.attributes["messaging.destination"]
    assert receive.attributes["messaging.operation.type"] == "receive"
    assert receive.attributes["server.address"] and receive.attributes["server.port"] == 5672
    resource = request.resource.attributes
    assert resource["service.version"] == metadata.version("interviewer")
    assert resource["deployment.environment.name"] == "development"

    # a secret in a URL's query (an invitation link's token) is not written into a span
    page = next(s for s in spans if s.kind == SpanKind.SERVER and s.attributes.get("http.route") == "/")
    assert page.attributes["http.url"] == "http://gateway/?invitation=REDACTED&lang=en"
    assert not [s for s in spans if "not-for-the-spans" in repr(dict(s.attributes or {}))]

    # the answer's trace: submitted by the gateway, scored inside the scoring service's receive span,
    # and the score stored inside a persistence receive span, all under the submit-answer request
    submit = next(s for s in spans if s.kind == SpanKind.SERVER and "submit-answer" in s.name)
    answer_trace = [s for s in spans if s.context.trace_id == submit.context.trace_id]
    names = " | ".join(sorted(s.name for s in answer_trace))
    receives = {s.context.span_id: s for s in answer_trace if s.kind == SpanKind.CONSUMER}
    score = next((s for s in answer_trace if s.kind == SpanKind.PRODUCER and "AnswerScored" in s.name), None)
    assert score is not None and score.parent.span_id in receives, names
    submitted = next(s for s in answer_trace if s.kind == SpanKind.PRODUCER and "AnswerSubmitted" in s.name)
    received = receives[score.parent.span_id].attributes["messaging.message.id"]
    assert received == submitted.attributes["messaging.message.id"], names  # scoring received that very answer
    stored_score = [w for w in answer_trace if w.name == "store event" and w.attributes["event.type"] == "AnswerScored"]
    assert stored_score and all(w.parent.span_id in receives for w in stored_score), names


async def test_a_failed_handlers_receive_span_is_an_error_with_the_exception(namespace):
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    instrumentor = AioPikaInstrumentor()
    if instrumentor.is_instrumented_by_opentelemetry:
        instrumentor.uninstrument()
    instrumentor.instrument(tracer_provider=provider)
    broker = Broker(settings_for(namespace, delivery_limit=1), "interview")

    async def fails(event: Event) -> list[Event]:
        raise RuntimeError("the AI is down")

    try:
        await broker.connect()
        await broker.consume(handler_table({InterviewStarted: fails, AnswerSubmitted: fails}))
        await broker.publish(started_event())
        assert await wait_for_depth(broker.names.dead_letter_queue("interview"), 1, timeout=30) == 1
    finally:
        await broker.close()
        instrumentor.uninstrument()

    receives = [s for s in exporter.get_finished_spans() if s.kind == SpanKind.CONSUMER]
    assert len(receives) == 2  # retried once, then dead-lettered: neither is a success
    for span in receives:
        assert span.status.status_code == StatusCode.ERROR
        [exception] = [e for e in span.events if e.name == "exception"]
        assert exception.attributes["exception.message"] == "the AI is down"

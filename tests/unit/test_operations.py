"""Operators' plumbing: JSON logs with trace ids, the rate limit."""

import json
import logging

import pytest
from fastapi import HTTPException
from opentelemetry.sdk.trace import TracerProvider

from shared.logs import JsonFormatter
from shared.ratelimit import RateLimit


def test_log_lines_are_json_and_carry_the_trace_id():
    tracer = TracerProvider().get_tracer("test")
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "handled %s", ("it",), None)
    record.session_id = "s1"
    with tracer.start_as_current_span("work") as span:
        line = json.loads(JsonFormatter("scoring").format(record))
    assert line["msg"] == "handled it" and line["service"] == "scoring" and line["session_id"] == "s1"
    assert line["trace_id"] == format(span.get_span_context().trace_id, "032x")
    outside = json.loads(JsonFormatter("scoring").format(record))
    assert "trace_id" not in outside


def test_the_rate_limit_refills_over_time_and_says_how_long_to_wait():
    now = [0.0]
    limit = RateLimit(2, "answers", clock=lambda: now[0])
    limit.check("1.2.3.4")
    limit.check("1.2.3.4")
    with pytest.raises(HTTPException) as refused:
        limit.check("1.2.3.4")
    assert refused.value.status_code == 429 and refused.value.headers["Retry-After"] == "30"
    assert "Too many answers" in refused.value.detail
    limit.check("5.6.7.8")  # another client has its own bucket
    now[0] = 30.0
    limit.check("1.2.3.4")  # half a minute refills one of two
    with pytest.raises(HTTPException):
        limit.check("1.2.3.4")

"""Operators' plumbing: JSON logs with trace ids and no secrets, the rate limit, settings that go together."""

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from aiormq.exceptions import ChannelInvalidStateError, ConnectionClosed
from fastapi import HTTPException
from opentelemetry.sdk.trace import TracerProvider
from pydantic import ValidationError

from services.persistence.settings import PersistenceSettings
from shared.platform.logs import JsonFormatter
from shared.platform.ratelimit import RateLimit, client_key
from shared.platform.redaction import RedactAccessLog
from shared.platform.settings import what_is_wrong

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("path", "logged"),
    [("/?invitation=Tok3n_abc", "/?invitation=REDACTED"),
     ("/api/interview/s1/events?candidate_token=abc-_9&since=2", "/api/interview/s1/events?candidate_token=REDACTED&since=2"),
     ("/api/auth/oidc/callback?state=s&code=c0de", "/api/auth/oidc/callback?state=s&code=REDACTED"),
     ("/api/data/interviews?status=all&invitations=1", "/api/data/interviews?status=all&invitations=1"),
     # a security review's: the name percent-encoded is the same parameter to the server
     ("/api/tts?candidate%5Ftoken=abc&x=1", "/api/tts?candidate%5Ftoken=REDACTED&x=1"),
     ("/?%69nvitation=Tok3n", "/?%69nvitation=REDACTED"),
     # a security retest's: secrets under names the API does not read, sent by mistake
     ("/api/auth/me?access_token=itk_abc", "/api/auth/me?access_token=REDACTED"),
     ("/?Candidate_Token=abc&apikey=k&api-key=k2", "/?Candidate_Token=REDACTED&apikey=REDACTED&api-key=REDACTED"),
     ("/x?Key=k&client_secret=s&position_id=pos-1", "/x?Key=REDACTED&client_secret=REDACTED&position_id=pos-1")],
)  # fmt: skip
def test_the_access_log_redacts_secrets_in_urls(path, logged):
    args = ("127.0.0.1:5000", "GET", path, "1.1", 200)
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d', args, None)
    assert RedactAccessLog().filter(record) is True
    assert JsonFormatter("gateway").format(record).count(logged) == 1


def logged(name: str, error: BaseException) -> dict:
    try:
        raise error
    except BaseException:
        record = logging.LogRecord(name, logging.WARNING, __file__, 1, "Cancelling cause reader exited abnormally",
                                   (), sys.exc_info())  # fmt: skip
    line: dict = json.loads(JsonFormatter("gateway").format(record))
    return line


def test_a_broker_restart_is_logged_in_a_line_not_a_traceback():
    closed = ConnectionClosed(320, "CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'")
    for name, error in [("aiormq.connection", closed), ("aio_pika.robust_connection", ConnectionResetError()),
                        ("aiormq.channel", ChannelInvalidStateError("writer is None"))]:  # fmt: skip
        line = logged(name, error)
        assert "exc" not in line and line["error"] == repr(error), line
    # anything else keeps its traceback: from another logger, or another error from the client
    assert "Traceback" in logged("shared.platform.messaging", closed)["exc"]
    assert "Traceback" in logged("aiormq.channel", ValueError("a bug"))["exc"]


def test_single_sign_on_settings_go_together():
    with pytest.raises(ValidationError, match="go together"):
        PersistenceSettings(oidc_issuer="https://id.example.com", oidc_client_id="interviewer")
    whole = PersistenceSettings(oidc_issuer="https://id.example.com", oidc_client_id="i", oidc_client_secret="s")
    assert whole.oidc_configured and not PersistenceSettings().oidc_configured


def test_a_settings_error_names_the_variables_never_their_values(monkeypatch):
    monkeypatch.setenv("OIDC_ISSUER", "https://id.example.com")
    monkeypatch.setenv("OIDC_CLIENT_SECRET", "S3CR3T-abcdefghijklmnop")  # the client id is missing
    monkeypatch.setenv("ADMIN_TOKEN", "admin-t0ken-never-shown")
    with pytest.raises(ValidationError) as raised:
        PersistenceSettings()
    assert "abcdefghijklmnop" in str(raised.value)  # pydantic's text shows the input: here, every setting
    said = what_is_wrong(raised.value)
    assert "go together" in said and not any(secret in said for secret in ("abcdefghijklmnop", "admin-t0ken")), said
    monkeypatch.setenv("PREFETCH", "lots")  # a setting of its own, wrong: named, its value not repeated
    with pytest.raises(ValidationError) as raised:
        PersistenceSettings()
    said = what_is_wrong(raised.value)
    assert said.startswith("PREFETCH: Input should be a valid integer") and "lots" not in said, said


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


def test_ipv6_clients_share_a_bucket_per_64():
    assert client_key("2001:db8:1:2::1") == client_key("2001:db8:1:2:ffff:ffff:ffff:ffff") == "2001:db8:1:2::/64"
    assert client_key("2001:db8:1:3::1") != client_key("2001:db8:1:2::1")
    assert client_key("::ffff:192.0.2.1") == client_key("192.0.2.1") == "192.0.2.1"
    assert client_key("unknown") == "unknown"


def test_a_full_table_forgets_refilled_clients_but_never_a_throttled_one():
    now = [0.0]
    limit = RateLimit(1, "answers", clock=lambda: now[0], max_clients=3)
    limit.check("idle-1")
    limit.check("idle-2")
    now[0] = 59.0
    limit.check("throttled")
    now[0] = 61.0  # the idle ones have refilled; the throttled one has not
    for n in range(20):
        limit.check(f"busy-{n}")
    assert "idle-1" not in limit._buckets and "idle-2" not in limit._buckets
    with pytest.raises(HTTPException) as refused:
        limit.check("throttled")
    assert refused.value.status_code == 429
    with pytest.raises(HTTPException):
        limit.check("busy-0")  # busy clients are remembered too, however many


def test_without_an_exporter_spans_are_not_recorded_but_trace_ids_still_travel():
    """In a process of its own: the tracer provider is global."""
    script = """
from opentelemetry import propagate, trace
from shared.platform.telemetry import current_trace_ids, setup_tracing
setup_tracing("probe", None)
tracer = trace.get_tracer("probe")
with tracer.start_as_current_span("request") as request:
    carrier, recorded = {}, [request.is_recording()]
    propagate.inject(carrier)
    sent = current_trace_ids()["trace_id"]
with tracer.start_as_current_span("consume", context=propagate.extract(carrier)) as consumer:
    recorded.append(consumer.is_recording())
    received = current_trace_ids()["trace_id"]
print(*recorded, sent == received, len(sent))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "True", "32"]


@pytest.mark.parametrize("service", ["gateway", "interview", "scoring", "persistence", "exporter"])
def test_a_service_asked_for_help_or_a_wrong_command_answers_instead_of_starting(service):
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", f"services.{service}", *args], capture_output=True, text=True,
                              timeout=60, cwd=ROOT)  # fmt: skip

    helped = run("--help")
    assert helped.returncode == 0 and helped.stdout.startswith(f"usage: python -m services.{service}"), helped
    wrong = run("shadwo")  # started the live service before: connected to the broker and consumed
    assert wrong.returncode == 2 and "invalid choice: 'shadwo'" in wrong.stderr, wrong

"""Prometheus metrics, the same names in every service (labelled by service)."""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

EVENTS = Counter(
    "interviewer_events_total",
    "Events a service's consumer finished with, by outcome (ok, retried, dead_lettered, invalid)",
    ["service", "event_type", "outcome"],
)
HANDLER_SECONDS = Histogram(
    "interviewer_handler_seconds",
    "Time to handle one event, its own publishes included",
    ["service", "event_type"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
REDELIVERED = Counter(
    "interviewer_redelivered_total",
    "Messages the broker delivered again: a consumer died holding them, or a handler failed",
    ["service", "event_type"],
)
DLQ_DEPTH = Gauge("interviewer_dlq_messages", "Messages waiting in a service's dead-letter queue", ["service"])
PUBLISHED = Counter("interviewer_published_total", "Events published and confirmed", ["service", "event_type"])
PUBLISH_FAILED = Counter(
    "interviewer_publish_failed_total",
    "Events the broker did not confirm or take, not connected included (event_type live_binding: a session's "
    "live binding that failed a request)",
    ["service", "event_type"],
)

LIVE_EVENTS = Counter(
    "interviewer_live_events_total",
    "Events heard on the private live queue of the sessions a process follows (the gateway's live views)",
    ["service"],
)
SESSION_READS = Counter(
    "interviewer_session_reads_total",
    "Sessions read whole from the event store: to serve a candidate, or for one check of another replica's",
    ["service", "purpose"],
)
FOLLOWED_SESSIONS = Gauge("interviewer_followed_sessions", "Sessions whose events a process follows", ["service"])


def exposition() -> tuple[bytes, str]:
    return generate_latest(), CONTENT_TYPE_LATEST

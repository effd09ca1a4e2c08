"""The exporter's endpoints between events (services/exporter/webhooks.py, Endpoints): asked once, asked
again after a registration or removal this process saw until persistence's answer shows it, after a
reconnect, and when old. Persistence here is a list the test changes, counted as it is asked."""

from pathlib import Path

import httpx
import pytest

from services.exporter.webhooks import Endpoints
from shared.contracts.events import parse_event

SAMPLES = Path(__file__).resolve().parents[1] / "events" / "samples"
REGISTERED = parse_event((SAMPLES / "WebhookRegistered.v1.json").read_bytes())
REMOVED = parse_event((SAMPLES / "WebhookRemoved.v1.json").read_bytes())
HOOK = {"webhook_id": REGISTERED.session_id, "topics": ["interview.completed", "report.generated"]}


class Persistence:
    def __init__(self) -> None:
        self.active: list[dict] = []
        self.asked = 0

    async def fetch(self) -> list[dict]:
        self.asked += 1
        return list(self.active)


async def test_asked_once_then_again_only_until_a_change_seen_is_reflected():
    persistence = Persistence()
    endpoints = Endpoints(persistence.fetch)
    assert await endpoints.of("report.generated") == [] and await endpoints.of("interview.completed") == []
    assert persistence.asked == 1  # kept between events

    await endpoints.changed(REGISTERED)  # seen on the broker before persistence has recorded it
    assert await endpoints.of("report.generated") == [] and persistence.asked == 2  # not there yet: not kept
    persistence.active = [HOOK]
    assert await endpoints.of("report.generated") == [HOOK] and persistence.asked == 3
    assert await endpoints.of("interview.completed") == [HOOK] and await endpoints.of("interview.erased") == []
    assert persistence.asked == 3  # reflected: kept again

    await endpoints.changed(REMOVED)
    assert await endpoints.of("report.generated") == [HOOK] and persistence.asked == 4  # still listed there
    persistence.active = []
    assert await endpoints.of("report.generated") == [] and await endpoints.of("report.generated") == []
    assert persistence.asked == 5


async def test_a_reconnect_or_age_asks_again(monkeypatch):
    persistence = Persistence()
    endpoints = Endpoints(persistence.fetch)
    await endpoints.of("report.generated")
    persistence.active = [HOOK]  # registered while this process was cut off from the broker
    endpoints.forget()
    assert await endpoints.of("report.generated") == [HOOK] and persistence.asked == 2
    persistence.active = []
    monkeypatch.setattr("services.exporter.webhooks.ENDPOINTS_MAX_AGE_SECONDS", 0.0)
    assert await endpoints.of("report.generated") == [] and persistence.asked == 3


async def test_persistence_away_the_endpoints_known_serve_unless_a_change_waits(monkeypatch):
    """Found by an operator's test: with the store down for minutes, every event was retried until dead-lettered,
    with no webhook registered at all."""
    persistence = Persistence()
    endpoints = Endpoints(persistence.fetch)
    assert await endpoints.of("report.generated") == []

    async def away() -> list[dict]:
        raise httpx.HTTPStatusError("503", request=httpx.Request("GET", "http://p/internal/webhooks"),
                                    response=httpx.Response(503))  # fmt: skip

    endpoints.fetch = away
    monkeypatch.setattr("services.exporter.webhooks.ENDPOINTS_MAX_AGE_SECONDS", 0.0)  # time to ask again
    assert await endpoints.of("report.generated") == []  # the known (none): delivered to nobody, acknowledged
    await endpoints.changed(REGISTERED)  # a registration seen, not yet listed: the event must wait for it
    with pytest.raises(httpx.HTTPError):
        await endpoints.of("report.generated")
    fresh = Endpoints(away)  # nothing known yet (a start, a reconnect): nothing to go on either
    with pytest.raises(httpx.HTTPError):
        await fresh.of("report.generated")

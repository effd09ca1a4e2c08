"""Webhooks to an applicant-tracking system (docs/recruiting.md, "Webhooks"): admins register endpoints;
the exporter delivers and retries; every attempt is an event, and its record is shown here."""

from __future__ import annotations

import secrets
from typing import Annotated, Any, get_args

import httpx
from fastapi import APIRouter, HTTPException, Query, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from services.persistence.api.auth import AdminDep
from services.persistence.api.dependencies import BrokerDep, StoreDep
from services.persistence.api.writes import publish_and_record
from services.persistence.recruiting import DeliveryDocument, WebhookDocument
from services.persistence.settings import PersistenceSettings
from services.persistence.store import Store
from shared.contracts.events import (
    WebhookRegistered,
    WebhookRegisteredPayload,
    WebhookRemoved,
    WebhookRemovedPayload,
    WebhookTopic,
    new_id,
    utc_now,
)
from shared.platform.addresses import RESOLVE_SECONDS, AddressRefused, Unresolvable, port_of, reachable_addresses

router = APIRouter(tags=["webhooks"])
internal = APIRouter(prefix="/internal", tags=["internal"])
PRODUCER = "persistence"
LOOPBACK = ("localhost", "127.0.0.1", "::1")
Url = Annotated[str, StringConstraints(max_length=2000, pattern=r"^https?://[^\s/]+(/\S*)?$")]


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    url: Url = Field(description="Where deliveries are POSTed (https in production)")
    topics: list[WebhookTopic] = Field(min_length=1, max_length=len(get_args(WebhookTopic)))

    @field_validator("url")
    @classmethod
    def deliverable(cls, url: str) -> str:
        """A URL the exporter's HTTP client can POST to (the pattern lets `http://[::1/` through)."""
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL as error:
            raise ValueError(f"not a URL deliveries can be sent to: {error}") from None
        if not parsed.host or not 0 < (443 if parsed.port is None else parsed.port) < 65536:  # ":0" is no port
            raise ValueError("not a URL deliveries can be sent to: it needs a host and a port from 1 to 65535")
        return url


class WebhookView(BaseModel):
    webhook_id: str
    url: str
    topics: list[WebhookTopic]
    active: bool
    created_by: str
    created_at: str
    deliveries: dict[str, int]


async def webhook_of(store: Store, webhook_id: str) -> WebhookDocument:
    record = await store.get_record("webhook", webhook_id) if webhook_id.startswith("whk-") else None
    if record is None:
        raise HTTPException(404, f"No webhook with webhook_id '{webhook_id}'")
    return WebhookDocument.model_validate(record.document)


async def deliveries_of(store: Store, webhook_id: str) -> list[DeliveryDocument]:
    records = await store.find_records("delivery", "webhook", webhook_id)
    deliveries = [DeliveryDocument.model_validate(record.document) for record in records]
    return sorted(deliveries, key=lambda d: d.attempts[0].attempted_at, reverse=True)


async def view_of(store: Store, webhook: WebhookDocument) -> WebhookView:
    counts = {"delivered": 0, "pending": 0, "failed": 0}
    for delivery in await deliveries_of(store, webhook.webhook_id):
        state = "delivered" if delivery.delivered else "pending" if delivery.next_attempt_at else "failed"
        counts[state] += 1
    return WebhookView(**webhook.model_dump(mode="json", exclude={"secret"}), deliveries=counts)


@router.get("/api/webhooks")
async def list_webhooks(store: StoreDep, actor: AdminDep) -> dict[str, list[WebhookView]]:
    webhooks = [WebhookDocument.model_validate(r.document) for r in await store.list_records("webhook")]
    return {"webhooks": [await view_of(store, w) for w in sorted(webhooks, key=lambda w: w.created_at)]}


@router.post("/api/webhooks", status_code=status.HTTP_201_CREATED)
async def register_webhook(
    body: WebhookIn, store: StoreDep, broker: BrokerDep, actor: AdminDep, response: Response, request: Request
) -> dict[str, Any]:
    """Register an endpoint; its signing secret is shown here once. https:// only, but for a receiver on this
    machine or with WEBHOOKS_ALLOW_HTTP; on the internet only, but for WEBHOOKS_ALLOWED_NETWORKS."""
    url = httpx.URL(body.url)
    settings: PersistenceSettings = request.app.state.settings
    if url.scheme == "http" and url.host not in LOOPBACK and not settings.webhooks_allow_http:
        raise HTTPException(
            422,
            "url: use https:// (deliveries carry candidates' answers and reports); for a receiver inside your "
            "own network over plain HTTP, set WEBHOOKS_ALLOW_HTTP=true on the persistence service",
        )
    await reachable(url, settings)
    webhook_id, secret = new_id("whk"), f"whsec_{secrets.token_urlsafe(24)}"
    payload = WebhookRegisteredPayload(webhook_id=webhook_id, url=body.url, secret=secret,
                                       topics=tuple(dict.fromkeys(body.topics)), created_by=actor.id,
                                       created_at=utc_now())  # fmt: skip
    event = WebhookRegistered.create(session_id=webhook_id, producer=PRODUCER, payload=payload)
    await publish_and_record([event], store, broker, response, "The webhook")
    response.headers["Location"] = f"/api/webhooks/{webhook_id}"
    return (await view_of(store, await webhook_of(store, webhook_id))).model_dump() | {"secret": secret}


async def reachable(url: httpx.URL, settings: PersistenceSettings) -> None:
    """The host is on the internet, or in a network the operator allows: the exporter POSTs from inside."""
    try:
        await reachable_addresses(url.host, port_of(url), settings.webhooks_allowed_networks, RESOLVE_SECONDS)
    except Unresolvable as error:
        raise HTTPException(422, f"url: {error}: deliveries need a host name that resolves") from None
    except AddressRefused as error:
        raise HTTPException(
            422,
            f"url: {error}, not on the internet, and deliveries would go to it from inside your network. For a "
            "receiver inside it (or on this machine), add its address or network to WEBHOOKS_ALLOWED_NETWORKS "
            "(e.g. 10.0.0.0/8,127.0.0.1) on the persistence and the exporter service",
        ) from None


@router.get("/api/webhooks/{webhook_id}")
async def get_webhook(webhook_id: str, store: StoreDep, actor: AdminDep) -> WebhookView:
    return await view_of(store, await webhook_of(store, webhook_id))


@router.delete("/api/webhooks/{webhook_id}")
async def remove_webhook(
    webhook_id: str, store: StoreDep, broker: BrokerDep, actor: AdminDep, response: Response
) -> dict[str, Any]:
    webhook = await webhook_of(store, webhook_id)
    if webhook.active:
        payload = WebhookRemovedPayload(removed_by=actor.id, removed_at=utc_now())
        event = WebhookRemoved.create(session_id=webhook_id, producer=PRODUCER, payload=payload)
        await publish_and_record([event], store, broker, response, "The removal")
    return {"webhook_id": webhook_id, "removed": True}


@router.get("/api/webhooks/{webhook_id}/deliveries")
async def list_deliveries(webhook_id: str, store: StoreDep, actor: AdminDep) -> dict[str, list[DeliveryDocument]]:
    await webhook_of(store, webhook_id)
    return {"deliveries": await deliveries_of(store, webhook_id)}


@internal.get("/webhooks")
async def active_webhooks(
    store: StoreDep, topic: Annotated[WebhookTopic | None, Query(description="Only those asking for it")] = None
) -> dict[str, list[WebhookDocument]]:
    """The active endpoints (of a topic), with their secrets: what the exporter delivers to."""
    records = await store.find_records("webhook", "active", "True")
    webhooks = [WebhookDocument.model_validate(record.document) for record in records]
    return {"webhooks": [w for w in webhooks if topic is None or topic in w.topics]}

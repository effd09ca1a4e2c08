"""Wiring of the gateway: broker, sessions, persistence client, HTTP routes."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from services.gateway import candidate_requests, demographics, passthrough, routes, voice
from services.gateway.consistency import RecentWrites
from services.gateway.handlers import RecentCompletions, RecentStarts, build_handlers, live_listener
from services.gateway.persistence_client import PersistenceClient, no_cookies
from services.gateway.sessions import SessionRegistry
from services.gateway.settings import GatewaySettings
from services.gateway.voice import Voice
from shared.contracts.events import Event, InterviewCompleted, InterviewStarted
from shared.platform.bodylimit import RECRUITING_UPLOADS
from shared.platform.messaging import Broker
from shared.platform.ratelimit import RateLimit
from shared.platform.service import service_app

WEB = Path(__file__).parent / "web"
# what a browser may do with the two pages (a security retest): scripts, styles and requests from this server only
# (a name slipped past the escaping cannot load a script), never framed by another site (clicks stolen from the
# dashboard), no type sniffing, no referrer (an invitation's token is in its link)
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def create_app(settings: GatewaySettings) -> FastAPI:
    persistence = PersistenceClient(settings.persistence_url, settings.internal_headers())
    broker = Broker(settings, "gateway")
    starts = RecentStarts()
    sessions = SessionRegistry(
        persistence.session_events, settings.max_sessions_in_memory, settings.completed_sessions_in_memory,
        feed=lambda: broker.feed, started_lately=starts.__contains__,
    )  # fmt: skip
    broker.on_reconnect.append(sessions.mark_all_stale)
    recent_writes = RecentWrites(persistence, settings.consistency_wait_seconds)
    completions = RecentCompletions(persistence.is_completed)

    async def hear_every_interview(event: Event) -> None:
        await starts.hear(event)
        await completions.hear(event)

    exporter_http = httpx.AsyncClient(base_url=settings.exporter_url, timeout=30, cookies=no_cookies())

    @asynccontextmanager
    async def clients(_: Broker) -> AsyncIterator[None]:
        recent_writes.start()
        yield
        await recent_writes.stop()
        await persistence.close()
        await exporter_http.aclose()

    app = service_app(
        "gateway",
        settings,
        handlers=build_handlers(sessions, settings.completion_grace_seconds, completions.completed),
        session_listener=live_listener(sessions, broker),  # the events of the interviews it serves, no others
        listener=hear_every_interview,  # ... and every interview's InterviewStarted and InterviewCompleted
        listen_to=(InterviewStarted, InterviewCompleted),
        resources=clients,
        # candidates start and answer without persistence (it serves invitations, resumes and the read API):
        # its outage must not take every gateway out of the load balancer, so it is reported, not required
        informs={"persistence": persistence.is_ready},
        broker=broker,
        body_limit=routes.MAX_JSON_BYTES,
        body_limits={"/api/transcribe": voice.MAX_AUDIO_BYTES, **RECRUITING_UPLOADS},
    )
    app.state.sessions = sessions
    app.state.persistence = persistence
    app.state.recent_writes = recent_writes
    app.state.exporter_http = exporter_http
    app.state.voice = Voice(settings) if settings.openai_configured else None
    app.state.rate_limits = {
        "start": RateLimit(settings.start_rate_per_minute, "interviews started"),
        "answer": RateLimit(settings.answer_rate_per_minute, "answers and ends"),
        "voice": RateLimit(settings.voice_rate_per_minute, "voice requests"),
    }
    if settings.trusted_proxies:  # the client address then is the one they forward (rate limits, logs)
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=[str(n) for n in settings.trusted_proxies])
    app.include_router(routes.router)
    app.include_router(demographics.router)
    app.include_router(candidate_requests.router)
    app.include_router(voice.router)
    app.include_router(passthrough.router)

    @app.get("/", include_in_schema=False)
    async def candidate_page() -> FileResponse:
        return FileResponse(WEB / "index.html", headers=PAGE_HEADERS)

    @app.get("/dashboard", include_in_schema=False)
    async def dashboard_page() -> FileResponse:
        return FileResponse(WEB / "dashboard.html", headers=PAGE_HEADERS)

    @app.get("/favicon.ico", include_in_schema=False)  # asked for by browsers on pages that name no icon (/docs)
    async def icon() -> FileResponse:
        return FileResponse(WEB / "favicon.svg", media_type="image/svg+xml")

    app.mount("/static", StaticFiles(directory=WEB), name="static")

    return app

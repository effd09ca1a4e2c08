import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from services.scoring.handlers import PRODUCER, build_handlers
from services.scoring.settings import ScoringSettings
from shared.ai.factory import make_provider
from shared.ai.offline import embedding
from shared.platform.failures import processing_failed
from shared.platform.messaging import Broker
from shared.platform.service import service_app


@asynccontextmanager
async def loaded_model(_: Broker) -> AsyncIterator[None]:
    """The offline scorer's sentence-embedding model, loaded (about a second) before the first answer
    arrives rather than while it waits."""
    await asyncio.to_thread(embedding.embedder)
    yield


def create_app(settings: ScoringSettings) -> FastAPI:
    handlers = build_handlers(make_provider(settings))
    return service_app(
        PRODUCER,
        settings,
        handlers=handlers,
        on_give_up=processing_failed(PRODUCER, settings),
        resources=loaded_model,
    )

"""Which interviewer a service uses: OpenAI (or any compatible server) when OPENAI_API_KEY is set, the
offline interviewer otherwise."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from shared.ai.offline import OfflineInterviewer, embedding
from shared.ai.provider import InterviewerAI
from shared.ai.settings import AISettings
from shared.platform.messaging import Broker


def make_provider(settings: AISettings) -> InterviewerAI:
    if settings.openai_configured:
        from shared.ai.openai_provider import OpenAIInterviewer  # its SDK is imported only when it is used

        return OpenAIInterviewer.from_settings(settings, fallback=OfflineInterviewer())
    return OfflineInterviewer()


@asynccontextmanager
async def loaded_model(_: Broker) -> AsyncIterator[None]:
    """A service's resources: the offline scorer's sentence-embedding model, loaded (about a second) off the
    event loop before the first event arrives rather than while it waits (the scoring service's)."""
    await asyncio.to_thread(embedding.embedder)
    yield

from fastapi import FastAPI

from services.scoring.handlers import build_handlers
from services.scoring.settings import ScoringSettings
from shared.ai.provider import make_provider
from shared.service import consumer_app


def create_app(settings: ScoringSettings) -> FastAPI:
    return consumer_app("scoring", settings, build_handlers(make_provider(settings.openai_api_key)))

from fastapi import FastAPI

from services.scoring.handlers import PRODUCER, build_handlers
from services.scoring.settings import ScoringSettings
from shared.ai.factory import loaded_model, make_provider
from shared.platform.failures import processing_failed
from shared.platform.service import service_app


def create_app(settings: ScoringSettings) -> FastAPI:
    handlers = build_handlers(make_provider(settings))
    return service_app(
        PRODUCER,
        settings,
        handlers=handlers,
        on_give_up=processing_failed(PRODUCER, settings),
        resources=loaded_model,
    )

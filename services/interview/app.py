from fastapi import FastAPI

from services.interview.handlers import PRODUCER, build_handlers
from services.interview.settings import InterviewSettings
from shared.ai.factory import make_provider
from shared.platform.failures import processing_failed
from shared.platform.service import service_app


def create_app(settings: InterviewSettings) -> FastAPI:
    handlers = build_handlers(make_provider(settings))
    return service_app(PRODUCER, settings, handlers=handlers, on_give_up=processing_failed(PRODUCER, settings))

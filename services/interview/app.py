from fastapi import FastAPI

from services.interview.handlers import PRODUCER, build_handlers
from services.interview.settings import InterviewSettings
from shared.ai.factory import make_provider
from shared.ai.offline import embedding
from shared.platform.failures import processing_failed
from shared.platform.service import service_app


def create_app(settings: InterviewSettings) -> FastAPI:
    # the follow-up question needs only the rules' reading of the previous answer (is it vague, does it
    # name a number): the sentence-embedding model stays in the scoring service
    embedding.go_without()
    handlers = build_handlers(make_provider(settings))
    return service_app(PRODUCER, settings, handlers=handlers, on_give_up=processing_failed(PRODUCER, settings))

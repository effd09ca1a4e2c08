from fastapi import FastAPI

from services.interview.handlers import build_handlers
from services.interview.settings import InterviewSettings
from shared.ai.provider import make_provider
from shared.service import consumer_app


def create_app(settings: InterviewSettings) -> FastAPI:
    return consumer_app("interview", settings, build_handlers(make_provider(settings.openai_api_key)))
